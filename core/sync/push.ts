/**
 * Push: claim pages of due requests under a lease (db/sync-repo.ts: attempt count, next attempt time and last
 * error recorded BEFORE the attempt), send each as one batch, map every item's result to its local state;
 * repeat while requests are due — one bad request never stops the others. Permanent refusals are bisected so
 * only the offending request ends `held` with the city's reason.
 */
import type { StoredRequest } from '../../db/types';
import { SERVER_TO_LOCAL, type ClaimedRequest, type ItemOutcome } from '../../db/sync-repo';
import { backoffDelay, type BackoffPolicy } from './backoff';
import type { CallResult } from './city-client';
import { AUTH_PAUSE_MS, type EngineContext } from './context';
import {
  BatchItemResultSchema,
  BatchResponseEnvelopeSchema,
  encodeBatchItem,
  type BatchItem,
  type BatchItemResult,
  type FieldError,
} from './wire';

export type PushEnd = 'drained' | 'halt';

export interface PushOptions {
  owner: string;
  leaseMs: number;
  maxItems: number;
  /** Bytes of items per batch (the envelope already taken off). */
  maxBytes: number;
  concurrency: number;
  random: () => number;
  policy: BackoffPolicy;
}

function describeErrors(errors: FieldError[] | undefined): string {
  if (!errors || errors.length === 0) return '';
  return errors
    .slice(0, 5)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
}

const toItem = (r: StoredRequest): BatchItem => ({
  idempotencyKey: r.idempotencyKey,
  requestId: r.id,
  registrationId: r.registrationId,
  service: r.service,
  jurisdiction: r.jurisdiction,
  payload: r.payload,
});

export function createPush(ctx: EngineContext, o: PushOptions): () => Promise<{ end: PushEnd; claimed: number }> {
  const { repo, client, logger, state, now, nowMs, announce, progress, record: recordAll } = ctx;
  const { owner, leaseMs, maxItems, maxBytes, concurrency, random, policy } = o;

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

  function closeBreaker(): void {
    if (!state.breakerOpen) return;
    state.breakerOpen = false;
    logger.info('sync.breaker_closed', {});
  }

  /**
   * Sends one claimed batch and records every item's outcome. 'halt' stops this cycle's push.
   *
   * `pending`: the requests of the claim not yet settled. A bisection (below) re-sends halves one after the other,
   * which can outlast the claim's lease; so before each re-send (`renew`) the lease of every pending request is
   * extended, and a request whose lease was lost (it ran out: another slot or engine may have it) is not sent.
   */
  async function sendBatch(
    claimed: ClaimedRequest[],
    encoded: Map<string, string>,
    pending: Set<string> = new Set(claimed.map((i) => i.id)),
    renew = false,
  ): Promise<'ok' | 'halt'> {
    let items = claimed;
    if (renew) {
      const kept = repo.renewLeases(owner, [...pending], now(), leaseMs);
      const lost = [...pending].filter((id) => !kept.has(id));
      if (lost.length > 0) logger.warn('sync.lease_lost', { requests: lost.length });
      for (const id of lost) pending.delete(id);
      items = items.filter((i) => kept.has(i.id));
      if (items.length === 0) return 'ok';
    }
    const record = (outcomes: ItemOutcome[]): void => {
      recordAll(outcomes);
      for (const o of outcomes) pending.delete(o.id);
    };
    const body = `{"items":[${items.map((i) => encoded.get(i.id) ?? JSON.stringify(toItem(i))).join(',')}]}`;
    const res: CallResult = await client.postBatch(body);
    switch (res.kind) {
      case 'ok': {
        closeBreaker();
        const outcomes = mapResults(items, res.body);
        record(outcomes);
        const held = outcomes.filter((o) => o.kind === 'held').length;
        const retried = outcomes.filter((o) => o.kind === 'retry').length;
        if (held > 0) logger.warn('sync.items_held', { held, items: items.length });
        if (retried > 0) {
          logger.warn('sync.items_without_result', { retried, items: items.length });
          state.cycleError = 'some requests got no usable result and will be retried';
        }
        return 'ok';
      }
      case 'transient': {
        const notBefore = res.retryAfterMs !== null ? new Date(nowMs() + res.retryAfterMs) : undefined;
        if (notBefore) state.pausedUntil = Math.max(state.pausedUntil, notBefore.getTime());
        logger.warn('sync.batch_failed', { status: res.status, reason: res.network ? res.reason : `HTTP ${res.status ?? '?'}`, items: items.length, retryAfterMs: res.retryAfterMs });
        state.cycleError = res.reason;
        record(retryAll(items, res.reason, notBefore));
        if (res.status !== null && res.status >= 500) {
          // The city is failing: stop claiming; the next pushes probe with one request at a time.
          if (!state.breakerOpen) logger.warn('sync.breaker_open', { status: res.status });
          state.breakerOpen = true;
          return 'halt';
        }
        return res.network || notBefore ? 'halt' : 'ok';
      }
      case 'permanent': {
        closeBreaker();
        if (items.length > 1) {
          // Find the one(s) the city refuses: the others go through.
          const mid = Math.ceil(items.length / 2);
          const first = await sendBatch(items.slice(0, mid), encoded, pending, true);
          const rest = items.slice(mid).filter((i) => pending.has(i.id));
          if (first === 'halt') {
            record(retryAll(rest, 'not sent: the batch was interrupted'));
            return 'halt';
          }
          return sendBatch(rest, encoded, pending, true);
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
        if (!state.upgradeRequired) logger.error('sync.protocol_refused', {});
        state.upgradeRequired = res.reason;
        record(retryAll(items, 'not sent: the desk must be upgraded'));
        return 'halt';
      case 'auth':
        logger.error('sync.credentials_refused', {});
        state.cycleError = res.reason;
        state.pausedUntil = Math.max(state.pausedUntil, nowMs() + AUTH_PAUSE_MS);
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
      if (state.stopping || state.upgradeRequired || halted) break;
      if (nowMs() < state.pausedUntil) {
        halted = true;
        break;
      }
      // Breaker open: one probe of one request at a time, until a proper answer closes it.
      if (inflight.size >= (state.breakerOpen ? 1 : concurrency)) {
        await Promise.race(inflight);
        continue;
      }
      const encoded = new Map<string, string>();
      const claimed = repo.claimDue({
        now: now(),
        owner,
        leaseMs,
        maxItems: state.breakerOpen ? 1 : maxItems,
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
    return { end: halted || state.stopping || state.upgradeRequired ? 'halt' : 'drained', claimed: done };
  }

  return push;
}
