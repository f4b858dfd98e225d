/**
 * Pull: read the city's status feed from the stored cursor; each page is applied with its new cursor in one
 * transaction, forward moves only. Malformed updates are skipped one by one.
 */
import { AUTH_PAUSE_MS, type EngineContext } from './context';
import { StatusUpdateSchema, StatusUpdatesEnvelopeSchema, type StatusUpdate } from './wire';

const MAX_FEED_PAGES = 40;

export interface PullResult {
  ok: boolean;
  /** Document numbers the pull brought (dependants may have become sendable). */
  documents: number;
  changes: number;
}

export function createPull(ctx: EngineContext, feedLimit: number): () => Promise<PullResult> {
  const { store, repo, client, logger, state } = ctx;
  return async function pull(): Promise<PullResult> {
    let since = store.syncState.getCursor();
    let documents = 0;
    let changes = 0;
    for (let page = 0; page < MAX_FEED_PAGES && !state.stopping && !state.upgradeRequired; page++) {
      if (ctx.nowMs() < state.pausedUntil) return { ok: false, documents, changes };
      const res = await client.statusUpdates(since, feedLimit);
      if (res.kind !== 'ok') {
        switch (res.kind) {
          case 'transient':
            if (res.retryAfterMs !== null) state.pausedUntil = Math.max(state.pausedUntil, ctx.nowMs() + res.retryAfterMs);
            state.cycleError = res.reason;
            logger.warn('sync.feed_failed', { status: res.status, reason: res.network ? res.reason : `HTTP ${res.status ?? '?'}` });
            break;
          case 'permanent':
            // The city no longer understands our cursor: read the feed again from the start (updates only move
            // forward, so applying them twice changes nothing).
            logger.warn('sync.feed_refused_cursor_reset', { status: res.status });
            repo.resetCursor();
            state.cycleError = `status feed refused (HTTP ${res.status}); reading it again from the start`;
            break;
          case 'upgrade':
            if (!state.upgradeRequired) logger.error('sync.protocol_refused', {});
            state.upgradeRequired = res.reason;
            break;
          case 'auth':
            logger.error('sync.credentials_refused', {});
            state.cycleError = res.reason;
            state.pausedUntil = Math.max(state.pausedUntil, ctx.nowMs() + AUTH_PAUSE_MS);
            break;
          case 'stopped':
            break;
        }
        return { ok: false, documents, changes };
      }
      const env = StatusUpdatesEnvelopeSchema.safeParse(res.body);
      if (!env.success) {
        logger.warn('sync.feed_malformed', {});
        state.cycleError = 'malformed status feed from the city';
        return { ok: false, documents, changes };
      }
      const updates: StatusUpdate[] = [];
      let invalid = 0;
      for (const raw of env.data.updates) {
        const u = StatusUpdateSchema.safeParse(raw);
        if (u.success) updates.push(u.data);
        else invalid += 1;
      }
      const applied = repo.applyFeedPage(updates, env.data.nextCursor, ctx.now());
      ctx.announce(applied.changes);
      documents += applied.documents;
      changes += applied.changes.length;
      if (invalid > 0 || applied.ignored > 0) {
        logger.warn('sync.feed_updates_ignored', { invalid, backwards: applied.ignored, unknown: applied.unknown, page: env.data.updates.length });
      }
      if (applied.changes.some((c) => c.request.state === 'rejected')) ctx.announce(repo.holdBlockedDependants(ctx.now()));
      ctx.progress('pull', page + 1, page + (env.data.hasMore ? 2 : 1));
      if (!env.data.hasMore || env.data.nextCursor === since) return { ok: true, documents, changes };
      since = env.data.nextCursor;
    }
    return { ok: true, documents, changes };
  };
}
