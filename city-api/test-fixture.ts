/**
 * Test-only: one simulator for a describe block, started before its tests with a desk client and stopped after.
 * Read `suite.t` and `suite.desk` inside the tests (they exist once `beforeAll` has run). Benches do not import this.
 */
import { afterAll, beforeAll } from 'vitest';
import type { CitySimulatorOptions } from './server';
import { startTestSim, type Client, type TestSim } from './testkit';

export interface SimSuite {
  t: TestSim;
  desk: Client;
}

export function simPerSuite(opts: Partial<CitySimulatorOptions> = {}): SimSuite {
  const suite = {} as SimSuite;
  beforeAll(async () => {
    suite.t = await startTestSim(opts);
    suite.desk = await suite.t.client();
  });
  afterAll(() => suite.t.stop());
  return suite;
}
