/** The registration page's "补办事项" (issue 12): a button per service not yet filed; each adds one request. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import { SERVICES, SERVICE_LABELS, type Service } from '../../domain/codes';
import { loc } from '../i18n';
import { useDesk } from '../lib/desk';

export function AddService({ detail, onAdded }: { detail: RegistrationDetail; onAdded: () => void }) {
  const { client, showError, announce } = useDesk();
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const filed = new Set(detail.requests.map((r) => r.service));
  const missing = SERVICES.filter((s) => !filed.has(s));
  if (missing.length === 0) return null;
  const add = async (service: Service) => {
    setBusy(true);
    const r = await client.addService({ registrationId: detail.registration.id, service, confirmedAt: new Date().toISOString() });
    setBusy(false);
    if (!r.ok) return showError(r.error);
    announce(t('bundle.add.done', { service: loc(SERVICE_LABELS[service], i18n.language) }));
    onAdded();
  };
  return (
    <section aria-labelledby="add-service-title" className="add-service">
      <h2 id="add-service-title">{t('bundle.add.title')}</h2>
      <div className="row">
        {missing.map((s) => (
          <button key={s} type="button" disabled={busy} onClick={() => void add(s)}>
            {t('bundle.add.button', { service: loc(SERVICE_LABELS[s], i18n.language) })}
          </button>
        ))}
      </div>
    </section>
  );
}
