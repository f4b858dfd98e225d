/**
 * Issue 12, "IT: a desk with a city API and an empty database has no staff account and no documented way to
 * create one": the one-time set-up of the first admin, over a real encrypted SQLite file through the dispatcher.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StaticKeyProvider, type Store } from '../../db';
import { DeskConfigSchema, type DeskConfigInput } from '../config/schema';
import { createEventHub } from './events';
import { silentLogger } from './ports';
import { createKioskService, type KioskService } from './service';
import type { Result } from './result';

const CODE = 'it-setup-7f3a9c21e4';
const PRODUCTION: DeskConfigInput = { hospitalCode: 'WZ01', deskId: 'desk-1', cityApi: { url: 'https://city.example/api', clientSecret: 'secret-123' }, setupCode: CODE };

let dir: string;
let store: Store;
let kiosk: KioskService;
const lines: string[] = [];

function service(config: DeskConfigInput): KioskService {
  const logger = { debug() {}, info: (m: string, meta?: unknown) => lines.push(m + JSON.stringify(meta ?? {})), warn: (m: string, meta?: unknown) => lines.push(m + JSON.stringify(meta ?? {})), error() {} };
  return createKioskService({ store, config: DeskConfigSchema.parse(config), events: createEventHub(), logger: { ...silentLogger, ...logger }, host: { version: '0', configFile: null, dataDir: dir } });
}
const call = (method: string, args: unknown = {}) => kiosk.dispatch(method, args, 'internal');
const errorOf = (r: Result<unknown>) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'setup-'));
  store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new StaticKeyProvider(Buffer.alloc(32, 9)) });
  lines.length = 0;
  kiosk = service(PRODUCTION);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('first account', () => {
  it('IT: ... no staff account — a production desk with no admin offers the set-up; the right code creates the admin (audited), signs in, and the set-up is gone', async () => {
    expect(await call('firstAdminStatus')).toEqual({ ok: true, value: { available: true, codeConfigured: true } });
    // No default PIN: nobody can sign in before the set-up.
    expect(errorOf(await call('signIn', { staffId: 'admin', pin: '123456' })).code).toBe('bad_pin');

    const wrong = errorOf(await call('setUpFirstAdmin', { setupCode: 'guess-guess-guess', staffId: 'it01', displayName: '王工', pin: '482913' }));
    expect(wrong.fields?.[0]?.path).toBe('setupCode');
    expect(wrong.messageZh).toMatch(/设置码/);
    expect(store.staff.list()).toEqual([]);

    const ok = await call('setUpFirstAdmin', { setupCode: CODE, staffId: 'it01', displayName: '王工', pin: '482913' });
    expect(ok.ok && ok.value).toMatchObject({ signedIn: true, staff: { staffId: 'it01', role: 'admin' } });
    expect(store.staff.list().map((s) => [s.staffId, s.role])).toEqual([['it01', 'admin']]);
    const audit = store.audit.list({ limit: 50 }).map((e) => `${e.actor} ${e.action}`);
    expect(audit).toContain('it-setup setup.first_admin_refused');
    expect(audit).toContain('it-setup staff.create');

    expect(await call('firstAdminStatus')).toEqual({ ok: true, value: { available: false, codeConfigured: true } });
    const again = errorOf(await call('setUpFirstAdmin', { setupCode: CODE, staffId: 'it02', displayName: '李工', pin: '482914' }));
    expect(again.code).toBe('not_allowed');
    expect(store.staff.list()).toHaveLength(1);
    // The code is never logged.
    expect(lines.join('\n')).not.toContain(CODE);
  });

  it('training desks never offer it; without a code in the config it says what IT must do; five wrong codes pause it', async () => {
    kiosk = service({ hospitalCode: 'WZ01', deskId: 'desk-1', setupCode: CODE });
    expect(await call('firstAdminStatus')).toEqual({ ok: true, value: { available: false, codeConfigured: false } });
    expect(errorOf(await call('setUpFirstAdmin', { setupCode: CODE, staffId: 'it01', displayName: '王工', pin: '482913' })).code).toBe('not_allowed');

    kiosk = service({ ...PRODUCTION, setupCode: undefined });
    expect(await call('firstAdminStatus')).toEqual({ ok: true, value: { available: true, codeConfigured: false } });
    expect(errorOf(await call('setUpFirstAdmin', { setupCode: CODE, staffId: 'it01', displayName: '王工', pin: '482913' })).message).toMatch(/setupCode.*IT-GUIDE/);

    kiosk = service(PRODUCTION);
    for (let i = 0; i < 5; i++) await call('setUpFirstAdmin', { setupCode: `wrong-code-${i}-xxxx`, staffId: 'it01', displayName: '王工', pin: '482913' });
    expect(errorOf(await call('setUpFirstAdmin', { setupCode: CODE, staffId: 'it01', displayName: '王工', pin: '482913' })).code).toBe('account_locked');
    expect(store.staff.list()).toEqual([]);
  });
});
