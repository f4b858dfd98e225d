/**
 * Always visible: the link to the city (online, offline, or the city not answering properly) with the reason in
 * the clerk's language and the time of the last good exchange, queue depth, requests needing action; progress
 * while syncing. When the desk service itself does not answer (browser mode, the desk process restarting) the
 * indicator says so rather than keeping the last state it heard.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncProgress, SyncStatus } from '../../core/api/contract';
import { formatTime, useDesk } from '../lib/desk';

/** How often the indicator asks (also how soon it notices the desk service is gone). */
const POLL_MS = 5000;

export function SyncIndicator() {
  const { client, navigate } = useDesk();
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [deskGone, setDeskGone] = useState(false);

  useEffect(() => {
    let alive = true;
    const poll = () =>
      void client.getSyncStatus({}).then((r) => {
        if (!alive) return;
        setDeskGone(!r.ok && r.error.code === 'unavailable');
        if (r.ok) setStatus(r.value);
      });
    poll();
    const timer = setInterval(poll, POLL_MS);
    const off = client.on('syncProgress', (p) => {
      setDeskGone(false);
      setStatus(p);
      setProgress(p.phase === 'idle' ? null : p);
    });
    return () => {
      alive = false;
      clearInterval(timer);
      off();
    };
  }, [client]);

  if (!status) return null;
  const busy = progress && progress.total > 0;
  const state = deskGone ? 'desk_gone' : status.state;
  const label = t(`syncTruth.state.${state}`);
  const reason = deskGone ? null : status.reason;
  const lastGood = status.lastGoodAt ?? status.lastSuccessAt;
  return (
    <div
      className="sync"
      role="group"
      aria-label={t('sync.label')}
      data-testid="sync-indicator"
      data-online={status.online && !deskGone}
      data-state={state}
      data-reason={reason ?? ''}
      data-queue={status.queueDepth}
    >
      <span className={`dot ${state === 'online' ? 'on' : state === 'degraded' ? 'degraded' : 'off'}`} aria-hidden="true" />
      <span data-testid="sync-state">{label}</span>
      {reason && state !== 'online' && (
        <span className="sync-reason" data-testid="sync-reason">
          ({t(`syncTruth.reason.${reason}`)})
        </span>
      )}
      <span className="sep">·</span>
      <span data-testid="queue-depth">{t('sync.queue', { count: status.queueDepth })}</span>
      {status.held > 0 && (
        <button type="button" className="link warn" onClick={() => navigate({ name: 'registrations' })}>
          {t('sync.held', { count: status.held })}
        </button>
      )}
      <span className="sep">·</span>
      <span data-testid="sync-last-good">{lastGood ? t('syncTruth.lastGood', { time: formatTime(lastGood, i18n.language) }) : t('sync.never')}</span>
      {busy ? (
        <progress max={progress.total} value={progress.done} aria-label={t('sync.running', { done: progress.done, total: progress.total })} />
      ) : (
        <button type="button" className="link" onClick={() => void client.syncNow({}).then((r) => r.ok && setStatus(r.value))}>
          {t('sync.now')} <kbd>Alt+Y</kbd>
        </button>
      )}
      {status.clockDriftWarning && (
        <span className="warn" role="alert">
          {t('sync.drift')}
        </span>
      )}
    </div>
  );
}
