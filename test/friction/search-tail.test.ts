/**
 * Issue 12: the family reads out the last 6 of an ID number, shows a passport or an HK/Macau/Taiwan residence
 * permit: the search box finds the registration, from an index (no scan of registrations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStoreQuery } from '../../core/api/handlers/registrations';
import { withCheckChar } from '../../domain/idnumber';
import type { Registration } from '../../domain/types';
import { makeRegistration, makeRequests, tempStore, type TempStore } from '../../db/test-helpers';

let t: TempStore;
const regs: Registration[] = [];
const HK = withCheckChar('81000019920708002')!;
const PASSPORT = 'P1234567';

beforeAll(async () => {
  t = await tempStore();
  for (let i = 0; i < 30; i++) {
    let reg = makeRegistration(900 + i, { createdAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() });
    if (i === 3) reg = { ...reg, mother: { ...reg.mother, docType: 'hmt_permit', docNumber: HK } };
    if (i === 4) reg = { ...reg, mother: { ...reg.mother, docType: 'passport', docNumber: PASSPORT, nationality: 'GBR' } };
    regs.push(reg);
    t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
  }
});
afterAll(() => t.cleanup());

const find = (text: string) => t.store.registrations.search(toStoreQuery({ text, limit: 50 })).items.map((i) => i.id);

describe('search by what the family shows (issue 12)', () => {
  it("by the last 6 characters of the mother's or the father's ID number", () => {
    const r = regs[10]!;
    expect(find(r.mother.docNumber.slice(-6))).toContain(r.id);
    expect(find(r.father!.docNumber.slice(-6))).toContain(r.id);
    const expected = regs.filter((x) => [x.mother.docNumber, x.father?.docNumber].some((d) => d?.endsWith(r.mother.docNumber.slice(-6)))).map((x) => x.id);
    expect(find(r.mother.docNumber.slice(-6)).sort()).toEqual(expected.sort());
    expect(find(` ${r.mother.docNumber.slice(-6).toLowerCase()} `)).toContain(r.id);
  });

  it('by a passport number and by an HK/Macau/Taiwan residence permit number', () => {
    expect(find(PASSPORT)).toEqual([regs[4]!.id]);
    expect(find(PASSPORT.toLowerCase())).toEqual([regs[4]!.id]);
    expect(find(HK)).toEqual([regs[3]!.id]);
  });

  it('the last-6 search is answered from the expression indexes', () => {
    const plan = t.store.registrations.explainSearch({ parentDocTail: '123456' }).plan.join(' | ');
    expect(plan).toMatch(/registrations_mother_doc_tail/);
    expect(plan).toMatch(/registrations_father_doc_tail/);
  });
});
