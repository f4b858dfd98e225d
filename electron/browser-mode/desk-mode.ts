/**
 * Browser mode's start, given the built files it runs: the desk (store, sync engine, simulator and simulated
 * devices in training) started by core's `startDesk`, the composition root the Electron shell uses too, served to a
 * plain Chromium over loopback HTTP + SSE. No `electron` import, and no build step: the bundle `out/browser/main.cjs`
 * (main.ts) passes the files built beside it; `startBrowserMode` (index.ts, for tests) builds them on demand first.
 */
import path from 'node:path';
import { startCitySimulatorInThread, type ThreadedCitySimulator } from '../../city-api/index';
import { startDesk, type RunningDesk } from '../../core/desk';
import { nodeThreadHost } from '../../core/sync/node-thread-host';
import { loadConfig, USER_PREFERENCES_FILE } from '../app/config';
import { createFileLogger } from './log';
import { APP_VERSION } from '../app/version';
import { startBrowserServer } from './server';
import { isAddressInUse, newToken, readSession, writeSession } from './session';

export interface BrowserModeOptions {
  /** 0 or absent = a free port. */
  port?: number;
  dataDir: string;
  /** IT's config file; absent = `NEWBORN_DESK_CONFIG` or the platform's place, else built-in defaults. */
  configFile?: string | null;
  /** Force training mode (the embedded city simulator) whatever the config says. */
  training?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Serve this folder instead of building `out/renderer`. */
  staticDir?: string;
  log?: (line: string) => void;
}

/** What browser mode runs, built: the renderer's folder and the two worker-thread entries. */
export interface BrowserModeFiles {
  staticDir: string;
  /** core/sync/thread-entry.ts built (out/browser/sync-thread.cjs or out/sync/thread.cjs). */
  syncThread: string;
  /** city-api/thread-entry.ts built (out/browser/city-thread.cjs or out/city/thread.cjs). */
  cityThread: string;
}

export interface BrowserMode {
  /** Open this: it carries the per-run token in its fragment (never sent to the server by the browser). */
  url: string;
  origin: string;
  token: string;
  desk: RunningDesk<ThreadedCitySimulator>;
  close(): Promise<void>;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { key: string; expected: string; got: string }[],
  ) {
    super(`The desk configuration ${file} has problems:\n${problems.map((p) => `  ${p.key}: expected ${p.expected}, got ${p.got}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export async function runBrowserMode(opts: BrowserModeOptions, files: BrowserModeFiles): Promise<BrowserMode> {
  const staticDir = opts.staticDir ?? files.staticDir;
  const dataDir = path.resolve(opts.dataDir);
  const loaded = loadConfig({
    file: opts.configFile ?? null,
    env: opts.env ?? process.env,
    argv: [],
    userFile: path.join(dataDir, USER_PREFERENCES_FILE),
  });
  if (!loaded.ok) throw new ConfigError(loaded.file, loaded.problems);
  const config = opts.training ? { ...loaded.config, cityApi: null } : loaded.config;
  const logger = createFileLogger({ dir: path.join(dataDir, 'logs'), level: config.logLevel });
  const desk = await startDesk({
    dataDir,
    config,
    configFile: loaded.source === 'machine' ? loaded.file : null,
    lockedKeys: loaded.lockedKeys,
    logger,
    version: APP_VERSION,
    // The training city simulator and the sync engine each in its own worker thread, from their built files.
    startTrainingCity: startCitySimulatorInThread(files.cityThread),
    syncThread: nodeThreadHost(files.syncThread),
    // The page's sign-in first; the sync starts when it has loaded (core/desk.ts).
    startSyncAfterPage: true,
  });
  // A desk restart keeps the page working (issue 12 item 8): the last run's token, and its port when none is asked
  // for and it is still free (session.ts).
  const kept = readSession(dataDir);
  const token = kept?.token ?? newToken();
  const wanted = opts.port ?? 0;
  let server;
  try {
    const start = (port: number) => startBrowserServer({ dispatch: desk.dispatch, events: desk.events, staticDir, token, port });
    if (wanted === 0 && kept) {
      server = await start(kept.port).catch(async (e: unknown) => {
        if (!isAddressInUse(e)) throw e;
        logger.warn('browser_mode.port_taken', { port: kept.port });
        return start(0);
      });
    } else server = await start(wanted);
    writeSession(dataDir, { port: server.port, token });
  } catch (err) {
    await desk.close();
    throw err;
  }
  const s = server;
  return {
    url: `${s.origin}/#token=${token}`,
    origin: s.origin,
    token,
    desk,
    async close() {
      await s.close();
      await desk.close();
    },
  };
}
