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
    const until = async (cond: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return cond();
    };
    expect(await until(() => calls.length >= 1, 5000)).toBe(true);
    expect(engine.status().online).toBe(false);
    down = false;
    const back = Date.now();
    expect(await until(() => engine.status().online, OFFLINE_PROBE_MS + 3000)).toBe(true);
    expect(Date.now() - back).toBeLessThan(OFFLINE_PROBE_MS + 3000);
    // The queue moves on the same schedule: the city holds requests, each once.
    expect(await until(() => rig!.sim.admin.listRequests().length > 0, 10_000)).toBe(true);
    const keys = rig.sim.admin.listRequests().map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    await engine.stop();
  }, 30_000);
});
