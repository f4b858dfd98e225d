/**
 * A registration's requests as a timeline: state, where it was routed, what it waits for, the 2-hour target
 * clock, the number the city issued (or "pending from the city"), the city's reason, and the clerk's actions.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import { DISTRICTS, FINAL_STATES, REQUEST_STATES, SERVICE_LABELS, STATE_RANK } from '../../domain/codes';
import { dependencyStatus, stepTimes, targetLine, type Duration } from './timeline-model';
import type { ServiceRequest } from '../../domain/types';
import { syncReasonOfText } from '../../domain/syncreasons';
import { listOf, loc } from '../i18n';
import { StateChip } from '../components/States';
import { formatTime } from '../lib/desk';


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
  // timeline area (clerk walk): durations in words, not "0:00"
  const words = (d: Duration) => (d.under ? t('timeline.underMinute') : d.h > 0 ? t('timeline.hoursMinutes', { h: d.h, m: d.m }) : t('timeline.minutes', { m: d.m }));
  // sync truth (issue 12 item 4): the engine's technical text, in the clerk's words when it is a known reason.
  const lastErrorText = (text: string) => {
    const code = syncReasonOfText(text);
    return code ? t('syncTruth.requestError', { reason: t(`syncTruth.reason.${code}`) }) : text;
  };
  return (
    <ol className="timeline" aria-label={t('detail.timeline')}>
      {detail.requests.map((r) => {
        const final = FINAL_STATES.includes(r.state);
        const target = targetLine(r, detail.registration.createdAt, now);
        const steps = REQUEST_STATES.filter((s) => ['queued', 'sending', 'accepted', 'in_review'].includes(s));
        const lastStep = final ? r.state : 'issued';
        const times = stepTimes(r, [...steps, lastStep]);
        const deps = dependencyStatus(r, detail.requests);
        return (
          <li key={r.id} className={`request req-${r.state}`} data-service={r.service} data-state={r.state}>
            <div className="request-head">
              <h3>{loc(SERVICE_LABELS[r.service], lang)}</h3>
              <StateChip state={r.state} />
              <span className={`target ${final ? 'done' : target.key === 'timeline.overdue' ? 'late' : ''}`} data-testid={`target-${r.service}`}>
                {t('detail.target')}: {t(target.key, { time: words(target.time), ...('over' in target ? { over: words(target.over) } : {}) })}
              </span>
            </div>
            {!compact && (
              <ol className="steps" aria-hidden="true">
                {steps.map((s) => (
                  <li key={s} className={STATE_RANK[r.state] >= STATE_RANK[s] && r.state !== 'held' ? 'reached' : ''}>
                    {t(`state.${s}`)}
                    {times[s] && <time className="step-time">{times[s]}</time>}
                  </li>
                ))}
                <li className={final ? 'reached' : ''}>
                  {t(`state.${lastStep}`)}
                  {final && times[lastStep] && <time className="step-time">{times[lastStep]}</time>}
                </li>
              </ol>
            )}
            <dl className="request-facts">
              <dt>{t('detail.document')}</dt>
              <dd data-testid={`doc-${r.service}`}>{r.documentNumber ?? <span className="muted">{t('detail.pending')}</span>}</dd>
              <dt>{t('detail.routed')}</dt>
              <dd>{DISTRICTS[r.jurisdiction] ? loc(DISTRICTS[r.jurisdiction], lang) : r.jurisdiction}</dd>
              {deps.waiting.length > 0 && (
                <>
                  <dt>{t('detail.waits')}</dt>
                  <dd data-testid={`waits-${r.service}`}>{listOf(deps.waiting.map((s) => loc(SERVICE_LABELS[s], lang)), lang)}</dd>
                </>
              )}
              {deps.met.length > 0 && (
                <>
                  <dt>{t('timeline.depsMet')}</dt>
                  <dd data-testid={`deps-met-${r.service}`}>{listOf(deps.met.map((m) => t('timeline.depMet', { service: loc(SERVICE_LABELS[m.service], lang), number: m.documentNumber })), lang)}</dd>
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
