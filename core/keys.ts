/**
 * The database key providers, as core's API for the shells: browser mode keeps the key in a 0600 file
 * (`FileKeyProvider`); the Electron shell wraps it with safeStorage (electron/main/secrets.ts, built on these).
 * The shells choose a provider and hand it to `startDesk`; they never reach db/ themselves.
 */
export { FileKeyProvider, KEY_BYTES, type KeyProvider } from '../db';
