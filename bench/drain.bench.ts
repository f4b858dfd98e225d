/**
 * Draining a 10,000-request backlog (2,000 five-service bundles) from a real encrypted desk store to the city-api
 * simulator on loopback, with the desk's default batch bounds (config: 50 items, 256 KiB). The simulator runs in
 * its own process (tsx city-api/main.ts) with a quick review clock, so the figure includes the dependants that
 * wait for the birth certificate / the child's ID number; RSS is sampled in this (the desk's) process every 25 ms.
 * In the same run the simulator's own ceiling is measured by bench/simulator.bench.ts (autocannon against the
 * batch endpoint), so the drain rate reads as a share of what the server can take.
 *
 *   npx tsx bench/drain.bench.ts [--bundles 2000] [--skip-ceiling] [--concurrency 2]
 *
 * Records drain_10k_s, drain_rps, drain_peak_rss_mb, simulator_ceiling_rps (and drain_share_of_ceiling).
 * Goals (issue 5): ≤ 20 s and ≤ 200 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { deriveRequests } from '../domain/bundle';
import { createSyncEngine } from '../core/sync';
import { FileKeyProvider } from '../db/key-provider';
import { openStore } from '../db/store';
import { makeRegistration } from '../db/test-helpers';
import { spawnSimulator } from '../city-api/testkit';
import { RESULTS_FILE, recordResults } from './results';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { bundles: { type: 'string' }, 'skip-ceiling': { type: 'boolean' }, 'make-backlog': { type: 'string' }, concurrency: { type: 'string' } },
});
const BUNDLES = Number(values.bundles ?? 2000);
const ADMIN = 'drain-bench';

if (values['make-backlog']) {
  // Child mode: build the backlog through the store's own submit, in a process of its own, so the drain's RSS
  // is the desk's syncing, not the fixture builder's.
  const store = await openStore({ file: path.join(values['make-backlog'], 'desk.db'), keyProvider: new FileKeyProvider(path.join(values['make-backlog'], 'desk.key')) });
  for (let i = 0; i < BUNDLES; i++) {
    const reg = makeRegistration(50_000 + i);
    store.registrations.submit({ registration: reg, requests: deriveRequests(reg, { hospitalDistrict: '330302', newId: uuidv7 }), actor: 'clerk-01' });
  }
  store.close();
  process.exit(0);
}

const dir = mkdtempSync(path.join(tmpdir(), 'nd-drain-'));
const sim = await spawnSimulator(['--data', path.join(dir, 'city.sqlite'), '--admin-token', ADMIN, '--review-ms', '100,100', '--quiet']);

try {
  const url = sim.url;

  // The backlog: real bundles through the store's own submit, built by a child process (not timed).
  const t0 = performance.now();
  const made = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--make-backlog', dir, '--bundles', String(BUNDLES)], { cwd: root, stdio: 'inherit' });
  if (made.status !== 0) throw new Error('building the backlog failed');
  const store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new FileKeyProvider(path.join(dir, 'desk.key')) });
  const total = store.requests.queueDepth();
  console.log(`backlog: ${total} queued requests (${BUNDLES} bundles) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let events = 0;
  const engine = createSyncEngine({
    store,
    events: { emit: () => void (events += 1) },
    cityApi: { url, clientId: 'H330302001:desk-01', secret: 'bench', timeoutMs: 10_000 },
    batch: { maxItems: 50, maxBytes: 256 * 1024 },
    intervalMs: 30_000,
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
  });

  let peakRss = process.memoryUsage().rss;
  let peakHeap = 0;
  let peakHeapUsed = 0;
  const startRss = peakRss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    if (m.rss > peakRss) {
      peakRss = m.rss;
      peakHeap = m.heapTotal;
    }
  }, 25);
  const start = performance.now();
  let cycles = 0;
  for (;;) {
    const s = await engine.syncNow();
    cycles += 1;
    if (s.queueDepth === 0) break;
    if (performance.now() - start > 300_000) throw new Error(`not drained after 300 s: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20)); // dependants wait for the city's review (100 ms + 100 ms)
  }
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await engine.stop();
  const counts = store.requests.countByState();
  store.close();

  // The city holds each request exactly once.
  const res = await fetch(`${url}/admin/requests`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  const stored = ((await res.json()) as { requests: { idempotencyKey: string; intakeCount: number }[] }).requests;
  const keys = new Set(stored.map((r) => r.idempotencyKey));
  if (stored.length !== total || keys.size !== total) throw new Error(`the city holds ${stored.length} requests (${keys.size} keys) for ${total} sent`);

  const rps = total / seconds;
  console.log(`drain: ${total} requests in ${seconds.toFixed(2)} s = ${rps.toFixed(0)} requests/s over ${cycles} sync cycles (${events} events)`);
  console.log(`  desk RSS: start ${(startRss / 2 ** 20).toFixed(0)} MB, peak ${(peakRss / 2 ** 20).toFixed(0)} MB (V8 heap then ${(peakHeap / 2 ** 20).toFixed(0)} MB; most heap in use at any sample ${(peakHeapUsed / 2 ** 20).toFixed(0)} MB); local states ${JSON.stringify(counts)}`);
  console.log(`  city: ${stored.length} stored once each (re-sent as duplicates: ${stored.filter((r) => r.intakeCount > 1).length})`);
  console.log(`  goals: ≤ 20 s ${seconds <= 20 ? 'met' : 'MISSED'}, ≤ 200 MB ${peakRss / 2 ** 20 <= 200 ? 'met' : 'MISSED'}`);
  const figures: Record<string, number> = { drain_10k_s: (seconds * 10_000) / total, drain_rps: rps, drain_peak_rss_mb: peakRss / 2 ** 20 };

  await sim.stop();

  if (!values['skip-ceiling']) {
    // The simulator's ceiling, by its own benchmark, in the same run (it records simulator_ceiling_rps).
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/simulator.bench.ts')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/simulator.bench.ts failed');
    const ceiling = (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, number>).simulator_ceiling_rps!;
    console.log(`  the drain runs at ${((100 * rps) / ceiling).toFixed(0)} % of the simulator's ceiling (${ceiling.toFixed(0)} items/s)`);
    figures.simulator_ceiling_rps = ceiling;
    figures.drain_share_of_ceiling = rps / ceiling;
  }
  recordResults(figures);
} finally {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}
