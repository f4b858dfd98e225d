/** A request state as a labelled chip (colour is never the only cue: the state is written out). */
import { useTranslation } from 'react-i18next';
import type { RequestState, Service } from '../../domain/codes';
import { SERVICE_LABELS } from '../../domain/codes';
import { loc } from '../i18n';

export function StateChip({ state }: { state: RequestState }) {
  const { t } = useTranslation();
  return <span className={`chip state-${state}`}>{t(`state.${state}`)}</span>;
}

export function StateList({ states }: { states: { service: Service; state: RequestState }[] }) {
  const { i18n } = useTranslation();
  return (
    <ul className="states">
      {states.map((s) => (
        <li key={s.service}>
          <span className="svc">{loc(SERVICE_LABELS[s.service], i18n.language)}</span> <StateChip state={s.state} />
        </li>
      ))}
    </ul>
  );
}
