/**
 * Submit: one transaction (registration, requests, audit event, draft deletion), idempotent on the
 * registration id, typed conflict on different content, and nothing written on any failure.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRegistration } from '../domain/fixtures';
import { ConstraintError, InvalidInputError, SubmitConflictError } from './errors';
import { caught, makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore({ now: () => new Date('2026-03-15T02:00:00Z') });
});
afterEach(() => t.cleanup());

function counts() {
  const db = t.store.context.db;
  const n = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return {
    registrations: n('registrations'),
    requests: n('service_requests'),
    audit: n('audit_events'),
    drafts: n('drafts'),
  };
}

describe('submit', () => {
  it('stores the registration, its requests (queued), one audit event, and deletes its draft, in one go', () => {
    const reg = makeRegistration(1);
    t.store.drafts.save({ registrationId: reg.id, doc: { step: 3 }, actor: 'clerk-01' });
    const reqs = makeRequests(reg);
    const res = t.store.registrations.submit({ registration: reg, requests: reqs, actor: 'clerk-01', at: '2026-03-15T10:00:00+08:00' });
    expect(res.created).toBe(true);
    expect(res.registration).toEqual(reg);
    expect(res.requests.map((r) => [r.id, r.service, r.state, r.attempts, r.revision, r.idempotencyKey])).toEqual(
      reqs.map((r) => [r.id, r.service, 'queued', 0, 1, r.idempotencyKey]),
    );
    expect(res.requests.find((r) => r.service === 'maternity_insurance')!.dependsOn).toEqual(['birth_certificate']);
    expect(res.requests[0]!.nextAttemptAt).toBe('2026-03-15T02:00:00.000Z');
    // What submit returns is exactly what a later read gives.
    expect(res.requests).toEqual(t.store.requests.listForRegistration(reg.id));
    expect(counts()).toEqual({ registrations: 1, requests: 5, audit: 1, drafts: 0 });
    const [ev] = t.store.audit.list();
    expect(ev).toMatchObject({ action: 'registration.submit', actor: 'clerk-01', subjectId: reg.id, at: '2026-03-15T02:00:00.000Z' });
    expect(ev!.details).toMatchObject({ draftDeleted: true });
    // Audit details carry ids only.
    expect(JSON.stringify(ev)).not.toContain(reg.mother.docNumber);
    expect(JSON.stringify(ev)).not.toContain(reg.mother.name);
    expect(t.store.registrations.get(reg.id)).toEqual(reg);
  });

  it('accepts the domain sample registration', () => {
    const reg = sampleRegistration();
    const res = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    expect(res.created).toBe(true);
    expect(t.store.registrations.search({ parentDocNumber: reg.mother.docNumber }).items.map((i) => i.id)).toEqual([reg.id]);
  });

  it('is idempotent on the registration id: a second submit returns the stored one and writes nothing', () => {
    const reg = makeRegistration(2);
    const first = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    const before = counts();
    const walBefore = t.store.context.db.prepare('SELECT count(*) FROM audit_events').pluck().get();
    // A retry re-derives the requests (new request ids) and may come from another clerk session.
    const again = t.store.registrations.submit({
      registration: { ...reg, clerkId: 'clerk-02', createdAt: '2026-03-15T03:00:00Z' },
      requests: makeRequests(reg),
      actor: 'clerk-02',
    });
    expect(again.created).toBe(false);
    expect(again.registration).toEqual(first.registration);
    expect(again.requests.map((r) => r.id)).toEqual(first.requests.map((r) => r.id));
    expect(counts()).toEqual(before);
    expect(t.store.context.db.prepare('SELECT count(*) FROM audit_events').pluck().get()).toBe(walBefore);
  });

  it('refuses the same id with different content (SubmitConflictError), writing nothing', () => {
    const reg = makeRegistration(3);
    t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    const before = counts();
    const changed = { ...reg, child: { ...reg.child, weightG: reg.child.weightG + 1 } };
    const err = (() => {
      try {
        t.store.registrations.submit({ registration: changed, requests: makeRequests(changed), actor: 'clerk-01' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SubmitConflictError);
    expect(err).toMatchObject({ code: 'db.submit_conflict', registrationId: reg.id });
    expect(counts()).toEqual(before);
    expect(t.store.registrations.get(reg.id)).toEqual(reg);
  });

  it('is atomic: a request violating a constraint midway leaves nothing written (and the draft kept)', () => {
    const reg = makeRegistration(4);
    t.store.drafts.save({ registrationId: reg.id, doc: { step: 5 }, actor: 'clerk-01' });
    const reqs = makeRequests(reg);
    // The 4th request reuses the 2nd one's idempotency key: UNIQUE fails after three inserts.
    reqs[3] = { ...reqs[3]!, idempotencyKey: reqs[1]!.idempotencyKey };
    const before = counts();
    expect(() => t.store.registrations.submit({ registration: reg, requests: reqs, actor: 'clerk-01' })).toThrow(ConstraintError);
    expect(counts()).toEqual(before);
    expect(t.store.registrations.get(reg.id)).toBeNull();
    expect(t.store.drafts.get(reg.id)?.doc).toEqual({ step: 5 });
    expect(t.store.verifyAuditChain()).toEqual({ ok: true, count: 0 });
    // The corrected bundle then goes through.
    expect(t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).created).toBe(true);
  });

  it('is atomic across tables: an idempotency key already used by another registration fails the whole submit', () => {
    const a = makeRegistration(5);
    const aReqs = makeRequests(a);
    t.store.registrations.submit({ registration: a, requests: aReqs, actor: 'clerk-01' });
    const b = makeRegistration(6);
    const bReqs = makeRequests(b);
    bReqs[4] = { ...bReqs[4]!, idempotencyKey: aReqs[0]!.idempotencyKey };
    const before = counts();
    const err = (() => {
      try {
        t.store.registrations.submit({ registration: b, requests: bReqs, actor: 'clerk-01' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConstraintError);
    expect(err?.message).toMatch(/idempotency_key/);
    expect(err?.message).not.toContain(aReqs[0]!.idempotencyKey);
    expect(counts()).toEqual(before);
  });

  it('refuses malformed input with field-precise errors and writes nothing', () => {
    const reg = makeRegistration(7);
    const before = counts();
    const cases: [unknown, RegExp][] = [
      [{ registration: { ...reg, id: 'not-a-uuid' }, requests: makeRequests(reg), actor: 'c' }, /registration\.id/],
      [{ registration: { ...reg, child: { ...reg.child, plurality: '2' } }, requests: makeRequests(reg), actor: 'c' }, /registration\.child\.plurality/],
      [{ registration: reg, requests: [], actor: 'c' }, /requests/],
      [{ registration: reg, requests: makeRequests(reg).map((r) => ({ ...r, service: 'passport' })), actor: 'c' }, /requests\.0\.service/],
      [{ registration: reg, requests: makeRequests(reg), actor: '' }, /actor/],
      [{ registration: { ...reg, services: ['vaccination'] }, requests: makeRequests(reg), actor: 'c' }, /requests\.0\.service.*not among/],
      [null, /expected object/],
    ];
    for (const [input, pattern] of cases) {
      const err = caught(() => t.store.registrations.submit(input as never));
      expect(err, String(pattern)).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toMatch(pattern);
      expect((err as InvalidInputError).issues.length).toBeGreaterThan(0);
    }
    expect(counts()).toEqual(before);
  });
});

describe('a full disk', () => {
  it('refuses the submit with DiskFullError and leaves nothing half-written', () => {
    const db = t.store.context.db;
    const first = makeRegistration(20);
    t.store.registrations.submit({ registration: first, requests: makeRequests(first), actor: 'clerk-01' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The database may not grow by a single page: as if the disk were full.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const before = counts();
    const regs = Array.from({ length: 20 }, (_, i) => makeRegistration(30 + i));
    let err: unknown;
    for (const reg of regs) {
      try {
        t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
      } catch (e) {
        err = e;
        break;
      }
    }
    expect(err).toMatchObject({ name: 'DiskFullError', code: 'db.disk_full', file: t.file });
    const after = counts();
    // Whole bundles only: as many registrations as 5x requests and audit events.
    expect(after.requests - before.requests).toBe(5 * (after.registrations - before.registrations));
    expect(after.audit - before.audit).toBe(after.registrations - before.registrations);
    expect(t.store.verifyAuditChain().ok).toBe(true);
  });
});
