/**
 * Issue 12, training through the real composition root (startDesk, the embedded city simulator, the simulated
 * reader) and the dispatcher the shells use: every sample card taps, the training hospital changes the session
 * and the registrations filed, the simulated city goes down / 5xx / 429 and back; and IT's `language` wins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCitySimulator, type CitySimulator } from '../../city-api';
import { TRAINING_SAMPLES } from '../../core/api/contract';
import { silentLogger } from '../../core/api/ports';
import { DeskConfigSchema } from '../../core/config/schema';
import { startDesk, type RunningDesk } from '../../core/desk';
import { FIXTURES } from '../../hardware/sim/fixtures';
import { value } from '../../core/api/test-kiosk';


describe('training: sample cards, hospital, the simulated city (issue 12)', () => {
  let dir: string;
  let desk: RunningDesk<CitySimulator>;
  const cards: string[] = [];
  const call = (m: string, a: unknown = {}) => desk.dispatch(m, a, 'internal');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'training-'));
    desk = await startDesk({
      dataDir: dir,
      config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'train-1' }),
      version: '0-test',
      logger: silentLogger,
      startTrainingCity: startCitySimulator,
    });
    desk.events.subscribe((event, payload) => {
      if (event === 'idCardRead') cards.push((payload as { parent: { name: string } }).parent.name);
    });
    value(await call('signIn', { staffId: 'trainer', pin: '123456' }));
  });
  afterAll(async () => {
    await desk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the contract's sample names are the simulator's fixtures", () => {
    expect([...TRAINING_SAMPLES].sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it('taps every sample card: She, a middle-dot name, permanent, HK permit, foreigners 2017 and 2023', async () => {
    for (const sample of TRAINING_SAMPLES) expect(value<{ delivered: boolean }>(await call('trainingTapSample', { sample })).delivered, sample).toBe(true);
    expect(cards).toEqual(expect.arrayContaining(['雷美兰', '阿依古丽·买买提', '郑建国', '黄嘉欣', '安娜']));
    expect((await call('trainingTapSample', { sample: 'nobody' })).ok).toBe(false);
  });

  it('chooses the training hospital from the 37, and refuses a code that is not one', async () => {
    const s = value<{ hospital: { code: string; name: string } }>(await call('trainingSetHospital', { hospitalCode: 'WZ12' }));
    expect(s.hospital.code).toBe('WZ12');
    expect(value<{ hospital: { code: string } }>(await call('getSession')).hospital.code).toBe('WZ12');
    const bad = await call('trainingSetHospital', { hospitalCode: 'WZ99' });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
    value(await call('trainingSetHospital', { hospitalCode: 'WZ01' }));
  });

  it('switches the simulated city to down, slow, 5xx and 429 and back', async () => {
    const health = async () => (await fetch(`${desk.trainingCity!.url}/v1/status-updates`).catch(() => null))?.status ?? 'down';
    value(await call('trainingSetCity', { mode: '429' }));
    expect(desk.trainingCity!.admin.getFaults()).toMatchObject({ rateLimitRate: 1, errorRate: 0, offline: false });
    expect(await health()).toBe(429);
    value(await call('trainingSetCity', { mode: '5xx' }));
    expect([500, 503]).toContain(await health());
    value(await call('trainingSetCity', { mode: 'slow' }));
    expect(desk.trainingCity!.admin.getFaults()).toMatchObject({ latencyMs: 8000, errorRate: 0 });
    value(await call('trainingSetCity', { mode: 'down' }));
    expect(await health()).toBe('down');
    value(await call('trainingSetCity', { mode: 'normal' }));
    expect(desk.trainingCity!.admin.getFaults()).toMatchObject({ latencyMs: 0, errorRate: 0, rateLimitRate: 0, offline: false });
    expect(await health()).not.toBe('down');
  });
});

describe("IT's language wins where IT set it (issue 12)", () => {
  it('ignores and refuses a user language when IT locked it; follows the user when IT did not', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lang-'));
    const start = (lockedKeys: string[]) =>
      startDesk({
        dataDir: dir,
        config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'lang-1', language: 'zh-CN' }),
        lockedKeys,
        version: '0-test',
        logger: silentLogger,
        startTrainingCity: startCitySimulator,
      });
    try {
      let desk = await start([]);
      value(await desk.dispatch('setLanguage', { language: 'en' }, 'internal'));
      await desk.close();
      desk = await start(['hospitalCode', 'language']);
      expect(value<{ language: string }>(await desk.dispatch('getSession', {}, 'internal')).language).toBe('zh-CN');
      const r = await desk.dispatch('setLanguage', { language: 'en' }, 'internal');
      expect(!r.ok && r.error.code).toBe('not_allowed');
      expect(!r.ok && r.error.messageZh).toMatch(/信息科/);
      await desk.close();
      desk = await start([]);
      expect(value<{ language: string }>(await desk.dispatch('getSession', {}, 'internal')).language).toBe('en');
      await desk.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
