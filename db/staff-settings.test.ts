/** Staff PINs (scrypt, lock-out), settings, drafts and the sync cursor. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors';
import { checkPin, hashPin } from './staff-repo';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore({ lockout: { maxFailures: 3, lockMs: 60_000 } });
});
afterEach(() => t.cleanup());

describe('staff', () => {
  it('stores a scrypt hash (N ≥ 2^14, random salt), never the PIN', async () => {
    const a = await hashPin('123456');
    const b = await hashPin('123456');
    expect(a).not.toBe(b);
    const [, log2n] = a.split('$');
    expect(Number(log2n)).toBeGreaterThanOrEqual(14);
    expect(await checkPin('123456', a)).toBe(true);
    expect(await checkPin('123457', a)).toBe(false);
    await t.store.staff.create({ staffId: 'clerk-01', displayName: '李娜', role: 'clerk', pin: '123456' });
    const row = t.store.context.db.prepare(`SELECT * FROM staff`).get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain('123456');
    expect(t.store.staff.get('clerk-01')).toMatchObject({ role: 'clerk', active: true, failedAttempts: 0 });
  });

  it('hands out the staff fields and never the PIN hash', async () => {
    await t.store.staff.create({ staffId: 'clerk-01', displayName: '李娜', role: 'clerk', pin: '123456' });
    const fields = ['active', 'createdAt', 'displayName', 'failedAttempts', 'lockedUntil', 'role', 'staffId', 'updatedAt'];
    expect(Object.keys(t.store.staff.get('clerk-01') ?? {}).sort()).toEqual(fields);
    expect(t.store.staff.list().map((s) => Object.keys(s).sort())).toEqual([fields]);
  });

  it('signs in, counts failures, locks after the configured number, unlocks after the lock time', async () => {
    await t.store.staff.create({ staffId: 'clerk-01', displayName: '李娜', role: 'clerk', pin: '123456' });
    const t0 = new Date('2026-03-15T02:00:00Z');
    expect(await t.store.staff.verifyPin('clerk-01', '123456', t0)).toMatchObject({ result: 'ok', staff: { staffId: 'clerk-01' } });
    expect(await t.store.staff.verifyPin('clerk-01', '000000', t0)).toEqual({ result: 'bad_pin', attemptsLeft: 2 });
    expect(await t.store.staff.verifyPin('clerk-01', '000001', t0)).toEqual({ result: 'bad_pin', attemptsLeft: 1 });
    const until = new Date(t0.getTime() + 60_000).toISOString();
    expect(await t.store.staff.verifyPin('clerk-01', '000002', t0)).toEqual({ result: 'locked', until });
    // Even the right PIN is refused while locked.
    expect(await t.store.staff.verifyPin('clerk-01', '123456', new Date(t0.getTime() + 59_000))).toEqual({ result: 'locked', until });
    // After the lock: a fresh count.
    const t1 = new Date(t0.getTime() + 61_000);
    expect(await t.store.staff.verifyPin('clerk-01', '999999', t1)).toEqual({ result: 'bad_pin', attemptsLeft: 2 });
    expect(await t.store.staff.verifyPin('clerk-01', '123456', t1)).toMatchObject({ result: 'ok' });
    expect(t.store.staff.get('clerk-01')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    const actions = t.store.audit.list({ subjectId: 'clerk-01', limit: 100 }).map((e) => e.action).reverse();
    expect(actions).toEqual(['staff.create', 'staff.signin', 'staff.signin_failed', 'staff.signin_failed', 'staff.locked', 'staff.signin_failed', 'staff.signin']);
    expect(JSON.stringify(t.store.audit.list({ limit: 100 }).map((e) => [e.actor, e.details]))).not.toMatch(/123456|00000[012]/);
  });

  it('answers unknown for an unknown or disabled staff id', async () => {
    expect(await t.store.staff.verifyPin('nobody', '123456', new Date())).toEqual({ result: 'unknown' });
    await t.store.staff.create({ staffId: 'sup-01', displayName: 'Sup', role: 'supervisor', pin: '246813' });
    t.store.staff.setActive('sup-01', false, { actor: 'admin-01' });
    expect(await t.store.staff.verifyPin('sup-01', '246813', new Date())).toEqual({ result: 'unknown' });
  });

  it('refuses bad staff input with the field named, writing nothing', async () => {
    const before = t.store.audit.count();
    await expect(t.store.staff.create({ staffId: 'a b', displayName: 'x', role: 'clerk', pin: '123456' })).rejects.toThrow(/staffId/);
    await expect(t.store.staff.create({ staffId: 'a', displayName: 'x', role: 'boss' as never, pin: '123456' })).rejects.toThrow(/role/);
    await expect(t.store.staff.create({ staffId: 'a', displayName: 'x', role: 'clerk', pin: '12' })).rejects.toThrow(/pin/);
    await t.store.staff.create({ staffId: 'a', displayName: 'x', role: 'clerk', pin: '123456' });
    await expect(t.store.staff.create({ staffId: 'a', displayName: 'y', role: 'clerk', pin: '123456' })).rejects.toMatchObject({ code: 'db.constraint' });
    expect(t.store.audit.count()).toBe(before + 1);
  });
});

describe('settings, drafts, sync cursor', () => {
  it('settings: JSON values by key, changes audited by key only', () => {
    t.store.settings.set('sync.batchSize', 25, { actor: 'admin-01' });
    t.store.settings.set('desk.label', { zh: '一号窗口', en: 'Desk 1' });
    expect(t.store.settings.get('sync.batchSize')).toBe(25);
    expect(t.store.settings.all()).toEqual({ 'desk.label': { zh: '一号窗口', en: 'Desk 1' }, 'sync.batchSize': 25 });
    expect(t.store.audit.list({ subjectId: 'sync.batchSize' })[0]).toMatchObject({ action: 'settings.change', details: {} });
    expect(t.store.settings.delete('desk.label')).toBe(true);
    expect(t.store.settings.get('desk.label')).toBeUndefined();
    expect(() => t.store.settings.set('Bad Key', 1)).toThrow(InvalidInputError);
    expect(() => t.store.settings.set('x', undefined)).toThrow(/JSON/);
  });

  it('drafts: save, update, list newest first, discard (audited), refused once submitted', () => {
    const a = makeRegistration(1);
    const b = makeRegistration(2);
    let now = new Date('2026-03-15T02:00:00Z');
    t.store.close();
    return t.reopen({ now: () => now }).then(() => {
      t.store.drafts.save({ registrationId: a.id, doc: { step: 1 }, actor: 'clerk-01' });
      now = new Date('2026-03-15T02:01:00Z');
      t.store.drafts.save({ registrationId: b.id, doc: { step: 1 }, actor: 'clerk-01' });
      now = new Date('2026-03-15T02:02:00Z');
      t.store.drafts.save({ registrationId: a.id, doc: { step: 2 }, actor: 'clerk-02' });
      expect(t.store.drafts.get(a.id)).toMatchObject({ doc: { step: 2 }, actor: 'clerk-02', createdAt: '2026-03-15T02:00:00.000Z', updatedAt: '2026-03-15T02:02:00.000Z' });
      expect(t.store.drafts.list().map((d) => d.registrationId)).toEqual([a.id, b.id]);
      expect(t.store.drafts.delete(b.id, { actor: 'clerk-01' })).toBe(true);
      expect(t.store.audit.list({ subjectId: b.id })[0]).toMatchObject({ action: 'draft.discard' });
      t.store.registrations.submit({ registration: a, requests: makeRequests(a), actor: 'clerk-01' });
      expect(t.store.drafts.get(a.id)).toBeNull();
      expect(() => t.store.drafts.save({ registrationId: a.id, doc: {}, actor: 'clerk-01' })).toThrow(/already submitted/);
      expect(() => t.store.drafts.save({ registrationId: 'x', doc: {}, actor: 'c' })).toThrow(/registrationId/);
      expect(() => t.store.drafts.save({ registrationId: b.id, doc: 'text' as never, actor: 'c' })).toThrow(/doc/);
    });
  });

  it('sync cursor: stored per feed, settable inside a caller transaction', () => {
    expect(t.store.syncState.getCursor()).toBeNull();
    t.store.syncState.setCursor('status-updates', 'c1');
    expect(t.store.syncState.getCursor('status-updates')).toBe('c1');
    // A failing transaction leaves the old cursor.
    expect(() =>
      t.store.transaction('test.feed', () => {
        t.store.syncState.setCursorInTx('status-updates', 'c2');
        throw new Error('apply failed');
      }),
    ).toThrow('apply failed');
    expect(t.store.syncState.getCursor()).toBe('c1');
    expect(() => t.store.syncState.setCursorInTx('status-updates', 'c3')).toThrow(/outside a transaction/);
  });
});
