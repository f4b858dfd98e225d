/** What the parts of the sync engine (push.ts, pull.ts, link.ts, engine.ts) share: its state and services. */
import type { Store } from '../../db/store';
import type { createSyncRepo, ItemOutcome, RequestChange } from '../../db/sync-repo';
import type { SyncProgress } from '../api/contract';
import type { Logger } from '../api/ports';
import type { CityClient } from './city-client';

/** The engine's mutable state, read and written by its parts (one engine, one event loop: no locking). */
export interface EngineState {
  /** No call before this time (Retry-After, refused credentials). */
  pausedUntil: number;
  /** The city refused the desk's protocol (426): the reason; the engine stays stopped. */
  upgradeRequired: string | null;
  /** This cycle's error (null = clean so far). */
  cycleError: string | null;
  stopping: boolean;
  /**
   * The circuit breaker (push.ts): open after a batch got a 5xx. While open, a push sends one probe of one request
   * at a time, and the requests queued behind it are not claimed (no attempt burned); the first proper answer closes it.
   */
  breakerOpen: boolean;
}

export interface EngineContext {
  store: Store;
  repo: ReturnType<typeof createSyncRepo>;
  client: CityClient;
  logger: Logger;
  now(): Date;
  nowMs(): number;
  state: EngineState;
  announce(changes: readonly RequestChange[]): void;
  progress(phase: SyncProgress['phase'], done: number, total: number): void;
  /** Record the outcomes of the items this engine leased. */
  record(outcomes: ItemOutcome[]): void;
}

/** Pause after the city refused the desk's credentials. */
export const AUTH_PAUSE_MS = 60_000;
