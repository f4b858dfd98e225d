/**
 * Issue 13: a really full disk (a 3 MiB tmpfs, mounted when the test runs as root; skipped otherwise): the submit
 * that does not fit is refused as "磁盘已满（剩余 N MB）" with the real free space from statfs, nothing half
 * written, and the clerk can still sign in again and read what was stored.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyProvider, openStore, type Store } from '../../db';
import { sampleRegistrationInput } from '../../domain/fixtures';
import { createEventHub } from './events';
import { testKiosk } from './test-kiosk';

/** Another baby of the same mother each time (a different birth minute), so the same-baby guard does not stop the loop. */
const minutesBeforeSampleBirth = (i: number) => new Date(Date.UTC(2026, 2, 14, 8, 25 - i)).toISOString().slice(0, 16);

const mountPoint = mkdtempSync(path.join(tmpdir(), 'nd-tmpfs-'));
let mounted = false;
try {
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  }
} catch {
  mounted = false;
}
if (!mounted) console.log('core/api/disk-full-tmpfs.test.ts skipped: mounting a 3 MiB tmpfs needs root on Linux (the simulated full database in data-hardening.test.ts still runs)');

let store: Store;
beforeAll(async () => {
  if (mounted) store = await openStore({ file: path.join(mountPoint, 'desk.db'), keyProvider: new FileKeyProvider(path.join(mountPoint, 'desk.key')) });
});
afterAll(() => {
  store?.close();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a really full disk (tmpfs)', () => {
  it('says 磁盘已满 with the free space; sign-in and reading still work', async () => {
    await store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
    const kiosk = testKiosk(store, createEventHub(), mountPoint);
    const call = (m: string, a: unknown = {}) => kiosk.dispatch(m, a, 'internal');
    expect((await call('signIn', { staffId: 'clerk1', pin: '246813' })).ok).toBe(true);
    let error: { code: string; messageZh: string; detail?: unknown } | null = null;
    let stored = 0;
    for (let i = 0; i < 2000 && !error; i++) {
      const r = await call('submit', { registration: sampleRegistrationInput({ id: uuidv7(), child: { birthDateTime: minutesBeforeSampleBirth(i + 1) } }), acknowledgeDuplicates: true, confirmedAt: new Date().toISOString() });
      if (r.ok) stored++;
      else error = r.error as never;
    }
    expect(stored).toBeGreaterThan(0);
    expect(error).toMatchObject({ code: 'storage', detail: { code: 'db.disk_full', freeMb: expect.any(Number) } });
    expect((error!.detail as { freeMb: number }).freeMb).toBeLessThan(3);
    expect(error!.messageZh).toMatch(/^磁盘已满（剩余 [\d.]+ MB）/);
    console.log(`[disk-full] ${stored} registrations fit; then: ${error!.messageZh}`);
    expect((await call('signOut')).ok).toBe(true);
    expect((await call('signIn', { staffId: 'clerk1', pin: '246813' })).ok).toBe(true);
    const list = await call('listRegistrations', {});
    expect(list.ok).toBe(true);
    expect(store.registrations.count()).toBe(stored);
    expect(store.verifyAuditChain().ok).toBe(true);
  }, 120_000);
});
