/**
 * The audit trail: append-only (triggers), hash-chained, and tamper-evident — changing one byte of any
 * row through a raw connection with the key (dropping the triggers first) is detected and the row named.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH } from './audit-repo';
import { canonicalJSON } from '../domain/canonical';
import { InvalidInputError } from './errors';
import { FileKeyProvider } from './key-provider';
import { openStore } from './store';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

function populate(): void {
  for (let i = 0; i < 4; i++) {
    const reg = makeRegistration(100 + i);
    const res = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    t.store.requests.transition(res.requests[0]!.id, { state: 'sending' }, ['queued'], { actor: 'system:sync', action: 'request.send' });
  }
  t.store.audit.append({ actor: 'sup-01', action: 'staff.signin', subjectId: 'sup-01', details: { desk: 'desk-01', n: 1.5, ok: true, list: [1, 'a', null] } });
}

describe('audit events', () => {
  it('chain: each hash = SHA-256(prevHash + canonicalJSON(content)), first from 64 zeros', () => {
    populate();
    const events = t.store.audit.list({ limit: 1000 }).reverse();
    expect(events.length).toBe(9);
    let prev = GENESIS_HASH;
    for (const e of events) {
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toBe(auditHash(prev, { id: e.id, at: e.at, actor: e.actor, action: e.action, subjectId: e.subjectId, details: e.details }));
      prev = e.hash;
    }
    expect(t.store.verifyAuditChain()).toEqual({ ok: true, count: 9 });
  });

  it('the hash the append builds from the once-canonicalised details equals auditHash of the stored content, for any details (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_\-. "\\\u00e9\u4e2d]{0,12}$/).filter((k) => !/^(name|phone|address)$|Name$|Phone$|DocNumber$|Address$/.test(k));
    const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }));
    const details = fc.dictionary(key, fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(key, leaf, { maxKeys: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(details, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }), (d, subjectId) => {
        const e = t.store.audit.append({ actor: 'sup-01', action: 'bench.prop', ...(subjectId === undefined ? {} : { subjectId }), details: d });
        expect(e.hash).toBe(auditHash(e.prevHash, { id: e.id, at: e.at, actor: e.actor, action: e.action, subjectId: e.subjectId, details: e.details }));
      }),
      { numRuns: 60 },
    );
    expect(t.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('are append-only: SQLite triggers refuse UPDATE and DELETE', () => {
    populate();
    const db = t.store.context.db;
    expect(() => db.prepare(`UPDATE audit_events SET actor = 'x' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_events WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(t.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('refuse personal data in details (ID numbers, phones, name fields) and write nothing', () => {
    const before = t.store.audit.count();
    for (const details of [{ mother: '330302199405121286' }, { note: 'call 13957712345' }, { motherName: 'x' }, { nested: [{ phone: '1' }] }]) {
      expect(() => t.store.audit.append({ actor: 'c', action: 'registration.note', details })).toThrow(InvalidInputError);
    }
    expect(() => t.store.audit.append({ actor: 'c', action: 'Not An Action' })).toThrow(/action/);
    expect(t.store.audit.count()).toBe(before);
    // Ids that merely contain digit runs are fine (UUIDs whose last group is mostly digits, request keys).
    t.store.audit.append({ actor: 'c', action: 'registration.note', details: { id: '0195a3c2-7b4e-7c1d-9f2a-13957712345a', key: 'a13957712345b' } });
    expect(t.store.audit.count()).toBe(before + 1);
  });

  it('canonicalJSON sorts keys at every depth and is stable under key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const shuffled = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJSON(shuffled)).toBe(canonicalJSON(obj));
        expect(JSON.parse(canonicalJSON(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  const COLUMNS = ['id', 'at', 'actor', 'action', 'subject_id', 'details', 'prev_hash', 'hash'] as const;

  for (const column of COLUMNS) {
    it(`detects one changed byte in column ${column} of a middle row and names that row`, async () => {
      populate();
      const events = t.store.audit.list({ limit: 1000 }).reverse();
      const victim = events[4]!;
      const raw = await t.openRaw();
      raw.exec('DROP TRIGGER audit_events_no_update');
      const value = raw.prepare(`SELECT ${column} FROM audit_events WHERE seq = ?`).pluck().get(victim.seq) as string;
      // Flip one character to another one that keeps JSON valid (a letter or digit inside the text).
      const pos = [...value].findIndex((c, i) => i > 2 && /[0-9a-f]/.test(c));
      const flipped = value.slice(0, pos) + (value[pos] === '0' ? '1' : '0') + value.slice(pos + 1);
      expect(Buffer.byteLength(flipped)).toBe(Buffer.byteLength(value));
      raw.prepare(`UPDATE audit_events SET ${column} = ? WHERE seq = ?`).run(flipped, victim.seq);
      raw.close();

      t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
      const result = t.store.verifyAuditChain();
      expect(result.ok).toBe(false);
      if (result.ok) return;
      // For `id` the row is named by its (altered) id; seq always points at it.
      expect(result.firstBrokenSeq).toBe(victim.seq);
      if (column !== 'id') expect(result.firstBrokenId).toBe(victim.id);
      expect(result.reason).toMatch(column === 'prev_hash' ? /prev_hash/ : /altered|prev_hash/);
      expect(result.count).toBe(4);
    });
  }

  it('detects a deleted row (triggers dropped) and names the row after the gap', async () => {
    populate();
    const events = t.store.audit.list({ limit: 1000 }).reverse();
    const raw = await t.openRaw();
    raw.exec('DROP TRIGGER audit_events_no_delete');
    raw.prepare('DELETE FROM audit_events WHERE seq = ?').run(events[2]!.seq);
    raw.close();
    // The loss anchor beside the key refuses the database (db/anchor.ts); without it the chain names the gap.
    await expect(openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) })).rejects.toMatchObject({ code: 'db.data_loss', message: expect.stringMatching(/1 event is missing/) });
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile), anchorFile: null });
    expect(t.store.verifyAuditChain()).toMatchObject({ ok: false, firstBrokenId: events[3]!.id, reason: expect.stringMatching(/prev_hash/) });
  });

  it('detects a rewritten row even when its own hash was recomputed (the next link breaks)', async () => {
    populate();
    const events = t.store.audit.list({ limit: 1000 }).reverse();
    const victim = events[1]!;
    const raw = await t.openRaw();
    raw.exec('DROP TRIGGER audit_events_no_update');
    const forged = { id: victim.id, at: victim.at, actor: 'someone-else', action: victim.action, subjectId: victim.subjectId, details: victim.details };
    raw.prepare('UPDATE audit_events SET actor = ?, hash = ? WHERE seq = ?').run('someone-else', auditHash(victim.prevHash, forged), victim.seq);
    raw.close();
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
    expect(t.store.verifyAuditChain()).toMatchObject({ ok: false, firstBrokenId: events[2]!.id });
  });
});
