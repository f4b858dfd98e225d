/**
 * What every repository shares: the connection, the clock, the logger and the slow-query timer.
 * Slow statements (over `slowQueryMs`, default 40 ms) are logged by statement name only, never by SQL
 * text or parameters (Signal's habit).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { performance } from 'node:perf_hooks';
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
}

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
    } finally {
      const ms = performance.now() - t0;
      if (ms > slowQueryMs) logger.warn('db.slow_query', { statement: name, ms: Math.round(ms * 10) / 10 });
    }
  };
  return {
    db,
    file,
    logger,
    slowQueryMs,
    now,
    nowIso: () => now().toISOString(),
    timed,
    write: (name, fn) => timed(name, () => db.transaction(fn).immediate()),
  };
}
