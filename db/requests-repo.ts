/**
 * Service requests: reads, counts and state changes. Every change is one transaction with its audit event.
 *
 * State rules (STATE_RANK of codes.ts; status never moves backwards):
 * - `transition` moves forward in rank, or within a rank only sending→held and approved→issued;
 *   the one sanctioned step back is sending→queued (an attempt failed before the city accepted it);
 * - `held` leaves only through `retry` (→ queued); `rejected`/`needs_info` go back to `queued` only
 *   through `amend`, which bumps `revision`, replaces the payload and the idempotency key
 *   (`${registrationId}:${service}:${revision}`, the domain's form; see nextRevision).
 */
import { z } from 'zod';
import { idempotencyKey, parseIdempotencyKey } from '../domain/bundle';
import { REQUEST_STATES, STATE_RANK, advances, type RequestState } from '../domain/codes';
import { IsoInstant } from '../domain/types';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { BackwardTransitionError, InvalidInputError, NotFoundError, StaleStateError, mapWriteError } from './errors';
import { createPayloadReader, splitPayload } from './payload-share';
import { requestFromRow, type RequestRow } from './request-row';
import type { AuditContext, RequestPatch, StoredRequest, TransitionAudit } from './types';

const MAX_PAYLOAD_BYTES = 64 * 1024;

const nullableText = (max: number) => z.string().max(max).nullable().optional();

// Schemas are built once at load, never per call (building one costs about as much as the write it guards).
const ExpectedFromSchema = z.array(z.enum(REQUEST_STATES)).min(1);
const AmendedPayloadSchema = z.record(z.string(), z.unknown());

const PatchSchema = z
  .object({
    state: z.enum(REQUEST_STATES).optional(),
    attempts: z.number().int().min(0).max(1_000_000).optional(),
    nextAttemptAt: IsoInstant.nullable().optional(),
    lastError: nullableText(500),
    leaseOwner: nullableText(64),
    leaseUntil: IsoInstant.nullable().optional(),
    serverId: nullableText(64),
    serverStatus: nullableText(64),
    reason: nullableText(1000),
    documentNumber: nullableText(40),
  })
  .strict();

const AuditCtxSchema = z.object({
  actor: z.string().min(1).max(64),
  at: IsoInstant.optional(),
  action: z.string().max(64).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const COLUMN: Record<keyof RequestPatch, string> = {
  state: 'state',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  leaseOwner: 'lease_owner',
  leaseUntil: 'lease_until',
  serverId: 'server_id',
  serverStatus: 'server_status',
  reason: 'reason',
  documentNumber: 'document_number',
};
const INSTANT_FIELDS = new Set<keyof RequestPatch>(['nextAttemptAt', 'leaseUntil']);

/**
 * The key of the amended request: the domain's `${registrationId}:${service}:${revision}` form
 * (domain/bundle.ts) when the key has it, else the key at revision 0 plus `:${revision}`.
 */
export function nextRevision(
  current: Pick<StoredRequest, 'idempotencyKey' | 'registrationId' | 'service' | 'revision'>,
): { revision: number; idempotencyKey: string } {
  const parsed = parseIdempotencyKey(current.idempotencyKey);
  if (parsed && parsed.registrationId === current.registrationId && parsed.service === current.service) {
    const revision = Math.max(current.revision, parsed.revision) + 1;
    return { revision, idempotencyKey: idempotencyKey(current.registrationId, current.service, revision) };
  }
  const revision = current.revision + 1;
  const suffix = `:${current.revision}`;
  const base =
    current.revision > 0 && current.idempotencyKey.endsWith(suffix)
      ? current.idempotencyKey.slice(0, -suffix.length)
      : current.idempotencyKey;
  return { revision, idempotencyKey: `${base}:${revision}` };
}

/** The revision a new request starts at: the one its key names in the domain form, else 0. */
export function initialRevision(r: { idempotencyKey: string; service: string }, registrationId: string): number {
  const parsed = parseIdempotencyKey(r.idempotencyKey);
  return parsed && parsed.registrationId === registrationId && parsed.service === r.service ? parsed.revision : 0;
}

/** Null when `from → to` is allowed through `transition`, else why not. */
export function transitionRefusal(from: RequestState, to: RequestState): string | null {
  if (from === to) return null;
  if (from === 'held') return 'a held request leaves only through retry';
  if ((from === 'rejected' || from === 'needs_info') && to === 'queued') return 'it goes back to the queue only through amend';
  if (from === 'sending' && to === 'queued') return null; // attempt failed before the city accepted it
  if (advances(from, to) || (from === 'sending' && to === 'held')) return null;
  return STATE_RANK[to] === STATE_RANK[from] ? `${from} and ${to} are both final or parallel states` : 'status never moves backwards';
}

export function createRequestsRepo(ctx: StoreContext, audit: AuditRepo) {
  const { db } = ctx;
  const byId = db.prepare(`SELECT * FROM service_requests WHERE id = ?`);
  const byRegistration = db.prepare(`SELECT * FROM service_requests WHERE registration_id = ? ORDER BY rowid`);
  const byState = db.prepare(`SELECT state, count(*) AS n FROM service_requests GROUP BY state`);
  const depth = db
    .prepare(`SELECT count(*) FROM service_requests WHERE state IN ('queued', 'sending')`)
    .pluck();

  const payloads = createPayloadReader(db);
  /** The row as a request, its payload whole (a shared head spliced back: db/payload-share.ts). */
  const fromRow = (row: RequestRow, head?: string | null): StoredRequest =>
    requestFromRow({ ...row, payload: payloads.full({ ...row, payload_shared: row.payload_shared ?? 0 }, head) });

  function load(id: string): StoredRequest {
    const row = byId.get(id) as RequestRow | undefined;
    if (!row) throw new NotFoundError('service request', id);
    return fromRow(row);
  }

  function parseAudit(a: TransitionAudit | AuditContext): z.infer<typeof AuditCtxSchema> {
    const p = AuditCtxSchema.safeParse(a);
    if (!p.success) throw InvalidInputError.fromZod('audit context', p.error);
    return p.data;
  }

  function checkId(id: unknown): asserts id is string {
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) {
      throw InvalidInputError.one('request id', 'id', 'invalid_type', 'expected a request id (text)', '应为申请编号');
    }
  }

  function applyUpdate(id: string, sets: Record<string, unknown>): void {
    const cols = Object.keys(sets);
    db.prepare(`UPDATE service_requests SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`).run({
      ...sets,
      __id: id,
    });
  }

  return {
    get(id: string): StoredRequest | null {
      checkId(id);
      const row = ctx.timed('requests.get', () => byId.get(id) as RequestRow | undefined);
      return row ? fromRow(row) : null;
    },

    listForRegistration(registrationId: string): StoredRequest[] {
      checkId(registrationId);
      return ctx.timed('requests.list_for_registration', () => {
        const rows = byRegistration.all(registrationId) as RequestRow[];
        const head = rows.some((r) => r.payload_shared === 1) ? payloads.head(registrationId) : null;
        return rows.map((r) => fromRow(r, head));
      });
    },

    countByState(): Record<RequestState, number> {
      const out = Object.fromEntries(REQUEST_STATES.map((s) => [s, 0])) as Record<RequestState, number>;
      for (const r of ctx.timed('requests.count_by_state', () => byState.all() as { state: RequestState; n: number }[])) {
        out[r.state] = r.n;
      }
      return out;
    },

    /** Requests not yet accepted by the city (queued or being sent); held ones are counted by countByState. */
    queueDepth(): number {
      return ctx.timed('requests.queue_depth', () => depth.get() as number);
    },

    /**
     * Applies `patch` when the request is in one of `expectedFrom`, refusing any backwards move
     * (see the module comment), and writes the audit event, all in one transaction.
     */
    transition(id: string, patch: RequestPatch, expectedFrom: readonly RequestState[], auditCtx: TransitionAudit): StoredRequest {
      checkId(id);
      const p = PatchSchema.safeParse(patch);
      if (!p.success) throw InvalidInputError.fromZod('request patch', p.error);
      const from = ExpectedFromSchema.safeParse(expectedFrom);
      if (!from.success) throw InvalidInputError.fromZod('expected states', from.error);
      const a = parseAudit(auditCtx);
      try {
        return ctx.write('requests.transition', () => {
          const current = load(id);
          if (!from.data.includes(current.state)) throw new StaleStateError(id, current.state, from.data);
          const to = p.data.state ?? current.state;
          const refusal = transitionRefusal(current.state, to);
          if (refusal) throw new BackwardTransitionError(id, current.state, to, refusal);
          const sets: Record<string, unknown> = { updated_at: ctx.nowIso() };
          const changed: string[] = [];
          for (const [k, v] of Object.entries(p.data) as [keyof RequestPatch, unknown][]) {
            if (v === undefined) continue;
            sets[COLUMN[k]] = INSTANT_FIELDS.has(k) && typeof v === 'string' ? new Date(v).toISOString() : v;
            changed.push(k);
          }
          applyUpdate(id, sets);
          audit.appendInTx({
            actor: a.actor,
            at: a.at,
            action: a.action ?? 'request.transition',
            subjectId: id,
            details: { ...(a.details ?? {}), registrationId: current.registrationId, from: current.state, to, changed },
          });
          return load(id);
        });
      } catch (e) {
        throw mapWriteError('requests.transition', e);
      }
    },

    /** A clerk puts a held request back in the queue (attempts reset, due now). */
    retry(id: string, auditCtx: AuditContext): StoredRequest {
      checkId(id);
      const a = parseAudit(auditCtx);
      return ctx.write('requests.retry', () => {
        const current = load(id);
        if (current.state !== 'held') throw new StaleStateError(id, current.state, ['held']);
        const now = ctx.nowIso();
        applyUpdate(id, {
          state: 'queued',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        });
        audit.appendInTx({
          actor: a.actor,
          at: a.at,
          action: 'request.retry',
          subjectId: id,
          details: { registrationId: current.registrationId, from: 'held', to: 'queued' },
        });
        return load(id);
      });
    },

    /**
     * A clerk corrects a rejected / needs-info request: new payload, `revision + 1`, idempotency key
     * `${base}:${revision}` (the city sees a new request), server fields cleared, back to the queue.
     */
    amend(id: string, payload: Record<string, unknown>, auditCtx: AuditContext): StoredRequest {
      checkId(id);
      const pp = AmendedPayloadSchema.safeParse(payload);
      if (!pp.success) throw InvalidInputError.fromZod('amended payload', pp.error);
      const json = JSON.stringify(pp.data);
      if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
        throw InvalidInputError.one('amended payload', 'payload', 'too_big', `payload is larger than ${MAX_PAYLOAD_BYTES} bytes`, '申请数据过大');
      }
      const a = parseAudit(auditCtx);
      try {
        return ctx.write('requests.amend', () => {
          const current = load(id);
          // `held` too: a request the city refused at intake (field errors) is corrected the same way.
          if (current.state !== 'rejected' && current.state !== 'needs_info' && current.state !== 'held') {
            throw new StaleStateError(id, current.state, ['rejected', 'needs_info', 'held']);
          }
          const { revision, idempotencyKey: key } = nextRevision(current);
          const now = ctx.nowIso();
          const { stored, shared } = splitPayload(json, payloads.head(current.registrationId));
          applyUpdate(id, {
            state: 'queued',
            revision,
            idempotency_key: key,
            payload: stored,
            payload_shared: shared,
            attempts: 0,
            next_attempt_at: now,
            last_error: null,
            lease_owner: null,
            lease_until: null,
            server_id: null,
            server_status: null,
            reason: null,
            document_number: null,
            updated_at: now,
          });
          audit.appendInTx({
            actor: a.actor,
            at: a.at,
            action: 'request.amend',
            subjectId: id,
            details: { registrationId: current.registrationId, from: current.state, to: 'queued', revision },
          });
          return load(id);
        });
      } catch (e) {
        throw mapWriteError('requests.amend', e);
      }
    },
  };
}

export type RequestsRepo = ReturnType<typeof createRequestsRepo>;
