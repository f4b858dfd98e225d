/** What the routes of the simulator share: its store, clocks, faults and options (built by server.ts). */
import type { FaultState } from './faults';
import type { Responder } from './problems';
import type { ProtocolRange } from './contract';
import type { SimStore } from './store';

export interface SimContext extends Responder {
  store: SimStore;
  faults: FaultState;
  /** The business clock (wall clock + the offset moved by `advance`). */
  simNow(): number;
  /** Accepted client credentials, or 'any'. */
  credentials: Array<{ clientId: string; secret: string }> | 'any';
  adminToken: string | undefined;
  protocol: ProtocolRange;
  tokenTtlSec: number;
  closed(): boolean;
  /** Sent as `X-City-Simulator` on every reply (the embedded training simulator: `training`). */
  identity?: string | undefined;
  /** Apply the transitions due now; returns how many. */
  tick(): number;
  advance(ms: number): { now: string; transitions: number };
}
