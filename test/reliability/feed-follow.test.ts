/**
 * The desk's own schedule follows a moving status feed closely and leaves a stalled one alone (core/sync/engine.ts
 * FEED_FOLLOW): dependants wait for the city's numbers, which arrive in the feed. With a city that decides in
 * 150 + 150 ms the feed is read again FEED_FOLLOW.firstMs after a read that brought changes (a fixed 1 s follow
 * left the sync thread idle half of a drain); with a city that has stopped deciding, the reads back off, doubling,
 * and stop within a few seconds (the 60 s interval takes over).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FEED_FOLLOW } from '../../core/sync/engine';
import { startRig, type Rig } from './rig';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

function feedReads() {
  const at: number[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    if (new URL(String(input)).pathname.endsWith('/status-updates')) at.push(performance.now());
    return fetch(input, init);
  };
  return { at, fetchFn };
}

describe('following the status feed', () => {
  it('reads a moving feed again within FEED_FOLLOW.firstMs, so dependants go as soon as their numbers come', async () => {
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 150, reviewToDecisionMs: 150 } } });
    rig.submit(3); // five services each: three wait for the birth certificate's or the child's number
    const reads = feedReads();
    const engine = rig.engine({ intervalMs: 60_000, fetch: reads.fetchFn });
    const t0 = performance.now();
    engine.start();
    await expect.poll(() => rig!.store.requests.queueDepth(), { timeout: 10_000, interval: 20 }).toBe(0).catch((e: unknown) => {
      console.log(JSON.stringify(rig!.store.requests.countByState()), reads.at.map((t) => (t - t0).toFixed(0)).join(","));
      throw e;
    });
    const drainedMs = performance.now() - t0;
    await engine.stop();
    const gaps = reads.at.slice(1).map((t, i) => t - reads.at[i]!);
    // Two decisions of 300 ms each lie on the longest path (birth certificate → household → citizen card).
    expect(drainedMs).toBeLessThan(3000);
    expect(Math.min(...gaps)).toBeLessThan(FEED_FOLLOW.firstMs + 150);
    console.log(`feed follow: drained in ${drainedMs.toFixed(0)} ms, ${reads.at.length} feed reads, gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
  }, 20_000);

  it('backs off from a feed that stopped moving: gaps double, then the interval takes over', async () => {
    // A city that takes a minute to decide: after the first reads nothing moves while dependants wait.
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 60_000, reviewToDecisionMs: 60_000 } } });
    rig.submit(2);
    const reads = feedReads();
    const engine = rig.engine({ intervalMs: 60_000, fetch: reads.fetchFn });
    engine.start();
    await new Promise((r) => setTimeout(r, 12_000));
    await engine.stop();
    const gaps = reads.at.slice(1).map((t, i) => t - reads.at[i]!);
    console.log(`feed follow, stalled city: ${reads.at.length} feed reads in 12 s, gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
    // 250 + 500 + 1000 + 2000 + 4000 ms of following at most, then nothing until the 60 s interval.
    expect(reads.at.length).toBeLessThanOrEqual(8);
    const last = gaps.at(-1) ?? 0;
    expect(performance.now() - (reads.at.at(-1) ?? 0)).toBeGreaterThan(3000); // quiet at the end
    expect(last).toBeLessThanOrEqual(FEED_FOLLOW.maxMs + 500);
  }, 30_000);
});
