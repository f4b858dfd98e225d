/**
 * The messages between the desk and its sync thread (thread.ts ↔ thread-entry.ts). Everything is structured-cloned,
 * nothing goes through argv or the environment: the database key travels in the `init` message only.
 */
import type { SyncStatus } from '../api/contract';

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
  | { type: 'event'; event: 'syncProgress' | 'requestStatusChanged'; payload: unknown }
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
