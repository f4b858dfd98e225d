/**
 * Issue 12, "A failing city looks online": the engine's status says online, offline or degraded (the city answers,
 * but not properly), with a reason code and the time of the last good exchange — never the server's English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncReasonOfText } from '../../domain/syncreasons';
import { startRig, type Rig } from './rig';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('the sync link state', () => {
  it('A failing city looks online: 503 then 429 make the state degraded (not online) with a reason code, and the last good exchange stays', async () => {
    rig = await startRig();
    const engine = rig.engine({ intervalMs: 60_000 });
    rig.submit(1);
    const good = await engine.syncNow();
    expect(good).toMatchObject({ state: 'online', reason: null });
    expect(good.lastGoodAt).not.toBeNull();

    rig.sim.admin.setFaults({ errorRate: 1, retryAfterSec: 0 });
    rig.clock.advance(1000);
    const s503 = await engine.syncNow();
    expect(s503).toMatchObject({ state: 'degraded', reason: 'server_error', lastGoodAt: good.lastGoodAt });

    rig.sim.admin.setFaults({ errorRate: 0, rateLimitRate: 1, retryAfterSec: 0 });
    rig.clock.advance(1000);
    const s429 = await engine.syncNow();
    expect(s429).toMatchObject({ state: 'degraded', reason: 'rate_limited', lastGoodAt: good.lastGoodAt });

    await rig.sim.admin.stopAccepting();
    rig.clock.advance(1000);
    const off = await engine.syncNow();
    expect(off).toMatchObject({ state: 'offline', reason: 'network', online: false });

    await rig.sim.admin.startAccepting();
    rig.sim.admin.setFaults({ rateLimitRate: 0 });
    rig.clock.advance(1000);
    const back = await engine.syncNow();
    expect(back).toMatchObject({ state: 'online', reason: null });
    expect(Date.parse(back.lastGoodAt!)).toBeGreaterThan(Date.parse(good.lastGoodAt!));
  }, 30_000);

  it('refused credentials are degraded (auth_refused), not online', async () => {
    rig = await startRig({ sim: { credentials: [{ clientId: 'H330302001:other', secret: 'x' }] } });
    const engine = rig.engine({ intervalMs: 60_000 });
    const s = await engine.syncNow();
    expect(s).toMatchObject({ state: 'degraded', reason: 'auth_refused' });
  }, 30_000);

  it('the technical text kept on a request maps to a reason code', () => {
    const texts = ['503 Service unavailable', 'HTTP 502', '429 Too many requests', 'network error (ECONNREFUSED)', 'network error (CERT_HAS_EXPIRED)', 'timed out', 'rejected at intake'];
    expect(texts.map(syncReasonOfText)).toEqual(['server_error', 'server_error', 'rate_limited', 'network', 'tls', 'timeout', null]);
  });
});
