/**
 * Search (every criterion, paging newest first, bad input) and the duplicate-birth warning
 * (with and without twins).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registration } from '../domain/types';
import { InvalidInputError } from './errors';
import { caught, makeRegistration, makeRequests, residentId, tempStore, type TempStore } from './test-helpers';
import type { SearchQuery } from './types';

let t: TempStore;
const regs: Registration[] = [];
const requestIds = new Map<string, string[]>();

beforeAll(async () => {
  t = await tempStore();
  // 60 registrations, created one minute apart (seq order = time order).
  for (let i = 0; i < 60; i++) {
    const reg = makeRegistration(500 + i, { createdAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() });
    regs.push(reg);
    const res = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    requestIds.set(reg.id, res.requests.map((r) => r.id));
  }
});
afterAll(() => t.cleanup());

const ids = (q: SearchQuery) => t.store.registrations.search(q).items.map((i) => i.id);
const newestFirst = (rs: Registration[]) => [...rs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).map((r) => r.id);

describe('search', () => {
  it('by parent ID number: exact, either parent, spaces and case ignored', () => {
    const r = regs[10]!;
    expect(ids({ parentDocNumber: r.mother.docNumber })).toEqual([r.id]);
    expect(ids({ parentDocNumber: r.father!.docNumber })).toEqual([r.id]);
    const spaced = r.father!.docNumber.slice(0, 6) + ' ' + r.father!.docNumber.slice(6).toLowerCase();
    expect(ids({ parentDocNumber: spaced })).toEqual([r.id]);
    expect(ids({ parentDocNumber: r.mother.docNumber.slice(0, 17) })).toEqual([]); // not a prefix search
  });

  it('by name prefix: mother, father or child', () => {
    const r = regs[20]!;
    for (const name of [r.mother.name, r.father!.name, r.child.name].filter(Boolean) as string[]) {
      const found = ids({ name, limit: 100 });
      expect(found).toContain(r.id);
      const expected = regs.filter((x) => [x.mother.name, x.father?.name, x.child.name].some((n) => n?.startsWith(name)));
      expect(found).toEqual(newestFirst(expected));
    }
    const surname = r.mother.name.slice(0, 1);
    const expected = regs.filter((x) => [x.mother.name, x.father?.name, x.child.name].some((n) => n?.startsWith(surname)));
    expect(ids({ name: surname, limit: 100 })).toEqual(newestFirst(expected));
  });

  it('by phone: any phone on the registration, +86 and separators ignored', () => {
    const r = regs[30]!;
    expect(ids({ phone: r.mother.phone! })).toEqual([r.id]);
    expect(ids({ phone: r.declaration.guardianPhone })).toEqual([r.id]);
    const p = r.father!.phone!;
    expect(ids({ phone: `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}` })).toEqual([r.id]);
  });

  it('by registration (bundle) id prefix', () => {
    const r = regs[40]!;
    expect(ids({ registrationId: r.id })).toEqual([r.id]);
    const prefix = r.id.slice(0, 8);
    expect(ids({ registrationId: prefix.toUpperCase(), limit: 100 })).toEqual(newestFirst(regs.filter((x) => x.id.startsWith(prefix))));
  });

  it('by Medical Certificate of Birth number (documentNumber of the birth_certificate request)', () => {
    const r = regs[5]!;
    const bc = requestIds.get(r.id)![0]!;
    t.store.requests.transition(bc, { state: 'issued', documentNumber: 'Q330012345' }, ['queued'], { actor: 'system:sync' });
    expect(ids({ birthCertificateNumber: 'Q330012345' })).toEqual([r.id]);
    expect(ids({ birthCertificateNumber: 'q330012345' })).toEqual([r.id]);
    // A document number of another service is not a birth certificate number.
    const other = regs[6]!;
    t.store.requests.transition(requestIds.get(other.id)![1]!, { state: 'issued', documentNumber: 'Q330099999' }, ['queued'], { actor: 'system:sync' });
    expect(ids({ birthCertificateNumber: 'Q330099999' })).toEqual([]);
  });

  it('by date ranges (created, birth) and request state, combined', () => {
    const from = regs[10]!.createdAt;
    const to = regs[20]!.createdAt;
    expect(ids({ createdFrom: from, createdTo: to, limit: 100 })).toEqual(newestFirst(regs.slice(10, 20)));
    const b = regs[15]!.child.birthDateTime.slice(0, 10);
    expect(ids({ birthFrom: b, birthTo: b, limit: 100 })).toEqual(newestFirst(regs.filter((x) => x.child.birthDateTime.startsWith(b))));
    const r = regs[25]!;
    t.store.requests.transition(requestIds.get(r.id)![0]!, { state: 'held', lastError: 'E_BAD' }, ['queued'], { actor: 'system:sync' });
    expect(ids({ states: ['held'] })).toEqual([r.id]);
    expect(ids({ states: ['held'], createdFrom: regs[26]!.createdAt })).toEqual([]);
    expect(ids({ states: ['queued'], limit: 100 }).length).toBe(60);
  });

  it('pages newest first with a cursor until the end', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = t.store.registrations.search({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(9);
    expect(seen).toEqual(newestFirst(regs));
  });

  it('returns summaries with the request states', () => {
    const r = regs[3]!;
    const [item] = t.store.registrations.search({ registrationId: r.id }).items;
    expect(item).toMatchObject({ id: r.id, motherName: r.mother.name, childBirthDateTime: r.child.birthDateTime, plurality: 1 });
    expect(item!.requests.map((q) => q.service)).toEqual(r.services);
  });

  it('refuses bad input with a clear error naming the field, and writes nothing', () => {
    const before = t.store.context.db.prepare('SELECT total_changes()').pluck().get();
    const bad: [unknown, RegExp][] = [
      [{ parentDocNumber: 33030219940512 }, /parentDocNumber.*string/i],
      [{ name: 42 }, /name/],
      [{ limit: '20' }, /limit/],
      [{ limit: 1000 }, /limit/],
      [{ states: ['lost'] }, /states\.0/],
      [{ createdFrom: '2026-13-01' }, /createdFrom/],
      [{ birthFrom: 'yesterday' }, /birthFrom/],
      [{ registrationId: 'ab' }, /registrationId/],
      [{ cursor: 'garbage' }, /cursor/],
      [{ parentDocNo: 'x' }, /parentDocNo/], // unknown key (typo) is refused, not ignored
      ['name', /expected object/],
    ];
    for (const [q, pattern] of bad) {
      const err = caught(() => t.store.registrations.search(q as never));
      expect(err, String(pattern)).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toMatch(pattern);
    }
    expect(t.store.context.db.prepare('SELECT total_changes()').pluck().get()).toBe(before);
  });
});

describe('duplicate warning', () => {
  const motherDoc = residentId('330302', '1990-01-01', 321);
  const mk = (seed: number, birth: string, plurality = 1, birthOrder = 1) =>
    makeRegistration(seed, { motherDocNumber: motherDoc, childBirth: birth, plurality, birthOrder });

  it('flags the same mother with a child born within 270 days; older births and other mothers are not flagged', async () => {
    const d = await tempStore();
    try {
      const earlier = mk(1, '2026-01-10T08:00');
      const longAgo = mk(2, '2024-01-10T08:00');
      const otherMother = makeRegistration(3, { childBirth: '2026-03-01T08:00' });
      for (const r of [earlier, longAgo, otherMother]) d.store.registrations.submit({ registration: r, requests: makeRequests(r), actor: 'c' });
      const matches = d.store.registrations.findDuplicates({
        motherDocType: 'resident_id',
        motherDocNumber: motherDoc.toLowerCase(),
        childBirthDateTime: '2026-03-14T09:30',
        plurality: 1,
        birthOrder: 1,
      });
      expect(matches).toEqual([
        { registrationId: earlier.id, childBirthDateTime: '2026-01-10T08:00', plurality: 1, birthOrder: 1, createdAt: new Date(earlier.createdAt).toISOString(), sameDelivery: false },
      ]);
      // Another document type with the same number is another person.
      expect(d.store.registrations.findDuplicates({ motherDocType: 'passport', motherDocNumber: motherDoc, childBirthDateTime: '2026-03-14T09:30', plurality: 1, birthOrder: 1 })).toEqual([]);
      // The registration itself is left out when asked.
      expect(d.store.registrations.findDuplicates({ motherDocType: 'resident_id', motherDocNumber: motherDoc, childBirthDateTime: '2026-01-10T08:00', plurality: 1, birthOrder: 1, excludeRegistrationId: earlier.id })).toEqual([]);
    } finally {
      d.cleanup();
    }
  });

  it('does not flag twins recorded as such (plurality 2, minutes apart, other birth order), but flags the same twin twice', async () => {
    const d = await tempStore();
    try {
      const twin1 = mk(10, '2026-03-14T09:30', 2, 1);
      d.store.registrations.submit({ registration: twin1, requests: makeRequests(twin1), actor: 'c' });
      const q = { motherDocType: 'resident_id', motherDocNumber: motherDoc, childBirthDateTime: '2026-03-14T09:41', plurality: 2, birthOrder: 2 };
      expect(d.store.registrations.findDuplicates(q)).toEqual([]);
      // Twin 1 entered a second time.
      expect(d.store.registrations.findDuplicates({ ...q, birthOrder: 1 })).toMatchObject([{ registrationId: twin1.id, sameDelivery: true }]);
      // Not recorded as a multiple birth: a duplicate.
      expect(d.store.registrations.findDuplicates({ ...q, plurality: 1, birthOrder: 1 })).toMatchObject([{ registrationId: twin1.id, sameDelivery: false }]);
      // "Twins" born 3 days apart are not one delivery.
      expect(d.store.registrations.findDuplicates({ ...q, childBirthDateTime: '2026-03-17T09:30' })).toMatchObject([{ registrationId: twin1.id }]);
    } finally {
      d.cleanup();
    }
  });

  it('refuses a malformed duplicate query', () => {
    expect(() => t.store.registrations.findDuplicates({ motherDocType: 'resident_id', motherDocNumber: 'x', childBirthDateTime: '2026-03-14 09:30', plurality: 1, birthOrder: 1 })).toThrow(/childBirthDateTime/);
    expect(() => t.store.registrations.findDuplicates({ motherDocType: 'resident_id', motherDocNumber: 'x', childBirthDateTime: '2026-03-14T09:30', plurality: 0, birthOrder: 1 })).toThrow(/plurality/);
  });
});

describe('search plans for unselective terms', () => {
  it('a common surname or a common state walks newest-first instead of sorting every candidate, with the same results', async () => {
    const d = await tempStore();
    try {
      const regs: Registration[] = [];
      d.store.transaction('test.fill', () => {
        for (let i = 0; i < 450; i++) {
          const base = makeRegistration(7000 + i, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
          const reg = { ...base, mother: { ...base.mother, name: '欧阳' + base.mother.name.slice(1) } };
          regs.push(reg);
          d.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'c' });
        }
      });
      const common = d.store.registrations.explainSearch({ name: '欧' });
      expect(common.plan.join(' ')).not.toMatch(/name/);
      expect(common.plan.join(' ')).toMatch(/registrations_created/);
      const expected = newestFirst(regs.filter((r) => [r.mother.name, r.father?.name, r.child.name].some((n) => n?.startsWith('欧'))));
      const got: string[] = [];
      let cursor: string | undefined;
      do {
        const page = d.store.registrations.search({ name: '欧', limit: 100, ...(cursor ? { cursor } : {}) });
        got.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(got).toEqual(expected);
      // A rare name still uses its index.
      const rare = regs[1]!.father!.name;
      expect(d.store.registrations.explainSearch({ name: rare }).plan.join(' ')).toMatch(/name/);
      // All 2250 requests are queued: the common-state plan checks registrations one by one.
      expect(d.store.registrations.explainSearch({ states: ['queued'] }).plan.join(' ')).toMatch(/EXISTS/);
      expect(d.store.registrations.search({ states: ['queued'], limit: 100 }).items.map((i) => i.id)).toEqual(newestFirst(regs).slice(0, 100));
      expect(d.store.registrations.explainSearch({ states: ['held'] }).plan.join(' ')).not.toMatch(/EXISTS/);
    } finally {
      d.cleanup();
    }
  });
});
