/** The desk's sync engine (see engine.ts) and its client-side wire contract. */
export { createSyncEngine, type CityApiConfig, type SyncEngine, type SyncEngineOptions } from './engine';
export { DEFAULT_BACKOFF, backoffCeiling, backoffDelay, parseRetryAfter, type BackoffPolicy } from './backoff';
export { CLIENT_PROTOCOL, PROTOCOL_HEADER } from './wire';

import type { Store } from '../../db/store';
import type { EventHub } from '../api/events';
import type { Logger } from '../api/ports';
import type { DeskConfig } from '../config/schema';
import { createSyncEngine, type CityApiConfig, type SyncEngine } from './engine';

/**
 * The desk's engine from its config (the shape `openDesk({ createSync })` takes): batch bounds and interval from
 * `config.sync`. The lease owner stays unique per process (safe even if two processes open one database).
 */
export function createDeskSync(deps: {
  store: Store;
  events: EventHub;
  cityApi: CityApiConfig;
  config: DeskConfig;
  logger: Logger;
  /** setup area: the training guard (training-guard.ts) or, in production, the pinned-CA fetch (tls.ts). */
  fetch?: typeof fetch;
}): SyncEngine {
  return createSyncEngine({
    store: deps.store,
    events: deps.events,
    cityApi: deps.cityApi,
    batch: { maxItems: deps.config.sync.batchMaxItems, maxBytes: deps.config.sync.batchMaxBytes },
    intervalMs: deps.config.sync.intervalSec * 1000,
    logger: deps.logger,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}
