/**
 * The sync thread: the engine (engine.ts) on its own connection to the desk's encrypted database, off the desk's
 * event loop. Runs as a Node worker thread (browser mode, tests) or an Electron utility process (the app); the
 * desk side is thread.ts, the messages thread-protocol.ts. Built into one file by scripts/build-sync-thread.mjs.
 *
 * The key arrives in the `init` message (never argv or the environment) and is zeroed once the store is open.
 * Logs go to the desk's logger as messages (constant strings, counts and codes: never personal data).
 *
 * issue 14 item 5: the full-file integrity check (db/integrity.ts) runs here too, on this thread's connection,
 * `integrity.firstMs` after the store opened and then every `integrity.everyMs`; the result goes to its file (read
 * by Diagnostics) and damage is logged as `db.integrity_damaged`. It holds this thread's loop while it reads the file
 * (the sync pauses, the desk's own loop does not). With no city API (`cityApi: null`) the thread runs only the check.
 */
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../../db/store';
import { StaticKeyProvider } from '../../db/key-provider';
import { DatabaseCorruptError } from '../../db/errors';
import { INTEGRITY_CHECK, writeIntegrityResult, type IntegrityResult } from '../../db/integrity';
import { SYNC_NOT_STARTED, type Logger } from '../api/ports';
import { createSyncEngine, type SyncEngine } from './engine';
import type { FromThread, IntegritySchedule, LogLevel, SyncThreadInit, ToThread } from './thread-protocol';
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
let integrityTimer: NodeJS.Timeout | null = null;

function keepIntegrity(schedule: IntegritySchedule, r: IntegrityResult): void {
  try {
    writeIntegrityResult(schedule.file, r);
  } catch (e) {
    logger.warn('db.integrity_result_not_written', { code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
  }
  if (r.ok) logger.info('db.integrity_ok', { check: r.check, durationMs: r.durationMs });
  else logger.error('db.integrity_damaged', { check: r.check, findings: r.findings.length, durationMs: r.durationMs });
  // The same run recomputes the audit chain: a broken chain is damage too, though the file itself is sound.
  if (r.auditChain && !r.auditChain.ok) logger.error('db.audit_chain_broken', { intactEvents: r.auditChain.count });
}

function scheduleIntegrity(schedule: IntegritySchedule, delayMs: number): void {
  integrityTimer = setTimeout(() => {
    integrityTimer = null;
    const s = store;
    if (!s || stopping) return;
    let r: IntegrityResult;
    try {
      r = s.checkIntegrity();
    } catch (e) {
      logger.warn('db.integrity_check_failed', { error: (e as Error).name, code: (e as { code?: string }).code ?? null });
      scheduleIntegrity(schedule, schedule.everyMs);
      return;
    }
    keepIntegrity(schedule, r);
    scheduleIntegrity(schedule, schedule.everyMs);
  }, Math.max(0, delayMs));
}

async function init(msg: SyncThreadInit): Promise<void> {
  const key = Buffer.from(msg.key);
  msg.key.fill(0);
  try {
    // Everything the sync thread writes can be replayed from the city: its commits are not fsync'd one by one and
    // it leaves the loss anchor to the desk's connection (db/store.ts `durability`).
    store = await openStore({ file: msg.dbFile, keyProvider: new StaticKeyProvider(key), anchorFile: msg.anchorFile, durability: 'replayable', logger });
  } catch (e) {
    // Damage met while opening is a check's result too: Diagnostics shows it.
    if (e instanceof DatabaseCorruptError && msg.integrity) {
      keepIntegrity(msg.integrity, { v: 1, check: INTEGRITY_CHECK, at: new Date().toISOString(), ok: false, findings: e.report.slice(0, 5), durationMs: 0 });
    }
    throw e;
  } finally {
    key.fill(0);
  }
  if (msg.integrity) scheduleIntegrity(msg.integrity, msg.integrity.firstMs);
  const cityApi = msg.cityApi;
  if (!cityApi) {
    port.post({ type: 'ready', status: SYNC_NOT_STARTED });
    return;
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
    cityApi,
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
  if (integrityTimer) clearTimeout(integrityTimer);
  integrityTimer = null;
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
