/**
 * For the API tests: the kiosk service of a test desk (hospital WZ01, desk-1, silent logger, host version
 * 0.0.0-test) over the caller's store and event hub; `more` adds or overrides deps (clock, devices).
 */
import { DeskConfigSchema } from '../config/schema';
import type { Store } from '../../db';
import type { EventHub } from './events';
import { silentLogger } from './ports';
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
