/**
 * Updates from the hospital's (or the city's) internal server, never the internet: electron-updater's `generic`
 * provider pointed at `updates.url` from IT's config. Off when no URL is set, and in development. The updater is
 * injected (`autoUpdater` from electron-updater in `index.ts`), so this is tested with a fake.
 *
 * Signature-checked (issue 13): on Windows electron-updater verifies the downloaded installer's Authenticode
 * signature against the publisher names electron-builder wrote into `resources/app-update.yml` — but only when
 * that list is present. A build without publisher names (unsigned) therefore never turns updates on. On Linux
 * electron-updater checks only a hash served by the same server: updates there come from the hospital's signed
 * apt repository (apt checks its GPG signature), so the desk's own updater stays off (build/IT-GUIDE.md).
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

/** The publisher names in electron-builder's `app-update.yml` (`publisherName:` a string or a list), or null. */
export function publisherNamesOf(appUpdateYml: string | null): string[] | null {
  if (!appUpdateYml) return null;
  const lines = appUpdateYml.split(/\r?\n/);
  const at = lines.findIndex((l) => /^publisherName:/.test(l));
  if (at < 0) return null;
  const inline = lines[at]!.slice('publisherName:'.length).trim();
  const unquote = (v: string) => v.trim().replace(/^['"]|['"]$/g, '');
  if (inline) return inline.startsWith('[') ? inline.slice(1, -1).split(',').map(unquote).filter(Boolean) : [unquote(inline)];
  const names: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^\s+-\s+(.+)$/.exec(l);
    if (!m) break;
    names.push(unquote(m[1]!));
  }
  return names.length ? names : null;
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export function configureUpdates(opts: {
  updater: UpdaterLike;
  config: DeskConfig['updates'];
  packaged: boolean;
  log: UpdateLog;
  /** setup area: the platform, and the code-signing publisher names from resources/app-update.yml (null: none). */
  platform?: NodeJS.Platform;
  publisherNames?: readonly string[] | null;
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (t: unknown) => void;
}): { enabled: boolean; reason?: string; stop(): void } {
  if (!opts.packaged) return { enabled: false, reason: 'development build', stop() {} };
  if (!opts.config.url) return { enabled: false, reason: 'no updates.url in the config', stop() {} };
  const platform = opts.platform ?? process.platform;
  if (platform === 'linux') return { enabled: false, reason: 'Linux desks update from the hospital’s signed apt repository', stop() {} };
  if (platform === 'win32' && !opts.publisherNames?.length) {
    opts.log.warn('updates refused: this build is not code-signed (no publisherName in app-update.yml), so an update could not be verified');
    return { enabled: false, reason: 'unsigned build: updates cannot be signature-checked', stop() {} };
  }
  const { updater, log } = opts;
  updater.setFeedURL({ provider: 'generic', url: opts.config.url, channel: opts.config.channel });
  updater.channel = opts.config.channel;
  updater.autoDownload = true;
  // Installed when the desk is closed at the end of the day, never in the middle of a registration.
  updater.autoInstallOnAppQuit = true;
  updater.allowDowngrade = false;
  log.info('automatic updates on, signature-checked', { publishers: opts.publisherNames?.length ?? 0 });
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
