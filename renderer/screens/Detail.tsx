/** One registration: the timeline per request and the clerk's actions (retry held, amend rejected/needs-info, reprint). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import { maskIdNumber } from '../../domain/idnumber';
import { formatMinute, formatTime, useDesk } from '../lib/desk';
import { PrintReceipt } from '../components/Printing';
import { AddService } from './AddService';
import { RequestTimeline } from './Timeline';

export default function Detail({ id }: { id: string }) {
  const { client, navigate, showError, announce } = useDesk();
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<RegistrationDetail | null>(null);

  const load = useCallback(() => {
    void client.getRegistration({ id }).then((r) => {
      if (r.ok) setDetail(r.value);
      else showError(r.error);
    });
  }, [client, id, showError]);
  useEffect(() => {
    load();
    const off = client.on('requestStatusChanged', (e) => e.registrationId === id && load());
    const timer = setInterval(load, 5000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [client, id, load]);

  if (!detail) return <p>{t('common.loading')}</p>;
  const reg = detail.registration;
  return (
    <section aria-labelledby="detail-title" className="detail">
      <button type="button" className="link" onClick={() => navigate({ name: 'registrations' })}>
        ← {t('detail.back')}
      </button>
      <h1 id="detail-title" tabIndex={-1}>
        {t('detail.title')} · {reg.mother.name} {reg.child.name ? `/ ${reg.child.name}` : ''}
      </h1>
      <dl className="review-list">
        <dt>{t('receipt.bundle')}</dt>
        <dd>
          <code>{reg.id}</code>
        </dd>
        <dt>{t('list.created')}</dt>
        <dd>{formatTime(reg.createdAt, i18n.language)}</dd>
        <dt>{t('list.mother')}</dt>
        <dd>
          {reg.mother.name} · {maskIdNumber(reg.mother.docNumber)}
        </dd>
        <dt>{t('list.birth')}</dt>
        <dd>{formatMinute(reg.child.birthDateTime)}</dd>
      </dl>
      <h2>{t('detail.timeline')}</h2>
      <RequestTimeline
        detail={detail}
        onRetry={(r) =>
          void client.retryRequest({ requestId: r.id, confirmedAt: new Date().toISOString() }).then((x) => {
            if (x.ok) {
              announce(t('detail.retried'));
              load();
            } else showError(x.error);
          })
        }
        onAmend={(r) => navigate({ name: 'amend', registrationId: reg.id, requestId: r.id })}
      />
      <AddService detail={detail} onAdded={load} />
      {/* Reprint: one more job on the configured printer, its state shown here (no dialog). */}
      <PrintReceipt registrationId={reg.id} label={t('detail.reprint')} primary={false} />
      <details>
        <summary>{t('detail.audit')}</summary>
        <ul className="plain audit">
          {detail.audit.map((a) => (
            <li key={String(a.id)}>
              {formatTime(a.at, i18n.language)} · {a.actor} · {a.action}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
