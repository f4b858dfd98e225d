/**
 * The simulator's own SQLite file (WAL): tokens, stored requests (unique idempotency key), the status feed,
 * issued numbers and the simulated clock offset. Every write is one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { canonicalJSON } from '../domain/canonical';
import type { DistrictCode, Service } from '../domain/codes';
import type { BatchItemResult, ServerStatus, StatusUpdate, StoredRequest } from './contract';
import { SCHEMA, SCHEMA_VERSION, type RequestRow, type ReviewClock, type UpdateRow } from './store-schema';
import { composeIdNumber, decide, validateItem, type BirthKey, type IssuedKind, type IssuedLookup, type RawItem, type ValidItem } from './rules';

export type { ReviewClock };

export interface Caller {
  hospitalCode: string;
  deskId: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The fingerprint covers everything of an item but its key. */
export function itemFingerprint(item: RawItem): string {
  return sha256(canonicalJSON({
    requestId: item.requestId,
    registrationId: item.registrationId,
    service: item.service,
    jurisdiction: item.jurisdiction,
    payload: item.payload,
  }));
}

export class SimStore implements IssuedLookup {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string, private readonly clock: ReviewClock) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A simulator: surviving a process crash is enough (WAL + NORMAL), not an OS crash.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const version = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get() as string | undefined;
    if (version === undefined) {
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
    } else if (Number(version) !== SCHEMA_VERSION) {
      this.db.close();
      throw new Error(`city-api simulator: data file ${file} has schema version ${version}, this simulator reads ${SCHEMA_VERSION}`);
    }
    const db = this.db;
    this.stmts = {
      getMeta: db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck(),
      setMeta: db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      insertToken: db.prepare(`INSERT INTO tokens (token_hash, hospital_code, desk_id, expires_at) VALUES (?, ?, ?, ?)`),
      getToken: db.prepare(`SELECT hospital_code, desk_id, expires_at FROM tokens WHERE token_hash = ?`),
      purgeTokens: db.prepare(`DELETE FROM tokens WHERE expires_at < ?`),
      byKey: db.prepare(`SELECT server_id, fingerprint, hospital_code, status FROM requests WHERE idempotency_key = ?`),
      bumpIntake: db.prepare(`UPDATE requests SET intake_count = intake_count + 1 WHERE server_id = ?`),
      bumpConflict: db.prepare(`UPDATE requests SET conflict_count = conflict_count + 1 WHERE server_id = ?`),
      insertRequest: db.prepare(`INSERT INTO requests (server_id, idempotency_key, fingerprint, hospital_code, desk_id,
        request_id, registration_id, service, jurisdiction, payload, status, received_at, updated_at, next_due_at)
        VALUES (@server_id, @idempotency_key, @fingerprint, @hospital_code, @desk_id, @request_id, @registration_id,
        @service, @jurisdiction, @payload, 'received', @now, @now, @next_due_at)`),
      due: db.prepare(`SELECT * FROM requests WHERE next_due_at IS NOT NULL AND next_due_at <= ?
        ORDER BY next_due_at, rowid LIMIT 256`),
      transition: db.prepare(`UPDATE requests SET status = @status, reason = @reason, document_number = @document_number,
        child_id_number = @child_id_number, updated_at = @at, next_due_at = @next_due_at WHERE server_id = @server_id`),
      insertUpdate: db.prepare(`INSERT INTO status_updates (hospital_code, server_id, idempotency_key, status, reason,
        document_number, child_id_number, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      feed: db.prepare(`SELECT seq, server_id, idempotency_key, status, reason, document_number, child_id_number, at
        FROM status_updates WHERE hospital_code = ? AND seq > ? ORDER BY seq LIMIT ?`),
      isIssued: db.prepare(`SELECT 1 FROM documents WHERE number = ? AND kind = ?`).pluck(),
      // one birth certificate per birth, across desks and hospitals (issue 12)
      birthOnFile: db
        .prepare(`SELECT registration_id FROM requests WHERE service = 'birth_certificate' AND status <> 'rejected'
          AND json_extract(payload, '$.mother.docNumber') = ? AND json_extract(payload, '$.child.birthDateTime') = ?
          AND coalesce(json_extract(payload, '$.birth.birthOrder'), 1) = ? AND registration_id <> ? LIMIT 1`)
        .pluck(),
      insertDocument: db.prepare(`INSERT INTO documents (number, kind, server_id) VALUES (?, ?, ?)`),
      nextCounter: db
        .prepare(`INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`)
        .pluck(),
      list: db.prepare(`SELECT * FROM requests WHERE (@hospital IS NULL OR hospital_code = @hospital)
        AND (@key IS NULL OR idempotency_key = @key) ORDER BY received_at, rowid`),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // --- the simulated clock --------------------------------------------------------------------------------

  /** Milliseconds the business clock runs ahead of the wall clock (moved by `advance`, kept across restarts). */
  get clockOffsetMs(): number {
    return Number(this.stmts.getMeta.get('clock_offset_ms') ?? 0);
  }
  set clockOffsetMs(ms: number) {
    this.stmts.setMeta.run('clock_offset_ms', String(ms));
  }

  // --- tokens ---------------------------------------------------------------------------------------------

  issueToken(caller: Caller, now: number, ttlSec: number): string {
    const token = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
    this.db.transaction(() => {
      this.stmts.purgeTokens.run(now);
      this.stmts.insertToken.run(sha256(token), caller.hospitalCode, caller.deskId, now + ttlSec * 1000);
    })();
    return token;
  }

  /** The caller of a valid token, or why not. */
  checkToken(token: string, now: number): Caller | 'unknown' | 'expired' {
    const row = this.stmts.getToken.get(sha256(token)) as { hospital_code: string; desk_id: string; expires_at: number } | undefined;
    if (!row) return 'unknown';
    if (row.expires_at <= now) return 'expired';
    return { hospitalCode: row.hospital_code, deskId: row.desk_id };
  }

  // --- intake ---------------------------------------------------------------------------------------------

  isIssued(kind: IssuedKind, number: string): boolean {
    return this.stmts.isIssued.get(number, kind) !== undefined;
  }

  birthOnFile(b: BirthKey): string | null {
    return (this.stmts.birthOnFile.get(b.motherDocNumber, b.birthDateTime, b.birthOrder, b.registrationId) as string | undefined) ?? null;
  }

  /** The whole batch in one transaction; one result per item, in order. */
  intake(caller: Caller, items: RawItem[], now: number): BatchItemResult[] {
    return this.db.transaction(() => items.map((item) => this.intakeOne(caller, item, now)))();
  }

  private intakeOne(caller: Caller, item: RawItem, now: number): BatchItemResult {
    const key = item.idempotencyKey;
    const fp = itemFingerprint(item);
    const existing = this.stmts.byKey.get(key) as Pick<RequestRow, 'server_id' | 'fingerprint' | 'hospital_code' | 'status'> | undefined;
    if (existing) {
      if (existing.fingerprint === fp && existing.hospital_code === caller.hospitalCode) {
        this.stmts.bumpIntake.run(existing.server_id);
        return { idempotencyKey: key, outcome: 'duplicate', serverId: existing.server_id, status: existing.status as ServerStatus };
      }
      this.stmts.bumpConflict.run(existing.server_id);
      return {
        idempotencyKey: key,
        outcome: 'conflict',
        errors: [
          {
            path: 'idempotencyKey',
            code: 'key_reused',
            message: 'this idempotency key was already used with different content; nothing was changed (send new content under a new key)',
          },
        ],
      };
    }
    const errors = validateItem(item, this);
    if (errors.length > 0) return { idempotencyKey: key, outcome: 'rejected', errors };

    const serverId = `CS-${randomUUID()}`;
    this.stmts.insertRequest.run({
      server_id: serverId,
      idempotency_key: key,
      fingerprint: fp,
      hospital_code: caller.hospitalCode,
      desk_id: caller.deskId,
      request_id: item.requestId,
      registration_id: item.registrationId,
      service: item.service,
      jurisdiction: item.jurisdiction,
      payload: JSON.stringify(item.payload),
      now,
      next_due_at: now + this.clock.receivedToReviewMs,
    });
    this.stmts.insertUpdate.run(caller.hospitalCode, serverId, key, 'received', null, null, null, now);
    return { idempotencyKey: key, outcome: 'accepted', serverId, status: 'received' };
  }

  // --- review ---------------------------------------------------------------------------------------------

  /** Apply every transition due at or before `now`, in due order; returns how many were applied. */
  advanceDue(now: number): number {
    let applied = 0;
    const step = this.db.transaction(() => {
      const rows = this.stmts.due.all(now) as RequestRow[];
      for (const row of rows) this.transition(row);
      return rows.length;
    });
    for (;;) {
      const n = step();
      applied += n;
      if (n === 0) return applied;
    }
  }

  private transition(row: RequestRow): void {
    const at = row.next_due_at!;
    let status: ServerStatus;
    let reason: string | null = null;
    let documentNumber: string | null = null;
    let childIdNumber: string | null = null;
    let nextDue: number | null = null;
    if (row.status === 'received') {
      status = 'in_review';
      nextDue = at + this.clock.reviewToDecisionMs;
    } else {
      const item: ValidItem = {
        idempotencyKey: row.idempotency_key,
        requestId: row.request_id,
        registrationId: row.registration_id,
        service: row.service as Service,
        jurisdiction: row.jurisdiction as DistrictCode,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
      };
      const decision = decide(item);
      status = decision.status;
      if ('reason' in decision) {
        reason = decision.reason;
      } else {
        const issued = this.allocate(decision, item, row.server_id, at);
        if (issued === null) {
          status = 'rejected';
          reason = '本日出生登记顺序号已用尽。 No citizen ID sequence number is left for this district and birth date.';
        } else {
          documentNumber = issued;
          if (decision.issue === 'child_id') childIdNumber = issued;
        }
      }
    }
    this.stmts.transition.run({
      server_id: row.server_id,
      status,
      reason,
      document_number: documentNumber,
      child_id_number: childIdNumber,
      at,
      next_due_at: nextDue,
    });
    this.stmts.insertUpdate.run(row.hospital_code, row.server_id, row.idempotency_key, status, reason, documentNumber, childIdNumber, at);
  }

  private counter(name: string): number {
    return this.stmts.nextCounter.get(name) as number;
  }

  /** Allocate (and record) the number a decision issues; null when a child ID sequence is exhausted. */
  private allocate(decision: ReturnType<typeof decide>, item: ValidItem, serverId: string, at: number): string | null {
    if (!('issue' in decision)) return null;
    const year = new Date(at).getUTCFullYear();
    const ymd = new Date(at).toISOString().slice(0, 10).replaceAll('-', '');
    let number: string;
    let kind: string = decision.issue;
    switch (decision.issue) {
      case 'birth_certificate': {
        // Letter + 9 digits (^[A-Z]\d{9}$): P000000001, P000000002, …, then Q…
        const n = this.counter('birth_certificate');
        number = String.fromCharCode(80 + (Math.floor(n / 1e9) % 11)) + String(n % 1e9).padStart(9, '0');
        break;
      }
      case 'vaccination_record':
        number = `VR${item.jurisdiction}${year}${String(this.counter(`vr:${year}`)).padStart(6, '0')}`;
        break;
      case 'maternity_claim':
        number = `MI${item.jurisdiction}${ymd}${String(this.counter(`mi:${ymd}`)).padStart(5, '0')}`;
        break;
      case 'citizen_card':
        number = `SK${item.jurisdiction}${String(this.counter('citizen_card')).padStart(8, '0')}`;
        break;
      case 'child_id': {
        // Sequence parity is the sex: odd male ('1'), even female ('2'); 500 odd and 499 even per district and day.
        const prefix = `${item.jurisdiction}${decision.birthDate}`;
        const parity = decision.sex === '1' ? 'odd' : 'even';
        const n = this.counter(`cid:${prefix}:${parity}`);
        const sequence = parity === 'odd' ? 2 * n - 1 : 2 * n;
        if (sequence > 999) return null;
        number = composeIdNumber(item.jurisdiction, decision.birthDate, sequence);
        kind = 'child_id';
        break;
      }
    }
    this.stmts.insertDocument.run(number, kind, serverId);
    return number;
  }

  // --- reads ----------------------------------------------------------------------------------------------

  feed(hospitalCode: string, afterSeq: number, limit: number): { updates: StatusUpdate[]; hasMore: boolean } {
    const rows = this.stmts.feed.all(hospitalCode, afterSeq, limit + 1) as UpdateRow[];
    const hasMore = rows.length > limit;
    const updates = rows.slice(0, limit).map((r) => {
      const u: StatusUpdate = {
        seq: r.seq,
        serverId: r.server_id,
        idempotencyKey: r.idempotency_key,
        status: r.status as ServerStatus,
        at: iso(r.at),
      };
      if (r.reason !== null) u.reason = r.reason;
      if (r.document_number !== null) u.documentNumber = r.document_number;
      if (r.child_id_number !== null) u.childIdNumber = r.child_id_number;
      return u;
    });
    return { updates, hasMore };
  }

  listRequests(filter: { hospitalCode?: string; idempotencyKey?: string } = {}): StoredRequest[] {
    const rows = this.stmts.list.all({ hospital: filter.hospitalCode ?? null, key: filter.idempotencyKey ?? null }) as RequestRow[];
    return rows.map((r) => {
      const s: StoredRequest = {
        serverId: r.server_id,
        idempotencyKey: r.idempotency_key,
        hospitalCode: r.hospital_code,
        deskId: r.desk_id,
        requestId: r.request_id,
        registrationId: r.registration_id,
        service: r.service as Service,
        jurisdiction: r.jurisdiction as DistrictCode,
        status: r.status as ServerStatus,
        intakeCount: r.intake_count,
        conflictCount: r.conflict_count,
        receivedAt: iso(r.received_at),
        updatedAt: iso(r.updated_at),
      };
      if (r.reason !== null) s.reason = r.reason;
      if (r.document_number !== null) s.documentNumber = r.document_number;
      if (r.child_id_number !== null) s.childIdNumber = r.child_id_number;
      return s;
    });
  }
}
