/**
 * Updates from the hospital's (or the city's) internal server, never the internet: electron-updater's `generic`
 * provider pointed at `updates.url` from IT's config. Off when no URL is set, and in development. The updater is
 * injected (`autoUpdater` from electron-updater in `index.ts`), so this is tested with a fake.
 */
import type { AppUpdater } from 'electron-updater';
import type { DeskConfig } from '../../core/config/schema';

export interface UpdateLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export type UpdaterLike = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'on'> & {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  channel: string | null;
};

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export function configureUpdates(opts: {
  updater: UpdaterLike;
  config: DeskConfig['updates'];
  packaged: boolean;
  log: UpdateLog;
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (t: unknown) => void;
}): { enabled: boolean; reason?: string; stop(): void } {
  if (!opts.packaged) return { enabled: false, reason: 'development build', stop() {} };
  if (!opts.config.url) return { enabled: false, reason: 'no updates.url in the config', stop() {} };
  const { updater, log } = opts;
  updater.setFeedURL({ provider: 'generic', url: opts.config.url, channel: opts.config.channel });
  updater.channel = opts.config.channel;
  updater.autoDownload = true;
  // Installed when the desk is closed at the end of the day, never in the middle of a registration.
  updater.autoInstallOnAppQuit = true;
  updater.allowDowngrade = false;
  updater.on('update-downloaded', (info) => log.info('update downloaded: installed when the desk closes', { version: info.version }));
  updater.on('error', (e) => log.warn('update check failed', { error: e.message.slice(0, 200) }));
  const check = () => {
    updater.checkForUpdates().catch((e: Error) => log.warn('update check failed', { error: e.message.slice(0, 200) }));
  };
  check();
  const timer = (opts.setInterval ?? setInterval)(check, UPDATE_CHECK_INTERVAL_MS);
  timer.unref?.();
  return { enabled: true, stop: () => (opts.clearInterval ?? clearInterval)(timer as never) };
}
