/**
 * Issue 13, the data area's smaller items, through the real dispatcher over a real encrypted file: the audit
 * time is the desk's clock (a stated time bounded, 1970 and 2099 refused), the idle lock enforced by the API,
 * a deeply nested draft answered 400, a full disk said so with the free space while sign-in and reading go on,
 * 6-digit PINs (4-digit ones sign in until changed) and a lock-out that grows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyProvider, openStore, type Store } from '../../db';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import { DeskConfigSchema } from '../config/schema';
import { createEventHub } from './events';
import { silentLogger } from './ports';
import { createKioskService, type KioskService } from './service';
import { value, errorOf } from './test-kiosk';

/** Another baby of the same mother each time (a different birth minute), so the same-baby guard does not stop the loop. */
const minutesBeforeSampleBirth = (i: number) => new Date(Date.UTC(2026, 2, 14, 8, 25 - i)).toISOString().slice(0, 16);

let dir: string;
let store: Store;
let kiosk: KioskService;
let clock: Date;

const call = (method: string, args: unknown = {}) => kiosk.dispatch(method, args, 'internal');
const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kiosk-data-'));
  clock = new Date(SAMPLE_NOW);
  store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new FileKeyProvider(path.join(dir, 'desk.key')), now: () => clock });
  await store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
  await store.staff.create({ staffId: 'admin1', displayName: '张伟', role: 'admin', pin: '135724' }, { actor: 'system' });
  kiosk = createKioskService({
    store,
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1', idleLockMinutes: 1 }),
    events: createEventHub(),
    logger: silentLogger,
    host: { version: '0.0.0-test', configFile: null, dataDir: dir },
    now: () => clock,
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('times: the audit time is the desk clock', () => {
  beforeEach(async () => value(await call('signIn', { staffId: 'clerk1', pin: '246813' })));

  it.each(['1970-01-01T00:00:00.000Z', '2099-12-31T23:59:00.000Z'])('refuses confirmedAt %s with a field error and stores nothing', async (confirmedAt) => {
    const e = errorOf(await call('submit', { registration: sampleRegistrationInput(), confirmedAt }));
    expect(e.code).toBe('bad_request');
    expect(e.fields).toEqual([expect.objectContaining({ path: 'confirmedAt', code: 'out_of_range' })]);
    expect(e.messageZh).toContain('10 分钟');
    expect(store.registrations.count()).toBe(0);
  });

  it('keeps an in-bound confirmedAt only as the stated time; the audit time is the desk clock', async () => {
    const stated = new Date(clock.getTime() - 4 * 60_000).toISOString();
    const r = value<{ registration: { id: string } }>(await call('submit', { registration: sampleRegistrationInput(), confirmedAt: stated }));
    const event = store.audit.list({ subjectId: r.registration.id }).find((a) => a.action === 'registration.submit')!;
    expect(event.at).toBe(clock.toISOString());
    expect(event.details).toMatchObject({ statedAt: stated });
  });
});

describe('the idle lock is enforced by the API', () => {
  it('after idleLockMinutes without activity a submit is refused as locked; background refreshes do not keep it awake', async () => {
    value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    later(30_000);
    value(await call('listRegistrations', {}));
    for (let i = 0; i < 10; i++) {
      later(7_500); // 75 s in all since the last real activity, with the screens polling
      value(await call('getSyncStatus'));
      await call('todaySummary');
    }
    const e = errorOf(await call('submit', { registration: sampleRegistrationInput(), confirmedAt: clock.toISOString() }));
    expect(e.code).toBe('locked');
    expect(store.registrations.count()).toBe(0);
    expect(value<{ locked: boolean }>(await call('getSession')).locked).toBe(true);
    value(await call('unlock', { pin: '246813' }));
    value(await call('submit', { registration: sampleRegistrationInput(), confirmedAt: clock.toISOString() }));
  });
});

describe('over-deep input', () => {
  it('a deeply nested draft is a 400 naming where, and saves nothing', async () => {
    value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const e = errorOf(await call('saveDraft', { id: sampleRegistrationInput().id, data: { mother: deep } }));
    expect(e.code).toBe('bad_request');
    expect(e.fields?.[0]).toMatchObject({ code: 'too_deep', path: expect.stringMatching(/^data\.mother\.a/) });
    expect(store.drafts.list()).toHaveLength(0);
  });
});

describe('a full disk', () => {
  it('says so with the free space in the clerk’s language; sign-in and reading still work', async () => {
    value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    value(await call('submit', { registration: sampleRegistrationInput(), confirmedAt: clock.toISOString() }));
    value(await call('signOut'));
    const db = store.context.db;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    // Sign-in must not need a write that fails.
    const s = value<{ signedIn: boolean }>(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    expect(s.signedIn).toBe(true);
    expect(value<{ items: unknown[] }>(await call('listRegistrations', {})).items).toHaveLength(1);
    let e: ReturnType<typeof errorOf> | null = null;
    for (let i = 0; i < 20 && !e; i++) {
      const r = await call('submit', { registration: sampleRegistrationInput({ id: uuidv7(), child: { birthDateTime: minutesBeforeSampleBirth(i + 1) } }), acknowledgeDuplicates: true, confirmedAt: clock.toISOString() });
      if (!r.ok) e = r.error;
    }
    expect(e).toMatchObject({ code: 'storage', detail: { code: 'db.disk_full', freeMb: expect.any(Number) } });
    expect(e!.messageZh).toMatch(/^磁盘已满（剩余 [\d.]+ MB）/);
    expect(e!.message).toMatch(/^The disk is full \([\d.]+ MB free\)/);
    expect(value<{ signedIn: boolean }>(await call('signOut')).signedIn).toBe(false);
    // Wrong PINs still lock the account although nothing can be written.
    for (let i = 0; i < 5; i++) await call('signIn', { staffId: 'admin1', pin: '000000' });
    expect(errorOf(await call('signIn', { staffId: 'admin1', pin: '135724' })).code).toBe('account_locked');
  });
});

describe('PINs', () => {
  it('a new PIN needs 6 digits', async () => {
    value(await call('signIn', { staffId: 'admin1', pin: '135724' }));
    const e = errorOf(await call('saveStaff', { staffId: 'clerk2', displayName: '王芳', role: 'clerk', pin: '1234' }));
    expect(e.code).toBe('bad_request');
    expect(e.fields?.[0]?.path).toBe('pin');
    await expect(store.staff.create({ staffId: 'c3', displayName: 'x', role: 'clerk', pin: '1234' })).rejects.toThrow(/6 to 12 digits/);
  });

  it('a 4-digit PIN set before still signs in, and the session asks for a change', async () => {
    const raw = store.context.db;
    const { hashPin } = await import('../../db/staff-repo');
    raw.prepare(`UPDATE staff SET pin_hash = ? WHERE staff_id = 'clerk1'`).run(await hashPin('2468'));
    const s = value<{ signedIn: boolean; pinChangeRequired?: boolean }>(await call('signIn', { staffId: 'clerk1', pin: '2468' }));
    expect(s).toMatchObject({ signedIn: true, pinChangeRequired: true });
  });

  it('each lock without a good sign-in in between lasts twice as long', async () => {
    const lockFor = async (): Promise<number> => {
      let until = '';
      for (let i = 0; i < 5; i++) {
        const e = errorOf(await call('signIn', { staffId: 'clerk1', pin: '000000' }));
        if (e.code === 'account_locked') until = (e.detail as { until: string }).until;
      }
      const ms = new Date(until).getTime() - clock.getTime();
      clock = new Date(until);
      later(1000);
      return ms;
    };
    expect(await lockFor()).toBe(5 * 60_000);
    expect(await lockFor()).toBe(10 * 60_000);
    expect(await lockFor()).toBe(20 * 60_000);
    value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    value(await call('signOut'));
    expect(await lockFor()).toBe(5 * 60_000);
  });
});
