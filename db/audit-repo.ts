/**
 * Audit events: append-only (triggers refuse UPDATE/DELETE) and hash-chained:
 * `hash = SHA-256(prevHash + canonicalJSON({ id, at, actor, action, subjectId, details }))`, the first
 * event chaining from 64 zeros. `verifyChain()` recomputes the chain and names the first broken row.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { MOBILE_PATTERN } from '../domain/phone';
import { canonicalJSON } from '../domain/canonical';
import { sha256Hex } from './canonical';
import type { StoreContext } from './context';
import { InvalidInputError } from './errors';
import { camelRow, type Row } from './rows';
import type { AuditChainResult, AuditDetails, AuditEvent, AuditEventInput } from './types';

export const GENESIS_HASH = '0'.repeat(64);

/** Built once: a zod schema built per call cost ~0.3 ms, six times per submit through the API. */
const AuditListQuerySchema = z.object({
  subjectId: z.string().max(64).optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

const AuditInputSchema = z.object({
  actor: z.string().min(1).max(64),
  at: z.string().datetime({ offset: true }).optional(),
  action: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'expected a dotted action name like registration.submit'),
  subjectId: z.string().max(64).nullable().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Keys that would carry personal data; details hold ids, codes, counts and states only. */
const PII_KEYS = /^(name|.*Name|phone|.*Phone|docNumber|idNumber|.*DocNumber|address|.*Address|bankAccount)$/;
/** An 18-character resident ID number, or a mainland mobile number, standing alone (not inside a longer token). */
const PII_VALUES = new RegExp(`(^|[^0-9A-Za-z])(\\d{17}[\\dXx]|${MOBILE_PATTERN})([^0-9A-Za-z]|$)`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws InvalidInputError when `details` looks like it carries an ID number, a name or a phone. */
export function assertNoPii(details: unknown, path = 'details'): void {
  if (typeof details === 'string') {
    if (!UUID.test(details) && PII_VALUES.test(details)) {
      throw InvalidInputError.one('audit event', path, 'pii', 'audit details must not contain ID or phone numbers; store ids only', '审计记录不得包含证件号码或电话号码，只记录编号');
    }
    return;
  }
  if (Array.isArray(details)) {
    details.forEach((d, i) => assertNoPii(d, `${path}.${i}`));
    return;
  }
  if (details && typeof details === 'object') {
    for (const [k, v] of Object.entries(details)) {
      if (PII_KEYS.test(k)) {
        throw InvalidInputError.one('audit event', `${path}.${k}`, 'pii', `audit details must not carry "${k}"; store ids only`, `审计记录不得包含“${k}”，只记录编号`);
      }
      assertNoPii(v, `${path}.${k}`);
    }
  }
}

type AuditRow = Omit<Row<AuditEvent>, 'details'> & { details: string };

function fromRow(r: AuditRow): AuditEvent {
  return { ...camelRow(r), details: JSON.parse(r.details) as AuditDetails };
}

export function auditHash(
  prevHash: string,
  content: { id: string; at: string; actor: string; action: string; subjectId: string | null; details: AuditDetails },
): string {
  return sha256Hex(prevHash + canonicalJSON(content));
}

export interface AuditListQuery {
  subjectId?: string;
  /** Events with seq below this (paging backwards). */
  beforeSeq?: number;
  limit?: number;
}

export function createAuditRepo(ctx: StoreContext) {
  const { db } = ctx;
  const lastHash = db.prepare(`SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1`).pluck();
  const insert = db.prepare(
    `INSERT INTO audit_events (id, at, actor, action, subject_id, details, prev_hash, hash)
     VALUES (@id, @at, @actor, @action, @subjectId, @details, @prevHash, @hash)`,
  );

  /**
   * Appends one event. Must run inside a write transaction (every caller's own), so the chain head read
   * and the insert are atomic. Validates and refuses personal data in details.
   */
  function appendInTx(input: AuditEventInput): AuditEvent {
    const parsed = AuditInputSchema.safeParse(input);
    if (!parsed.success) throw InvalidInputError.fromZod('audit event', parsed.error);
    // The audit time is the desk's clock; a caller's time is kept only as what the clerk stated (issue 13).
    const deskTime = ctx.nowIso();
    const statedIso = parsed.data.at ? new Date(parsed.data.at).toISOString() : deskTime;
    const stated = statedIso !== deskTime ? { statedAt: statedIso } : {};
    const details = { ...(parsed.data.details ?? {}), ...stated };
    assertNoPii(details);
    if (!db.inTransaction) throw new Error('audit append outside a transaction');
    // The details are canonicalised once: that text is both stored and spliced into the hashed content (the
    // same bytes canonicalJSON(content) gives, its keys in sorted order), not re-encoded twice more.
    const detailsJson = canonicalJSON(details);
    const content = {
      id: uuidv7(),
      at: deskTime,
      actor: parsed.data.actor,
      action: parsed.data.action,
      subjectId: parsed.data.subjectId ?? null,
      details: JSON.parse(detailsJson) as AuditDetails,
    };
    const prevHash = (lastHash.get() as string | undefined) ?? GENESIS_HASH;
    const j = JSON.stringify;
    const hash = sha256Hex(
      `${prevHash}{"action":${j(content.action)},"actor":${j(content.actor)},"at":${j(content.at)},"details":${detailsJson},` +
        `"id":${j(content.id)},"subjectId":${content.subjectId === null ? 'null' : j(content.subjectId)}}`,
    );
    const info = insert.run({ ...content, details: detailsJson, prevHash, hash });
    ctx.noteAuditAppend(Number(info.lastInsertRowid), hash);
    return { seq: Number(info.lastInsertRowid), ...content, prevHash, hash };
  }

  return {
    appendInTx,

    /** Appends one event in its own transaction. */
    append(input: AuditEventInput): AuditEvent {
      return ctx.write('audit.append', () => appendInTx(input));
    },

    /** Newest first. */
    list(query: AuditListQuery = {}): AuditEvent[] {
      const q = AuditListQuerySchema.safeParse(query);
      if (!q.success) throw InvalidInputError.fromZod('audit query', q.error);
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.data.subjectId !== undefined) {
        where.push('subject_id = ?');
        params.push(q.data.subjectId);
      }
      if (q.data.beforeSeq !== undefined) {
        where.push('seq < ?');
        params.push(q.data.beforeSeq);
      }
      const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      params.push(q.data.limit ?? 100);
      return ctx.timed('audit.list', () => (db.prepare(sql).all(...params) as AuditRow[]).map(fromRow));
    },

    count(): number {
      return db.prepare(`SELECT count(*) FROM audit_events`).pluck().get() as number;
    },

    /** Recomputes every hash in chain order; names the first row whose content or link does not match. */
    verifyChain(): AuditChainResult {
      return ctx.timed('audit.verify_chain', () => {
        let prev = GENESIS_HASH;
        let count = 0;
        for (const r of db.prepare(`SELECT * FROM audit_events ORDER BY seq`).iterate() as IterableIterator<AuditRow>) {
          const broken = (reason: string): AuditChainResult => ({
            ok: false,
            firstBrokenId: r.id,
            firstBrokenSeq: r.seq,
            reason,
            count,
          });
          if (r.prev_hash !== prev) return broken('prev_hash does not match the previous event (an event was removed, inserted or reordered)');
          let details: AuditDetails;
          try {
            details = JSON.parse(r.details) as AuditDetails;
          } catch {
            return broken('details are not valid JSON');
          }
          if (canonicalJSON(details) !== r.details) return broken('details are not in canonical form (the event was altered)');
          const expected = auditHash(prev, {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subjectId: r.subject_id,
            details,
          });
          if (expected !== r.hash) return broken('hash does not match the event content (the event was altered)');
          prev = r.hash;
          count++;
        }
        return { ok: true, count };
      });
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
