/**
 * The sync engine: pushes queued requests to the city in bounded batches and pulls the status feed back.
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
import type { StoredRequest } from '../../db/types';
import { SERVER_TO_LOCAL, createSyncRepo, type ClaimedRequest, type ItemOutcome, type RequestChange } from '../../db/sync-repo';
import type { SyncProgress, SyncStatus } from '../api/contract';
import type { EventHub } from '../api/events';
import { silentLogger, type Logger, type SyncPort } from '../api/ports';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { createCityClient, type CallResult } from './city-client';
import {
  BatchItemResultSchema,
  BatchResponseEnvelopeSchema,
  CITY_MAX_BATCH_BYTES,
  CITY_MAX_BATCH_ITEMS,
  CITY_MAX_FEED_LIMIT,
  StatusUpdateSchema,
  StatusUpdatesEnvelopeSchema,
  encodeBatchItem,
  type BatchItem,
  type BatchItemResult,
  type FieldError,
} from './wire';

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
const MAX_FEED_PAGES = 40;
const AUTH_PAUSE_MS = 60_000;

type PushEnd = 'drained' | 'halt';

function describeErrors(errors: FieldError[] | undefined): string {
  if (!errors || errors.length === 0) return '';
  return errors
    .slice(0, 5)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
}

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

  let online = false;
  let offlineSince: number | null = null;
  let lastSuccessAt: string | null = null;
  let lastError: string | null = null;
  let upgradeRequired: string | null = null;
  let driftMs: number | null = null;
  let driftWarning = false;
  let pausedUntil = 0;
  let nextRunAt: string | null = null;
  let started = false;
  let stopping = false;
  let controller = new AbortController();
  let current: Promise<SyncStatus> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let again = false;
  let cycleError: string | null = null;

  const client = createCityClient({
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

  function status(): SyncStatus {
    const s = repo.summary(now());
    return {
      online,
      running: current !== null,
      queueDepth: s.queueDepth,
      held: s.held,
      lastSuccessAt,
      lastError: upgradeRequired ?? lastError,
      nextRunAt,
      clockDriftMs: driftMs,
      clockDriftWarning: driftWarning,
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

  const toItem = (r: StoredRequest): BatchItem => ({
    idempotencyKey: r.idempotencyKey,
    requestId: r.id,
    registrationId: r.registrationId,
    service: r.service,
    jurisdiction: r.jurisdiction,
    payload: r.payload,
  });

  function record(outcomes: ItemOutcome[]): void {
    announce(repo.recordResults(owner, outcomes, now()));
  }

  const retryAll = (items: readonly ClaimedRequest[], lastErrorText: string, notBefore?: Date): ItemOutcome[] =>
    items.map((i) => ({ id: i.id, kind: 'retry', lastError: lastErrorText, ...(notBefore ? { notBefore } : {}) }));

  /** Per item: the city's result → local outcome. Malformed or missing results are retried. */
  function mapResults(items: readonly ClaimedRequest[], body: unknown): ItemOutcome[] {
    const env = BatchResponseEnvelopeSchema.safeParse(body);
    if (!env.success) {
      logger.warn('sync.batch_answer_malformed', { items: items.length });
      return retryAll(items, 'malformed answer from the city (unexpected shape)');
    }
    const byKey = new Map<string, BatchItemResult>();
    let invalid = 0;
    for (const raw of env.data.results) {
      const p = BatchItemResultSchema.safeParse(raw);
      if (!p.success) invalid += 1;
      else if (!byKey.has(p.data.idempotencyKey)) byKey.set(p.data.idempotencyKey, p.data);
    }
    const sent = new Set(items.map((i) => i.idempotencyKey));
    const foreign = [...byKey.keys()].filter((k) => !sent.has(k)).length;
    if (invalid > 0 || foreign > 0) logger.warn('sync.batch_results_ignored', { invalid, foreign, items: items.length });
    return items.map((item): ItemOutcome => {
      const r = byKey.get(item.idempotencyKey);
      if (!r) return { id: item.id, kind: 'retry', lastError: 'the city answered without a usable result for this request' };
      switch (r.outcome) {
        case 'accepted':
        case 'duplicate': {
          const serverStatus = r.status ?? 'received';
          const state = SERVER_TO_LOCAL[serverStatus];
          if (!r.serverId || !state) return { id: item.id, kind: 'retry', lastError: 'the city answered accepted without a server id' };
          return { id: item.id, kind: 'accepted', serverId: r.serverId, serverStatus, state };
        }
        case 'rejected': {
          const detail = describeErrors(r.errors) || 'no field errors given';
          return {
            id: item.id,
            kind: 'held',
            reason: `市级接口拒收此申请，请修改后重新提交。 The city refused this request at intake: ${detail}`,
            lastError: 'rejected at intake',
          };
        }
        case 'conflict':
          return {
            id: item.id,
            kind: 'held',
            reason:
              '此申请的幂等键已被不同内容使用，市级接口未作任何更改。 The city already holds this request key with different content (conflict): nothing was changed. ' +
              describeErrors(r.errors),
            lastError: 'idempotency key conflict',
          };
      }
    });
  }

  /** Sends one claimed batch and records every item's outcome. 'halt' stops this cycle's push. */
  async function sendBatch(items: ClaimedRequest[], encoded: Map<string, string>): Promise<'ok' | 'halt'> {
    const body = `{"items":[${items.map((i) => encoded.get(i.id) ?? JSON.stringify(toItem(i))).join(',')}]}`;
    const res: CallResult = await client.postBatch(body);
    switch (res.kind) {
      case 'ok': {
        const outcomes = mapResults(items, res.body);
        record(outcomes);
        const held = outcomes.filter((o) => o.kind === 'held').length;
        const retried = outcomes.filter((o) => o.kind === 'retry').length;
        if (held > 0) logger.warn('sync.items_held', { held, items: items.length });
        if (retried > 0) {
          logger.warn('sync.items_without_result', { retried, items: items.length });
          cycleError = 'some requests got no usable result and will be retried';
        }
        return 'ok';
      }
      case 'transient': {
        const notBefore = res.retryAfterMs !== null ? new Date(nowMs() + res.retryAfterMs) : undefined;
        if (notBefore) pausedUntil = Math.max(pausedUntil, notBefore.getTime());
        logger.warn('sync.batch_failed', { status: res.status, reason: res.network ? res.reason : `HTTP ${res.status ?? '?'}`, items: items.length, retryAfterMs: res.retryAfterMs });
        cycleError = res.reason;
        record(retryAll(items, res.reason, notBefore));
        return res.network || notBefore ? 'halt' : 'ok';
      }
      case 'permanent': {
        if (items.length > 1) {
          // Find the one(s) the city refuses: the others go through.
          const mid = Math.ceil(items.length / 2);
          const first = await sendBatch(items.slice(0, mid), encoded);
          if (first === 'halt') {
            record(retryAll(items.slice(mid), 'not sent: the batch was interrupted'));
            return 'halt';
          }
          return sendBatch(items.slice(mid), encoded);
        }
        logger.warn('sync.item_refused', { status: res.status });
        record(
          items.map((i) => ({
            id: i.id,
            kind: 'held',
            reason: `市级接口拒收此申请。 The city refused this request: ${res.reason}`.slice(0, 1000),
            lastError: `HTTP ${res.status}`,
          })),
        );
        return 'ok';
      }
      case 'upgrade':
        if (!upgradeRequired) logger.error('sync.protocol_refused', {});
        upgradeRequired = res.reason;
        record(retryAll(items, 'not sent: the desk must be upgraded'));
        return 'halt';
      case 'auth':
        logger.error('sync.credentials_refused', {});
        cycleError = res.reason;
        pausedUntil = Math.max(pausedUntil, nowMs() + AUTH_PAUSE_MS);
        record(retryAll(items, res.reason));
        return 'halt';
      case 'stopped':
        record(retryAll(items, 'the desk stopped syncing before the city answered'));
        return 'halt';
    }
  }

  /**
   * Claims and sends pages until nothing is due, with up to `concurrency` batches in flight: each is claimed
   * (oldest first) in its own transaction before it is sent, so the desk's commits overlap the city's work.
   */
  async function push(): Promise<{ end: PushEnd; claimed: number }> {
    let total = repo.summary(now()).queueDepth;
    let done = 0;
    let halted = false;
    const errors: unknown[] = [];
    const inflight = new Set<Promise<void>>();
    const launch = (claimed: ClaimedRequest[], encoded: Map<string, string>) => {
      const p: Promise<void> = sendBatch(claimed, encoded)
        .then(
          (r) => {
            if (r === 'halt') halted = true;
            done += claimed.length;
            total = Math.max(total, done);
            progress('push', done, total);
          },
          (e: unknown) => {
            halted = true;
            errors.push(e);
          },
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    };
    for (;;) {
      if (stopping || upgradeRequired || halted) break;
      if (nowMs() < pausedUntil) {
        halted = true;
        break;
      }
      if (inflight.size >= concurrency) {
        await Promise.race(inflight);
        continue;
      }
      const encoded = new Map<string, string>();
      const claimed = repo.claimDue({
        now: now(),
        owner,
        leaseMs,
        maxItems,
        maxBytes,
        sizeOf: (r) => {
          const s = encodeBatchItem(r);
          encoded.set(r.id, s);
          return Buffer.byteLength(s) + 1;
        },
        backoffMs: (attempt) => backoffDelay(attempt, random, policy),
      });
      if (claimed.length === 0) break;
      announce(claimed.map((request) => ({ request, from: 'queued' as const })));
      launch(claimed, encoded);
    }
    await Promise.all([...inflight]);
    if (errors.length > 0) throw errors[0];
    return { end: halted || stopping || upgradeRequired ? 'halt' : 'drained', claimed: done };
  }

  async function pull(): Promise<{ ok: boolean; documents: number; changes: number }> {
    let since = store.syncState.getCursor();
    let documents = 0;
    let changes = 0;
    for (let page = 0; page < MAX_FEED_PAGES && !stopping && !upgradeRequired; page++) {
      if (nowMs() < pausedUntil) return { ok: false, documents, changes };
      const res = await client.statusUpdates(since, feedLimit);
      if (res.kind !== 'ok') {
        switch (res.kind) {
          case 'transient':
            if (res.retryAfterMs !== null) pausedUntil = Math.max(pausedUntil, nowMs() + res.retryAfterMs);
            cycleError = res.reason;
            logger.warn('sync.feed_failed', { status: res.status, reason: res.network ? res.reason : `HTTP ${res.status ?? '?'}` });
            break;
          case 'permanent':
            // The city no longer understands our cursor: read the feed again from the start (updates only move
            // forward, so applying them twice changes nothing).
            logger.warn('sync.feed_refused_cursor_reset', { status: res.status });
            repo.resetCursor();
            cycleError = `status feed refused (HTTP ${res.status}); reading it again from the start`;
            break;
          case 'upgrade':
            if (!upgradeRequired) logger.error('sync.protocol_refused', {});
            upgradeRequired = res.reason;
            break;
          case 'auth':
            logger.error('sync.credentials_refused', {});
            cycleError = res.reason;
            pausedUntil = Math.max(pausedUntil, nowMs() + AUTH_PAUSE_MS);
            break;
          case 'stopped':
            break;
        }
        return { ok: false, documents, changes };
      }
      const env = StatusUpdatesEnvelopeSchema.safeParse(res.body);
      if (!env.success) {
        logger.warn('sync.feed_malformed', {});
        cycleError = 'malformed status feed from the city';
        return { ok: false, documents, changes };
      }
      const updates = [];
      let invalid = 0;
      for (const raw of env.data.updates) {
        const u = StatusUpdateSchema.safeParse(raw);
        if (u.success) updates.push(u.data);
        else invalid += 1;
      }
      const applied = repo.applyFeedPage(updates, env.data.nextCursor, now());
      announce(applied.changes);
      documents += applied.documents;
      changes += applied.changes.length;
      if (invalid > 0 || applied.ignored > 0) {
        logger.warn('sync.feed_updates_ignored', { invalid, backwards: applied.ignored, unknown: applied.unknown, page: env.data.updates.length });
      }
      if (applied.changes.some((c) => c.request.state === 'rejected')) announce(repo.holdBlockedDependants(now()));
      progress('pull', page + 1, page + (env.data.hasMore ? 2 : 1));
      if (!env.data.hasMore || env.data.nextCursor === since) return { ok: true, documents, changes };
      since = env.data.nextCursor;
    }
    return { ok: true, documents, changes };
  }

  async function cycle(): Promise<void> {
    cycleError = null;
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
      for (; round < MAX_ROUNDS && !stopping && !upgradeRequired; round++) {
        const pushed = await push();
        if (stopping || upgradeRequired) break;
        const pulled = await pull();
        pulledOk = pulled.ok;
        if (!pulled.ok || pushed.end === 'halt' || pulled.documents === 0) break;
      }
      if (round === MAX_ROUNDS) again = true;
    } catch (e) {
      // A bug or a database failure: logged by name, the cycle ends, the schedule goes on. Nothing half-done
      // stays: every write is one transaction, and leased requests are reclaimed when their lease expires.
      const err = e as { name?: string; code?: string };
      logger.error('sync.cycle_failed', { error: err.name ?? 'Error', code: err.code ?? null });
      cycleError = `sync failed: ${err.code ?? err.name ?? 'error'}`;
    } finally {
      lastError = upgradeRequired ?? cycleError;
      if (pulledOk && !cycleError && !upgradeRequired) lastSuccessAt = now().toISOString();
    }
  }

  function syncNow(): Promise<SyncStatus> {
    if (current) return current;
    if (upgradeRequired || stopping) return Promise.resolve(status());
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
    if (!started || stopping) return;
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
    if (!started || stopping) return;
    if (upgradeRequired) {
      nextRunAt = null;
      return;
    }
    const n = nowMs();
    let delay = opts.intervalMs;
    if (again) {
      again = false;
      delay = 0;
    } else {
      const due = repo.summary(now()).nextDueAt;
      if (due) delay = Math.min(delay, Date.parse(due) - n);
    }
    if (pausedUntil > n) delay = Math.max(delay, pausedUntil - n);
    schedule(delay);
  }

  return {
    syncNow,
    status,
    needsUpgrade: () => upgradeRequired !== null,
    poke() {
      if (!started || stopping || upgradeRequired) return;
      if (current) again = true;
      else schedule(Math.max(0, pausedUntil - nowMs()));
    },
    start() {
      if (started) return;
      started = true;
      stopping = false;
      controller = new AbortController();
      if (explicitOwner) {
        const n = repo.releaseLeases(owner, 'a previous run of this desk stopped during the attempt', now());
        if (n > 0) logger.info('sync.reclaimed_leases', { requests: n });
      }
      schedule(0);
    },
    async stop() {
      stopping = true;
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

