/**
 * What every repository shares: the connection, the clock, the logger and the slow-query timer.
 * Slow statements (over `slowQueryMs`, default 40 ms) are logged by statement name only, never by SQL
 * text or parameters (Signal's habit).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { performance } from 'node:perf_hooks';
import { DatabaseCorruptError, DiskFullError, isSqliteError } from './errors';
import type { StoreLogger } from './types';

export interface StoreContext {
  readonly db: Database;
  readonly file: string;
  readonly logger: StoreLogger;
  readonly slowQueryMs: number;
  now(): Date;
  nowIso(): string;
  /** Runs `fn`, logging `db.slow_query` with `name` and the duration when it took longer than slowQueryMs. */
  timed<T>(name: string, fn: () => T): T;
  /** `fn` in one IMMEDIATE write transaction (rolled back on any throw), timed under `name`. */
  write<T>(name: string, fn: () => T): T;
  /** Cancels a pending deferred checkpoint (before close). */
  stopCheckpoints(): void;
  /** Loss anchor (db/anchor.ts): the audit repo notes each appended event; `onCommit` receives the count appended and the last head once the outermost transaction committed. */
  noteAuditAppend(seq: number, hash: string): void;
  setAnchorSink(onCommit: ((appended: number, seq: number, hash: string) => void) | null): void;
}

/** Commits without an idle pause before a checkpoint is taken at the next turn of the loop (the WAL must not grow forever). */
const INLINE_CHECKPOINT_AFTER = 200;
/** Quiet time after the last commit before the WAL is checkpointed. */
const CHECKPOINT_IDLE_MS = 500;

export const silentLogger: StoreLogger = {
  info() {},
  warn() {},
  error() {},
};

export function createContext(
  db: Database,
  file: string,
  options: { now?: () => Date; logger?: StoreLogger; slowQueryMs?: number },
): StoreContext {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const slowQueryMs = options.slowQueryMs ?? 40;
  const timed = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      // Storage failures get their typed errors wherever they surface (not only at open).
      if (isSqliteError(e, 'SQLITE_FULL')) throw new DiskFullError(file, name, { cause: e });
      if (isSqliteError(e, 'SQLITE_CORRUPT') || isSqliteError(e, 'SQLITE_NOTADB')) {
        logger.error('db.corrupt', { statement: name, code: e.code });
        throw new DatabaseCorruptError(file, [e.message], { cause: e });
      }
      throw e;
    } finally {
      const ms = performance.now() - t0;
      if (ms > slowQueryMs) logger.warn('db.slow_query', { statement: name, ms: Math.round(ms * 10) / 10 });
    }
  };
  // WAL checkpoints are taken off the commit path: SQLite's automatic checkpoint (every 1000 pages) would
  // make every ~40th submit copy the WAL into the database and fsync it while the clerk waits, and a
  // checkpoint right after each commit makes the next commit's fsync queue behind its writes. Instead a
  // PASSIVE checkpoint runs once the store has been idle for CHECKPOINT_IDLE_MS after a commit, and at the
  // next turn of the loop when INLINE_CHECKPOINT_AFTER commits came without such a pause (the WAL must not grow
  // forever) — never inside a commit, which answers its caller first.
  db.pragma('wal_autocheckpoint = 0');
  let pending: NodeJS.Timeout | null = null;
  let commitsSinceCheckpoint = 0;
  const checkpoint = () => {
    if (pending) clearTimeout(pending);
    pending = null;
    commitsSinceCheckpoint = 0;
    if (!db.open || db.inTransaction) return;
    try {
      timed('wal.checkpoint', () => db.pragma('wal_checkpoint(PASSIVE)'));
    } catch (e) {
      logger.warn('db.checkpoint_failed', { code: (e as { code?: string }).code ?? 'unknown' });
    }
  };
  const afterCommit = () => {
    commitsSinceCheckpoint++;
    if (pending) clearTimeout(pending);
    // After a long burst the checkpoint runs on the next turn of the event loop (setTimeout 0), never inside the
    // commit that crossed the mark: the write that triggered it has answered its caller first.
    pending = setTimeout(checkpoint, commitsSinceCheckpoint >= INLINE_CHECKPOINT_AFTER ? 0 : CHECKPOINT_IDLE_MS);
    pending.unref();
  };
  let anchorSink: ((appended: number, seq: number, hash: string) => void) | null = null;
  let appended = 0;
  let head = { seq: 0, hash: '' };
  return {
    db,
    file,
    logger,
    slowQueryMs,
    now,
    nowIso: () => now().toISOString(),
    timed,
    write: (name, fn) => {
      const outermost = !db.inTransaction;
      if (outermost) appended = 0;
      let result: ReturnType<typeof fn>;
      try {
        result = timed(name, () => db.transaction(fn).immediate());
      } catch (e) {
        if (outermost) appended = 0;
        throw e;
      }
      if (outermost) {
        if (appended > 0 && anchorSink) anchorSink(appended, head.seq, head.hash);
        appended = 0;
        afterCommit();
      }
      return result;
    },
    noteAuditAppend: (seq, hash) => {
      appended++;
      head = { seq, hash };
    },
    setAnchorSink: (onCommit) => {
      anchorSink = onCommit;
    },
    stopCheckpoints: () => {
      if (pending) clearTimeout(pending);
      pending = null;
    },
  };
}
