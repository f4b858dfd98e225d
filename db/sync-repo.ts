/**
 * The sync engine's SQL (core/sync): claiming due requests under a lease, recording per-item results,
 * releasing leases, and applying a status-feed page together with its cursor. Every method is one IMMEDIATE
 * transaction, so two processes on one database file can never hold the same request at once, and a crash
 * at any point leaves a state the next run resumes from (an expired lease is simply claimed again).
 *
 * Rules kept here (DESIGN "City API semantics", sync-failures.md #1, #2, #9):
 * - a claim picks `queued` requests whose `next_attempt_at` has come, and `sending` ones whose lease has
 *   expired, oldest first, whose dependencies (same registration) all carry their document number; it sets
 *   `sending`, `attempts + 1`, the lease, the next attempt time and a `last_error` that tells the truth if
 *   the attempt never finishes — all BEFORE the attempt — and stores the final payload (dependency fields
 *   filled) so an idempotency key always maps to one payload;
 * - status never moves backwards (STATE_RANK; approved → issued is the one step within a rank), and a held
 *   request is never moved by the city's feed;
 * - the feed page and its cursor are written in one transaction.
 * Audit events carry the desk's time and ids/states only.
 */
import { DEPENDENCY_FIELDS } from '../core/domain/bundle';
import { STATE_RANK, type RequestState, type Service } from '../core/domain/codes';
import type { Store } from './store';
import { STATUS_FEED } from './sync-state-repo';
import { requestFromRow, type RequestRow } from './request-row';
import type { StoredRequest } from './types';

/** Server statuses (city API) and the local state each one means. */
export const SERVER_TO_LOCAL: Readonly<Record<string, RequestState>> = {
  received: 'accepted',
  in_review: 'in_review',
  approved: 'approved',
  issued: 'issued',
  rejected: 'rejected',
  needs_info: 'needs_info',
};

/** Actor of the audit events the sync engine writes. */
export const SYNC_ACTOR = 'sync';

const MAX_REASON = 1000;
const MAX_ERROR = 500;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** True when a request in `from` may move to `to` on the city's word (forward only; never out of held). */
export function movesForward(from: RequestState, to: RequestState): boolean {
  if (from === 'held' || from === to) return false;
  if (from === 'approved' && to === 'issued') return true;
  return STATE_RANK[to] > STATE_RANK[from];
}

export interface ClaimOptions {
  /** Desk time of the claim. */
  now: Date;
  /** Who holds the lease (the engine instance). */
  owner: string;
  leaseMs: number;
  maxItems: number;
  maxBytes: number;
  /** Bytes the request takes in a batch body (the engine encodes it); called with the final payload. */
  sizeOf(req: StoredRequest): number;
  /** Delay before the next attempt after attempt number `attempt` (1-based), recorded before the attempt. */
  backoffMs(attempt: number): number;
  /** How many due rows one claim looks at (default 4 × maxItems). */
  scanLimit?: number;
}

export interface ClaimedRequest extends StoredRequest {
  /** This attempt's number (1 = first). */
  attempt: number;
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

export interface RequestChange {
  request: StoredRequest;
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

const PENDING_ERROR = (attempt: number) => `attempt ${attempt} did not finish (the desk stopped or the connection was lost)`;

export function createSyncRepo(store: Store) {
  const { db } = store.context;
  const audit = store.audit;

  const due = db.prepare(`
    SELECT r.* FROM service_requests r
    WHERE ((r.state = 'queued' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= @now))
        OR (r.state = 'sending' AND (r.lease_until IS NULL OR r.lease_until <= @now)))
      AND NOT EXISTS (
        SELECT 1 FROM json_each(r.depends_on) d
        WHERE NOT EXISTS (
          SELECT 1 FROM service_requests p
          WHERE p.registration_id = r.registration_id AND p.service = d.value AND p.document_number IS NOT NULL))
    ORDER BY r.created_at, r.rowid
    LIMIT @limit`);
  const depDocs = db.prepare(`SELECT service, document_number FROM service_requests WHERE registration_id = ? AND document_number IS NOT NULL`);
  const claimOne = db.prepare(`
    UPDATE service_requests SET state = 'sending', attempts = attempts + 1, lease_owner = @owner, lease_until = @leaseUntil,
      next_attempt_at = @nextAttemptAt, last_error = @lastError, payload = @payload, updated_at = @now
    WHERE id = @id`);
  const byId = db.prepare(`SELECT * FROM service_requests WHERE id = ?`);
  const byKey = db.prepare(`SELECT * FROM service_requests WHERE idempotency_key = ?`);
  const blockedByRejected = db.prepare(`
    SELECT r.id AS id, d.value AS dep FROM service_requests r, json_each(r.depends_on) d
    JOIN service_requests p ON p.registration_id = r.registration_id AND p.service = d.value
    WHERE r.state = 'queued' AND p.state = 'rejected'`);
  const accept = db.prepare(`
    UPDATE service_requests SET state = @state, server_id = @serverId, server_status = @serverStatus, lease_owner = NULL,
      lease_until = NULL, next_attempt_at = NULL, last_error = NULL, reason = NULL, updated_at = @now
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);
  const hold = db.prepare(`
    UPDATE service_requests SET state = 'held', reason = @reason, last_error = @lastError, lease_owner = NULL, lease_until = NULL,
      next_attempt_at = NULL, updated_at = @now
    WHERE id = @id AND state = @from AND (@owner IS NULL OR lease_owner = @owner)`);
  const requeue = db.prepare(`
    UPDATE service_requests SET state = 'queued', lease_owner = NULL, lease_until = NULL, last_error = @lastError,
      next_attempt_at = CASE WHEN @notBefore IS NOT NULL AND (next_attempt_at IS NULL OR next_attempt_at < @notBefore)
                             THEN @notBefore ELSE next_attempt_at END,
      updated_at = @now
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);
  const leasedBy = db.prepare(`SELECT id FROM service_requests WHERE state = 'sending' AND lease_owner = ?`).pluck();
  const feedSet = db.prepare(`
    UPDATE service_requests SET state = @state, server_id = coalesce(server_id, @serverId), server_status = @serverStatus,
      reason = coalesce(@reason, reason), document_number = coalesce(document_number, @documentNumber),
      lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL,
      last_error = CASE WHEN state IN ('queued', 'sending') THEN NULL ELSE last_error END, updated_at = @now
    WHERE id = @id`);
  const docOnly = db.prepare(`UPDATE service_requests SET document_number = @documentNumber, updated_at = @now WHERE id = @id AND document_number IS NULL`);
  const expedite = db.prepare(`UPDATE service_requests SET next_attempt_at = @now WHERE state = 'queued' AND next_attempt_at > @now`);
  const summaryStmt = db.prepare(`
    SELECT (SELECT count(*) FROM service_requests WHERE state IN ('queued', 'sending')) AS depth,
           (SELECT count(*) FROM service_requests WHERE state = 'held') AS held,
           (SELECT min(next_attempt_at) FROM service_requests WHERE state = 'queued' AND next_attempt_at > @now) AS nextDue`);
  const sameRegistration = db.prepare(`SELECT service, state, document_number FROM service_requests WHERE registration_id = ?`);

  const load = (id: string): StoredRequest => requestFromRow(byId.get(id) as RequestRow);
  const iso = (d: Date) => d.toISOString();

  function auditChange(req: StoredRequest, from: RequestState, at: string, action: string, extra: Record<string, unknown> = {}): void {
    audit.appendInTx({
      actor: SYNC_ACTOR,
      at,
      action,
      subjectId: req.id,
      details: { registrationId: req.registrationId, service: req.service, from, to: req.state, ...extra },
    });
  }

  /** The final payload: each dependency's document number in its field (a field already filled is kept). */
  function finalPayload(row: RequestRow): string {
    const dependsOn = JSON.parse(row.depends_on) as Service[];
    if (dependsOn.length === 0) return row.payload;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const docs = new Map((depDocs.all(row.registration_id) as { service: string; document_number: string }[]).map((d) => [d.service, d.document_number]));
    let changed = false;
    for (const dep of dependsOn) {
      const field = (DEPENDENCY_FIELDS as Partial<Record<Service, string>>)[dep];
      const value = docs.get(dep);
      if (!field || value === undefined) continue;
      const current = payload[field];
      if (typeof current === 'string' && current !== '') continue;
      payload[field] = value;
      changed = true;
    }
    return changed ? JSON.stringify(payload) : row.payload;
  }

  return {
    /**
     * Claims the next page of due requests for one batch, bounded by count and bytes (a single request larger
     * than maxBytes goes alone). One transaction; the row shows the attempt before it is made.
     */
    claimDue(o: ClaimOptions): ClaimedRequest[] {
      const nowIso = iso(o.now);
      return store.transaction('sync.claim', () => {
        const rows = due.all({ now: nowIso, limit: o.scanLimit ?? Math.max(o.maxItems * 4, 16) }) as RequestRow[];
        const out: ClaimedRequest[] = [];
        let bytes = 0;
        for (const row of rows) {
          if (out.length >= o.maxItems) break;
          const payload = finalPayload(row);
          const candidate = requestFromRow({ ...row, payload });
          const size = o.sizeOf(candidate);
          if (out.length > 0 && bytes + size > o.maxBytes) break;
          const attempt = row.attempts + 1;
          const next = new Date(o.now.getTime() + Math.max(0, Math.round(o.backoffMs(attempt))));
          claimOne.run({
            id: row.id,
            owner: o.owner,
            leaseUntil: iso(new Date(o.now.getTime() + o.leaseMs)),
            nextAttemptAt: iso(next),
            lastError: PENDING_ERROR(attempt),
            payload,
            now: nowIso,
          });
          bytes += size;
          out.push({ ...load(row.id), attempt });
        }
        return out;
      });
    },

    /**
     * Records the outcome of each item of one batch (only where this owner still holds the lease: a request the
     * feed already moved on, or another process reclaimed, is left alone). One transaction.
     */
    recordResults(owner: string, outcomes: readonly ItemOutcome[], now: Date): RequestChange[] {
      const nowIso = iso(now);
      return store.transaction('sync.record_results', () => {
        const changes: RequestChange[] = [];
        for (const o of outcomes) {
          if (o.kind === 'accepted') {
            const n = accept.run({ id: o.id, owner, state: o.state, serverId: o.serverId, serverStatus: o.serverStatus, now: nowIso }).changes;
            if (n === 0) continue;
            const req = load(o.id);
            auditChange(req, 'sending', nowIso, 'sync.accepted', { serverStatus: o.serverStatus });
            changes.push({ request: req, from: 'sending' });
          } else if (o.kind === 'held') {
            const n = hold.run({ id: o.id, owner, from: 'sending', reason: clip(o.reason, MAX_REASON), lastError: clip(o.lastError, MAX_ERROR), now: nowIso }).changes;
            if (n === 0) continue;
            const req = load(o.id);
            auditChange(req, 'sending', nowIso, 'sync.held');
            changes.push({ request: req, from: 'sending' });
          } else {
            const n = requeue.run({
              id: o.id,
              owner,
              lastError: clip(o.lastError, MAX_ERROR),
              notBefore: o.notBefore ? iso(o.notBefore) : null,
              now: nowIso,
            }).changes;
            if (n > 0) changes.push({ request: load(o.id), from: 'sending' });
          }
        }
        return changes;
      });
    },

    /** Puts back in the queue every request this owner still leases (stop, protocol refusal, crashed predecessor). */
    releaseLeases(owner: string, lastError: string, now: Date): number {
      const nowIso = iso(now);
      return store.transaction('sync.release_leases', () => {
        const ids = leasedBy.all(owner) as string[];
        for (const id of ids) requeue.run({ id, owner, lastError: clip(lastError, MAX_ERROR), notBefore: null, now: nowIso });
        return ids.length;
      });
    },

    /** Queued dependants of a request the city rejected are held, saying which one they wait for. */
    holdBlockedDependants(now: Date): RequestChange[] {
      const nowIso = iso(now);
      return store.transaction('sync.hold_blocked', () => {
        const rows = blockedByRejected.all() as { id: string; dep: Service }[];
        const changes: RequestChange[] = [];
        const seen = new Set<string>();
        for (const { id, dep } of rows) {
          if (seen.has(id)) continue;
          seen.add(id);
          const reason = `所等待的"${dep}"申请已被驳回：请先修改该申请，再重试本申请。 Waits for ${dep}, which the city rejected: amend that request, then retry this one.`;
          const n = hold.run({ id, owner: null, from: 'queued', reason, lastError: `dependency ${dep} rejected`, now: nowIso }).changes;
          if (n === 0) continue;
          const req = load(id);
          auditChange(req, 'queued', nowIso, 'sync.held', { waitsFor: dep });
          changes.push({ request: req, from: 'queued' });
        }
        return changes;
      });
    },

    /**
     * Applies one status-feed page and stores `nextCursor` in the same transaction. Forward moves only; a held
     * request, an unknown key, or a server id other than the one the request already has are ignored.
     */
    applyFeedPage(updates: readonly FeedUpdate[], nextCursor: string, now: Date): FeedApplyResult {
      const nowIso = iso(now);
      return store.transaction('sync.apply_feed', () => {
        const result: FeedApplyResult = { changes: [], unknown: 0, stale: 0, ignored: 0, documents: 0 };
        for (const u of updates) {
          const row = byKey.get(u.idempotencyKey) as RequestRow | undefined;
          const to = SERVER_TO_LOCAL[u.status];
          if (!row) {
            result.unknown += 1;
            continue;
          }
          const from = row.state as RequestState;
          if (!to || from === 'held' || (row.server_id !== null && row.server_id !== u.serverId)) {
            result.ignored += 1;
            continue;
          }
          const doc = row.service === 'household_registration' ? (u.childIdNumber ?? u.documentNumber) : u.documentNumber;
          if (!movesForward(from, to)) {
            // The same status again may still bring the number (never replaces one already stored).
            if (from === to && doc && row.document_number === null && docOnly.run({ id: row.id, documentNumber: doc, now: nowIso }).changes > 0) {
              result.documents += 1;
              result.changes.push({ request: load(row.id), from });
            } else if (from === to || (from === 'issued' && to === 'approved')) result.stale += 1;
            else result.ignored += 1;
            continue;
          }
          feedSet.run({
            id: row.id,
            state: to,
            serverId: u.serverId,
            serverStatus: u.status,
            reason: u.reason !== undefined && (to === 'rejected' || to === 'needs_info') ? clip(u.reason, MAX_REASON) : null,
            documentNumber: doc ?? null,
            now: nowIso,
          });
          const req = load(row.id);
          if (doc && row.document_number === null) result.documents += 1;
          auditChange(req, from, nowIso, 'sync.status', { serverStatus: u.status });
          result.changes.push({ request: req, from });
        }
        store.syncState.setCursorInTx(STATUS_FEED, nextCursor);
        return result;
      });
    },

    /** Forgets the feed cursor (the city refused it): the feed is read again from the start, which is safe. */
    resetCursor(): void {
      store.transaction('sync.reset_cursor', () => store.syncState.setCursorInTx(STATUS_FEED, null));
    },

    /** After a long outage: every queued request becomes due now (held ones stay held). */
    expediteQueued(now: Date): number {
      return store.transaction('sync.expedite', () => expedite.run({ now: iso(now) }).changes);
    },

    summary(now: Date): QueueSummary {
      const r = summaryStmt.get({ now: iso(now) }) as { depth: number; held: number; nextDue: string | null };
      return { queueDepth: r.depth, held: r.held, nextDueAt: r.nextDue };
    },

    /** The services a queued request still waits for (their document number has not come), for "waits for …". */
    waitingFor(requestId: string): Service[] {
      const row = byId.get(requestId) as RequestRow | undefined;
      if (!row || row.state !== 'queued') return [];
      const deps = JSON.parse(row.depends_on) as Service[];
      if (deps.length === 0) return [];
      const rows = sameRegistration.all(row.registration_id) as { service: string; document_number: string | null }[];
      return deps.filter((d) => !rows.some((r) => r.service === d && r.document_number !== null));
    },
  };
}

export type SyncRepo = ReturnType<typeof createSyncRepo>;
