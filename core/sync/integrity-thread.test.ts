/**
 * issue 14 item 5: the full-file integrity check runs in the background, in the sync thread (a real Node worker
 * thread running the built out/sync/thread.cjs) on its own connection, never at open. It finds real damage in a real
 * encrypted file, keeps its result beside the database, logs the damage (counts only), and Diagnostics' KioskApi
 * answer (`getHealth`) carries the result and its age.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { buildSyncThread } from '../../scripts/build-sync-thread.mjs';
import { FileKeyProvider, integrityFile, readIntegrityResult } from '../../db';
import { makeRegistration, makeRequests, tempStore, type TempStore } from '../../db/test-helpers';
import { createEventHub } from '../api/events';
import type { Health } from '../api/contract';
import { testKiosk } from '../api/test-kiosk';
import { nodeThreadHost } from './node-thread-host';
import { createThreadedSync } from './thread';

let entry = '';
beforeAll(async () => {
  entry = await buildSyncThread();
}, 60_000);

let t: TempStore | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  t?.cleanup();
  t = undefined;
});

const logs: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
const logger = {
  debug: (message: string, meta?: Record<string, unknown>) => void logs.push({ level: 'debug', message, ...(meta ? { meta } : {}) }),
  info: (message: string, meta?: Record<string, unknown>) => void logs.push({ level: 'info', message, ...(meta ? { meta } : {}) }),
  warn: (message: string, meta?: Record<string, unknown>) => void logs.push({ level: 'warn', message, ...(meta ? { meta } : {}) }),
  error: (message: string, meta?: Record<string, unknown>) => void logs.push({ level: 'error', message, ...(meta ? { meta } : {}) }),
};

/** A check-only thread (no city API), as startDesk starts it on a desk without one; first check at once. */
function startCheck(store: TempStore) {
  const sync = createThreadedSync({
    host: nodeThreadHost(entry),
    store: store.store,
    events: { emit: () => undefined },
    logger,
    init: {
      dbFile: store.store.file,
      anchorFile: store.store.anchor().file,
      cityApi: null,
      leaseOwner: 'H330302001:desk-01',
      batch: { maxItems: 20, maxBytes: 256 * 1024 },
      intervalMs: 60_000,
      fetch: { kind: 'plain' },
      integrity: { file: integrityFile(store.store.file), firstMs: 0, everyMs: 60_000 },
    },
    getKey: () => new FileKeyProvider(store.keyFile).getKey({ mayCreate: false }),
  });
  sync.start();
  stop = () => sync.stop();
  return sync;
}

async function health(store: TempStore): Promise<Health> {
  const kiosk = testKiosk(store.store, createEventHub(), store.dir);
  if (!store.store.staff.list().some((s) => s.staffId === 'it-01')) await store.store.staff.create({ staffId: 'it-01', displayName: 'IT', role: 'admin', pin: '135792' }, { actor: 'system' });
  const signIn = await kiosk.dispatch('signIn', { staffId: 'it-01', pin: '135792' }, 'internal');
  expect(signIn.ok).toBe(true);
  const r = await kiosk.dispatch('getHealth', {}, 'internal');
  if (!r.ok) throw new Error(r.error.code);
  return r.value as Health;
}

function fill(store: TempStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const reg = makeRegistration(i + 1);
    store.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
  }
}

it('before any check Diagnostics says so; the thread checks a sound file in the background and getHealth shows ok and its age', async () => {
  logs.length = 0;
  t = await tempStore();
  fill(t, 20);
  const before = await health(t);
  expect(before.database.integrity).toEqual({ check: 'quick_check', state: 'not_yet', at: null, ageMs: null, durationMs: null, findings: [] });
  expect(before.database.ok).toBe(true);
  expect(before.database.auditChain).toBeNull(); // Diagnostics does not walk the chain itself
  expect(before.database.auditEvents).toBe(t.store.audit.count());
  startCheck(t);
  const file = integrityFile(t.file);
  await expect.poll(() => existsSync(file), { timeout: 20_000, interval: 50 }).toBe(true);
  const kept = readIntegrityResult(file);
  expect(kept).toMatchObject({ check: 'quick_check', ok: true, findings: [] });
  const h = await health(t);
  expect(h.database.ok).toBe(true);
  expect(h.database.integrity).toMatchObject({ state: 'ok', at: kept!.at, findings: [] });
  expect(h.database.integrity.ageMs).toBeGreaterThanOrEqual(0);
  expect(h.database.integrity.ageMs).toBeLessThan(60_000);
  expect(h.database.auditChain).toEqual({ ok: true, count: kept!.auditChain!.count, firstBrokenId: null });
  expect(kept!.auditChain!.count).toBeGreaterThanOrEqual(20);
  await expect.poll(() => logs.some((l) => l.message === 'db.integrity_ok'), { timeout: 5000 }).toBe(true);
}, 60_000);

it('the background check recomputes the audit chain: an altered event shows as a broken chain in Diagnostics', async () => {
  t = await tempStore();
  fill(t, 5);
  // An event altered behind the desk's back (the append-only trigger dropped first, as an attacker with the key would).
  const db = t.store.context.db;
  db.exec('DROP TRIGGER audit_events_no_update');
  const victim = db.prepare('SELECT id FROM audit_events ORDER BY seq LIMIT 1 OFFSET 2').pluck().get() as string;
  db.prepare(`UPDATE audit_events SET actor = 'someone-else' WHERE id = ?`).run(victim);
  startCheck(t);
  const file = integrityFile(t.file);
  await expect.poll(() => existsSync(file), { timeout: 20_000, interval: 50 }).toBe(true);
  const h = await health(t);
  expect(h.database.integrity.state).toBe('ok'); // the file itself is sound
  expect(h.database.auditChain).toEqual({ ok: false, count: 2, firstBrokenId: victim });
  expect(h.database.ok).toBe(false);
  await expect.poll(() => logs.find((l) => l.message === 'db.audit_chain_broken'), { timeout: 5000 }).toMatchObject({ level: 'error', meta: { intactEvents: 2 } });
}, 60_000);

it('finds real damage in a real encrypted file: kept, logged as db.integrity_damaged (counts only), and shown by getHealth', async () => {
  logs.length = 0;
  t = await tempStore();
  fill(t, 150);
  t.store.close();
  // The store tests' corruption: 256 bytes of 0xa5 over the middle of the file.
  const size = statSync(t.file).size;
  const fd = openSync(t.file, 'r+');
  writeSync(fd, Buffer.alloc(256, 0xa5), 0, 256, Math.floor(size / 2));
  closeSync(fd);
  await t.reopen(); // opening does not scan: the damaged file opens
  startCheck(t);
  const file = integrityFile(t.file);
  await expect.poll(() => existsSync(file), { timeout: 20_000, interval: 50 }).toBe(true);
  const kept = readIntegrityResult(file)!;
  expect(kept.ok).toBe(false);
  expect(kept.findings.length).toBeGreaterThan(0);
  await expect.poll(() => logs.find((l) => l.message === 'db.integrity_damaged'), { timeout: 5000 }).toMatchObject({ level: 'error', meta: { check: 'quick_check', findings: kept.findings.length } });
  const h = await health(t);
  expect(h.database.ok).toBe(false);
  expect(h.database.integrity).toMatchObject({ state: 'damaged', at: kept.at, findings: kept.findings });
  expect(h.database.integrity.ageMs).toBeGreaterThanOrEqual(0);
  // No personal data in what was logged.
  const reg = makeRegistration(1);
  expect(JSON.stringify(logs)).not.toContain(reg.mother.docNumber);
}, 60_000);
