/**
 * The sync engine: pushes queued requests to the city in bounded batches and pulls the status feed back.
 *
 * The parts: push.ts (claim, send, map results), pull.ts (status feed), city-client.ts (token, calls, answers),
 * context.ts (the state they share); this file holds the cycle, the schedule and the online/drift status.
 *
 * One cycle (`syncNow`, the schedule, or `poke` after a submit):
 *   1. queued dependants of a request the city rejected are held, saying which one they wait for;
 *   2. push: claim a page of due requests under a lease (db/sync-repo.ts: attempt count, next attempt time and
 *      last error recorded BEFORE the attempt), send it as one batch, map every item's result to its local
 *      state; repeat while requests are due — one bad request never stops the others;
 *   3. pull: read the status feed from the stored cursor, each page applied with its new cursor in one
 *      transaction, forward moves only;
 *   4. when the pull brought document numbers, dependants may have become sendable: push again.
 *
 * Transient failures (network, timeouts, 408/409/425/429/5xx, malformed answers) put the requests back in
 * the queue with exponential backoff and full jitter (their next attempt time was written at the claim);
 * Retry-After pauses the whole engine. Permanent refusals (other 4xx) are bisected so only the offending
 * request ends `held` with the city's reason. 401 renews the token; 426 stops the engine with a clear status.
 * Every answer's Date header is compared with the desk clock (drift over 5 minutes is reported).
 *
 * Time, randomness and fetch are injectable for deterministic tests. Logs carry counts, states, HTTP statuses
 * and ids only — never payloads, names or ID numbers, nor the server's free text.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/store';
import { createSyncRepo, type RequestChange } from '../../db/sync-repo';
import type { SyncProgress, SyncStatus } from '../api/contract';
import type { EventHub } from '../api/events';
import { silentLogger, type Logger, type SyncPort } from '../api/ports';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { createCityClient } from './city-client';
import { createLinkHealth, observedClient } from './health';
import type { EngineContext, EngineState } from './context';
import { createPull } from './pull';
import { createPush } from './push';
import { CITY_MAX_BATCH_BYTES, CITY_MAX_BATCH_ITEMS, CITY_MAX_FEED_LIMIT } from './wire';

export interface CityApiConfig {
  url: string;
  /** `<hospitalCode>:<deskId>`. */
  clientId: string;
  secret: string;
  /** Per call, body included. */
  timeoutMs: number;
}

export interface SyncEngineOptions {
  store: Store;
  events: Pick<EventHub, 'emit'>;
  cityApi: CityApiConfig;
  /** Config `sync.batchMaxItems` / `sync.batchMaxBytes` (further capped by the city's 100 items / 1 MiB). */
  batch: { maxItems: number; maxBytes: number };
  /** Period of the schedule (config `sync.intervalSec` × 1000). */
  intervalMs: number;
  now?: () => Date;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  fetch?: typeof fetch;
  logger?: Logger;
  /**
   * Who holds the leases. Default: unique per engine instance. Give a stable id (e.g. the desk id) only when one
   * engine at a time runs over the database (the desk's single-instance lock): `start()` then takes back at once
   * the leases a crashed predecessor left, instead of waiting for them to expire.
   */
  leaseOwner?: string;
  backoff?: BackoffPolicy;
  /** How long a claim holds its requests (default 4 × timeoutMs + 5 s). */
  leaseMs?: number;
  /** Status updates per feed page (default 500, the city's maximum). */
  feedPageLimit?: number;
  /** Largest answer read (default 4 MiB); a larger one is treated as malformed. */
  maxResponseBytes?: number;
  /** Batches in flight at once (default 2; 1 = strictly one after the other). */
  concurrency?: number;
  /** Drift of the city's clock reported above this (default 5 minutes). */
  driftLimitMs?: number;
  /** Offline at least this long (default 60 s): on reconnection every queued request becomes due at once. */
  reconnectExpediteMs?: number;
}

export interface SyncEngine extends SyncPort {
  /** Starts the schedule (first cycle at once). */
  start(): void;
  /** Stops the schedule, aborts the call in flight, waits for the cycle and puts leased requests back in the queue. */
  stop(): Promise<void>;
  /** True once the city refused the desk's protocol (426): the engine stays stopped until the desk is upgraded. */
  needsUpgrade(): boolean;
}

const ENVELOPE_BYTES = Buffer.byteLength('{"items":[]}');
const MAX_ROUNDS = 20;
/**
 * Following a moving feed while requests still wait (dependants parked until the city's number arrives): the next
 * cycle comes `firstMs` after one whose feed brought changes, then twice as late after each that brought none, up
 * to `maxMs`; past that the schedule falls back to the interval. So the desk reads the feed often only while each
 * read brings work, and a city that stops moving is left alone within a few seconds. (A fixed 1 s follow left the
 * sync thread idle half of a 10,000-request drain.)
 */
export const FEED_FOLLOW = { firstMs: 250, maxMs: 4000 } as const;
/**
 * While the city is unreachable the next probe (one feed read; nothing is claimed) comes this soon rather than after
 * the whole interval: the clerk's indicator says "online" and the queue starts moving within seconds of the network
 * returning (a clerk walk saw "离线" for about 30 s after the city was back).
 */
export const OFFLINE_PROBE_MS = 5000;

export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const { store, events } = opts;
  const now = opts.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const random = opts.random ?? Math.random;
  const logger = opts.logger ?? silentLogger;
  const policy = opts.backoff ?? DEFAULT_BACKOFF;
  const explicitOwner = opts.leaseOwner !== undefined;
  const owner = opts.leaseOwner ?? `engine-${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 4 * opts.cityApi.timeoutMs + 5_000;
  const maxItems = Math.max(1, Math.min(opts.batch.maxItems, CITY_MAX_BATCH_ITEMS));
  const maxBytes = Math.max(1024, Math.min(opts.batch.maxBytes, CITY_MAX_BATCH_BYTES)) - ENVELOPE_BYTES;
  const feedLimit = Math.max(1, Math.min(opts.feedPageLimit ?? CITY_MAX_FEED_LIMIT, CITY_MAX_FEED_LIMIT));
  const driftLimitMs = opts.driftLimitMs ?? 5 * 60_000;
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 2, 8));
  const expediteAfterMs = opts.reconnectExpediteMs ?? 60_000;
  const repo = createSyncRepo(store);

  const state: EngineState = { pausedUntil: 0, upgradeRequired: null, cycleError: null, stopping: false, breakerOpen: false };
  let online = false;
  let offlineSince: number | null = null;
  let lastSuccessAt: string | null = null;
  let lastError: string | null = null;
  let driftMs: number | null = null;
  let driftWarning = false;
  let nextRunAt: string | null = null;
  let started = false;
  let controller = new AbortController();
  let current: Promise<SyncStatus> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let again = false;
  /** The last cycle's feed brought changes: the city is working through our requests (see scheduleNext). */
  let feedMoving = false;
  /** The current follow delay (FEED_FOLLOW), null when not following. */
  let followMs: number | null = null;

  const health = createLinkHealth(now);
  const rawClient = createCityClient({
    url: opts.cityApi.url,
    clientId: opts.cityApi.clientId,
    secret: opts.cityApi.secret,
    timeoutMs: opts.cityApi.timeoutMs,
    fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
    now: nowMs,
    get signal() {
      return controller.signal;
    },
    maxResponseBytes: opts.maxResponseBytes ?? 4 * 1024 * 1024,
    onAnswer(dateHeader, deskMs) {
      if (!online) {
        const wasOfflineFor = offlineSince === null ? 0 : deskMs - offlineSince;
        online = true;
        offlineSince = null;
        logger.info('sync.online', { offlineMs: wasOfflineFor });
        if (wasOfflineFor >= expediteAfterMs) {
          const n = repo.expediteQueued(new Date(deskMs));
          if (n > 0) logger.info('sync.reconnected_expedite', { requests: n });
        }
      }
      const serverMs = dateHeader ? Date.parse(dateHeader) : NaN;
      if (Number.isFinite(serverMs)) {
        driftMs = serverMs - deskMs;
        const warn = Math.abs(driftMs) > driftLimitMs;
        if (warn !== driftWarning) {
          driftWarning = warn;
          if (warn) logger.warn('sync.clock_drift', { driftSec: Math.round(driftMs / 1000) });
          else logger.info('sync.clock_drift_cleared', { driftSec: Math.round(driftMs / 1000) });
        }
      }
    },
    onNoAnswer() {
      if (online || offlineSince === null) {
        if (online) logger.warn('sync.offline', {});
        online = false;
        offlineSince ??= nowMs();
      }
    },
  });

  // sync truth: every call's result tells the link's state (health.ts).
  const client = observedClient(rawClient, health);

  function status(): SyncStatus {
    const s = repo.summary(now());
    return {
      online,
      running: current !== null,
      queueDepth: s.queueDepth,
      held: s.held,
      lastSuccessAt,
      lastError: state.upgradeRequired ?? lastError,
      nextRunAt,
      clockDriftMs: driftMs,
      clockDriftWarning: driftWarning,
      state: health.state,
      reason: health.reason,
      lastGoodAt: health.lastGoodAt,
    };
  }

  function progress(phase: SyncProgress['phase'], done: number, total: number): void {
    try {
      events.emit('syncProgress', { ...status(), phase, done, total: Math.max(total, done) });
    } catch (e) {
      logger.warn('sync.event_failed', { event: 'syncProgress', error: (e as Error).name });
    }
  }

  function announce(changes: readonly RequestChange[]): void {
    const at = now().toISOString();
    for (const { request: r } of changes) {
      try {
        events.emit('requestStatusChanged', {
          registrationId: r.registrationId,
          requestId: r.id,
          service: r.service,
          state: r.state,
          documentNumber: r.documentNumber,
          reason: r.reason ?? (r.state === 'queued' ? r.lastError : null),
          at,
        });
      } catch (e) {
        logger.warn('sync.event_failed', { event: 'requestStatusChanged', error: (e as Error).name });
      }
    }
  }

  const ctx: EngineContext = {
    store,
    repo,
    client,
    logger,
    now,
    nowMs,
    state,
    announce,
    progress,
    record: (outcomes) => announce(repo.recordResults(owner, outcomes, now())),
  };
  const push = createPush(ctx, { owner, leaseMs, maxItems, maxBytes, concurrency, random, policy });
  const pull = createPull(ctx, feedLimit);

  async function cycle(): Promise<void> {
    state.cycleError = null;
    feedMoving = false;
    let pulledOk = false;
    try {
      progress('push', 0, repo.summary(now()).queueDepth);
      announce(repo.holdBlockedDependants(now()));
      repo.wakeReady(now());
      if (!online) {
        // Offline (or not yet heard from the city): probe with the feed first. While the city stays unreachable
        // nothing is claimed, so no attempt is burnt; when it answers again, a long outage makes every queued
        // request due at once (onAnswer) and the push below sends them oldest first.
        const probe = await pull();
        pulledOk = probe.ok;
        if (!online) return;
      }
      let round = 0;
      for (; round < MAX_ROUNDS && !state.stopping && !state.upgradeRequired; round++) {
        const pushed = await push();
        if (state.stopping || state.upgradeRequired) break;
        const pulled = await pull();
        pulledOk = pulled.ok;
        // Requests just handed to the city will move in its feed, as do the changes a read brought.
        if (pulled.changes > 0 || pushed.claimed > 0) feedMoving = true;
        if (!pulled.ok || pushed.end === 'halt' || pulled.documents === 0) break;
      }
      if (round === MAX_ROUNDS) again = true;
    } catch (e) {
      // A bug or a database failure: logged by name, the cycle ends, the schedule goes on. Nothing half-done
      // stays: every write is one transaction, and leased requests are reclaimed when their lease expires.
      const err = e as { name?: string; code?: string };
      logger.error('sync.cycle_failed', { error: err.name ?? 'Error', code: err.code ?? null });
      state.cycleError = `sync failed: ${err.code ?? err.name ?? 'error'}`;
      health.internal();
    } finally {
      lastError = state.upgradeRequired ?? state.cycleError;
      if (pulledOk && !state.cycleError && !state.upgradeRequired) lastSuccessAt = now().toISOString();
    }
  }

  function syncNow(): Promise<SyncStatus> {
    if (current) return current;
    if (state.upgradeRequired || state.stopping) return Promise.resolve(status());
    current = cycle()
      .then(() => {
        current = null;
        progress('idle', 0, 0);
        return status();
      })
      .finally(() => {
        current = null;
      });
    return current;
  }

  function schedule(delayMs: number): void {
    if (!started || state.stopping) return;
    if (timer) clearTimeout(timer);
    const delay = Math.max(0, Math.round(delayMs));
    nextRunAt = new Date(nowMs() + delay).toISOString();
    timer = setTimeout(() => {
      timer = null;
      void syncNow().then(scheduleNext, scheduleNext);
    }, delay);
    timer.unref?.();
  }

  function scheduleNext(): void {
    if (!started || state.stopping) return;
    if (state.upgradeRequired) {
      nextRunAt = null;
      return;
    }
    const n = nowMs();
    let delay = opts.intervalMs;
    if (again) {
      again = false;
      delay = 0;
    } else {
      const summary = repo.summary(now());
      if (summary.nextDueAt) delay = Math.min(delay, Date.parse(summary.nextDueAt) - n);
      // While the feed keeps bringing changes and requests still wait (dependants parked until a number arrives),
      // read it again soon rather than after the whole interval; a quiet feed backs off to the interval.
      if (summary.queueDepth > 0 && (feedMoving || followMs !== null)) {
        followMs = feedMoving ? FEED_FOLLOW.firstMs : followMs! * 2 > FEED_FOLLOW.maxMs ? null : followMs! * 2;
        if (followMs !== null) delay = Math.min(delay, followMs);
      } else followMs = null;
      if (!online) delay = Math.min(delay, OFFLINE_PROBE_MS);
    }
    if (state.pausedUntil > n) delay = Math.max(delay, state.pausedUntil - n);
    schedule(delay);
  }

  return {
    syncNow,
    status,
    needsUpgrade: () => state.upgradeRequired !== null,
    poke() {
      if (!started || state.stopping || state.upgradeRequired) return;
      if (current) again = true;
      else schedule(Math.max(0, state.pausedUntil - nowMs()));
    },
    start() {
      if (started) return;
      started = true;
      state.stopping = false;
      controller = new AbortController();
      if (explicitOwner) {
        const n = repo.releaseLeases(owner, 'a previous run of this desk stopped during the attempt', now());
        if (n > 0) logger.info('sync.reclaimed_leases', { requests: n });
      }
      schedule(0);
    },
    async stop() {
      state.stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      nextRunAt = null;
      controller.abort();
      if (current) await current.catch(() => undefined);
      try {
        repo.releaseLeases(owner, 'the desk stopped syncing before the city answered', now());
      } catch (e) {
        logger.warn('sync.release_failed', { error: (e as Error).name });
      }
      started = false;
    },
  };
}

