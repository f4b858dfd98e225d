/** The city's rules, end to end over HTTP: intake rejections with field paths, review decisions, issued numbers. */
import { describe, expect, it } from 'vitest';
import type { BatchItem, StatusUpdate } from './contract';
import { idNumberProblem, REASONS } from './rules';
import { simPerSuite } from './test-fixture';
import { basePayload, FATHER_ID, item, MOTHER_ID, wrongCheck } from './testkit';

const HOUR = 3_600_000;

describe('city rules', () => {
  let cursor = '';
  const wall = Date.parse('2025-03-09T01:00:00Z');
  const suite = simPerSuite({ reviewClock: { receivedToReviewMs: HOUR, reviewToDecisionMs: 2 * HOUR }, now: () => wall, tokenTtlSec: 86_400 * 365 });

  /** Submit, run review to the end, and return the final status update of each item. */
  async function decided(items: BatchItem[]): Promise<StatusUpdate[]> {
    const r = await suite.desk.batch(items);
    for (const res of r.json.results) expect(res.outcome, JSON.stringify(res.errors)).toBe('accepted');
    suite.t.sim.admin.advance(3 * HOUR);
    const updates: StatusUpdate[] = [];
    for (;;) {
      const page = await suite.desk.feed(`since=${cursor}&limit=500`);
      updates.push(...page.json.updates);
      cursor = page.json.nextCursor;
      if (!page.json.hasMore) break;
    }
    return items.map((i) => updates.filter((u) => u.idempotencyKey === i.idempotencyKey).at(-1)!);
  }

  async function rejected(i: BatchItem) {
    const r = await suite.desk.batch([i]);
    expect(r.json.results[0].outcome).toBe('rejected');
    return r.json.results[0].errors as Array<{ path: string; code: string; message: string }>;
  }

  it('issues a birth certificate number ^[A-Z]\\d{9}$, unique', async () => {
    const ups = await decided([item('birth_certificate'), item('birth_certificate')]);
    for (const u of ups) {
      expect(u.status).toBe('issued');
      expect(u.documentNumber).toMatch(/^[A-Z]\d{9}$/);
    }
    expect(ups[0]!.documentNumber).not.toBe(ups[1]!.documentNumber);
  });

  it('approves vaccination with a record number', async () => {
    const [u] = await decided([item('vaccination', basePayload(), { jurisdiction: '330381' })]);
    expect(u).toMatchObject({ status: 'approved' });
    expect(u!.documentNumber).toMatch(/^VR330381\d{10}$/);
  });

  it('rejects the resident ID numbers of mother and father with a wrong check digit; other documents are not checked', async () => {
    const p = basePayload();
    const errs = await rejected(
      item('vaccination', { ...p, mother: { ...(p.mother as object), docNumber: wrongCheck(MOTHER_ID) }, father: { ...(p.father as object), docNumber: wrongCheck(FATHER_ID) } }),
    );
    expect(errs.map((e) => `${e.path}:${e.code}`)).toEqual(['payload.mother.docNumber:invalid_check_digit', 'payload.father.docNumber:invalid_check_digit']);
    expect(errs[0]!.message).not.toContain(MOTHER_ID.slice(0, 17)); // no ID number in the message
    const badFormat = await rejected(item('vaccination', { ...p, mother: { ...(p.mother as object), docNumber: '3303021993' } }));
    expect(badFormat[0]).toMatchObject({ path: 'payload.mother.docNumber', code: 'invalid_format' });
    const passport = item('vaccination', { ...p, mother: { ...(p.mother as object), docType: 'passport', docNumber: 'E12345678' }, father: null });
    expect((await suite.desk.batch([passport])).json.results[0].outcome).toBe('accepted');
  });

  it('rejects unknown services and jurisdictions and a non-object payload, field by field', async () => {
    const errs = await rejected({ ...item('vaccination'), service: 'passport' as never, jurisdiction: '110105' as never });
    expect(errs.map((e) => `${e.path}:${e.code}`)).toEqual(['service:unknown_service', 'jurisdiction:unknown_jurisdiction']);
    const notObj = await rejected({ ...item('vaccination'), payload: [] as never });
    expect(notObj.map((e) => e.path)).toEqual(['payload']);
    const noIds = await rejected({ ...item('vaccination'), requestId: '' });
    expect(noIds.map((e) => e.path)).toEqual(['requestId']);
  });

  it('maternity insurance: needs a birth certificate this city issued; not insured → rejected in review; else approved', async () => {
    const missing = await rejected(item('maternity_insurance'));
    expect(missing).toEqual([{ path: 'payload.birthCertificateNumber', code: 'required', message: expect.any(String) }]);
    const unknown = await rejected(item('maternity_insurance', { ...basePayload(), birthCertificateNumber: 'Z999999999' }));
    expect(unknown[0]).toMatchObject({ path: 'payload.birthCertificateNumber', code: 'unknown_birth_certificate' });

    const [cert] = await decided([item('birth_certificate')]);
    const p = basePayload();
    const insured = item('maternity_insurance', { ...p, birthCertificateNumber: cert!.documentNumber });
    const notInsured = item('maternity_insurance', { ...p, birthCertificateNumber: cert!.documentNumber, mother: { ...(p.mother as object), insurance: { insured: false } } });
    const notInsuredFlat = item('maternity_insurance', { ...p, birthCertificateNumber: cert!.documentNumber, mother: { ...(p.mother as object), insured: false } });
    const [a, b, c] = await decided([insured, notInsured, notInsuredFlat]);
    expect(a).toMatchObject({ status: 'approved' });
    expect(a!.documentNumber).toMatch(/^MI330302\d{13}$/);
    expect(b).toMatchObject({ status: 'rejected', reason: REASONS.notInsured });
    expect(b!.documentNumber).toBeUndefined();
    expect(c).toMatchObject({ status: 'rejected', reason: REASONS.notInsured });
  });

  it('household registration: child name and an issued certificate at intake; no address → needs_info; else a valid child ID', async () => {
    const [cert] = await decided([item('birth_certificate')]);
    const bc = cert!.documentNumber!;
    const p = basePayload();
    const child = p.child as Record<string, unknown>;
    const noName = await rejected(item('household_registration', { ...p, birthCertificateNumber: bc, householdAddress: 'x', child: { ...child, name: '' } }));
    expect(noName.map((e) => `${e.path}:${e.code}`)).toEqual(['payload.child.name:required']);
    const badChild = await rejected(item('household_registration', { ...p, householdAddress: 'x', child: { ...child, sex: '9', birthDateTime: '2025-02-30T10:00' } }));
    expect(badChild.map((e) => e.path)).toEqual(['payload.child.sex', 'payload.child.birthDateTime', 'payload.birthCertificateNumber']);

    const noAddress = item('household_registration', { ...p, birthCertificateNumber: bc });
    const boy = item('household_registration', { ...p, birthCertificateNumber: bc, householdAddress: '鹿城区五马街1号' }, { jurisdiction: '330381' });
    const girl = item(
      'household_registration',
      { ...p, birthCertificateNumber: bc, householdAddress: '鹿城区五马街1号', child: { ...child, sex: '2', birthDateTime: '2024-12-31T23:59' } },
      { jurisdiction: '330381' },
    );
    const boy2 = item('household_registration', { ...p, birthCertificateNumber: bc, householdAddress: 'y' }, { jurisdiction: '330381' });
    const [n, b, g, b2] = await decided([noAddress, boy, girl, boy2]);
    expect(n).toMatchObject({ status: 'needs_info', reason: REASONS.noHouseholdAddress });
    expect(n!.childIdNumber).toBeUndefined();
    for (const u of [b!, g!, b2!]) {
      expect(u.status).toBe('issued');
      expect(idNumberProblem(u.childIdNumber!)).toBeNull();
      expect(u.documentNumber).toBe(u.childIdNumber);
      expect(u.childIdNumber!.slice(0, 6)).toBe('330381');
    }
    expect(b!.childIdNumber!.slice(6, 14)).toBe('20250308');
    expect(g!.childIdNumber!.slice(6, 14)).toBe('20241231');
    expect(Number(b!.childIdNumber![16]) % 2).toBe(1); // male: odd
    expect(Number(g!.childIdNumber![16]) % 2).toBe(0); // female: even
    expect(b2!.childIdNumber).not.toBe(b!.childIdNumber);
  });

  it('citizen card: needs a child ID this city issued; then issued with a card number', async () => {
    const [cert] = await decided([item('birth_certificate')]);
    const [hh] = await decided([item('household_registration', { ...basePayload(), birthCertificateNumber: cert!.documentNumber, householdAddress: 'z' })]);
    const missing = await rejected(item('citizen_card'));
    expect(missing[0]).toMatchObject({ path: 'payload.childIdNumber', code: 'required' });
    const forged = await rejected(item('citizen_card', { ...basePayload(), childIdNumber: MOTHER_ID }));
    expect(forged[0]).toMatchObject({ path: 'payload.childIdNumber', code: 'unknown_child_id' });
    expect(forged[0]!.message).not.toContain(MOTHER_ID);
    const [card] = await decided([item('citizen_card', { ...basePayload(), childIdNumber: hh!.childIdNumber })]);
    expect(card).toMatchObject({ status: 'issued' });
    expect(card!.documentNumber).toMatch(/^SK330302\d{8}$/);
  });
});
