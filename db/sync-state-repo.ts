/**
 * The status-feed cursor(s). The sync engine's `db/sync-repo.ts` stores a new cursor in the same
 * transaction that applies the feed page: call `setCursorInTx` inside `store.transaction(...)`.
 */
import type { StoreContext } from './context';
import { InvalidInputError } from './errors';

export const STATUS_FEED = 'status-updates';

export function createSyncStateRepo(ctx: StoreContext) {
  const { db } = ctx;
  const getStmt = db.prepare(`SELECT cursor FROM sync_state WHERE feed = ?`).pluck();
  const upsert = db.prepare(
    `INSERT INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  );
  const check = (feed: unknown, cursor?: unknown) => {
    if (typeof feed !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(feed)) {
      throw InvalidInputError.one('sync cursor', 'feed', 'invalid', 'expected a feed name like status-updates', '同步源名称无效');
    }
    if (cursor !== undefined && cursor !== null && (typeof cursor !== 'string' || cursor.length > 512)) {
      throw InvalidInputError.one('sync cursor', 'cursor', 'invalid', 'expected a cursor string up to 512 characters', '同步游标无效');
    }
  };
  function setCursorInTx(feed: string, cursor: string | null): void {
    check(feed, cursor);
    if (!db.inTransaction) throw new Error('setCursorInTx outside a transaction');
    upsert.run(feed, cursor, ctx.nowIso());
  }
  return {
    getCursor(feed: string = STATUS_FEED): string | null {
      check(feed);
      return (getStmt.get(feed) as string | null | undefined) ?? null;
    },
    setCursorInTx,
    setCursor(feed: string, cursor: string | null): void {
      ctx.write('sync_state.set_cursor', () => setCursorInTx(feed, cursor));
    },
  };
}

export type SyncStateRepo = ReturnType<typeof createSyncStateRepo>;
