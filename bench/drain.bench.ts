/**
 * Draining a 10,000-request backlog (2,000 five-service bundles, dependants included) the way the desk runs:
 * `startDesk` (production config, the desk's own scheduler and defaults: 50 items / 256 KiB batches, 30 s interval,
 * the engine in a process of its own over its own connection), the simulated reader on, a real encrypted store
 * on a real disk (.bench-data/, not the tmpfs temp folder), against the city-api simulator in its own process doing
 * its full work (intake, review clock 100 ms + 100 ms, the status feed, the dependants' numbers). Nothing drives
 * `syncNow`: the bench only watches the queue empty.
 *
 * While it drains, a card is put on the simulated reader about once a second, through the real drivers, to
 * `idCardRead` on the desk's event hub (what the page's form fills from). A reader may be asked for a card no more
 * than every 300 ms (hardware reference), so a tap waits 0-300 ms for the next poll whatever the desk does:
 * `tap_during_drain_p99_ms` is the desk's part, from the moment that next poll was due (the previous find + 300 ms,
 * or the tap if later) to the event — a poll fired late because the loop was busy counts, the cadence does not;
 * `tap_during_drain_wall_p99_ms` is from the tap itself.
 * `drain_main_loop_p99_ms` is the desk main loop's delay (perf_hooks) during the drain: what sync still costs the
 * clerk's path. Both start 3 s after the desk (TAPS_FROM_MS): after a sign-in's time, once the receipt warm-up that
 * the page's first getSession places 1.5 s later has run.
 * The engine runs from the same built entry as a child process of its own (as the Electron app's utility process;
 * browser mode uses a worker thread): `drain_peak_rss_mb` is that process's peak RSS (VmHWM), `drain_desk_peak_rss_mb`
 * the desk process's (sampled every 25 ms). The same-work ceiling: in the same run, a bare client (the desk's
 * HTTP client, no database, payloads prepared beforehand) sends the same 10,000 items to a fresh simulator with the
 * same review clock, the dependants as their numbers come in the feed; `drain_vs_ceiling` = drain rate ÷ that rate.
 *
 *   npx tsx bench/drain.bench.ts [--bundles 2000] [--skip-ceiling]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { DEPENDENCY_FIELDS, deriveRequests } from '../domain/bundle';
import type { Service } from '../domain/codes';
import { silentLogger } from '../core/api/ports';
import { DeskConfigSchema } from '../core/config/schema';
import { startDesk } from '../core/desk';
import { DB_FILE, modeDir } from '../core/desk-folders';
import { nodeProcessHost } from '../core/sync/node-thread-host';
import { createCityClient } from '../core/sync/city-client';
import { encodeBatchItem } from '../core/sync/wire';
import { FileKeyProvider } from '../db/key-provider';
import { FULL_PAYLOAD_SQL } from '../db/payload-share';
import { openStore } from '../db/store';
import { makeRegistration } from '../db/test-helpers';
import { spawnSimulator } from '../city-api/testkit';
import { SW_FIND_OK } from '../hardware/idcard/frame';
import { MIN_POLL_MS } from '../hardware/idcard/driver';
import { fixtureCard } from '../hardware/sim/fixtures';
import { buildSyncThread } from '../scripts/build-sync-thread.mjs';
import { percentile, recordResults } from './results';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { bundles: { type: 'string' }, 'skip-ceiling': { type: 'boolean' }, 'make-backlog': { type: 'string' } } });
const BUNDLES = Number(values.bundles ?? 2000);
const ADMIN = 'drain-bench';
/** Taps and the loop-delay monitor start this long after the desk started (after a sign-in's time). */
const TAPS_FROM_MS = 3000;
const CLIENT = { clientId: 'WZ01:desk-01', secret: 'drain-bench-secret' };

if (values['make-backlog']) {
  // Child mode: the backlog through the store's own submit, in a process of its own (not timed, not in the RSS).
  const deskDir = modeDir(values['make-backlog'], 'production');
  mkdirSync(deskDir, { recursive: true, mode: 0o700 });
  const store = await openStore({ file: path.join(deskDir, DB_FILE), keyProvider: new FileKeyProvider(path.join(deskDir, 'desk.key')) });
  for (let i = 0; i < BUNDLES; i++) {
    const reg = makeRegistration(50_000 + i);
    store.registrations.submit({ registration: reg, requests: deriveRequests(reg, { hospitalDistrict: '330302', newId: uuidv7 }), actor: 'clerk-01' });
  }
  store.close();
  process.exit(0);
}

const dir = path.join(root, '.bench-data', `drain-${process.pid}`);
mkdirSync(dir, { recursive: true });
const simArgs = (name: string) => ['--data', path.join(dir, `${name}.sqlite`), '--admin-token', ADMIN, '--review-ms', '100,100', '--quiet'];
const sim = await spawnSimulator(simArgs('city'));
let ceilingSim: Awaited<ReturnType<typeof spawnSimulator>> | null = null;

try {
  const t0 = performance.now();
  const made = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--make-backlog', dir, '--bundles', String(BUNDLES)], { cwd: root, stdio: 'inherit' });
  if (made.status !== 0) throw new Error('building the backlog failed');
  console.log(`backlog: ${BUNDLES} bundles in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  // Size at submit: the backlog's file as the store's own close left it (optimize; the WAL checkpointed away).
  const dbFile = path.join(modeDir(dir, 'production'), DB_FILE);
  const fileMb = (): number => [dbFile, `${dbFile}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0) / 2 ** 20;
  const submitMb = fileMb();
  const entry = await buildSyncThread();

  // The sync engine in a process of its own, as the Electron app runs it (a utility process): its own peak RSS.
  let syncPid = 0;
  const vmHwmMb = (): number => {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${syncPid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let syncPeakMb = 0;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (syncPid) syncPeakMb = Math.max(syncPeakMb, vmHwmMb());
  }, 25);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  const running = await startDesk({
    dataDir: dir,
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-01', cityApi: { url: sim.url, timeoutMs: 15_000 }, devices: { simulated: true } }),
    cityApiSecret: CLIENT.secret,
    version: '0-bench',
    logger: silentLogger,
    startTrainingCity: () => Promise.reject(new Error('a production desk starts no training city')),
    syncThread: nodeProcessHost(entry, (pid) => (syncPid = pid)),
  });
  const { store } = running.desk;
  const total = store.requests.queueDepth();
  // The page loads as the shell opens it: its first getSession (which places the receipt warm-up 1.5 s later,
  // while the clerk types the PIN, core/desk.ts).
  await running.dispatch('getSession', {}, 'internal');

  // Taps while it drains: tap → idCardRead on the desk's hub.
  // Two cards in turn, each taken off the reader before the next (the reader reads a card once per placement).
  const cards = [fixtureCard('mother'), fixtureCard('father')];
  let nth = 0;
  const taps: number[] = [];
  const tapsWall: number[] = [];
  let tapAt = 0;
  let tapSeen: (() => void) | null = null;
  const training = running.desk.devices.training!;
  running.events.subscribe((event) => {
    if (event === 'idCardRead' && tapSeen) {
      const at = performance.now();
      // The reader's answers carry the same clock (performance.now): the find that saw the card, and the one before.
      const finds = training.reader.served.filter((c) => c.command === 'findCard' && c.at >= tapAt - MIN_POLL_MS * 2);
      const hit = finds.findIndex((c) => c.at >= tapAt && c.sw3 === SW_FIND_OK);
      const prev = hit > 0 ? finds[hit - 1]! : null;
      // The clerk's unavoidable wait: from the tap until the poll after the previous one was due (the hardware's
      // cadence). What follows — a poll fired late, the read, decoding, the event — is the desk's.
      const dueAt = prev ? Math.max(tapAt, prev.at + MIN_POLL_MS) : tapAt;
      taps.push(at - dueAt);
      tapsWall.push(at - tapAt);
      tapSeen();
      tapSeen = null;
    }
  });
  let draining = true;
  const tapper = (async () => {
    // The first tap comes after a sign-in (staff id and PIN typed: a few seconds), by which time the desk's own
    // start-up work — the receipt warm-up, about 0.6 s of this loop, 1.5 s after the page's first getSession — has
    // run; the drain runs meanwhile. (The warm-up is the loop's only long task: drain_main_loop counts from here.)
    await new Promise((r) => setTimeout(r, TAPS_FROM_MS));
    loop.enable();
    while (draining) {
      const seen = new Promise<void>((r) => (tapSeen = r));
      tapAt = performance.now();
      void training.tapCard(cards[nth++ % 2]!, 5000);
      await Promise.race([seen, new Promise((r) => setTimeout(r, 5000))]);
      training.removeCard();
      // The driver polls every 300 ms (hardware/idcard/driver.ts MIN_POLL_MS) and must see the reader empty once.
      await new Promise((r) => setTimeout(r, MIN_POLL_MS + 50 + Math.random() * MIN_POLL_MS));
    }
  })();

  while (store.requests.queueDepth() > 0) {
    if (performance.now() - start > 600_000) throw new Error(`not drained after 600 s: ${JSON.stringify(store.requests.countByState())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - start) / 1000;
  draining = false;
  await tapper;
  loop.disable();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  syncPeakMb = Math.max(syncPeakMb, vmHwmMb());
  // Size after sync: the feed brings the last statuses after the queue is empty; wait (untimed, up to 60 s) until
  // every request is final, as a desk left running would be, then close the desk the way it closes.
  const settleStart = performance.now();
  const unsettled = () => { const c = store.requests.countByState(); return c.accepted + c.in_review + c.queued + c.sending; };
  while (unsettled() > 0 && performance.now() - settleStart < 60_000) await new Promise((r) => setTimeout(r, 250));
  const counts = store.requests.countByState();
  const auditPerReg = store.audit.count() / BUNDLES;
  await running.close();
  const syncedMb = fileMb();

  const res = await fetch(`${sim.url}/admin/requests`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  const stored = ((await res.json()) as { requests: { idempotencyKey: string; intakeCount: number }[] }).requests;
  if (stored.length !== total || new Set(stored.map((r) => r.idempotencyKey)).size !== total) throw new Error(`the city holds ${stored.length} requests for ${total} sent`);
  await sim.stop();

  const rps = total / seconds;
  const tapP99 = percentile(taps, 99);
  console.log(`drain (startDesk, own scheduler, sync thread): ${total} requests in ${seconds.toFixed(2)} s = ${rps.toFixed(0)} req/s; local ${JSON.stringify(counts)}`);
  console.log(`  city: ${stored.length} stored once each (intake > 1: ${stored.filter((r) => r.intakeCount > 1).length})`);
  console.log(`  sync process peak RSS (VmHWM) ${syncPeakMb.toFixed(0)} MB; desk process peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);
  console.log(
    `  taps during the drain: ${taps.length}; the desk's part (from the reader's next due poll): p50 ${percentile(taps, 50).toFixed(1)} ms, p99 ${tapP99.toFixed(1)} ms, max ${Math.max(...taps).toFixed(1)} ms; ` +
      `from the tap (with the ${MIN_POLL_MS} ms poll cadence): p50 ${percentile(tapsWall, 50).toFixed(1)} ms, p99 ${percentile(tapsWall, 99).toFixed(1)} ms`,
  );
  console.log(`  desk main loop delay: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
  const figures: Record<string, number> = {
    drain_10k_s: (seconds * 10_000) / total,
    drain_rps: rps,
    drain_peak_rss_mb: syncPeakMb,
    drain_desk_peak_rss_mb: peakRss / 2 ** 20,
    tap_during_drain_p99_ms: tapP99,
    tap_during_drain_wall_p99_ms: percentile(tapsWall, 99),
    drain_main_loop_p99_ms: loop.percentile(99) / 1e6,
    db_mb_per_1000_at_submit_drain: (submitMb * 1000) / BUNDLES,
    db_mb_per_1000_synced: (syncedMb * 1000) / BUNDLES,
  };
  console.log(
    `  database: ${figures.db_mb_per_1000_at_submit_drain!.toFixed(2)} MB per 1,000 registrations at submit, ${figures.db_mb_per_1000_synced!.toFixed(2)} after sync ` +
      `(${JSON.stringify(counts)}, ${auditPerReg.toFixed(2)} audit events per registration)`,
  );

  if (!values['skip-ceiling']) {
    // The same work with no desk: the items as the desk sent them (dependants filled from this city's numbers).
    ceilingSim = await spawnSimulator(simArgs('ceiling'));
    const backlog = await openStore({ file: path.join(modeDir(dir, 'production'), DB_FILE), keyProvider: new FileKeyProvider(path.join(modeDir(dir, 'production'), 'desk.key')) });
    type Item = { id: string; idempotencyKey: string; registrationId: string; service: Service; jurisdiction: string; payload: Record<string, unknown>; dependsOn: Service[] };
    const items = (
      backlog.context.db.prepare(`SELECT id, idempotency_key, registration_id, service, jurisdiction, ${FULL_PAYLOAD_SQL} AS payload, depends_on FROM service_requests ORDER BY created_at, rowid`).all() as Array<Record<string, string>>
    ).map((r): Item => ({ id: r.id!, idempotencyKey: r.idempotency_key!, registrationId: r.registration_id!, service: r.service as Service, jurisdiction: r.jurisdiction!, payload: JSON.parse(r.payload!), dependsOn: JSON.parse(r.depends_on!) }));
    backlog.close();
    for (const i of items) for (const d of i.dependsOn) delete i.payload[(DEPENDENCY_FIELDS as Partial<Record<Service, string>>)[d] ?? ''];
    const byKey = new Map(items.map((i) => [i.idempotencyKey, i]));
    const docs = new Map<string, string>(); // registration:service → number
    const client = createCityClient({
      url: ceilingSim.url,
      ...CLIENT,
      timeoutMs: 15_000,
      fetch: (a, b) => fetch(a, b),
      now: Date.now,
      signal: new AbortController().signal,
      maxResponseBytes: 8 * 2 ** 20,
      onAnswer() {},
      onNoAnswer() {},
    });
    const ready: Item[] = items.filter((i) => i.dependsOn.length === 0);
    const waiting = new Set(items.filter((i) => i.dependsOn.length > 0));
    let accepted = 0;
    const c0 = performance.now();
    const send = async () => {
      while (ready.length > 0) {
        const batch = ready.splice(0, 50);
        const body = `{"items":[${batch.map((i) => encodeBatchItem({ ...i, payloadJson: JSON.stringify(i.payload) })).join(',')}]}`;
        const r = await client.postBatch(body);
        if (r.kind !== 'ok') throw new Error(`ceiling batch failed: ${r.kind}`);
        accepted += (r.body as { results: Array<{ outcome: string }> }).results.filter((x) => x.outcome === 'accepted' || x.outcome === 'duplicate').length;
      }
    };
    let cursor: string | null = null;
    while (accepted < items.length) {
      await Promise.all([send(), send()]);
      if (accepted >= items.length) break;
      const r = await client.statusUpdates(cursor, 500);
      if (r.kind !== 'ok') throw new Error(`ceiling feed failed: ${r.kind}`);
      const page = r.body as { updates: Array<{ idempotencyKey: string; documentNumber?: string; childIdNumber?: string }>; nextCursor: string };
      cursor = page.nextCursor;
      for (const u of page.updates) {
        const i = byKey.get(u.idempotencyKey);
        const number = i?.service === 'household_registration' ? (u.childIdNumber ?? u.documentNumber) : u.documentNumber;
        if (i && number) docs.set(`${i.registrationId}:${i.service}`, number);
      }
      for (const w of [...waiting]) {
        if (!w.dependsOn.every((d) => docs.has(`${w.registrationId}:${d}`))) continue;
        for (const d of w.dependsOn) {
          const field = (DEPENDENCY_FIELDS as Partial<Record<Service, string>>)[d];
          if (field) w.payload[field] = docs.get(`${w.registrationId}:${d}`);
        }
        waiting.delete(w);
        ready.push(w);
      }
      if (ready.length === 0) await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - c0 > 300_000) throw new Error('ceiling: not done after 300 s');
    }
    const ceilingRps = items.length / ((performance.now() - c0) / 1000);
    console.log(`  same-work ceiling (bare client, same review clock): ${ceilingRps.toFixed(0)} req/s; the drain runs at ${((100 * rps) / ceilingRps).toFixed(0)} % of it`);
    figures.drain_same_work_ceiling_rps = ceilingRps;
    figures.drain_vs_ceiling = rps / ceilingRps;
  }
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k} = ${v.toFixed(3)}`);
  recordResults(figures);
} finally {
  await sim.stop();
  await ceilingSim?.stop();
  rmSync(dir, { recursive: true, force: true });
}
