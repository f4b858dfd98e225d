/**
 * Crash: the sync worker (core/sync/worker.ts, its own process over the desk's database file) drains 2,000
 * queued requests while it is killed with SIGKILL at 30+ random moments — while opening the store, claiming,
 * waiting for the city, recording results, applying the feed — and started again each time. At the end every
 * request is on the city's side exactly once (one stored copy per request: a request whose batch was committed
 * just before a kill is learnt from the status feed, which a restarted worker reads first, or re-sent and
 * answered `duplicate`) and both sides agree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FileKeyProvider } from '../../db/key-provider';
import { openStore } from '../../db/store';
import { CLIENT_ID, allRequests, driveToConvergence, startRig, type Rig } from './rig';
import { rng } from '../../db/test-helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KILLS = 32;
const BUNDLES = 400; // × 5 services = 2,000 requests


interface Run {
  child: ChildProcess;
  ready: Promise<boolean>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string[];
}

function startWorker(rig: Rig, extra: string[] = []): Run {
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', path.join(root, 'core/sync/worker.ts'),
      '--db', rig.dbFile, '--key-file', rig.keyFile, '--url', rig.sim.url, '--client-id', CLIENT_ID,
      '--timeout-ms', '2000', '--max-items', '5', '--lease-owner', 'crash-test-desk', '--idle-ms', '20', '--concurrency', '1',
      ...extra,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SYNC_CITY_SECRET: 'desk-secret' } },
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const ready = new Promise<boolean>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(true);
    });
    child.on('exit', () => resolve(false));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, ready, exit, stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash: SIGKILL the sync worker at random moments', () => {
  let rig: Rig | undefined;
  afterAll(async () => rig?.close());

  it('#3 duplicates from retries and reloads: 2,000 requests, 30+ SIGKILLs, every request on the server exactly once', async () => {
    // A quick review clock so dependants (which wait for the birth certificate / child ID number) move on.
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 40, reviewToDecisionMs: 40 }, faults: { latencyMs: 25 } } });
    rig.submit(BUNDLES);
    expect(allRequests(rig.store)).toHaveLength(BUNDLES * 5);
    rig.store.close();

    const t0 = Date.now();
    const rnd = rng(2024);
    let kills = 0;
    let killedWithWorkLeft = 0;
    for (let i = 0; i < KILLS; i++) {
      const run = startWorker(rig);
      if (i % 5 === 4) {
        // Some kills land while the process starts (opening the store, taking back its old leases).
        await sleep(rnd() * 400);
      } else {
        const ready = await run.ready;
        expect(ready, `worker ${i} did not start: ${run.stderr.join('')}`).toBe(true);
        await sleep(rnd() * 350);
      }
      const done = run.child.exitCode !== null;
      if (!done) {
        run.child.kill('SIGKILL');
        kills += 1;
      }
      const { code, signal } = await run.exit;
      if (signal === 'SIGKILL') killedWithWorkLeft += 1;
      else expect(code, `worker exited ${code}: ${run.stderr.join('')}`).toBe(0);
    }
    expect(kills).toBeGreaterThanOrEqual(30);

    const tKills = Date.now() - t0;
    // The last run goes to the end (bigger batches: the kills are over).
    const last = startWorker(rig, ['--max-items', '50', '--concurrency', '2']);
    const end = await last.exit;
    const tLast = Date.now() - t0 - tKills;
    expect(end.code, last.stderr.join('')).toBe(0);

    rig.store = await openStore({ file: rig.dbFile, keyProvider: new FileKeyProvider(rig.keyFile), now: rig.clock.now });
    const local = allRequests(rig.store);
    expect(local.filter((r) => r.state === 'queued' || r.state === 'sending' || r.state === 'held')).toEqual([]);

    const server = rig.sim.admin.listRequests();
    expect(server).toHaveLength(BUNDLES * 5);
    const keys = new Set(server.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(BUNDLES * 5);
    for (const r of local) expect(keys.has(r.idempotencyKey)).toBe(true);
    const perRequest = new Set(server.map((s) => `${s.registrationId}:${s.service}`));
    expect(perRequest.size).toBe(BUNDLES * 5);
    expect(server.every((s) => s.conflictCount === 0)).toBe(true);

    // Both sides agree once the review finishes (an in-process engine pulls the rest of the feed).
    await driveToConvergence(rig, rig.engine(), { stepMs: 1000, maxRounds: 100 });
    const attempts = local.reduce((n, r) => n + r.attempts, 0);
    const duplicates = server.filter((s) => s.intakeCount > 1).length;
    console.log(`crash: ${kills} SIGKILLs (${killedWithWorkLeft} with work left), ${attempts} attempts for ${local.length} requests, ${duplicates} answered as duplicates, stored once each; kills phase ${tKills} ms, last run ${tLast} ms`);
  }, 300_000);
});
