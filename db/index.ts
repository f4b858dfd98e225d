/**
 * The encrypted SQLite store: `openStore({ file, keyProvider, now?, logger? })` → `Store`.
 * Everything the rest of the app needs from db/ is exported here.
 */
export { openStore, type OpenStoreOptions, type Store } from './store';
export { FileKeyProvider, SealedKeyProvider, StaticKeyProvider, KEY_BYTES, type KeyLog, type KeyProvider, type KeySealer } from './key-provider';
export * from './errors';
export type * from './types';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';
export { migrate, readApplied } from './migrate';
export { openConnection, quickCheck, CIPHER } from './connection';
export { INTEGRITY_CHECK, integrityFile, readIntegrityResult, runIntegrityCheck, writeIntegrityResult, type IntegrityResult } from './integrity';
export { transitionRefusal, nextRevision } from './requests-repo';
export { registrationContentHash, registrationRow, REGISTRATION_INSERT, REGISTRATION_DOC_INSERT, DerivedRequestSchema } from './registration-row';
export { assertNoPii, auditHash, GENESIS_HASH } from './audit-repo';
export { sha256Hex } from './canonical';
export { docKey, nameKey, phoneKey } from './normalize';
export { STATUS_FEED } from './sync-state-repo';
export { requestFromRow, type RequestRow } from './request-row';
export type { StoreContext } from './context';
export type { AuditRepo } from './audit-repo';
export type { RegistrationsRepo } from './registrations-repo';
export type { RequestsRepo } from './requests-repo';
export type { StaffRepo } from './staff-repo';
export type { SettingsRepo } from './settings-repo';
export type { DraftsRepo } from './drafts-repo';
export type { SyncStateRepo } from './sync-state-repo';
