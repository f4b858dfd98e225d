/**
 * The messages between the desk and its sync thread (thread.ts ↔ thread-entry.ts). Everything is structured-cloned,
 * nothing goes through argv or the environment: the database key travels in the `init` message only.
 */
import type { SyncStatus } from '../api/contract';

/**
 * The sync thread's heap, bounded: V8 otherwise lets a busy thread's heap grow lazily to hundreds of MB before it
 * collects (a 10,000-request drain peaked at about 200-220 MB of RSS unbounded, about 125 MB so). What the thread
 * holds at once is bounded by design (one claim page, one batch, one feed page of at most 8 MiB), so 64 MiB of old
 * generation is ample; the young generation is kept small so short-lived batch objects are collected early.
 * One fact for the three hosts: worker_threads `resourceLimits`, and `execArgv` for a child or utility process.
 */
export const SYNC_HEAP = { maxOldGenerationSizeMb: 64, semiSpaceMb: 4 } as const;
export const SYNC_EXEC_ARGV: readonly string[] = [`--max-old-space-size=${SYNC_HEAP.maxOldGenerationSizeMb}`, `--max-semi-space-size=${SYNC_HEAP.semiSpaceMb}`];

/** How the thread builds its HTTP client (a function cannot cross a thread). */
export type FetchSpec =
  | { kind: 'plain' }
  /** setup area: a training desk talks to the embedded simulator only, and checks that it is one. */
  | { kind: 'training'; trainingUrl: string; identity: string }
  /** setup area: only IT's CA is trusted for the city. */
  | { kind: 'pinned'; caFile: string };

export interface SyncThreadInit {
  type: 'init';
  dbFile: string;
  /** The raw database key (zeroed by the thread once the store is open). */
  key: Uint8Array;
  /** The loss anchor the desk's own connection keeps (null: none). */
  anchorFile: string | null;
  /** null: no city to sync with; the thread only runs the integrity check. */
  cityApi: { url: string; clientId: string; secret: string; timeoutMs: number } | null;
  /**
   * issue 14 item 5: the full-file integrity check (db/integrity.ts) on the thread's own connection, `firstMs` after
   * the thread's store opened and then every `everyMs`; its result is written to `file`. Absent: no check.
   */
  integrity?: IntegritySchedule;
  batch: { maxItems: number; maxBytes: number };
  intervalMs: number;
  fetch: FetchSpec;
  /**
   * Who holds the leases: the desk's client id. One sync thread runs per desk at a time (the desk's single-instance
   * lock; the proxy starts a new thread only after the last one ended), so a thread started after a crash takes back
   * at once the leases its predecessor left instead of waiting for them to expire (4 × timeout + 5 s).
   */
  leaseOwner: string;
  /** Tests only: the lease (ms) and batches in flight. */
  leaseMs?: number;
  concurrency?: number;
}

export interface IntegritySchedule {
  file: string;
  firstMs: number;
  everyMs: number;
}

/** The desk's defaults: a minute after start (the clerk signs in first), then daily. */
export const INTEGRITY_FIRST_MS = 60_000;
export const INTEGRITY_EVERY_MS = 24 * 60 * 60 * 1000;

export type ToThread = SyncThreadInit | { type: 'syncNow'; id: number } | { type: 'poke' } | { type: 'stop' };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type FromThread =
  | { type: 'ready'; status: SyncStatus }
  | { type: 'status'; status: SyncStatus }
  /**
   * The engine's events, in order, gathered over one turn of the thread's loop: a drain makes several per request,
   * and one message per event cost the thread about 4 % of its time in serialisation alone.
   */
  | { type: 'events'; events: Array<{ event: 'syncProgress' | 'requestStatusChanged'; payload: unknown }> }
  | { type: 'log'; level: LogLevel; message: string; meta?: Record<string, unknown> }
  | { type: 'synced'; id: number; status: SyncStatus }
  /** The thread could not start (by error name and code only: no message text, which may quote a path or data). */
  | { type: 'failed'; error: string; code: string | null }
  | { type: 'stopped' };

/** One end of the channel as the desk sees it: a worker thread (Node) or a utility process (Electron). */
export interface SyncThreadChannel {
  post(msg: ToThread): void;
  onMessage(fn: (msg: FromThread) => void): void;
  /** The thread or process ended (for whatever reason). */
  onExit(fn: (code: number | null) => void): void;
  /** Ends it at once (after a stop that did not finish in time). */
  kill(): void;
}

/** What the shell injects: starts one sync thread. */
export interface SyncThreadHost {
  readonly kind: 'worker_threads' | 'utilityProcess' | string;
  spawn(): SyncThreadChannel;
}
