/** Diagnostics for the clerk and hospital IT: devices, city API reachability, queue, database health, version, config file. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Health } from '../../core/api/contract';
import { DeviceList } from '../components/DeviceList';
import { formatTime, useDesk } from '../lib/desk';
import { PrinterBlock } from '../components/Printing';

/** How long ago, in the page's language ("3 hours ago", "3小时前"), from the desk's own age of the result. */
function ago(ageMs: number | null, language: string): string {
  if (ageMs === null) return '';
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const s = Math.round(ageMs / 1000);
  if (s < 60) return rtf.format(-s, 'second');
  if (s < 3600) return rtf.format(-Math.round(s / 60), 'minute');
  if (s < 48 * 3600) return rtf.format(-Math.round(s / 3600), 'hour');
  return rtf.format(-Math.round(s / 86400), 'day');
}

export default function Diagnostics() {
  const { client, showError } = useDesk();
  const { t, i18n } = useTranslation();
  const [h, setH] = useState<Health | null>(null);
  const load = useCallback(() => {
    void client.getHealth({}).then((r) => (r.ok ? setH(r.value) : showError(r.error)));
  }, [client, showError]);
  useEffect(() => {
    load();
    // A device's new state comes in its event: the row is updated from it, and the rest (the store's counts, the
    // city probe) is not fetched again — at 200,000 registrations a getHealth is about 0.4 s of the desk's loop.
    const off = client.on('deviceStatus', (d) =>
      setH((prev) => {
        if (!prev) return prev;
        const known = prev.devices.some((x) => x.deviceId === d.deviceId);
        return { ...prev, devices: known ? prev.devices.map((x) => (x.deviceId === d.deviceId ? d : x)) : [...prev.devices, d] };
      }),
    );
    return off;
  }, [client, load]);
  return (
    <section aria-labelledby="diag-title" className="diagnostics">
      <h1 id="diag-title" tabIndex={-1}>
        {t('diag.title')}
      </h1>
      <button type="button" onClick={load} data-autofocus>
        {t('diag.refresh')}
      </button>
      {h && h.database.integrity.state === 'damaged' && (
        // issue 14 item 5: damage the background check found is the first thing IT sees here.
        <div className="banner error" role="alert" data-testid="integrity-alert">
          {t('diag.integrityAlert', { age: ago(h.database.integrity.ageMs, i18n.language) })}
        </div>
      )}
      {!h ? (
        <p>{t('common.loading')}</p>
      ) : (
        <div className="home-grid">
          <DeviceList /> {/* devices area: model, transport, VID:PID or path, state, last error */}
          <div className="card">
            <h2>{t('diag.city')}</h2>
            <p>
              {h.cityApi.url ? <code>{h.cityApi.url}</code> : h.training ? t('diag.trainingCity') : '—'}
            </p>
            <p>
              {h.cityApi.reachable === null ? t('diag.unknown') : h.cityApi.reachable ? t('diag.reachable') : t('diag.unreachable')}
              {h.cityApi.latencyMs !== null && ` · ${t('diag.latency', { ms: Math.round(h.cityApi.latencyMs) })}`}
              {h.cityApi.checkedAt && ` · ${formatTime(h.cityApi.checkedAt, i18n.language)}`}
            </p>
            {h.cityApi.detail && <p className="hint">{h.cityApi.detail}</p>}
            <h3>{t('diag.queue')}</h3>
            <p>
              {t('sync.queue', { count: h.sync.queueDepth })} · {t('sync.held', { count: h.sync.held })} ·{' '}
              {h.sync.lastSuccessAt ? t('sync.last', { time: formatTime(h.sync.lastSuccessAt, i18n.language) }) : t('sync.never')}
            </p>
            {h.sync.lastError && <p className="hint">{h.sync.lastError}</p>}
          </div>
          {/* printing: the printer's name, state and jobs waiting */}
          <PrinterBlock />
          <div className="card">
            <h2>{t('diag.db')}</h2>
            <p>
              <span className={`chip ${h.database.ok ? 'state-issued' : 'state-rejected'}`}>{h.database.ok ? t('diag.dbOk') : t('diag.dbBad')}</span> ·{' '}
              {t('diag.schema', { v: h.database.schemaVersion })} · {t('diag.size', { kb: Math.round(h.database.sizeBytes / 1024) })}
            </p>
            {/* issue 14 item 5: the last background full-file check and how long ago it ran (never run at open) */}
            <p data-testid="integrity" data-state={h.database.integrity.state}>
              {t('diag.integrity')}
              {t('common.parenOpen')}
              <code>{h.database.integrity.check}</code>
              {t('common.parenClose')}
              {t('common.colon')}
              {h.database.integrity.state === 'not_yet' ? (
                t('diag.integrityNotYet')
              ) : h.database.integrity.state === 'ok' ? (
                t('diag.integrityOk', {
                  age: ago(h.database.integrity.ageMs, i18n.language),
                  time: formatTime(h.database.integrity.at, i18n.language),
                  seconds: Math.round((h.database.integrity.durationMs ?? 0) / 100) / 10,
                })
              ) : (
                <strong className="chip state-rejected">
                  {t('diag.integrityDamaged', { age: ago(h.database.integrity.ageMs, i18n.language), time: formatTime(h.database.integrity.at, i18n.language) })}
                </strong>
              )}
            </p>
            {h.database.integrity.findings.length > 0 && (
              <div className="hint">
                {t('diag.integrityFindings')}
                <ul>
                  {h.database.integrity.findings.map((f, i) => (
                    <li key={i}>
                      <code>{f}</code>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <p>
              {t('diag.audit')}
              {t('common.colon')}
              {!h.database.auditChain
                ? t('diag.auditNotYet', { count: h.database.auditEvents })
                : h.database.auditChain.ok
                  ? t('diag.auditOk', { count: h.database.auditChain.count })
                  : t('diag.auditBroken', { count: h.database.auditChain.count })}
            </p>
            {/* data area (issue 13): the loss anchor checked at every open */}
            {h.database.anchor && (
              <p>
                {t('data.anchor')}
              {t('common.colon')}
                {!h.database.anchor.kept ? t('data.anchorNone') : h.database.anchor.matches ? t('data.anchorOk', { count: h.database.anchor.count }) : t('data.anchorBad', { count: h.database.anchor.count })}
              </p>
            )}
          </div>
          <div className="card">
            <h2>{t('diag.version')}</h2>
            <dl className="review-list">
              <dt>{t('diag.version')}</dt>
              <dd>
                {h.version}
                {h.training ? ' · TRAINING' : ''}
              </dd>
              <dt>{t('diag.config')}</dt>
              <dd>
                {h.configFile ? <code>{h.configFile}</code> : t('diag.none')}
              </dd>
              <dt>{t('diag.dataDir')}</dt>
              <dd>
                <code>{h.dataDir}</code>
              </dd>
            </dl>
          </div>
        </div>
      )}
    </section>
  );
}
