/** The list of registrations (home's recent ones, search results): each row opens the registration. */
import { useTranslation } from 'react-i18next';
import type { RegistrationSummary } from '../../core/api/contract';
import { formatMinute, formatTime, useDesk } from '../lib/desk';
import { StateList } from './States';

export function RegistrationTable({ items }: { items: readonly RegistrationSummary[] }) {
  const { navigate } = useDesk();
  const { t, i18n } = useTranslation();
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('list.created')}</th>
          <th scope="col">{t('list.mother')}</th>
          <th scope="col">{t('list.child')}</th>
          <th scope="col">{t('list.birth')}</th>
          <th scope="col">{t('list.states')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id}>
            <td>
              <button type="button" className="link" onClick={() => navigate({ name: 'detail', id: r.id })}>
                {formatTime(r.createdAt, i18n.language)}
              </button>
            </td>
            <td>{r.motherName}</td>
            <td>{r.childName ?? '—'}</td>
            <td>{formatMinute(r.childBirthDateTime)}</td>
            <td>
              <StateList states={r.states} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
