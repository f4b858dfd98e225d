/**
 * The city back after an outage: the desk's own schedule (a 30 s interval, nothing calls syncNow) sees it within
 * OFFLINE_PROBE_MS, says "online" and sends the queue. Before the fix the first probe after a failed one waited the
 * whole interval, and a clerk walk saw "离线" for about 30 s after the network returned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OFFLINE_PROBE_MS } from '../../core/sync/engine';
import { startRig, type Rig } from './rig';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('the schedule while the city is unreachable', () => {
  it('probes again within OFFLINE_PROBE_MS, not the 30 s interval, and drains once the city answers', async () => {
    rig = await startRig();
    rig.submit(2);
    let down = true;
    const calls: string[] = [];
    const engine = rig.engine({
      intervalMs: 30_000,
      fetch: async (input, init) => {
        calls.push(new URL(String(input)).pathname);
        if (down) throw new TypeError('fetch failed (connect ECONNREFUSED)');
        return fetch(input, init);
      },
    });
    engine.start();
    await expect.poll(() => calls.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    expect(engine.status().online).toBe(false);
    down = false;
    const back = Date.now();
    await expect.poll(() => engine.status().online, { timeout: OFFLINE_PROBE_MS + 3000, interval: 50 }).toBe(true);
    expect(Date.now() - back).toBeLessThan(OFFLINE_PROBE_MS + 3000);
    // The queue moves on the same schedule: the city holds requests, each once.
    await expect.poll(() => rig!.sim.admin.listRequests().length, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
    const keys = rig.sim.admin.listRequests().map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    await engine.stop();
  }, 30_000);
});
