/**
 * Issue 12 at the desk's contract (real SQLite file, the real dispatcher): the same baby is blocked unless a
 * supervisor overrides with a reason (audited); twins pass; a possible duplicate stays acknowledgeable; submit
 * files exactly the chosen services or nothing; a service is added to a filed registration.
 */
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import type { RegistrationInput } from '../../domain/types';
import type { Result } from './result';
import { TEST_SUPERVISOR, useSignedInDesk } from './test-kiosk';

const desk = useSignedInDesk('kiosk-bundle-', [TEST_SUPERVISOR]);
const call = desk.call;
const ok = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? [])}`);
  return r.value as T;
};
const err = (r: Result<unknown>) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};
const at = () => new Date(SAMPLE_NOW).toISOString();
const baby = (over: Partial<RegistrationInput['child']> = {}, services?: RegistrationInput['services']): RegistrationInput => {
  const b = sampleRegistrationInput();
  return { ...b, id: uuidv7(), child: { ...b.child, ...over }, ...(services ? { services } : {}) };
};
const submit = (registration: RegistrationInput, extra: Record<string, unknown> = {}) => call('submit', { registration, confirmedAt: at(), ...extra });


describe('duplicates told apart', () => {
  it('the same baby twice is blocked even when acknowledged; the matches name the other child and desk', async () => {
    const first = baby();
    ok(await submit(first));
    const again = baby();
    const e = err(await submit(again, { acknowledgeDuplicates: true }));
    expect(e.code).toBe('duplicate_birth');
    expect(e.detail).toMatchObject({ blocked: true, matches: [{ registrationId: first.id, sameBirth: true, childName: first.child.name, deskId: 'desk-1' }] });
    expect(desk.store.registrations.count()).toBe(1);
    // A clerk cannot override; a supervisor can, with a reason, and the override is audited.
    expect(err(await submit(again, { overrideDuplicate: { reason: '家属确认为补录' } })).code).toBe('forbidden');
    await call('signOut');
    ok(await call('signIn', { staffId: 'super1', pin: '135792' }));
    ok(await submit(again, { overrideDuplicate: { reason: '家属确认为补录' } }));
    const audit = desk.store.audit.list({ subjectId: again.id }).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['registration.submit', 'registration.duplicate_override']));
  });

  it('twins with different birth orders pass without a match, in the pre-check and at submit', async () => {
    const one = baby({ plurality: 2, birthOrder: 1 });
    ok(await submit(one));
    const two = baby({ plurality: 2, birthOrder: 2 });
    const pre = ok<unknown[]>(await call('checkDuplicates', { motherDocType: two.mother.docType, motherDocNumber: two.mother.docNumber, childBirthDateTime: two.child.birthDateTime, plurality: 2, birthOrder: 2 }));
    expect(pre).toEqual([]);
    ok(await submit(two));
    expect(desk.store.registrations.count()).toBe(2);
  });

  it('another birth of the same mother within 270 days stays a warning the clerk acknowledges', async () => {
    ok(await submit(baby()));
    const later = baby({ birthDateTime: '2026-03-14T08:05' });
    expect(err(await submit(later)).detail).toMatchObject({ blocked: false });
    ok(await submit(later, { acknowledgeDuplicates: true }));
  });
});

describe('the bundle is a contract', () => {
  it('a chosen service that cannot be filed stops the submit at the missing field; nothing is stored', async () => {
    const b = baby();
    const reg = { ...b, declaration: { ...b.declaration, householdAddress: undefined } };
    const e = err(await submit(reg as RegistrationInput));
    expect(e.fields?.map((f) => f.path)).toContain('declaration.householdAddress');
    expect(desk.store.registrations.count()).toBe(0);
  });

  it('a declined service is not filed and is kept with its reason', async () => {
    const b = baby({}, ['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration']);
    const d = ok<{ requests: { service: string }[]; registration: RegistrationInput }>(await submit({ ...b, declined: [{ service: 'citizen_card', reason: '家属暂不办理' }] }));
    expect(d.requests.map((r) => r.service)).not.toContain('citizen_card');
    expect(d.registration.declined).toEqual([{ service: 'citizen_card', reason: '家属暂不办理' }]);
  });

  it('adds a service to a filed registration: one request, audited; twice is refused', async () => {
    const b = baby({}, ['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration']);
    ok(await submit(b));
    const r = ok<{ service: string; state: string; dependsOn: string[] }>(await call('addService', { registrationId: b.id, service: 'citizen_card', confirmedAt: at() }));
    expect(r).toMatchObject({ service: 'citizen_card', state: 'queued', dependsOn: ['household_registration'] });
    expect(desk.store.requests.listForRegistration(b.id)).toHaveLength(5);
    expect(desk.store.audit.list({ subjectId: b.id }).map((a) => a.action)).toContain('registration.add_service');
    expect(err(await call('addService', { registrationId: b.id, service: 'citizen_card', confirmedAt: at() })).code).toBe('conflict');
  });
});
