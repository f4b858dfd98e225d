/**
 * For the API tests: the kiosk service of a test desk (hospital WZ01, desk-1, silent logger, host version
 * 0.0.0-test) over the caller's store and event hub; `more` adds or overrides deps (clock, devices). `value` and
 * `errorOf` unwrap a dispatch result that must be ok or must be an error.
 */
import { DeskConfigSchema } from '../config/schema';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach } from 'vitest';
import path from 'node:path';
import { openStore, StaticKeyProvider, type Store } from '../../db';
import { SAMPLE_NOW } from '../../domain/fixtures';
import { createEventHub } from './events';
import type { EventHub } from './events';
import { silentLogger } from './ports';
import type { Result } from './result';
import { createKioskService, type KioskService, type KioskServiceDeps } from './service';

export function testKiosk(store: Store, events: EventHub, dataDir: string, more: Partial<KioskServiceDeps> = {}): KioskService {
  return createKioskService({
    store,
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1' }),
    events,
    logger: silentLogger,
    host: { version: '0.0.0-test', configFile: null, dataDir },
    ...more,
  });
}

/** The value of a result that must be ok (the error, with its fields, in the failure otherwise). */
export function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? [])}`);
  return r.value as T;
}

/** The error of a result that must have failed. */
export function errorOf(r: Result<unknown>) {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

/** The sample desk's staff for the API tests (6-digit PINs). */
export const TEST_CLERK = { staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' } as const;
export const TEST_SUPERVISOR = { staffId: 'super1', displayName: '王芳', role: 'supervisor', pin: '135792' } as const;

/**
 * A fresh desk at the sample's clock: a real encrypted SQLite file in a new temp folder, `TEST_CLERK` and the other
 * staff given, the kiosk over it, and the clerk signed in. The caller closes `store` and removes `dir`.
 */
export async function openSignedInDesk(prefix: string, staff: ReadonlyArray<typeof TEST_CLERK | typeof TEST_SUPERVISOR> = []) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const now = () => new Date(SAMPLE_NOW);
  const store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new StaticKeyProvider(Buffer.alloc(32, 7)), now });
  for (const s of [TEST_CLERK, ...staff]) await store.staff.create({ ...s }, { actor: 'system' });
  const kiosk = testKiosk(store, createEventHub(), dir, { now });
  value(await kiosk.dispatch('signIn', { staffId: TEST_CLERK.staffId, pin: TEST_CLERK.pin }, 'internal'));
  return { dir, store, kiosk };
}

/** `openSignedInDesk` before each test of the calling file, closed and removed after each: a live handle. */
export function useSignedInDesk(prefix: string, staff: ReadonlyArray<typeof TEST_CLERK | typeof TEST_SUPERVISOR> = []) {
  let current: Awaited<ReturnType<typeof openSignedInDesk>> | null = null;
  beforeEach(async () => {
    current = await openSignedInDesk(prefix, staff);
  });
  afterEach(() => {
    current?.store.close();
    if (current) rmSync(current.dir, { recursive: true, force: true });
    current = null;
  });
  const live = () => {
    if (!current) throw new Error('the test desk is open only inside a test');
    return current;
  };
  return {
    get store() {
      return live().store;
    },
    get kiosk() {
      return live().kiosk;
    },
    call: (method: string, args: unknown = {}) => live().kiosk.dispatch(method, args, 'internal'),
  };
}
