/** Always visible: online/offline, queue depth, requests needing action, last successful sync; progress while syncing. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncProgress, SyncStatus } from '../../core/api/contract';
import { formatTime, useDesk } from '../lib/desk';

export function SyncIndicator() {
  const { client, navigate } = useDesk();
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);

  useEffect(() => {
    let alive = true;
    const poll = () =>
      void client.getSyncStatus({}).then((r) => {
        if (alive && r.ok) setStatus(r.value);
      });
    poll();
    const timer = setInterval(poll, 5000);
    const off = client.on('syncProgress', (p) => {
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
  return (
    <div className="sync" role="group" aria-label={t('sync.label')} data-testid="sync-indicator" data-online={status.online} data-queue={status.queueDepth}>
      <span className={status.online ? 'dot on' : 'dot off'} aria-hidden="true" />
      <span>{status.online ? t('sync.online') : t('sync.offline')}</span>
      <span className="sep">·</span>
      <span data-testid="queue-depth">{t('sync.queue', { count: status.queueDepth })}</span>
      {status.held > 0 && (
        <button type="button" className="link warn" onClick={() => navigate({ name: 'registrations' })}>
          {t('sync.held', { count: status.held })}
        </button>
      )}
      <span className="sep">·</span>
      <span>{status.lastSuccessAt ? t('sync.last', { time: formatTime(status.lastSuccessAt, i18n.language) }) : t('sync.never')}</span>
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
