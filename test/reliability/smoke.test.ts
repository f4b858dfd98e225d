import { afterEach, expect, it } from 'vitest';
import { driveToConvergence, startRig, type Rig } from './rig';

let rig: Rig;
afterEach(async () => rig?.close());

it('smoke: 20 bundles drain and converge', async () => {
  rig = await startRig();
  rig.submit(20);
  const engine = rig.engine();
  const t0 = Date.now();
  const rounds = await driveToConvergence(rig, engine);
  console.log('rounds', rounds, Date.now() - t0, 'ms', rig.store.requests.countByState(), engine.status());
  console.log(rig.logs.slice(0, 10), rig.invalidEvents.slice(0, 3));
  expect(rig.invalidEvents).toEqual([]);
});
