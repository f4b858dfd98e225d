/**
 * The main process, written as a function of the Electron objects it uses (app, BrowserWindow, protocol,
 * session, ipcMain, safeStorage, dialog, the updater): `index.ts` passes the real ones, the unit tests pass fakes.
 *
 * Start: single-instance lock → app:// scheme → ready → session hardened → config loaded (a broken file opens
 * the error screen and NOTHING else runs) → secrets unwrapped with safeStorage → the desk started (store, sync,
 * devices, simulator in training mode) → IPC registered from the contract → the window.
 * Stop: `before-quit` is held until the desk has closed in order (sync stopped, database closed), then quits.
 */
import path from 'node:path';
import type { App, Dialog, IpcMain, Protocol, BrowserWindow as ElectronBrowserWindow } from 'electron';
import type { Logger } from '../../core/api/ports';
import type { RunningDesk, StartDeskOptions } from '../../core/desk';
import { loadConfig, USER_PREFERENCES_FILE } from '../app/config';
import { configErrorDataUrl } from '../app/config-error';
import type { LogLevel } from '../app/logging';
import { CHANNELS } from '../preload/channels';
import { forwardEvents, registerKioskIpc } from './ipc';
import type { PrintPort } from '../../core/print';
import { createReceiptActions, shellPrintPort } from './print';
import { createAppProtocolHandler, registerAppScheme } from './protocol';
import { resolveCitySecret, type SafeStorageLike } from './secrets';
import { APP_INDEX_URL, APP_SCHEME, hardenSession, hardenWebContents } from './security';
import { configureUpdates, type UpdaterLike } from './updates';
import { createDeskWindow, staticPageHtml, staticPageUrl, type BrowserWindowCtor, type CrashRecoveryOptions } from './window';

export const USER_DATA_ENV = 'NEWBORN_DESK_USER_DATA';

export type AppLike = Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on' | 'whenReady' | 'getPath' | 'setPath' | 'isPackaged'>;
export type SessionLike = Parameters<typeof hardenSession>[0];

export interface ElectronDeps {
  app: AppLike;
  BrowserWindow: BrowserWindowCtor;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: SessionLike };
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  safeStorage: SafeStorageLike;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  updater?: UpdaterLike;
}

/** core's `startDesk` with what the shell binds once (the version, the training simulator) already given. */
export type StartDeskFn = (opts: Omit<StartDeskOptions, 'version' | 'startTrainingCity'>) => Promise<Pick<RunningDesk, 'dispatch' | 'events' | 'info' | 'close'>>;

export interface MainOptions {
  electron: ElectronDeps;
  startDesk: StartDeskFn;
  /** The renderer build (`out/renderer`) and the bundled preload (`out/electron/preload.cjs`). */
  paths: { renderer: string; preload: string };
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  log: Logger;
  /** Called once the config is known (the log level is IT's to set). */
  setLogLevel?: (level: LogLevel) => void;
  /** The desk's print port; default CUPS / pdf-to-printer, this shell's silent print where neither applies. */
  printPort?: PrintPort;
  recovery?: CrashRecoveryOptions;
  /** How long shutdown waits for the desk to close before quitting anyway. */
  closeTimeoutMs?: number;
  /** setup area: code-signing publisher names of this build (resources/app-update.yml); null = unsigned. */
  updatePublisherNames?: readonly string[] | null;
}

export type MainStatus = 'second-instance' | 'config-error' | 'startup-error' | 'running';

export interface MainHandle {
  status: MainStatus;
  window: ElectronBrowserWindow | null;
  /** Orderly stop (what `before-quit` runs). */
  shutdown(): Promise<void>;
}

/** Development and tests only: a separate user-data folder. Ignored in an installed build. Call before anything else. */
export function applyDevUserData(app: Pick<AppLike, 'isPackaged' | 'setPath'>, env: NodeJS.ProcessEnv): string | null {
  const dir = env[USER_DATA_ENV];
  if (!dir || app.isPackaged) return null;
  app.setPath('userData', path.resolve(dir));
  return path.resolve(dir);
}

export async function runMain(opts: MainOptions): Promise<MainHandle> {
  const { electron, log } = opts;
  const { app } = electron;
  const packaged = app.isPackaged;

  // Before ready: the privileged scheme, and one desk per user session.
  registerAppScheme(electron.protocol);
  if (!app.requestSingleInstanceLock()) {
    log.info('another Newborn Desk is already running: handing over to it');
    app.quit();
    return { status: 'second-instance', window: null, shutdown: async () => {} };
  }

  let win: ElectronBrowserWindow | null = null;
  const liveWindow = () => (win && !win.isDestroyed() ? win : null);
  app.on('second-instance', () => {
    const w = liveWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));

  let cleanup: Array<() => void> = [];
  let desk: Awaited<ReturnType<StartDeskFn>> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      for (const fn of cleanup.reverse()) {
        try {
          fn();
        } catch {
          /* keep going */
        }
      }
      cleanup = [];
      if (desk) {
        const d = desk;
        desk = null;
        const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.closeTimeoutMs ?? 10_000).unref?.());
        const outcome = await Promise.race([d.close().then(() => 'closed' as const), timeout]).catch((e: Error) => {
          log.error('desk close failed', { error: e.name });
          return 'failed' as const;
        });
        log.info('desk stopped', { outcome });
      }
    })();
    return stopping;
  };
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const ses = electron.session.defaultSession;
  hardenSession(ses, log);
  electron.protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: opts.paths.renderer, log }));

  const userData = app.getPath('userData');
  const loaded = loadConfig({
    argv: opts.argv,
    env: opts.env,
    platform: opts.platform ?? process.platform,
    packaged,
    userFile: path.join(userData, USER_PREFERENCES_FILE),
  });
  const makeWindow = (preload: string | undefined, kiosk: boolean) =>
    createDeskWindow({
      BrowserWindow: electron.BrowserWindow,
      ...(preload ? { preload } : {}),
      kiosk,
      devTools: !packaged,
      log,
      ...(opts.recovery ? { recovery: opts.recovery } : {}),
    });

  if (!loaded.ok) {
    // Nothing else runs: no store, no sync, no devices, no IPC. Keys only in the log (values may be secrets).
    log.error('configuration file has errors: showing them, nothing started', { file: loaded.file, keys: loaded.problems.map((p) => p.key) });
    win = makeWindow(undefined, false);
    await win.loadURL(configErrorDataUrl({ file: loaded.file, problems: loaded.problems }));
    return { status: 'config-error', window: win, shutdown };
  }
  const { config } = loaded;
  opts.setLogLevel?.(config.logLevel);
  for (const w of loaded.warnings) log.warn(w);
  log.info('configuration loaded', { source: loaded.source, file: loaded.file, locked: loaded.lockedKeys, training: config.cityApi === null });

  try {
    const cityApiSecret = resolveCitySecret({
      config,
      configFile: loaded.source === 'machine' ? loaded.file : null,
      safeStorage: electron.safeStorage,
      secretFile: path.join(userData, 'city-secret.enc'),
      log,
    });
    desk = await opts.startDesk({
      dataDir: path.join(userData, 'data'),
      config,
      configFile: loaded.source === 'machine' ? loaded.file : null,
      lockedKeys: loaded.lockedKeys,
      keyStore: { sealer: electron.safeStorage, file: path.join(userData, 'desk.key.enc') },
      ...(cityApiSecret ? { cityApiSecret } : {}),
      printPort: opts.printPort ?? shellPrintPort(opts.platform ?? process.platform, electron.BrowserWindow, opts.env),
      logger: log,
    });
  } catch (e) {
    const err = e as Error & { code?: unknown };
    log.error('desk failed to start', { error: err.name, code: typeof err.code === 'string' ? err.code : undefined });
    win = makeWindow(undefined, false);
    await win.loadURL(
      staticPageUrl(
        staticPageHtml(
          { title: '新生儿一件事未能启动', body: `本机数据未被更改。请联系医院信息科，并提供日志文件（${path.join(userData, 'logs')}）。错误：${err.name}` },
          { title: 'Newborn Desk could not start', body: `Nothing on this desk was changed. Call hospital IT with the log files (${path.join(userData, 'logs')}). Error: ${err.name}` },
        ),
      ),
    );
    return { status: 'startup-error', window: win, shutdown };
  }
  const running = desk;

  win = makeWindow(opts.paths.preload, config.kiosk);
  const receipts = createReceiptActions({
    dispatch: running.dispatch,
    dialog: electron.dialog,
    window: liveWindow,
    log,
  });
  cleanup.push(
    registerKioskIpc({
      ipcMain: electron.ipcMain,
      dispatch: running.dispatch,
      window: () => liveWindow()?.webContents ?? null,
      log,
      shell: { [CHANNELS.saveReceipt]: receipts.saveReceipt },
    }),
  );
  cleanup.push(forwardEvents(running.events, liveWindow));
  if (electron.updater) {
    const updates = configureUpdates({
      updater: electron.updater,
      config: config.updates,
      packaged,
      log,
      platform: opts.platform ?? process.platform,
      publisherNames: opts.updatePublisherNames ?? null,
    });
    if (!updates.enabled) log.info('automatic updates off', { reason: updates.reason });
    cleanup.push(updates.stop);
  }
  try {
    await win.loadURL(APP_INDEX_URL);
  } catch (e) {
    log.error('the desk page did not load', { error: (e as Error).message.slice(0, 200) });
  }
  log.info('desk window open', { kiosk: config.kiosk, training: running.info.training });
  return { status: 'running', window: win, shutdown };
}
