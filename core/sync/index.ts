/** The desk's sync engine (see engine.ts) and its client-side wire contract. */
export { createSyncEngine, type CityApiConfig, type SyncEngine, type SyncEngineOptions } from './engine';
export { DEFAULT_BACKOFF, backoffCeiling, backoffDelay, parseRetryAfter, type BackoffPolicy } from './backoff';
export { CLIENT_PROTOCOL, PROTOCOL_HEADER } from './wire';
