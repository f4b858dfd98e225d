/**
 * The desk as browser mode starts it (startDesk with the sync engine in a Node worker thread, the training city):
 * a bundle stored by the desk is sent by the thread over its own connection, the `syncNow` method answers through
 * the same SyncPort, the request changes arrive on the desk's event hub, and close stops the thread before the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startCitySimulatorInThread } from '../../city-api';
import type { Logger } from '../../core/api/ports';
import { value } from '../../core/api/test-kiosk';
import { DeskConfigSchema } from '../../core/config/schema';
import { startDesk } from '../../core/desk';
import { nodeThreadHost } from '../../core/sync/node-thread-host';
import { makeRegistration, makeRequests } from '../../db/test-helpers';
import { buildCityThread, buildSyncThread } from '../../scripts/build-sync-thread.mjs';

it('startDesk runs sync and the training city in their own threads: sends the queue, answers syncNow, events on the hub, the fault switch works, stops before the store', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sync-thread-desk-'));
  const logs: string[] = [];
  const logger: Logger = { debug() {}, info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const desk = await startDesk({
    dataDir: dir,
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'thread-1' }),
    version: '0-test',
    logger,
    // The training city off the main loop too: its own worker thread.
    startTrainingCity: startCitySimulatorInThread(await buildCityThread()),
    syncThread: nodeThreadHost(await buildSyncThread()),
  });
  try {
    const changed: string[] = [];
    desk.events.subscribe((event, payload) => {
      if (event === 'requestStatusChanged') changed.push((payload as { state: string }).state);
    });
    value(await desk.dispatch('signIn', { staffId: 'trainer', pin: '123456' }, 'internal'));
    const reg = makeRegistration(7, { services: ['birth_certificate', 'vaccination'] });
    desk.desk.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'trainer', at: new Date().toISOString() });
    const deadline = Date.now() + 15_000;
    let depth = 2;
    while (depth > 0 && Date.now() < deadline) {
      depth = value<{ queueDepth: number }>(await desk.dispatch('syncNow', {}, 'internal')).queueDepth;
      if (depth > 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(depth).toBe(0);
    expect(changed).toContain('sending');
    expect(await desk.trainingCity!.admin.listRequests()).toHaveLength(2);
    // The training panel's fault switch reaches the city in its thread.
    expect(value(await desk.dispatch('trainingSetCity', { mode: 'down' }, 'internal'))).toBeTruthy();
    expect(await desk.trainingCity!.admin.getFaults()).toMatchObject({ offline: true });
    expect(logs).toContain('sync.online');
  } finally {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
