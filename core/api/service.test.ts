/**
 * KioskApi over a real encrypted SQLite file, through the same generic dispatcher the shells use: sign-in and
 * lock-out, role checks, the lock, malformed arguments, submit (validation, duplicates, idempotency), search,
 * retry/amend refusals, drafts. Every call goes in as `unknown` and comes out as `{ ok, value | error }`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openStore, StaticKeyProvider, type Store } from '../../db';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import { createEventHub, type EventHub } from './events';
import { toStoreQuery, type KioskService } from './service';
import { errorOf, testKiosk, value } from './test-kiosk';

let dir: string;
let store: Store;
let events: EventHub;
let kiosk: KioskService;
let clock: Date;
const seen: Array<{ event: string; payload: unknown }> = [];

const call = (method: string, args: unknown = {}) => kiosk.dispatch(method, args, 'internal');

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kiosk-'));
  clock = new Date(SAMPLE_NOW);
  store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new StaticKeyProvider(Buffer.alloc(32, 7)), now: () => clock });
  await store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
  await store.staff.create({ staffId: 'admin1', displayName: '张伟', role: 'admin', pin: '135724' }, { actor: 'system' });
  events = createEventHub();
  seen.length = 0;
  events.subscribe((event, payload) => seen.push({ event, payload }));
  kiosk = testKiosk(store, events, dir, { now: () => clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('session', () => {
  it('refuses everything but public methods until someone signs in', async () => {
    expect(errorOf(await call('todaySummary')).code).toBe('unauthenticated');
    const session = value<{ signedIn: boolean; training: boolean }>(await call('getSession'));
    expect(session).toMatchObject({ signedIn: false, training: true });
  });

  it('signs in, announces the session, and records the sign-in in the audit trail', async () => {
    const s = value<{ staff: { staffId: string; role: string } }>(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    expect(s.staff).toMatchObject({ staffId: 'clerk1', role: 'clerk' });
    expect(seen.some((e) => e.event === 'sessionChanged')).toBe(true);
    expect(store.audit.list({ subjectId: 'clerk1' }).map((e) => e.action)).toContain('staff.signin');
  });

  it('answers a wrong PIN with the tries left, then locks the account', async () => {
    const first = errorOf(await call('signIn', { staffId: 'clerk1', pin: '000000' }));
    expect(first.code).toBe('bad_pin');
    expect(first.detail).toMatchObject({ attemptsLeft: 4 });
    for (let i = 0; i < 4; i++) await call('signIn', { staffId: 'clerk1', pin: '000000' });
    const locked = errorOf(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    expect(locked.code).toBe('account_locked');
    expect(locked.messageZh).toContain('锁定');
  });

  it('does not tell an unknown staff id from a wrong PIN', async () => {
    const e = errorOf(await call('signIn', { staffId: 'nobody', pin: '123456' }));
    expect(e.code).toBe('bad_pin');
  });

  it('lock keeps the session but refuses work until the PIN is entered again', async () => {
    await call('signIn', { staffId: 'clerk1', pin: '246813' });
    value(await call('lock'));
    expect(errorOf(await call('todaySummary')).code).toBe('locked');
    expect(errorOf(await call('unlock', { pin: '999999' })).code).toBe('bad_pin');
    value(await call('unlock', { pin: '246813' }));
    expect(value<{ registrations: number }>(await call('todaySummary')).registrations).toBe(0);
  });

  it('keeps admin-only methods from clerks', async () => {
    await call('signIn', { staffId: 'clerk1', pin: '246813' });
    expect(errorOf(await call('listStaff')).code).toBe('forbidden');
    await call('signOut');
    await call('signIn', { staffId: 'admin1', pin: '135724' });
    expect(value<unknown[]>(await call('listStaff'))).toHaveLength(2);
  });
});

describe('the boundary', () => {
  beforeEach(async () => {
    await call('signIn', { staffId: 'clerk1', pin: '246813' });
  });

  it('names unknown methods and never runs them', async () => {
    expect(errorOf(await call('dropDatabase')).code).toBe('unknown_method');
    expect(errorOf(await call('__proto__')).code).toBe('unknown_method');
  });

  it('rejects malformed arguments with field-precise issues and writes nothing', async () => {
    const before = store.audit.count();
    const e = errorOf(await call('saveDraft', { id: 'not-a-uuid', data: 'x', extra: 1 }));
    expect(e.code).toBe('bad_request');
    const paths = (e.fields ?? []).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'data']));
    expect(e.fields?.every((f) => f.message.zh && f.message.en)).toBe(true);
    expect(store.audit.count()).toBe(before);
    for (const hostile of [null, 42, 'x', [], { registration: { id: 1 } }]) {
      expect(errorOf(await call('submit', hostile)).code).toBe('bad_request');
    }
    expect(store.registrations.count()).toBe(0);
  });
});

describe('submit', () => {
  beforeEach(async () => {
    await call('signIn', { staffId: 'clerk1', pin: '246813' });
  });
  const confirmedAt = () => clock.toISOString();

  it('queues a five-service bundle in one go, routed and with its dependencies, and is idempotent', async () => {
    const registration = sampleRegistrationInput();
    const first = value<{ created: boolean; requests: Array<{ service: string; state: string; dependsOn: string[]; jurisdiction: string }> }>(
      await call('submit', { registration, confirmedAt: confirmedAt() }),
    );
    expect(first.created).toBe(true);
    expect(first.requests.map((r) => r.service).sort()).toEqual([...registration.services].sort());
    expect(first.requests.every((r) => r.state === 'queued')).toBe(true);
    const card = first.requests.find((r) => r.service === 'citizen_card');
    if (card) expect(card.dependsOn).toContain('household_registration');
    const again = value<{ created: boolean; requests: unknown[] }>(await call('submit', { registration, confirmedAt: confirmedAt() }));
    expect(again.created).toBe(false);
    expect(again.requests).toHaveLength(first.requests.length);
    expect(store.registrations.count()).toBe(1);
  });

  it('refuses an invalid entry with errors at its fields, and writes nothing', async () => {
    const registration = sampleRegistrationInput();
    registration.mother.docNumber = registration.mother.docNumber.slice(0, 17) + (registration.mother.docNumber.endsWith('1') ? '2' : '1');
    registration.child.weightG = 12_000;
    const e = errorOf(await call('submit', { registration, confirmedAt: confirmedAt() }));
    expect(e.code).toBe('invalid');
    const paths = (e.fields ?? []).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['mother.docNumber', 'child.weightG']));
    expect(store.registrations.count()).toBe(0);
  });

  it('warns before a second birth by the same mother within 270 days, but not for twins', async () => {
    const first = sampleRegistrationInput();
    value(await call('submit', { registration: first, confirmedAt: confirmedAt() }));
    const second = sampleRegistrationInput({ id: uuidv7() });
    // An earlier birth by the same mother, 100 days before (a singleton): a likely duplicate entry.
    const earlier = new Date(`${first.child.birthDateTime}:00Z`);
    earlier.setUTCDate(earlier.getUTCDate() - 100);
    second.child.birthDateTime = earlier.toISOString().slice(0, 16);
    second.vaccinations = second.vaccinations.map((v) => ({ ...v, givenAt: second.child.birthDateTime }));
    const dup = errorOf(await call('submit', { registration: second, confirmedAt: confirmedAt() }));
    expect(dup.code).toBe('duplicate_birth');
    value(await call('submit', { registration: second, acknowledgeDuplicates: true, confirmedAt: confirmedAt() }));

    const twinA = sampleRegistrationInput({ id: uuidv7(), mother: { docNumber: '110105199001010045', birthDate: '1990-01-01' } });
    twinA.child.plurality = 2;
    twinA.child.birthOrder = 1;
    const twinB = { ...twinA, id: uuidv7(), child: { ...twinA.child, birthOrder: 2, birthDateTime: twinA.child.birthDateTime.replace(/:\d\d$/, ':59') } };
    value(await call('submit', { registration: twinA, confirmedAt: confirmedAt() }));
    value(await call('submit', { registration: twinB, confirmedAt: confirmedAt() }));
  });

  it('finds the bundle by the mother\'s ID number, her name, the bundle id and the phone', async () => {
    const registration = sampleRegistrationInput();
    value(await call('submit', { registration, confirmedAt: confirmedAt() }));
    for (const text of [registration.mother.docNumber, registration.mother.name, registration.id.slice(0, 8), registration.declaration.guardianPhone]) {
      const page = value<{ items: Array<{ id: string }> }>(await call('listRegistrations', { text }));
      expect(page.items.map((i) => i.id), `search by ${text.length}-char text`).toContain(registration.id);
    }
    const detail = value<{ requests: unknown[]; audit: Array<{ action: string }> }>(await call('getRegistration', { id: registration.id }));
    expect(detail.audit.map((a) => a.action)).toContain('registration.submit');
  });

  it('refuses to retry a request that is not held, saying why', async () => {
    const registration = sampleRegistrationInput();
    const r = value<{ requests: Array<{ id: string }> }>(await call('submit', { registration, confirmedAt: confirmedAt() }));
    const e = errorOf(await call('retryRequest', { requestId: r.requests[0]!.id, confirmedAt: confirmedAt() }));
    expect(e.code).toBe('not_allowed');
  });

  it('keeps drafts across a new service over the same file (a restart)', async () => {
    const id = uuidv7();
    value(await call('saveDraft', { id, data: { mother: { name: '王丽华' } } }));
    const again = testKiosk(store, events, dir, { host: { version: '0', configFile: null, dataDir: dir } });
    await again.dispatch('signIn', { staffId: 'clerk1', pin: '246813' }, 'internal');
    const drafts = value<Array<{ id: string; data: { mother: { name: string } } }>>(await again.dispatch('listDrafts', {}, 'internal'));
    expect(drafts.map((d) => d.id)).toContain(id);
  });
});

describe('search box', () => {
  it('recognises what was typed', () => {
    expect(toStoreQuery({ text: '11010519491231002x', limit: 25 })).toMatchObject({ parentDocNumber: '11010519491231002X' });
    expect(toStoreQuery({ text: 'x320101001', limit: 25 })).toMatchObject({ birthCertificateNumber: 'X320101001' });
    expect(toStoreQuery({ text: '13812345678', limit: 25 })).toMatchObject({ phone: '13812345678' });
    expect(toStoreQuery({ text: '王丽', limit: 25 })).toMatchObject({ name: '王丽' });
    expect(toStoreQuery({ text: '0190a1b2-c3d4', limit: 25 })).toMatchObject({ registrationId: '0190a1b2-c3d4' });
  });
});
