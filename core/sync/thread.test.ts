/**
 * The sync engine in its own thread (a real Node worker thread running the built out/sync/thread.cjs) over its own
 * connection to the rig's encrypted database, against the real simulator on loopback: the desk's SyncPort answers,
 * the thread's events arrive on the desk's hub, a crashed thread is logged and started again, and a stop leaves
 * nothing leased and nothing written after it.
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { buildSyncThread } from '../../scripts/build-sync-thread.mjs';
import { allRequests, personalData, startRig, threadedEngine, type Rig } from '../../test/reliability/rig';
import { nodeProcessHost, nodeThreadHost } from './node-thread-host';
import type { SyncThreadChannel, SyncThreadHost } from './thread';

let entry = '';
beforeAll(async () => {
  entry = await buildSyncThread();
}, 60_000);

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const threaded = (r: Rig, host: SyncThreadHost) => threadedEngine(r, host, { maxItems: 20, restartMs: { first: 50, max: 200 } });

it('drains the queue from its own thread; its events reach the desk hub; the key and data never reach the logs', async () => {
  rig = await startRig();
  const regs = rig.submit(10, { services: ['birth_certificate', 'vaccination'] });
  const sync = threaded(rig, nodeThreadHost(entry));
  sync.start();
  await sync.ready();
  const after = await sync.syncNow();
  expect(after.online).toBe(true);
  expect(after.queueDepth).toBe(0);
  expect(allRequests(rig.store).every((r) => r.serverId !== null)).toBe(true);
  expect(rig.seen.some((e) => e.event === 'requestStatusChanged')).toBe(true);
  expect(rig.seen.some((e) => e.event === 'syncProgress')).toBe(true);
  expect(rig.invalidEvents).toEqual([]);
  expect(sync.status()).toMatchObject({ online: true, queueDepth: 0 });
  await sync.stop();
  // Nothing leased after the stop, and the desk's connection is still the one that closes last.
  expect(allRequests(rig.store).filter((r) => r.state === 'sending')).toEqual([]);
  const logText = JSON.stringify(rig.logs);
  for (const pii of personalData(regs)) expect(logText).not.toContain(pii);
  expect(rig.logs.some((l) => l.message === 'sync.online')).toBe(true);
}, 60_000);

it('a thread that dies is logged and started again; the desk keeps its SyncPort; stop ends it cleanly', async () => {
  rig = await startRig();
  const channels: SyncThreadChannel[] = [];
  const inner = nodeThreadHost(entry);
  const host: SyncThreadHost = {
    kind: 'worker_threads',
    spawn() {
      const ch = inner.spawn();
      channels.push(ch);
      return ch;
    },
  };
  const sync = threaded(rig, host);
  sync.start();
  await sync.ready();
  channels[0]!.kill(); // as a crash: the thread ends without being asked
  rig.submit(3, { services: ['vaccination'] });
  const during = await sync.syncNow(); // answered (from the desk's own counts) even while the thread is down
  expect(during.queueDepth).toBeGreaterThanOrEqual(0);
  const deadline = Date.now() + 10_000;
  while (sync.restarts() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(sync.restarts()).toBe(1);
  await sync.ready();
  const s = await sync.syncNow();
  expect(s.queueDepth).toBe(0);
  expect(rig.logs.filter((l) => l.message === 'sync.thread_exited')).toHaveLength(1);
  await sync.stop();
  expect(channels).toHaveLength(2);
  // After stop, the queue is untouched by the thread: a new submit stays queued.
  rig.submit(1, { services: ['vaccination'] });
  await new Promise((r) => setTimeout(r, 300));
  expect(rig.store.requests.queueDepth()).toBe(1);
}, 60_000);

it('the same entry as a child process of its own (as the Electron utility process runs it) drains and stops', async () => {
  rig = await startRig();
  rig.submit(5, { services: ['birth_certificate', 'vaccination'] });
  let pid = 0;
  const sync = threaded(rig, nodeProcessHost(entry, (p) => (pid = p)));
  sync.start();
  await sync.ready();
  expect(pid).toBeGreaterThan(0);
  expect(pid).not.toBe(process.pid);
  expect((await sync.syncNow()).queueDepth).toBe(0);
  await sync.stop();
  // The process has ended.
  expect(() => process.kill(pid, 0)).toThrow();
}, 60_000);

it('a sync process killed while its batch is in flight: the next one takes the leases back at once (the desk is the owner), not after they expire', async () => {
  // A city that answers after 1.5 s: the kill lands while the batch's leases are held (lease: 4 × 3 s + 5 s).
  rig = await startRig({ sim: { faults: { latencyMs: 1500 } } });
  rig.submit(4, { services: ['vaccination'] });
  const pids: number[] = [];
  const sync = threaded(rig, nodeProcessHost(entry, (p) => pids.push(p)));
  sync.start();
  await sync.ready();
  const leased = () => allRequests(rig!.store).filter((r) => r.state === 'sending').length;
  for (let i = 0; leased() === 0; i++) {
    if (i > 800) throw new Error('nothing was claimed'); // the first cycle probes the feed first (1.5 s)
    await new Promise((r) => setTimeout(r, 10));
  }
  process.kill(pids[0]!, 'SIGKILL');
  const killedAt = Date.now();
  while (rig.store.requests.queueDepth() > 0 && Date.now() - killedAt < 15_000) await new Promise((r) => setTimeout(r, 50));
  const tookMs = Date.now() - killedAt;
  expect(rig.store.requests.queueDepth()).toBe(0);
  expect(sync.restarts()).toBe(1);
  // Restart (50 ms) + one 1.5 s call; waiting out the 17 s lease would take far longer.
  expect(tookMs).toBeLessThan(10_000);
  expect(rig.sim.admin.listRequests()).toHaveLength(4);
  await sync.stop();
}, 60_000);
