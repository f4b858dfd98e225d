/**
 * Secrets at rest, encrypted with Electron's `safeStorage` (DPAPI on Windows, the desktop keyring on Linux):
 *   - the database key: handed to `startDesk` as `keyStore` (db's `SealedKeyProvider`, `desk.key.enc` beside user data);
 *   - the desk's city-API client secret: IT writes it in clear in `cityApi.clientSecret`; each user keeps an
 *     encrypted copy in their own user data (`city-secret.enc`). IT's machine-wide file is never written.
 * `safeStorage` is injected: unit-tested with a fake.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { DeskConfig } from '../../core/config/schema';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export interface SecretLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

function writePrivate(file: string, data: Buffer | string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Warns when Linux has no keyring and safeStorage only obfuscates (`basic_text`). */
function checkBackend(safeStorage: SafeStorageLike, log: SecretLog): void {
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (backend === 'basic_text') log.warn('safeStorage has no keyring on this desk (basic_text): secrets are only obfuscated at rest');
}

export interface CitySecretOptions {
  config: DeskConfig;
  /** IT's config file (rewritten without the clear secret where possible); null = none. */
  configFile: string | null;
  safeStorage: SafeStorageLike;
  /** Where the encrypted secret lives (`<userData>/city-secret.enc`). */
  secretFile: string;
  log: SecretLog;
}

/**
 * The city-API secret in clear for this run. IT's file is machine-wide and never written by the desk (issue 13:
 * it used to be rewritten with one user's encrypted-copy path, and a second Windows user could not sync). The
 * design: IT's clear `cityApi.clientSecret` is read, and an encrypted copy is kept per user in that user's
 * userData (`city-secret.enc`, safeStorage). Every desk user who starts while the clear secret is in IT's file
 * gets a copy; IT may then remove the clear secret (the desk says so in the log), or keep it in a file only the
 * desk users may read (build/IT-GUIDE.md). A `clientSecretEncrypted` path in IT's file (written by older
 * versions) is ignored.
 */
export function resolveCitySecret(opts: CitySecretOptions): string | undefined {
  const api = opts.config.cityApi;
  if (!api) return undefined;
  const { safeStorage, log } = opts;
  if (api.clientSecretEncrypted) {
    log.warn("cityApi.clientSecretEncrypted in IT's file is ignored (it named one user's file): IT should remove it; each user's encrypted copy is in their own user data");
  }
  if (api.clientSecret) {
    if (!safeStorage.isEncryptionAvailable()) {
      log.warn('safeStorage unavailable: the city API secret is read from the config file only');
      return api.clientSecret;
    }
    checkBackend(safeStorage, log);
    writePrivate(opts.secretFile, safeStorage.encryptString(api.clientSecret));
    log.info(
      "city API secret stored encrypted for this user (safeStorage); IT's file is not changed: IT may remove cityApi.clientSecret once every desk user has started once, or keep the file readable by the desk users only",
      { configFile: opts.configFile },
    );
    return api.clientSecret;
  }
  if (existsSync(opts.secretFile)) {
    try {
      return safeStorage.decryptString(readFileSync(opts.secretFile));
    } catch {
      log.warn('the encrypted city API secret cannot be decrypted (another user or PC?): IT must set cityApi.clientSecret again');
      return undefined;
    }
  }
  log.warn("no city API secret for this user: IT must put cityApi.clientSecret in IT's file until this user has started once");
  return undefined;
}
