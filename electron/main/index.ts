/**
 * The thin entry of the main process (bundled to `out/electron/main.cjs` by scripts/build-electron.mjs): imports
 * the real Electron objects and hands them to `runMain`. Everything worth testing is in the modules it calls.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, utilityProcess } from 'electron';
import log from 'electron-log/main';
import electronUpdater from 'electron-updater';
import { startCitySimulatorInThread } from '../../city-api/index';
import { startDesk } from '../../core/desk';
import { APP_VERSION } from '../app/version';
import { applyDevUserData, runMain } from './app';
import { publisherNamesOf } from './updates';
import { installCrashHandlers } from './crash';
import { setupMainLog } from './log';
import { utilityProcessHost } from './sync-host';

// The bundle sits in out/electron/; the renderer build beside it in out/renderer/ (inside app.asar when packaged).
const here = __dirname;
const paths = { renderer: path.join(here, '..', 'renderer'), preload: path.join(here, 'preload.cjs') };
// The sync engine runs in its own utility process (core/sync/thread-entry.ts, built beside main.cjs); the training
// city simulator in its own worker thread (city-api/thread-entry.ts, city-thread.cjs).
const syncThread = utilityProcessHost(utilityProcess, path.join(here, 'sync-thread.cjs'));

applyDevUserData(app, process.env);
const logger = setupMainLog(log, { dir: path.join(app.getPath('userData'), 'logs'), level: 'info', console: !app.isPackaged });
// electron-log registers an IPC channel for renderer logging at import: the page never logs through main, so no
// channel but KioskApi's stays open.
ipcMain.removeHandler('__ELECTRON_LOG__');
ipcMain.removeAllListeners('__ELECTRON_LOG__');
// setup area (issue 13): an uncaught exception or unhandled rejection is logged (no message: it may quote personal
// data) and the desk restarts cleanly, at most 3 times in 10 minutes.
let stopDesk: (() => Promise<void>) | null = null;
installCrashHandlers({
  process,
  app,
  log: logger,
  stateFile: path.join(app.getPath('userData'), 'crash-restarts.json'),
  shutdown: async () => stopDesk?.(),
});

// An installed desk has no menu: no reload, no developer tools, no window shortcuts behind the clerk's back.
if (app.isPackaged) void app.whenReady().then(() => Menu.setApplicationMenu(null));

// setup area: the code-signing publishers electron-builder wrote for this build (none: unsigned, updates stay off).
const readAppUpdateYml = (): string | null => {
  try {
    return readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8');
  } catch {
    return null;
  }
};

const main = runMain({
  electron: { app, BrowserWindow, protocol, session, ipcMain, safeStorage, dialog, updater: electronUpdater.autoUpdater },
  startDesk: (o) => startDesk({ ...o, version: APP_VERSION, startTrainingCity: startCitySimulatorInThread(path.join(here, 'city-thread.cjs')), syncThread, startSyncAfterPage: true }),
  paths,
  argv: process.argv,
  env: process.env,
  updatePublisherNames: app.isPackaged ? publisherNamesOf(readAppUpdateYml()) : null,
  log: logger,
  setLogLevel: (level) => {
    log.transports.file.level = level;
  },
});
main
  .then((h) => {
    stopDesk = h.shutdown;
    logger.info('main process ready', { status: h.status });
  })
  .catch((e: Error) => {
    logger.error('main process failed', { error: e.name, message: e.message.slice(0, 200) });
    app.exit(1);
  });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
