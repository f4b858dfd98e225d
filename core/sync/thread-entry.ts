/**
 * The sync thread: the engine (engine.ts) on its own connection to the desk's encrypted database, off the desk's
 * event loop. Runs as a Node worker thread (browser mode, tests) or an Electron utility process (the app); the
 * desk side is thread.ts, the messages thread-protocol.ts. Built into one file by scripts/build-sync-thread.mjs.
 *
 * The key arrives in the `init` message (never argv or the environment) and is zeroed once the store is open.
 * Logs go to the desk's logger as messages (constant strings, counts and codes: never personal data).
 */
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../../db/store';
import { StaticKeyProvider } from '../../db/key-provider';
import type { Logger } from '../api/ports';
import { createSyncEngine, type SyncEngine } from './engine';
import type { FromThread, LogLevel, SyncThreadInit, ToThread } from './thread-protocol';
import { guardTrainingFetch } from './training-guard';
import { pinnedCaFetch } from './tls';

interface Port {
  post(msg: FromThread): void;
  on(fn: (msg: ToThread) => void): void;
}

/** Electron's utility process has `process.parentPort` (messages in `e.data`); a worker thread has `parentPort`. */
function thePort(): Port {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', fn: (e: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) return { post: (m) => electronPort.postMessage(m), on: (fn) => electronPort.on('message', (e) => fn(e.data as ToThread)) };
  if (parentPort) {
    const p = parentPort;
    return { post: (m) => p.postMessage(m), on: (fn) => p.on('message', (m: ToThread) => fn(m)) };
  }
  // A Node child process with an IPC channel (node-thread-host.ts nodeProcessHost).
  if (process.send) {
    const send = process.send.bind(process);
    return { post: (m) => void send(m), on: (fn) => void process.on('message', (m) => fn(m as ToThread)) };
  }
  throw new Error('the sync thread must be started by the desk (no parent port)');
}

const rawPort = thePort();
/** Events wait for the end of the current turn and leave as one message; any other message sends them first. */
let pendingEvents: Extract<FromThread, { type: 'events' }>['events'] = [];
function flushEvents(): void {
  if (pendingEvents.length === 0) return;
  const events = pendingEvents;
  pendingEvents = [];
  rawPort.post({ type: 'events', events });
}
const port: Port = {
  post(msg) {
    flushEvents();
    rawPort.post(msg);
  },
  on: (fn) => rawPort.on(fn),
};
function queueEvent(event: 'syncProgress' | 'requestStatusChanged', payload: unknown): void {
  if (pendingEvents.length === 0) setImmediate(flushEvents);
  pendingEvents.push({ event, payload });
}
const log =
  (level: LogLevel) =>
  (message: string, meta?: Record<string, unknown>): void =>
    port.post({ type: 'log', level, message, ...(meta ? { meta } : {}) });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

let store: Store | null = null;
let engine: SyncEngine | null = null;
let closeFetch: (() => Promise<void>) | null = null;
let stopping: Promise<void> | null = null;

async function init(msg: SyncThreadInit): Promise<void> {
  const key = Buffer.from(msg.key);
  msg.key.fill(0);
  try {
    store = await openStore({ file: msg.dbFile, keyProvider: new StaticKeyProvider(key), anchorFile: msg.anchorFile, logger });
  } finally {
    key.fill(0);
  }
  let fetchFn: typeof fetch | undefined;
  if (msg.fetch.kind === 'training') fetchFn = guardTrainingFetch({ trainingUrl: msg.fetch.trainingUrl, identity: msg.fetch.identity, logger });
  else if (msg.fetch.kind === 'pinned') {
    const pinned = pinnedCaFetch(msg.fetch.caFile);
    fetchFn = pinned.fetch;
    closeFetch = pinned.close;
  }
  engine = createSyncEngine({
    store,
    events: {
      emit: (event, payload) => {
        if (event === 'syncProgress' || event === 'requestStatusChanged') queueEvent(event, payload);
      },
    },
    cityApi: msg.cityApi,
    batch: msg.batch,
    intervalMs: msg.intervalMs,
    leaseOwner: msg.leaseOwner,
    logger,
    ...(fetchFn ? { fetch: fetchFn } : {}),
    ...(msg.leaseMs !== undefined ? { leaseMs: msg.leaseMs } : {}),
    ...(msg.concurrency !== undefined ? { concurrency: msg.concurrency } : {}),
  });
  engine.start();
  port.post({ type: 'ready', status: engine.status() });
}

async function stop(): Promise<void> {
  try {
    await engine?.stop();
  } finally {
    engine = null;
    store?.close();
    store = null;
    await closeFetch?.().catch(() => undefined);
    port.post({ type: 'stopped' });
  }
}

port.on((msg) => {
  switch (msg.type) {
    case 'init':
      init(msg).catch((e: unknown) => {
        const err = e as { name?: string; code?: string };
        port.post({ type: 'failed', error: err.name ?? 'Error', code: typeof err.code === 'string' ? err.code : null });
      });
      break;
    case 'syncNow': {
      const e = engine;
      if (!e || stopping) break;
      void e.syncNow().then(
        (status) => port.post({ type: 'synced', id: msg.id, status }),
        () => port.post({ type: 'synced', id: msg.id, status: e.status() }),
      );
      break;
    }
    case 'poke':
      if (!stopping) engine?.poke();
      break;
    case 'stop':
      stopping ??= stop().then(() => {
        // Nothing left to do: let the thread (or utility process) end.
        if (parentPort) parentPort.close();
        else if (process.send) setTimeout(() => process.exit(0), 200); // lets the 'stopped' message leave first
        else process.exit(0);
      });
      break;
  }
});
