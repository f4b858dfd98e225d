/**
 * Fault injection: the faults in force, their seeded PRNG, and the gate every /v1 call passes first
 * (offline → connection destroyed, latency, injected 429 / 503 / 500 before anything is done).
 */
import type { Socket } from 'node:net';
import { mulberry32, type Prng } from '../domain/prng';
import { FaultsPatchSchema, PROBLEM_TYPES, type Faults, type FaultsPatch } from './contract';
import { HttpError, problem } from './problems';

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  dropAfterCommitRate: 0,
  malformedRate: 0,
  tokenEarlyExpiryRate: 0,
  offline: false,
  retryAfterSec: 1,
  clockSkewMs: 0,
  seed: 1,
};

export class FaultState {
  private faults: Faults = { ...DEFAULT_FAULTS };
  private prng: Prng = mulberry32(DEFAULT_FAULTS.seed);

  /** `sockets`: the open connections (`offline: true` destroys them all but `keep`). */
  constructor(private readonly sockets: ReadonlySet<Socket>) {}

  get current(): Readonly<Faults> {
    return this.faults;
  }

  /** Merge a patch (validated; throws on a bad one); returns the faults now in force. */
  set(patch: FaultsPatch, keep?: Socket): Faults {
    const parsed = FaultsPatchSchema.parse(patch);
    this.faults = { ...this.faults, ...parsed };
    if (parsed.seed !== undefined) this.prng = mulberry32(parsed.seed);
    if (parsed.offline === true) {
      for (const s of this.sockets) if (s !== keep) s.destroy();
    }
    return { ...this.faults };
  }

  /** True with probability `rate` (from the seeded sequence; no draw when the rate is 0). */
  roll(rate: number): boolean {
    return rate > 0 && this.prng.next() < rate;
  }

  /**
   * The /v1 gate: false when the connection was destroyed (offline, or closed while waiting); throws the
   * injected 429 / 503 / 500.
   */
  async gate(socket: Socket, delay: (ms: number) => Promise<void>, closed: () => boolean): Promise<boolean> {
    const f = this.faults;
    if (f.offline) {
      socket.destroy();
      return false;
    }
    if (f.latencyMs > 0) {
      await delay(f.latencyMs);
      if (closed() || this.faults.offline) {
        socket.destroy();
        return false;
      }
    }
    const retryAfter = { 'Retry-After': String(this.faults.retryAfterSec) };
    if (this.roll(this.faults.rateLimitRate)) {
      throw new HttpError(problem(PROBLEM_TYPES.rateLimited, 429, 'Too many requests', `Slow down: retry after ${this.faults.retryAfterSec} s.`), retryAfter);
    }
    if (this.roll(this.faults.errorRate)) {
      if (this.prng.next() < 0.5) {
        throw new HttpError(
          problem(PROBLEM_TYPES.unavailable, 503, 'Service unavailable', `The service is temporarily unavailable: retry after ${this.faults.retryAfterSec} s.`),
          retryAfter,
        );
      }
      throw new HttpError(problem(PROBLEM_TYPES.internal, 500, 'Internal server error', 'The server failed; nothing was stored. Retry later.'));
    }
    return true;
  }
}
