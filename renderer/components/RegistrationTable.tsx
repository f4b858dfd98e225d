/** The list of registrations (home's recent ones, search results): each row opens the registration. */
import { useTranslation } from 'react-i18next';
import type { RegistrationSummary } from '../../core/api/contract';
import { formatMinute, formatTime, useDesk } from '../lib/desk';
import { DataTable } from './DataTable';
import { StateList } from './States';

export function RegistrationTable({ items }: { items: readonly RegistrationSummary[] }) {
  const { navigate } = useDesk();
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      rows={items}
      rowKey={(r) => r.id}
      columns={[
        {
          header: t('list.created'),
          cell: (r) => (
            <button type="button" className="link" onClick={() => navigate({ name: 'detail', id: r.id })}>
              {formatTime(r.createdAt, i18n.language)}
            </button>
          ),
        },
        { header: t('list.mother'), cell: (r) => r.motherName, className: 'name' },
        { header: t('list.child'), cell: (r) => r.childName ?? '—', className: 'name' },
        { header: t('list.birth'), cell: (r) => formatMinute(r.childBirthDateTime), className: 'time' },
        { header: t('list.states'), cell: (r) => <StateList states={r.states} /> },
      ]}
    />
  );
}
