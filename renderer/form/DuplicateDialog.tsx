/** The duplicate-birth warning: this mother already has a child registered within 270 days (twins excepted). */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch } from '../../core/api/contract';
import { formatMinute, formatTime } from '../lib/desk';

export function DuplicateDialog({ matches, onCancel, onAcknowledge }: { matches: DuplicateMatch[]; onCancel: () => void; onAcknowledge: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog warn" aria-labelledby="dup-title" aria-describedby="dup-body" onCancel={onCancel} data-testid="duplicate-dialog">
      <h2 id="dup-title">{t('form.duplicateTitle')}</h2>
      <p id="dup-body">{t('form.duplicateBody')}</p>
      <ul>
        {matches.map((m) => (
          <li key={m.registrationId}>{t('form.duplicateItem', { birth: formatMinute(m.childBirthDateTime), created: formatTime(m.createdAt, i18n.language) })}</li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={onCancel} autoFocus>
          {t('form.duplicateCancel')}
        </button>
        <button type="button" className="primary" onClick={onAcknowledge}>
          {t('form.duplicateAck')}
        </button>
      </div>
    </dialog>
  );
}
