/** The shapes the sync engine and its SQL (db/sync-repo.ts) exchange: claims, item outcomes, feed updates. */
import type { RequestState } from '../domain/codes';
import type { StoredRequest } from './types';

export interface ClaimOptions {
  /** Desk time of the claim. */
  now: Date;
  /** Who holds the lease (the engine instance). */
  owner: string;
  leaseMs: number;
  maxItems: number;
  maxBytes: number;
  /** Bytes the request takes in a batch body (the engine encodes it); called with the final payload. */
  sizeOf(req: StoredRequest & { payloadJson: string }): number;
  /** Delay before the next attempt after attempt number `attempt` (1-based), recorded before the attempt. */
  backoffMs(attempt: number): number;
  /** How many due rows one claim looks at (default 4 × maxItems). */
  scanLimit?: number;
}

export interface ClaimedRequest extends StoredRequest {
  /** This attempt's number (1 = first). */
  attempt: number;
  /** The final payload as stored (JSON text): a batch embeds it as is, `payload` parses it only when read. */
  payloadJson: string;
}

/** What one batch item came to, as the engine decided from the city's answer. */
export type ItemOutcome =
  | { id: string; kind: 'accepted'; serverId: string; serverStatus: string; state: RequestState }
  | { id: string; kind: 'held'; reason: string; lastError: string }
  | { id: string; kind: 'retry'; lastError: string; notBefore?: Date };

/** One status-feed entry as the engine validated it. */
export interface FeedUpdate {
  serverId: string;
  idempotencyKey: string;
  status: string;
  reason?: string | undefined;
  documentNumber?: string | undefined;
  childIdNumber?: string | undefined;
}

/** What a change announces (no payload: the feed and results touch thousands of rows). */
export type ChangedRequest = Pick<
  StoredRequest,
  'id' | 'registrationId' | 'service' | 'state' | 'serverId' | 'documentNumber' | 'reason' | 'lastError' | 'attempts' | 'nextAttemptAt'
>;

export interface RequestChange {
  request: ChangedRequest;
  from: RequestState;
}

export interface FeedApplyResult {
  changes: RequestChange[];
  /** Updates for keys this desk does not hold (another desk of the hospital, or nonsense). */
  unknown: number;
  /** The status the request already has, with nothing new (the normal echo of a batch answer). */
  stale: number;
  /** Updates that would move a request backwards, or touch a held one, or name another server id. */
  ignored: number;
  /** How many changes brought a document number (they may unblock dependants). */
  documents: number;
}

export interface QueueSummary {
  queueDepth: number;
  held: number;
  /** Earliest `next_attempt_at` of a queued request that lies after `now` (null: none). */
  nextDueAt: string | null;
}
