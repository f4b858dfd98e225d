/**
 * Migrations: a fresh database, and a database left at every earlier version (with data written the way
 * that version would have), upgrade to the same schema with the data intact; a failing migration
 * leaves the database at its earlier version (all pending ones run in one transaction).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH } from './audit-repo';
import { openConnection } from './connection';
import { FileKeyProvider } from './key-provider';
import { migrate, readApplied } from './migrate';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { docKey, minuteOf, nameKey, phoneKey } from './normalize';
import { registrationContentHash } from './registration-row';
import { hashPin } from './staff-repo';
import { openStore, type Store } from './store';
import { makeRegistration, makeRequests, tempDir } from './test-helpers';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function schemaOf(db: Database): { type: string; name: string; sql: string | null }[] {
  return db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string | null }[];
}

const REG = makeRegistration(7);
const REQS = makeRequests(REG);
const AT = '2026-03-14T02:00:00.000Z';

/** Writes the data an application at `version` would have written, with that version's columns. */
async function seed(db: Database, version: number): Promise<void> {
  if (version >= 1) {
    const values = [
      REG.hospitalCode, REG.deskId, REG.clerkId,
      new Date(REG.createdAt).toISOString(), REG.child.birthDateTime, minuteOf(REG.child.birthDateTime),
      REG.child.plurality, REG.child.birthOrder, REG.mother.docType, docKey(REG.mother.docNumber),
      REG.father!.docType, docKey(REG.father!.docNumber), nameKey(REG.mother.name), nameKey(REG.father!.name),
      REG.child.name ? nameKey(REG.child.name) : null, phoneKey(REG.mother.phone!), phoneKey(REG.father!.phone!),
      phoneKey(REG.declaration.guardianPhone),
    ];
    const columns = `hospital_code, desk_id, clerk_id, created_at, child_birth, child_birth_min, plurality, birth_order,
      mother_doc_type, mother_doc_no, father_doc_type, father_doc_no, mother_name_key, father_name_key, child_name_key,
      mother_phone, father_phone, guardian_phone`;
    if (version < 6) {
      // Versions 1-5 kept the document in the registrations row.
      db.prepare(`INSERT INTO registrations (id, doc, content_hash, ${columns}) VALUES (${Array(21).fill('?').join(', ')})`).run(
        REG.id, JSON.stringify(REG), registrationContentHash(REG), ...values,
      );
    } else {
      const { lastInsertRowid } = db
        .prepare(`INSERT INTO registrations (id, ${columns}) VALUES (${Array(19).fill('?').join(', ')})`)
        .run(REG.id, ...values);
      db.prepare(`INSERT INTO registration_docs (seq, content_hash, doc) VALUES (?, ?, ?)`).run(lastInsertRowid, registrationContentHash(REG), JSON.stringify(REG));
    }
    const ins = db.prepare(
      `INSERT INTO service_requests (id, registration_id, service, jurisdiction, depends_on, payload, idempotency_key,
         state, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    );
    for (const r of REQS) {
      ins.run(r.id, REG.id, r.service, r.jurisdiction, JSON.stringify(r.dependsOn), JSON.stringify(r.payload), r.idempotencyKey, AT, AT, AT);
    }
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('desk.printer', '"HP-1"', ?)`).run(AT);
    db.prepare(`INSERT INTO drafts (registration_id, doc, actor, created_at, updated_at) VALUES (?, '{"step":2}', 'clerk-01', ?, ?)`).run(
      '0195a3c2-7b4e-7c1d-9f2a-000000000001', AT, AT,
    );
  }
  if (version >= 2) {
    const content = { id: '0195a3c2-7b4e-7c1d-9f2a-00000000aaaa', at: AT, actor: 'clerk-01', action: 'registration.submit', subjectId: REG.id, details: { requests: REQS.length } };
    const hash = auditHash(GENESIS_HASH, content);
    db.prepare(
      `INSERT INTO audit_events (id, at, actor, action, subject_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(content.id, content.at, content.actor, content.action, content.subjectId, `{"requests":${REQS.length}}`, GENESIS_HASH, hash);
  }
  if (version >= 3) {
    db.prepare(`INSERT INTO staff (staff_id, display_name, role, pin_hash, created_at, updated_at) VALUES ('sup-01', 'Supervisor', 'supervisor', ?, ?, ?)`).run(
      await hashPin('246810'), AT, AT,
    );
  }
  if (version >= 4) {
    db.prepare(`INSERT INTO sync_state (feed, cursor, updated_at) VALUES ('status-updates', 'c-42', ?)`).run(AT);
  }
}

async function setup(): Promise<{ file: string; keyFile: string; key: Buffer }> {
  const dir = tempDir();
  dirs.push(dir);
  const keyFile = path.join(dir, 'desk.key');
  return { file: path.join(dir, 'desk.db'), keyFile, key: await new FileKeyProvider(keyFile).getKey() };
}

describe('migrations', () => {
  it('are numbered 1..N without gaps and each applies on its own', () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a fresh database to the current version, recording every id', async () => {
    const { file, keyFile } = await setup();
    const store = await openStore({ file, keyProvider: new FileKeyProvider(keyFile) });
    stores.push(store);
    expect(store.context.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(readApplied(store.context.db).map((a) => [a.id, a.name])).toEqual(MIGRATIONS.map((m) => [m.id, m.name]));
  });

  for (let version = 0; version < MIGRATIONS.length; version++) {
    it(`upgrade a database left at version ${version} (with its data) to version ${SCHEMA_VERSION}`, async () => {
      // The reference schema: a fresh database.
      const ref = await setup();
      const refDb = openConnection({ file: ref.file, key: ref.key });
      migrate(refDb, ref.file, MIGRATIONS, AT);
      const expectedSchema = schemaOf(refDb);
      refDb.close();

      const { file, keyFile, key } = await setup();
      const old = openConnection({ file, key });
      migrate(old, file, MIGRATIONS.slice(0, version), AT);
      expect(old.pragma('user_version', { simple: true })).toBe(version);
      await seed(old, version);
      old.close();

      const store = await openStore({ file, keyProvider: new FileKeyProvider(keyFile), now: () => new Date('2026-03-15T02:00:00Z') });
      stores.push(store);
      expect(store.context.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(schemaOf(store.context.db)).toEqual(expectedSchema);
      expect(readApplied(store.context.db).map((a) => a.id)).toEqual(MIGRATIONS.map((m) => m.id));

      if (version >= 1) {
        // Old rows work with the new schema: found through the newest index, transitioned with the lease columns.
        expect(store.registrations.get(REG.id)).toEqual(REG);
        expect(store.registrations.search({ phone: REG.declaration.guardianPhone }).items.map((i) => i.id)).toEqual([REG.id]);
        const r0 = REQS[0]!;
        const moved = store.requests.transition(r0.id, { state: 'sending', leaseOwner: 'sync-1', leaseUntil: '2026-03-15T02:01:00Z' }, ['queued'], { actor: 'system:sync' });
        expect(moved).toMatchObject({ state: 'sending', leaseOwner: 'sync-1', revision: 0 });
        expect(store.settings.get('desk.printer')).toBe('HP-1');
        expect(store.drafts.list().length).toBe(1);
        // Submitting the same registration again is recognised as already stored.
        expect(store.registrations.submit({ registration: REG, requests: makeRequests(REG), actor: 'clerk-01' }).created).toBe(false);
      }
      if (version >= 2) expect(store.audit.list({ subjectId: REG.id }).map((e) => e.action)).toContain('registration.submit');
      if (version >= 3) expect((await store.staff.verifyPin('sup-01', '246810', new Date())).result).toBe('ok');
      if (version >= 4) expect(store.syncState.getCursor()).toBe('c-42');
      expect(store.verifyAuditChain()).toMatchObject({ ok: true });

      // New data goes in as usual.
      const reg = makeRegistration(1000 + version);
      expect(store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).created).toBe(true);
      expect(store.checkIntegrity()).toMatchObject({ ok: true, findings: [] });
    });
  }

  it('run all pending migrations in one transaction: a failing one leaves the earlier version intact', async () => {
    const { file, key } = await setup();
    const db = openConnection({ file, key });
    migrate(db, file, MIGRATIONS.slice(0, 2), AT);
    const before = schemaOf(db);
    const broken = [
      ...MIGRATIONS.slice(0, 3),
      { id: 4, name: '0004_broken', sql: 'CREATE TABLE half_done (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);' },
    ];
    expect(() => migrate(db, file, broken, AT)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(schemaOf(db)).toEqual(before);
    expect(readApplied(db).map((a) => a.id)).toEqual([1, 2]);
    db.close();
  });
});
