/**
 * The desk's side of the sync thread: the same `SyncPort` the handlers use (syncNow, status, poke), served by the
 * engine running in its own thread (thread-entry.ts) over its own connection to the database. The thread's events
 * (sync progress, request state changes) are re-emitted on the desk's EventHub; its logs go to the desk's logger.
 *
 * `status()` stays synchronous: the link's state is the thread's last report, the queue counts are read from the
 * desk's own connection (a submit shows at once). A thread that ends without being asked to is logged (its exit
 * code only) and started again, after 1 s, doubling to at most 30 s while it keeps failing. `stop()` asks the
 * thread to stop (the engine puts its leases back, its store closes) and waits for it, killing it after 10 s: the
 * desk closes its own store only after that, so nothing is written after close.
 */
import type { Store } from '../../db/store';
import { createSyncRepo } from '../../db/sync-repo';
import type { SyncStatus } from '../api/contract';
import type { EventHub } from '../api/events';
import type { Logger, SyncPort } from '../api/ports';
import { SYNC_NOT_STARTED } from '../api/ports';
import type { FromThread, SyncThreadChannel, SyncThreadHost, SyncThreadInit } from './thread-protocol';

export type { FetchSpec, SyncThreadChannel, SyncThreadHost } from './thread-protocol';

export interface ThreadedSyncOptions {
  host: SyncThreadHost;
  store: Store;
  events: Pick<EventHub, 'emit'>;
  logger: Logger;
  /** Everything the thread needs but the key. */
  init: Omit<SyncThreadInit, 'type' | 'key'>;
  /** The database key, asked for at each (re)start of the thread and handed over by message only. */
  getKey(): Promise<Buffer>;
  now?: () => Date;
  /** Restart delays (tests shorten them). */
  restartMs?: { first: number; max: number };
  stopTimeoutMs?: number;
}

export interface ThreadedSync extends SyncPort {
  start(): void;
  stop(): Promise<void>;
  /** Resolves once the thread's engine runs (tests, benches). */
  ready(): Promise<void>;
  /** How many times the thread was started again after ending by itself. */
  restarts(): number;
}

const NOT_YET: SyncStatus = SYNC_NOT_STARTED;

export function createThreadedSync(o: ThreadedSyncOptions): ThreadedSync {
  const { host, logger, events } = o;
  const now = o.now ?? (() => new Date());
  const repo = createSyncRepo(o.store);
  const restartFirst = o.restartMs?.first ?? 1000;
  const restartMax = o.restartMs?.max ?? 30_000;
  let link: SyncStatus = NOT_YET;
  let channel: SyncThreadChannel | null = null;
  let isReady = false;
  let started = false;
  let stopping = false;
  let restartCount = 0;
  let delay = restartFirst;
  let restartTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  const pending = new Map<number, (s: SyncStatus) => void>();
  let readyWaiters: Array<() => void> = [];
  let stopped: (() => void) | null = null;
  let pokeWhenReady = false;

  function status(): SyncStatus {
    const s = repo.summary(now());
    return { ...link, queueDepth: s.queueDepth, held: s.held };
  }

  function settleAll(): void {
    const st = status();
    for (const resolve of pending.values()) resolve(st);
    pending.clear();
  }

  function onMessage(ch: SyncThreadChannel, msg: FromThread): void {
    if (ch !== channel) return;
    switch (msg.type) {
      case 'ready':
        link = msg.status;
        isReady = true;
        delay = restartFirst;
        for (const w of readyWaiters) w();
        readyWaiters = [];
        if (pokeWhenReady) ch.post({ type: 'poke' });
        pokeWhenReady = false;
        break;
      case 'status':
        link = msg.status;
        break;
      case 'events':
        for (const { event, payload } of msg.events) {
          if (event === 'syncProgress') {
            const { phase: _phase, done: _done, total: _total, ...rest } = payload as SyncStatus & { phase: string; done: number; total: number };
            link = rest;
          }
          try {
            events.emit(event, payload as never);
          } catch (e) {
            logger.warn('sync.event_failed', { event, error: (e as Error).name });
          }
        }
        break;
      case 'log':
        logger[msg.level](msg.message, msg.meta);
        break;
      case 'synced': {
        link = msg.status;
        const resolve = pending.get(msg.id);
        pending.delete(msg.id);
        resolve?.(status());
        break;
      }
      case 'failed':
        logger.error('sync.thread_start_failed', { error: msg.error, code: msg.code });
        ch.kill();
        break;
      case 'stopped':
        stopped?.();
        break;
    }
  }

  function spawn(): void {
    const ch = host.spawn();
    channel = ch;
    isReady = false;
    ch.onMessage((m) => onMessage(ch, m));
    ch.onExit((code) => {
      if (ch !== channel) return;
      channel = null;
      isReady = false;
      settleAll();
      if (stopping || !started) {
        stopped?.();
        return;
      }
      logger.error('sync.thread_exited', { code, restartInMs: delay });
      restartTimer = setTimeout(() => {
        restartTimer = null;
        if (stopping || !started) return;
        restartCount += 1;
        spawn();
      }, delay);
      restartTimer.unref?.();
      delay = Math.min(delay * 2, restartMax);
    });
    o.getKey().then(
      (key) => {
        if (ch !== channel) return key.fill(0);
        const bytes = new Uint8Array(key);
        key.fill(0);
        ch.post({ type: 'init', ...o.init, key: bytes });
        bytes.fill(0);
      },
      (e: unknown) => {
        logger.error('sync.thread_key_failed', { error: (e as Error).name });
        ch.kill();
      },
    );
  }

  return {
    status,
    syncNow() {
      const ch = channel;
      if (!ch || stopping) return Promise.resolve(status());
      const id = nextId++;
      const answer = new Promise<SyncStatus>((resolve) => pending.set(id, resolve));
      const send = () => {
        if (channel === ch) ch.post({ type: 'syncNow', id });
        else settleAll();
      };
      if (isReady) send();
      else readyWaiters.push(send);
      return answer;
    },
    poke() {
      if (!channel || stopping) return;
      if (isReady) channel.post({ type: 'poke' });
      else pokeWhenReady = true;
    },
    start() {
      if (started) return;
      started = true;
      stopping = false;
      spawn();
    },
    ready() {
      if (isReady) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    restarts: () => restartCount,
    async stop() {
      if (!started) return;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      const ch = channel;
      if (ch) {
        const done = new Promise<void>((resolve) => (stopped = resolve));
        ch.post({ type: 'stop' });
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), o.stopTimeoutMs ?? 10_000).unref?.());
        if ((await Promise.race([done, timeout])) === 'timeout') {
          logger.warn('sync.thread_stop_timeout', {});
          ch.kill();
        }
        // After 'stopped' the thread only exits: wait for that too (bounded), so no handle of it outlives the desk.
        const exited = new Promise<void>((resolve) => (stopped = resolve));
        if (channel === ch) await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref?.())]);
      }
      channel = null;
      settleAll();
      started = false;
    },
  };
}
