/**
 * Issue 13, item 1: training and production are different places. The scenario with the real desk
 * (`startDesk`), real encrypted stores, the real embedded training simulator and a "production city" simulator on
 * loopback: a desk trained on a data folder, then given a production config on the same folder, must not sign in
 * `trainer`/123456 and must send the city none of the training requests — in today's layout (the database
 * directly in the data folder) and in the new one.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { startCitySimulator, type CitySimulator } from '../../city-api/server';
import type { Logger } from '../../core/api/ports';
import { DeskConfigSchema, type DeskConfig } from '../../core/config/schema';
import { startDesk, TRAINING_STAFF, type RunningDesk } from '../../core/desk';
import { guardTrainingFetch } from '../../core/sync/training-guard';
import { deriveRequests } from '../../domain/bundle';
import { makeRegistration } from '../../db/test-helpers';
import type { Registration } from '../../domain/types';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const total = (d: RunningDesk): number => Object.values(d.desk.store.requests.countByState()).reduce((a, b) => a + b, 0);

function collectLogger(lines: string[]): Logger {
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as Logger;
}

const trainingConfig = (): DeskConfig => DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1', sync: { intervalSec: 5 } });
const productionConfig = (url: string): DeskConfig =>
  DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1', cityApi: { url, clientSecret: 'production-secret-1' }, sync: { intervalSec: 5 } });

async function start(dataDir: string, config: DeskConfig, lines: string[]): Promise<RunningDesk> {
  const desk = await startDesk({ dataDir, config, version: '0.0.0-test', startTrainingCity: startCitySimulator, logger: collectLogger(lines) });
  cleanups.push(() => desk.close());
  return desk;
}

/** Trains on dataDir: 5 registrations (their requests) submitted, the desk closed. */
async function train(dataDir: string): Promise<Registration[]> {
  const desk = await start(dataDir, trainingConfig(), []);
  const regs: Registration[] = [];
  for (let i = 0; i < 5; i++) {
    const reg = makeRegistration(7100 + i, { createdAt: new Date().toISOString() });
    const requests = deriveRequests(reg, { hospitalDistrict: '330304', newId: uuidv7 });
    desk.desk.store.registrations.submit({ registration: reg, requests, actor: 'trainer', at: new Date().toISOString() });
    regs.push(reg);
  }
  expect(total(desk)).toBeGreaterThanOrEqual(5);
  await desk.close();
  return regs;
}

async function productionCity(): Promise<{ sim: CitySimulator; hits: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nd-prod-city-'));
  const hits: string[] = [];
  const sim = await startCitySimulator({ dataFile: path.join(dir, 'city.db'), credentials: 'any', log: (l) => hits.push(l) });
  cleanups.push(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sim, hits };
}

async function expectCleanProduction(dataDir: string, lines: string[]) {
  const { sim, hits } = await productionCity();
  const desk = await start(dataDir, productionConfig(sim.url), lines);
  expect(desk.info.training).toBe(false);
  const signIn = await desk.dispatch('signIn', { staffId: TRAINING_STAFF.staffId, pin: TRAINING_STAFF.pin }, 'internal');
  expect(signIn.ok).toBe(false);
  expect(desk.desk.store.staff.list()).toEqual([]);
  expect(total(desk)).toBe(0);
  const sync = await desk.dispatch('syncNow', {}, 'internal');
  void sync;
  await new Promise((r) => setTimeout(r, 1500));
  expect(sim.admin.listRequests()).toEqual([]);
  expect(hits.filter((h) => /batch/.test(h))).toEqual([]);
  return desk;
}

function newTemp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nd-modes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('training and production are different places', () => {
  it('a desk trained on a data folder, then given a production config on it: trainer does not sign in, the city gets none of the 5 training registrations', async () => {
    const dataDir = newTemp();
    await train(dataDir);
    expect(existsSync(path.join(dataDir, 'training', 'desk.db'))).toBe(true);
    const lines: string[] = [];
    await expectCleanProduction(dataDir, lines);
    // Training data is kept in its own place, untouched.
    expect(existsSync(path.join(dataDir, 'training', 'desk.db'))).toBe(true);
  });

  it('today’s layout (training data directly in dataDir/desk.db): production starts clean, sets the training data aside (not deleted) and says so', async () => {
    const dataDir = newTemp();
    await train(dataDir);
    // Rebuild the old layout: the database in the data folder itself, beside the simulator's file.
    for (const f of readdirSync(path.join(dataDir, 'training'))) renameSync(path.join(dataDir, 'training', f), path.join(dataDir, f));
    rmSync(path.join(dataDir, 'training'), { recursive: true });
    writeFileSync(path.join(dataDir, 'training-city.db'), 'old simulator file');
    const size = statSync(path.join(dataDir, 'desk.db')).size;

    const lines: string[] = [];
    const desk = await expectCleanProduction(dataDir, lines);
    expect(existsSync(path.join(dataDir, 'desk.db'))).toBe(false);
    expect(statSync(path.join(dataDir, 'training', 'desk.db')).size).toBe(size); // moved, not deleted
    expect(desk.info.notices?.join('\n')).toMatch(/Training data .* set aside .*production starts with an empty database/);
    await desk.desk.store.staff.create({ staffId: 'it-admin', displayName: 'IT', role: 'admin', pin: '864209' }, { actor: 'system' });
    expect((await desk.dispatch('signIn', { staffId: 'it-admin', pin: '864209' }, 'internal')).ok).toBe(true);
    const health = await desk.dispatch('getHealth', {}, 'internal');
    expect(health.ok && (health.value as { notices: string[] }).notices.join('\n')).toMatch(/set aside/);
    expect(lines.join('\n')).toMatch(/old layout/);
  });

  it('a training database copied into the production folder is set aside, never used', async () => {
    const dataDir = newTemp();
    await train(dataDir);
    cpSync(path.join(dataDir, 'training'), path.join(dataDir, 'production'), { recursive: true });
    const lines: string[] = [];
    const desk = await expectCleanProduction(dataDir, lines);
    expect(desk.info.notices?.join('\n')).toMatch(/training database in the production folder was set aside/);
    const aside = readdirSync(path.join(dataDir, 'set-aside'));
    expect(aside.some((d) => d.startsWith('training-in-production-'))).toBe(true);
  });

  it('the training simulator keeps its data in memory: no file under the data folder holds the training personal data', async () => {
    const dataDir = newTemp();
    const desk = await start(dataDir, trainingConfig(), []);
    const reg = makeRegistration(7300, { createdAt: new Date().toISOString() });
    desk.desk.store.registrations.submit({ registration: reg, requests: deriveRequests(reg, { hospitalDistrict: '330304', newId: uuidv7 }), actor: 'trainer', at: new Date().toISOString() });
    await desk.dispatch('syncNow', {}, 'internal');
    // Wait until the embedded simulator holds the requests (it received the personal data).
    for (let i = 0; i < 50 && (desk.trainingCity as CitySimulator).admin.listRequests().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((desk.trainingCity as CitySimulator).admin.listRequests().length).toBeGreaterThan(0);
    const needles = [reg.mother.name, reg.mother.docNumber, reg.mother.phone ?? ''].filter((s) => s.length >= 2);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk : (f: string) => files.push(f))(path.join(d, e.name));
    };
    walk(dataDir);
    expect(files.some((f) => /training-city/.test(f))).toBe(false);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) {
        expect(bytes.includes(Buffer.from(n, 'utf8')), `${n} in ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(n, 'utf16le')), `${n} (UTF-16LE) in ${f}`).toBe(false);
      }
    }
  });

  it('a training desk’s sync refuses, before connecting, any city but the training simulator, and a "simulator" without its identity', async () => {
    const { sim, hits } = await productionCity();
    const lines: string[] = [];
    const guarded = guardTrainingFetch({ trainingUrl: 'http://127.0.0.1:9/', identity: 'training', logger: collectLogger(lines) });
    await expect(guarded(new URL('/v1/oauth/token', sim.url), { method: 'POST' })).rejects.toThrow(TypeError);
    expect(hits).toEqual([]);
    // The production city at the address the desk started (a port reused): it answers without the identity.
    const atSimAddress = guardTrainingFetch({ trainingUrl: sim.url, identity: 'training', logger: collectLogger(lines) });
    await expect(atSimAddress(new URL('/v1/status-updates', sim.url))).rejects.toThrow(TypeError);
    expect(lines.join('\n')).toMatch(/not the training simulator/);
    mkdirSync(path.join(tmpdir(), 'unused'), { recursive: true });
  });
});
