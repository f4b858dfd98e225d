/**
 * For the API tests: the kiosk service of a test desk (hospital WZ01, desk-1, silent logger, host version
 * 0.0.0-test) over the caller's store and event hub; `more` adds or overrides deps (clock, devices). `value` and
 * `errorOf` unwrap a dispatch result that must be ok or must be an error.
 */
import { DeskConfigSchema } from '../config/schema';
import type { Store } from '../../db';
import type { EventHub } from './events';
import { silentLogger } from './ports';
import type { Result } from './result';
import { createKioskService, type KioskService, type KioskServiceDeps } from './service';

export function testKiosk(store: Store, events: EventHub, dataDir: string, more: Partial<KioskServiceDeps> = {}): KioskService {
  return createKioskService({
    store,
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1' }),
    events,
    logger: silentLogger,
    host: { version: '0.0.0-test', configFile: null, dataDir },
    ...more,
  });
}

/** The value of a result that must be ok (the error, with its fields, in the failure otherwise). */
export function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? [])}`);
  return r.value as T;
}

/** The error of a result that must have failed. */
export function errorOf(r: Result<unknown>) {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}
