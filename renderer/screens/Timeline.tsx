/**
 * A registration's requests as a timeline: state, where it was routed, what it waits for, the 2-hour target
 * clock, the number the city issued (or "pending from the city"), the city's reason, and the clerk's actions.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import { DISTRICTS, FINAL_STATES, REQUEST_STATES, SERVICE_LABELS, STATE_RANK } from '../../domain/codes';
import type { ServiceRequest } from '../../domain/types';
import { syncReasonOfText } from '../../domain/syncreasons';
import { listOf, loc } from '../i18n';
import { StateChip } from '../components/States';
import { formatTime } from '../lib/desk';

const TARGET_MS = 2 * 3600_000;

function clock(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

export function RequestTimeline({
  detail,
  compact,
  onRetry,
  onAmend,
}: {
  detail: RegistrationDetail;
  compact?: boolean;
  onRetry?: (r: ServiceRequest) => void;
  onAmend?: (r: ServiceRequest) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const started = new Date(detail.registration.createdAt).getTime();
  // sync truth (issue 12 item 4): the engine's technical text, in the clerk's words when it is a known reason.
  const lastErrorText = (text: string) => {
    const code = syncReasonOfText(text);
    return code ? t('syncTruth.requestError', { reason: t(`syncTruth.reason.${code}`) }) : text;
  };
  return (
    <ol className="timeline" aria-label={t('detail.timeline')}>
      {detail.requests.map((r) => {
        const final = FINAL_STATES.includes(r.state);
        const end = final ? new Date(r.updatedAt).getTime() : now;
        const left = started + TARGET_MS - end;
        const steps = REQUEST_STATES.filter((s) => ['queued', 'sending', 'accepted', 'in_review'].includes(s));
        return (
          <li key={r.id} className={`request req-${r.state}`} data-service={r.service} data-state={r.state}>
            <div className="request-head">
              <h3>{loc(SERVICE_LABELS[r.service], lang)}</h3>
              <StateChip state={r.state} />
              <span className={`target ${final ? 'done' : left < 0 ? 'late' : ''}`}>
                {t('detail.target')}: {final ? `${t('detail.done')} (${clock(end - started)})` : left >= 0 ? t('detail.remaining', { time: clock(left) }) : t('detail.overdue', { time: clock(left) })}
              </span>
            </div>
            {!compact && (
              <ol className="steps" aria-hidden="true">
                {steps.map((s) => (
                  <li key={s} className={STATE_RANK[r.state] >= STATE_RANK[s] && r.state !== 'held' ? 'reached' : ''}>
                    {t(`state.${s}`)}
                  </li>
                ))}
                <li className={final ? 'reached' : ''}>{final ? t(`state.${r.state}`) : t('state.issued')}</li>
              </ol>
            )}
            <dl className="request-facts">
              <dt>{t('detail.document')}</dt>
              <dd data-testid={`doc-${r.service}`}>{r.documentNumber ?? <span className="muted">{t('detail.pending')}</span>}</dd>
              <dt>{t('detail.routed')}</dt>
              <dd>{DISTRICTS[r.jurisdiction] ? loc(DISTRICTS[r.jurisdiction], lang) : r.jurisdiction}</dd>
              {r.dependsOn.length > 0 && (
                <>
                  <dt>{t('detail.waits')}</dt>
                  <dd>{listOf(r.dependsOn.map((s) => loc(SERVICE_LABELS[s], lang)), lang)}</dd>
                </>
              )}
              {r.reason && (
                <>
                  <dt>{t('detail.reason')}</dt>
                  <dd className="reason">{r.reason}</dd>
                </>
              )}
              {r.lastError && !final && (
                <>
                  <dt>{t('detail.lastError')}</dt>
                  <dd>
                    {lastErrorText(r.lastError)} ({t('detail.attempts', { count: r.attempts })})
                  </dd>
                </>
              )}
              {!compact && (
                <>
                  <dt>{t('list.created')}</dt>
                  <dd data-testid="request-created">{formatTime(r.createdAt, lang)}</dd>
                  <dt>{t('friction.updated')}</dt>
                  <dd>{formatTime(r.updatedAt, lang)}</dd>
                </>
              )}
            </dl>
            {(onRetry || onAmend) && (
              <div className="row">
                {r.state === 'held' && onRetry && (
                  <button type="button" onClick={() => onRetry(r)}>
                    {t('detail.retry')}
                  </button>
                )}
                {(r.state === 'rejected' || r.state === 'needs_info' || r.state === 'held') && onAmend && (
                  <button type="button" onClick={() => onAmend(r)}>
                    {t('detail.amend')}
                  </button>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
