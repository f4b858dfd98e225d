/**
 * The sync engine's SQL (core/sync): claiming due requests under a lease, recording per-item results,
 * releasing leases, and applying a status-feed page together with its cursor. Every method is one IMMEDIATE
 * transaction, so two processes on one database file can never hold the same request at once, and a crash
 * at any point leaves a state the next run resumes from (an expired lease is simply claimed again).
 *
 * Rules kept here (DESIGN "City API semantics", sync-failures.md #1, #2, #9):
 * - a claim takes `sending` requests whose lease has expired, then `queued` ones whose `next_attempt_at` has
 *   come (the due index), oldest first;
 *   a dependant whose dependency (same registration) has no document number yet is parked (`next_attempt_at`
 *   NULL, "waits for …") and woken when that number arrives, so waiting requests cost nothing per claim;
 *   it sets `sending`, `attempts + 1`, the lease, the next attempt time and a `last_error` that tells the truth
 *   if the attempt never finishes — all BEFORE the attempt — and stores the final payload (dependency fields
 *   filled) so an idempotency key always maps to one payload;
 * - status never moves backwards (STATE_RANK; approved → issued is the one step within a rank), and a held
 *   request is never moved by the city's feed;
 * - the feed page and its cursor are written in one transaction.
 * Audit events carry the desk's time and ids/states only. Routine outcomes are folded (issue 14): one event per
 * recorded batch (the accepted requests with the city's ids) and one per feed page (the requests whose document
 * number came, and a count of other forward moves); held, rejected and needs-info stay one event per request.
 */
import { DEPENDENCY_FIELDS } from '../domain/bundle';
import { SERVER_TO_LOCAL as SERVER_STATE_MEANING, advances, type RequestState, type Service } from '../domain/codes';
import { assertNoPii } from './audit-repo';
import type { Store } from './store';
import { STATUS_FEED } from './sync-state-repo';
import { createPayloadReader, splitPayload } from './payload-share';
import { requestFromRow, type RequestRow } from './request-row';
import type { ChangedRequest, ClaimOptions, ClaimedRequest, FeedApplyResult, FeedUpdate, ItemOutcome, QueueSummary, RequestChange } from './sync-types';

/** Server statuses (city API) and the local state each one means (domain/codes), looked up by the wire's string. */
export const SERVER_TO_LOCAL: Readonly<Record<string, RequestState>> = SERVER_STATE_MEANING;

/** Actor of the audit events the sync engine writes. */
export const SYNC_ACTOR = 'sync';

const MAX_REASON = 1000;
const MAX_ERROR = 500;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** True when a request in `from` may move to `to` on the city's word (forward only; never out of held). */
export function movesForward(from: RequestState, to: RequestState): boolean {
  return from !== 'held' && advances(from, to);
}

export type { ChangedRequest, ClaimOptions, ClaimedRequest, FeedApplyResult, FeedUpdate, ItemOutcome, QueueSummary, RequestChange } from './sync-types';

const PENDING_ERROR = (attempt: number) => `attempt ${attempt} did not finish (the desk stopped or the connection was lost)`;

/** `payload` becomes a getter that parses `payloadJson` once, on first read. */
function lazyPayload(r: ClaimedRequest): ClaimedRequest {
  let parsed: Record<string, unknown> | undefined;
  Object.defineProperty(r, 'payload', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= JSON.parse(r.payloadJson) as Record<string, unknown>),
  });
  return r;
}

/**
 * The claim's read of due rows, oldest first (the order the city must see them in): the partial index
 * service_requests_queue holds the queued rows in creation order with their due time, so SQLite walks it,
 * tests the due time from the index entry, and fetches only the rows it returns — no sort of every due row with
 * its payload (84 ms a claim at 10,000 queued); only rows that tie on created_at (one bundle's) are put in
 * rowid order. Waiting dependants are parked (due NULL) and skipped from the index.
 * Exported so a test can show the plan has no sort step.
 */
export const DUE_QUEUED_SQL = `
    SELECT * FROM service_requests INDEXED BY service_requests_queue WHERE state = 'queued' AND next_attempt_at <= @now
    ORDER BY created_at, rowid LIMIT @limit`;

export function createSyncRepo(store: Store) {
  const { db } = store.context;
  const audit = store.audit;

  // The due index (state, next_attempt_at) gives the due rows in its own order, the longest-due first (waiting
  // dependants are parked outside it), so a claim reads only the rows it takes: ordering by created_at made
  // SQLite sort every due row, payload and all, on each claim (84 ms at 10,000 queued against 2.2 ms).
  const dueQueued = db.prepare(DUE_QUEUED_SQL);
  const expiredLeases = db.prepare(`
    SELECT * FROM service_requests WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY rowid LIMIT @limit`);
  // A dependant that waits is parked (next_attempt_at NULL) until its dependency's number arrives.
  const park = db.prepare(`UPDATE service_requests SET next_attempt_at = NULL WHERE id = ?`);
  const wakeSiblings = db.prepare(`
    UPDATE service_requests SET next_attempt_at = @now
    WHERE registration_id = @registrationId AND state = 'queued' AND next_attempt_at IS NULL`);
  const wakeAll = db.prepare(`
    UPDATE service_requests SET next_attempt_at = @now
    WHERE state = 'queued' AND next_attempt_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM json_each(service_requests.depends_on) d
        WHERE NOT EXISTS (
          SELECT 1 FROM service_requests p
          WHERE p.registration_id = service_requests.registration_id AND p.service = d.value AND p.document_number IS NOT NULL))`);
  // By registration only (the (registration_id, service) key): a document_number condition would tempt the
  // planner into the partial document index, a scan of every issued request.
  const siblings = db.prepare(`SELECT service, state, document_number FROM service_requests WHERE registration_id = ?`);
  const claimOne = db.prepare(`
    UPDATE service_requests SET state = 'sending', attempts = attempts + 1, lease_owner = @owner, lease_until = @leaseUntil,
      next_attempt_at = @nextAttemptAt, last_error = @lastError, payload = @payload, payload_shared = @payloadShared, updated_at = @now
    WHERE id = @id`);
  const byId = db.prepare(`SELECT * FROM service_requests WHERE id = ?`);
  const changedById = db.prepare(`SELECT id, registration_id, service, state, server_id, document_number, reason, last_error, attempts,
    next_attempt_at FROM service_requests WHERE id = ?`);
  const byKey = db.prepare(`SELECT * FROM service_requests WHERE idempotency_key = ?`);
  // Driven from the (few) rejected requests to their queued siblings that name them as a dependency.
  const blockedByRejected = db.prepare(`
    SELECT r.id AS id, p.service AS dep FROM service_requests p
    JOIN service_requests r ON r.registration_id = p.registration_id
    WHERE p.state = 'rejected' AND r.state = 'queued'
      AND EXISTS (SELECT 1 FROM json_each(r.depends_on) d WHERE d.value = p.service)`);
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
  const renew = db.prepare(`
    UPDATE service_requests SET lease_until = @leaseUntil
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner AND lease_until > @now`);
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

  const payloads = createPayloadReader(db);
  const load = (id: string): ChangedRequest => {
    const r = changedById.get(id) as RequestRow;
    return {
      id: r.id,
      registrationId: r.registration_id,
      service: r.service as Service,
      state: r.state as RequestState,
      serverId: r.server_id,
      documentNumber: r.document_number,
      reason: r.reason,
      lastError: r.last_error,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
    };
  };
  const iso = (d: Date) => d.toISOString();

  function auditChange(req: ChangedRequest, from: RequestState, at: string, action: string, extra: Record<string, unknown> = {}): void {
    audit.appendInTx({
      actor: SYNC_ACTOR,
      at,
      action,
      subjectId: req.id,
      details: { registrationId: req.registrationId, service: req.service, from, to: req.state, ...extra },
    });
  }

  /**
   * Issue 14: the routine outcomes of one transaction (a batch's acceptances, a feed page's progress) are one
   * hash-chained event, not one per request: an accepted request with the city's id, a request whose document
   * number came (issued), and how many moved on otherwise. Held, rejected and needs-info stay one event each.
   */
  function auditFolded(at: string, action: string, details: Record<string, unknown>): void {
    audit.appendInTx({ actor: SYNC_ACTOR, at, action, subjectId: null, details });
  }
  /** The city's id for the audit, unless it looks like personal data (a hostile city's id is not audited as is). */
  function auditableId(serverId: string): string | null {
    try {
      assertNoPii(serverId);
      return serverId;
    } catch {
      return null;
    }
  }

  /**
   * The final payload — each dependency's document number in its field (a field already filled is kept) — or
   * null while a dependency has no number yet.
   */
  function finalPayload(row: RequestRow, text: string): string | null {
    const dependsOn = JSON.parse(row.depends_on) as Service[];
    if (dependsOn.length === 0) return text;
    const docs = new Map<string, string>();
    for (const d of siblings.all(row.registration_id) as { service: string; document_number: string | null }[]) {
      if (d.document_number !== null) docs.set(d.service, d.document_number);
    }
    if (!dependsOn.every((d) => docs.has(d))) return null;
    const payload = JSON.parse(text) as Record<string, unknown>;
    let changed = false;
    for (const dep of dependsOn) {
      const field = (DEPENDENCY_FIELDS as Partial<Record<Service, string>>)[dep];
      if (!field) continue;
      const current = payload[field];
      if (typeof current === 'string' && current !== '') continue;
      payload[field] = docs.get(dep);
      changed = true;
    }
    return changed ? JSON.stringify(payload) : text;
  }

  return {
    /**
     * Claims the next page of due requests for one batch, bounded by count and bytes (a single request larger
     * than maxBytes goes alone). One transaction; the row shows the attempt before it is made.
     */
    claimDue(o: ClaimOptions): ClaimedRequest[] {
      const nowIso = iso(o.now);
      const limit = o.scanLimit ?? Math.max(o.maxItems * 2, 16);
      return store.transaction('sync.claim', () => {
        const out: ClaimedRequest[] = [];
        let bytes = 0;
        let full = false;
        // Expired leases first (their attempt was cut short), then the queue in due order. Parked and claimed
        // rows leave the due range, so reading again continues where the last page stopped.
        for (const stmt of [expiredLeases, dueQueued]) {
          for (let pages = 0; !full && pages < 50; pages++) {
            const rows = stmt.all({ now: nowIso, limit }) as RequestRow[];
            for (const row of rows) {
              if (out.length >= o.maxItems) {
                full = true;
                break;
              }
              // The payload's whole text (a bundle's shared head spliced back: db/payload-share.ts).
              const head = row.payload_shared === 1 ? payloads.head(row.registration_id) : null;
              const text = payloads.full({ ...row, payload_shared: row.payload_shared ?? 0 }, head);
              const payload = finalPayload(row, text);
              if (payload === null) {
                park.run(row.id);
                continue;
              }
              // The payload is not parsed here: a batch of thousands would only re-encode it.
              const claimed = lazyPayload({ ...requestFromRow({ ...row, payload: '{}' }), attempt: 0, payloadJson: payload });
              const size = o.sizeOf(claimed);
              if (out.length > 0 && bytes + size > o.maxBytes) {
                full = true;
                break;
              }
              const attempt = row.attempts + 1;
              Object.assign(claimed, {
                state: 'sending',
                attempts: attempt,
                leaseOwner: o.owner,
                leaseUntil: iso(new Date(o.now.getTime() + o.leaseMs)),
                nextAttemptAt: iso(new Date(o.now.getTime() + Math.max(0, Math.round(o.backoffMs(attempt))))),
                lastError: PENDING_ERROR(attempt),
                updatedAt: nowIso,
                attempt,
              } satisfies Partial<ClaimedRequest>);
              claimOne.run({
                id: row.id,
                owner: o.owner,
                leaseUntil: claimed.leaseUntil,
                nextAttemptAt: claimed.nextAttemptAt,
                lastError: claimed.lastError,
                // Unchanged: the row keeps its bytes; filled in: the final text, split again on the same head.
                ...(payload === text
                  ? { payload: row.payload, payloadShared: row.payload_shared ?? 0 }
                  : (({ stored, shared }) => ({ payload: stored, payloadShared: shared }))(splitPayload(payload, head ?? payloads.head(row.registration_id)))),
                now: nowIso,
              });
              bytes += size;
              out.push(claimed);
            }
            if (rows.length < limit) break;
          }
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
        const accepted: [string, string | null][] = [];
        for (const o of outcomes) {
          if (o.kind === 'accepted') {
            const n = accept.run({ id: o.id, owner, state: o.state, serverId: o.serverId, serverStatus: o.serverStatus, now: nowIso }).changes;
            if (n === 0) continue;
            const req = load(o.id);
            accepted.push([req.id, auditableId(o.serverId)]);
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
        // One event for the batch's acceptances: [request id, the city's id] each.
        if (accepted.length > 0) auditFolded(nowIso, 'sync.accepted_batch', { accepted });
        return changes;
      });
    },

    /**
     * Extends the lease of requests this owner still holds — an unexpired lease only: one that ran out may already
     * have been claimed again — to `leaseMs` from `now`. Called before every call that carries them (a bisected
     * batch re-sends its halves one after the other), so a lease never runs out while its request is in flight.
     * Returns the ids still held; the others must not be sent.
     */
    renewLeases(owner: string, ids: readonly string[], now: Date, leaseMs: number): Set<string> {
      const nowIso = iso(now);
      const until = iso(new Date(now.getTime() + leaseMs));
      return store.transaction('sync.renew_leases', () => {
        const kept = new Set<string>();
        for (const id of ids) if (renew.run({ id, owner, now: nowIso, leaseUntil: until }).changes === 1) kept.add(id);
        return kept;
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
        // Folded into one event for the page: requests whose number came, and a count of the other forward moves.
        const numbered: string[] = [];
        let moved = 0;
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
              wakeSiblings.run({ registrationId: row.registration_id, now: nowIso });
              numbered.push(row.id);
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
          const numberCame = Boolean(doc) && row.document_number === null;
          if (numberCame) {
            result.documents += 1;
            wakeSiblings.run({ registrationId: row.registration_id, now: nowIso });
          }
          // An outcome the clerk must act on stays an event of its own; routine progress is folded.
          if (to === 'rejected' || to === 'needs_info') auditChange(req, from, nowIso, 'sync.status', { serverStatus: u.status });
          else if (numberCame) numbered.push(req.id);
          else moved += 1;
          result.changes.push({ request: req, from });
        }
        if (numbered.length > 0 || moved > 0) auditFolded(nowIso, 'sync.feed_page', { numbered, moved });
        store.syncState.setCursorInTx(STATUS_FEED, nextCursor);
        return result;
      });
    },

    /** Forgets the feed cursor (the city refused it): the feed is read again from the start, which is safe. */
    resetCursor(): void {
      store.transaction('sync.reset_cursor', () => store.syncState.setCursorInTx(STATUS_FEED, null));
    },

    /** Safety net (once per cycle): parked dependants whose dependencies all have their number become due. */
    wakeReady(now: Date): number {
      return store.transaction('sync.wake_ready', () => wakeAll.run({ now: iso(now) }).changes);
    },

    /** After a long outage: every queued request in backoff becomes due now (held ones stay held). */
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
      const rows = siblings.all(row.registration_id) as { service: string; document_number: string | null }[];
      return deps.filter((d) => !rows.some((r) => r.service === d && r.document_number !== null));
    },
  };
}

export type SyncRepo = ReturnType<typeof createSyncRepo>;
