/**
 * Registrations: submit (one transaction, idempotent on the client-generated id), get, search and the
 * duplicate-birth warning.
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { SERVICES } from '../domain/codes';
import { queuedRequest, type Registration } from '../domain/types';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { InvalidInputError, SubmitConflictError, mapWriteError } from './errors';
import { docKey, minuteOf, nameKey, phoneKey, prefixUpperBound } from './normalize';
import {
  DuplicateQuerySchema,
  MAX_PAYLOAD_BYTES,
  REGISTRATION_INSERT,
  SearchQuerySchema,
  DOC_TAIL_WHERE,
  SubmitInputSchema,
  registrationRow,
} from './registration-row';
import { createPayloadReader, sharedHead, splitPayload } from './payload-share';
import { requestFromRow, type RequestRow } from './request-row';
import { initialRevision } from './requests-repo';
import type {
  DuplicateMatch,
  DuplicateQuery,
  RegistrationSummary,
  RequestSummary,
  SearchPage,
  SearchQuery,
  StoredRequest,
  SubmitInput,
  SubmitResult,
} from './types';

interface Cursor {
  createdAt: string;
  seq: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.seq])).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isSafeInteger(v[1])) {
      return { createdAt: v[0], seq: v[1] as number };
    }
  } catch {
    /* fall through */
  }
  throw InvalidInputError.one('search', 'cursor', 'invalid_cursor', 'cursor is not one this store returned', '翻页标记无效');
}

const PROBE_LIMIT = 400;

interface SummaryRow {
  seq: number;
  id: string;
  created_at: string;
  hospital_code: string;
  desk_id: string;
  clerk_id: string;
  child_birth: string;
  plurality: number;
  birth_order: number;
}

export function createRegistrationsRepo(ctx: StoreContext, audit: AuditRepo) {
  const { db } = ctx;
  const byId = db.prepare(
    `SELECT d.doc, d.content_hash FROM registrations r JOIN registration_docs d ON d.seq = r.seq WHERE r.id = ?`,
  );
  // The bundle's shared payload head rides with the document (db/payload-share.ts).
  const insertDoc = db.prepare(`INSERT INTO registration_docs (seq, content_hash, doc) VALUES (@seq, @contentHash, @doc)`);
  const insertHead = db.prepare(`INSERT INTO payload_heads (seq, head) VALUES (?, ?)`);
  const payloads = createPayloadReader(db);
  const insertReg = db.prepare(REGISTRATION_INSERT);
  const insertReq = db.prepare(`
    INSERT INTO service_requests (id, registration_id, service, jurisdiction, depends_on, payload, payload_shared, idempotency_key,
      revision, state, attempts, next_attempt_at, created_at, updated_at)
    VALUES (@id, @registrationId, @service, @jurisdiction, @dependsOn, @payload, @payloadShared, @idempotencyKey,
      @revision, 'queued', 0, @now, @now, @now)`);
  const requestsOf = db.prepare(`SELECT * FROM service_requests WHERE registration_id = ? ORDER BY rowid`);
  const deleteDraft = db.prepare(`DELETE FROM drafts WHERE registration_id = ?`);
  const duplicates = db.prepare(`
    SELECT id, child_birth, child_birth_min, plurality, birth_order, created_at FROM registrations
    WHERE mother_doc_no = ? AND mother_doc_type = ? AND child_birth_min > ? AND child_birth_min < ? AND id <> ?
    ORDER BY child_birth_min DESC`);
  const statementCache = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string): Statement<unknown[]> => {
    let s = statementCache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statementCache.set(sql, s);
    }
    return s;
  };

  function loadRequests(registrationId: string) {
    const rows = requestsOf.all(registrationId) as RequestRow[];
    const head = rows.some((r) => r.payload_shared === 1) ? payloads.head(registrationId) : null;
    return rows.map((r) => requestFromRow({ ...r, payload: payloads.full({ ...r, payload_shared: r.payload_shared ?? 0 }, head) }));
  }

  function submit(input: SubmitInput): SubmitResult {
    const parsed = SubmitInputSchema.safeParse(input);
    if (!parsed.success) throw InvalidInputError.fromZod('submit', parsed.error);
    const { registration: reg, requests, actor } = parsed.data;
    const texts = requests.map((r) => JSON.stringify(r.payload));
    for (const [i, r] of requests.entries()) {
      if (!reg.services.includes(r.service)) {
        throw InvalidInputError.one('submit', `requests.${i}.service`, 'service_not_chosen', `service ${r.service} is not among the registration's chosen services`, `所选服务中没有 ${r.service}`);
      }
      const bytes = Buffer.byteLength(texts[i]!);
      if (bytes > MAX_PAYLOAD_BYTES) {
        throw InvalidInputError.one('submit', `requests.${i}.payload`, 'too_big', `payload is ${bytes} bytes, at most ${MAX_PAYLOAD_BYTES}`, '申请数据过大');
      }
    }
    const values = registrationRow(reg);
    const hash = values.contentHash;
    try {
      return ctx.write('registrations.submit', () => {
        const existing = byId.get(reg.id) as { doc: string; content_hash: string } | undefined;
        if (existing) {
          if (existing.content_hash !== hash) throw new SubmitConflictError(reg.id);
          return { created: false, registration: JSON.parse(existing.doc) as Registration, requests: loadRequests(reg.id) };
        }
        const now = ctx.nowIso();
        const { lastInsertRowid } = insertReg.run(values);
        const head = sharedHead(requests.map((r) => r.payload), texts);
        insertDoc.run({ seq: lastInsertRowid, contentHash: values.contentHash, doc: values.doc });
        if (head !== null) insertHead.run(lastInsertRowid, head);
        const stored: StoredRequest[] = [];
        for (const [i, r] of requests.entries()) {
          const revision = initialRevision(r, reg.id);
          const { stored: payload, shared } = splitPayload(texts[i]!, head);
          insertReq.run({
            id: r.id,
            registrationId: reg.id,
            service: r.service,
            jurisdiction: r.jurisdiction,
            dependsOn: JSON.stringify(r.dependsOn),
            payload,
            payloadShared: shared,
            idempotencyKey: r.idempotencyKey,
            revision,
            now,
          });
          // Exactly what was written (the submit path does not read its own rows back).
          stored.push({ ...r, ...queuedRequest({ ...r, registrationId: reg.id }, now), revision, leaseOwner: null, leaseUntil: null });
        }
        const draftDeleted = deleteDraft.run(reg.id).changes > 0;
        audit.appendInTx({
          actor,
          at: parsed.data.at,
          action: 'registration.submit',
          subjectId: reg.id,
          details: {
            hospitalCode: reg.hospitalCode,
            deskId: reg.deskId,
            requests: requests.map((r) => ({ id: r.id, service: r.service })),
            draftDeleted,
          },
        });
        return { created: true, registration: reg, requests: stored };
      });
    } catch (e) {
      throw mapWriteError('registrations.submit', e);
    }
  }

  function get(id: string): Registration | null {
    if (typeof id !== 'string') throw InvalidInputError.one('registration id', 'id', 'invalid_type', 'expected a string', '应为文本');
    const row = ctx.timed('registrations.get', () => byId.get(id) as { doc: string } | undefined);
    return row ? (JSON.parse(row.doc) as Registration) : null;
  }

  // Selectivity probes (index-only, capped): they choose between driving the search from a lookup index
  // and walking registrations newest-first, so an unselective term (a surname, a common state) does not
  // sort thousands of candidates to show twenty.
  const nameProbe = db
    .prepare(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM registrations WHERE mother_name_key >= @lo AND mother_name_key < @hi LIMIT ${PROBE_LIMIT}))
            + (SELECT count(*) FROM (SELECT 1 FROM registrations WHERE father_name_key >= @lo AND father_name_key < @hi LIMIT ${PROBE_LIMIT}))
            + (SELECT count(*) FROM (SELECT 1 FROM registrations WHERE child_name_key >= @lo AND child_name_key < @hi LIMIT ${PROBE_LIMIT}))`,
    )
    .pluck();
  const stateProbe = (states: readonly string[]) =>
    prepared(
      `SELECT count(*) FROM (SELECT 1 FROM service_requests WHERE state IN (${states.map(() => '?').join(', ')}) LIMIT ${PROBE_LIMIT})`,
    ).pluck();

  /** The SQL of one search page (exported for EXPLAIN in tests and benchmarks). */
  function planSearch(q: z.infer<typeof SearchQuerySchema>): { sql: string; params: unknown[]; limit: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.parentDocNumber !== undefined) {
      const d = docKey(q.parentDocNumber);
      where.push('(r.mother_doc_no = ? OR r.father_doc_no = ?)');
      params.push(d, d);
    }
    if (q.parentDocTail !== undefined) {
      where.push(DOC_TAIL_WHERE);
      params.push(docKey(q.parentDocTail), docKey(q.parentDocTail));
    }
    if (q.name !== undefined) {
      const k = nameKey(q.name);
      if (!k) throw InvalidInputError.one('search', 'name', 'too_small', 'name has no letters to search for', '姓名为空');
      const hi = prefixUpperBound(k);
      // Many candidates: `+col` keeps SQLite from driving the search by the name indexes.
      const p = (nameProbe.get({ lo: k, hi }) as number) >= PROBE_LIMIT ? '+' : '';
      where.push(
        `((${p}r.mother_name_key >= ? AND ${p}r.mother_name_key < ?) OR (${p}r.father_name_key >= ? AND ${p}r.father_name_key < ?)` +
          ` OR (${p}r.child_name_key >= ? AND ${p}r.child_name_key < ?))`,
      );
      params.push(k, hi, k, hi, k, hi);
    }
    if (q.phone !== undefined) {
      const p = phoneKey(q.phone);
      if (p.length < 3) throw InvalidInputError.one('search', 'phone', 'too_small', 'phone needs at least 3 digits', '电话号码至少3位数字');
      where.push('(r.mother_phone = ? OR r.father_phone = ? OR r.guardian_phone = ?)');
      params.push(p, p, p);
    }
    if (q.registrationId !== undefined) {
      const p = q.registrationId.toLowerCase();
      where.push('r.id >= ? AND r.id < ?');
      params.push(p, prefixUpperBound(p));
    }
    if (q.birthCertificateNumber !== undefined) {
      where.push(
        `r.id IN (SELECT registration_id FROM service_requests WHERE document_number = ? AND service = 'birth_certificate')`,
      );
      params.push(q.birthCertificateNumber.toUpperCase());
    }
    if (q.createdFrom !== undefined) {
      where.push('r.created_at >= ?');
      params.push(new Date(q.createdFrom).toISOString());
    }
    if (q.createdTo !== undefined) {
      where.push('r.created_at < ?');
      params.push(new Date(q.createdTo).toISOString());
    }
    if (q.birthFrom !== undefined) {
      where.push('r.child_birth >= ?');
      params.push(q.birthFrom);
    }
    if (q.birthTo !== undefined) {
      where.push('r.child_birth <= ?');
      params.push(`${q.birthTo}T23:59`);
    }
    if (q.states !== undefined) {
      const marks = q.states.map(() => '?').join(', ');
      const rare = (stateProbe(q.states).get(...q.states) as number) < PROBE_LIMIT;
      // Rare states: collect their registrations from the state index. Common ones: check each
      // candidate registration from the (registration_id, state) index.
      where.push(
        rare
          ? `r.id IN (SELECT registration_id FROM service_requests WHERE state IN (${marks}))`
          : `EXISTS (SELECT 1 FROM service_requests q WHERE q.registration_id = r.id AND q.state IN (${marks}))`,
      );
      params.push(...q.states);
    }
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      where.push('(r.created_at < ? OR (r.created_at = ? AND r.seq < ?))');
      params.push(c.createdAt, c.createdAt, c.seq);
    }
    const limit = q.limit ?? 20;
    const sql =
      `SELECT r.seq, r.id, r.created_at, r.hospital_code, r.desk_id, r.clerk_id, r.child_birth, r.plurality, r.birth_order` +
      ` FROM registrations r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY r.created_at DESC, r.seq DESC LIMIT ?`;
    params.push(limit + 1);
    return { sql, params, limit };
  }

  function search(query: SearchQuery): SearchPage {
    const parsed = SearchQuerySchema.safeParse(query);
    if (!parsed.success) throw InvalidInputError.fromZod('search', parsed.error);
    return ctx.timed('registrations.search', () => {
      const { sql, params, limit } = planSearch(parsed.data);
      const rows = prepared(sql).all(...params) as SummaryRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, seq: last.seq }) : null;
      const requests = new Map<string, RequestSummary[]>();
      const names = new Map<number, { mother: string; father: string | null; child: string | null }>();
      if (page.length) {
        const marks = page.map(() => '?').join(', ');
        const reqRows = prepared(
          `SELECT registration_id, id, service, state, document_number FROM service_requests
           INDEXED BY service_requests_registration_state WHERE registration_id IN (${marks})`,
        ).all(...page.map((r) => r.id)) as { registration_id: string; id: string; service: string; state: string; document_number: string | null }[];
        // Index order is by state; show them in the bundle's service order.
        reqRows.sort((a, b) => SERVICES.indexOf(a.service as never) - SERVICES.indexOf(b.service as never));
        for (const r of reqRows) {
          const list = requests.get(r.registration_id) ?? [];
          list.push({ id: r.id, service: r.service as RequestSummary['service'], state: r.state as RequestSummary['state'], documentNumber: r.document_number });
          requests.set(r.registration_id, list);
        }
        const nameRows = prepared(
          `SELECT seq, json_extract(doc, '$.mother.name') AS mother, json_extract(doc, '$.father.name') AS father,
                  json_extract(doc, '$.child.name') AS child FROM registration_docs WHERE seq IN (${marks})`,
        ).all(...page.map((r) => r.seq)) as { seq: number; mother: string; father: string | null; child: string | null }[];
        for (const n of nameRows) names.set(n.seq, n);
      }
      const items: RegistrationSummary[] = page.map((r) => {
        const n = names.get(r.seq);
        return {
          id: r.id,
          createdAt: r.created_at,
          hospitalCode: r.hospital_code,
          deskId: r.desk_id,
          clerkId: r.clerk_id,
          childName: n?.child ?? null,
          childBirthDateTime: r.child_birth,
          plurality: r.plurality,
          birthOrder: r.birth_order,
          motherName: n?.mother ?? '',
          fatherName: n?.father ?? null,
          requests: requests.get(r.id) ?? [],
        };
      });
      return { items, nextCursor };
    });
  }

  /**
   * Possible duplicate births: the same mother (document type + number) with a child born within
   * `windowDays` (270) of this one — except other children of the same multiple delivery (both recorded
   * with plurality > 1, born within `sameDeliveryHours` (24 h) of each other, different birth order).
   * The same twin entered twice (same order) is still a duplicate.
   */
  function findDuplicates(query: DuplicateQuery): DuplicateMatch[] {
    const parsed = DuplicateQuerySchema.safeParse(query);
    if (!parsed.success) throw InvalidInputError.fromZod('duplicate query', parsed.error);
    const q = parsed.data;
    const birth = minuteOf(q.childBirthDateTime);
    const window = (q.windowDays ?? 270) * 24 * 60;
    const sameDelivery = (q.sameDeliveryHours ?? 24) * 60;
    const rows = ctx.timed(
      'registrations.find_duplicates',
      () =>
        duplicates.all(docKey(q.motherDocNumber), q.motherDocType, birth - window, birth + window, q.excludeRegistrationId ?? '') as {
          id: string;
          child_birth: string;
          child_birth_min: number;
          plurality: number;
          birth_order: number;
          created_at: string;
        }[],
    );
    const out: DuplicateMatch[] = [];
    for (const r of rows) {
      const oneDelivery = q.plurality > 1 && r.plurality > 1 && Math.abs(r.child_birth_min - birth) <= sameDelivery;
      if (oneDelivery && r.birth_order !== q.birthOrder) continue; // a twin/triplet sibling: not a duplicate
      out.push({
        registrationId: r.id,
        childBirthDateTime: r.child_birth,
        plurality: r.plurality,
        birthOrder: r.birth_order,
        createdAt: r.created_at,
        sameDelivery: oneDelivery,
      });
    }
    return out;
  }

  return {
    submit,
    get,
    /** The stored requests of one registration, in submit order. */
    requestsOf: loadRequests,
    search,
    /** The SQL a search runs (for EXPLAIN QUERY PLAN in tests and benchmarks); validates like search. */
    explainSearch(query: SearchQuery): { sql: string; params: unknown[]; plan: string[] } {
      const parsed = SearchQuerySchema.safeParse(query);
      if (!parsed.success) throw InvalidInputError.fromZod('search', parsed.error);
      const { sql, params } = planSearch(parsed.data);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      return { sql, params, plan };
    },
    findDuplicates,
    count(): number {
      return db.prepare(`SELECT count(*) FROM registrations`).pluck().get() as number;
    },
  };
}

export type RegistrationsRepo = ReturnType<typeof createRegistrationsRepo>;
