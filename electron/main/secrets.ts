/**
 * Secrets at rest, encrypted with Electron's `safeStorage` (DPAPI on Windows, the desktop keyring on Linux):
 *   - the database key: handed to `startDesk` as `keyStore` (db's `SealedKeyProvider`, `desk.key.enc` beside user data);
 *   - the desk's city-API client secret: IT writes it in clear in `cityApi.clientSecret`; on first use it is
 *     encrypted to `city-secret.enc` and removed from IT's file where the desk may write it (else the log says
 *     to remove it). Later starts read the encrypted copy (`clientSecretEncrypted` names it when IT's file
 *     was rewritten).
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

/** The city-API secret in clear for this run, moving a clear secret out of IT's file on first use. */
export function resolveCitySecret(opts: CitySecretOptions): string | undefined {
  const api = opts.config.cityApi;
  if (!api) return undefined;
  const { safeStorage, log } = opts;
  const encryptedFile = api.clientSecretEncrypted ? path.resolve(path.dirname(opts.configFile ?? opts.secretFile), api.clientSecretEncrypted) : opts.secretFile;
  if (api.clientSecret) {
    if (!safeStorage.isEncryptionAvailable()) {
      log.warn('safeStorage unavailable: the city API secret stays in the config file');
      return api.clientSecret;
    }
    checkBackend(safeStorage, log);
    writePrivate(opts.secretFile, safeStorage.encryptString(api.clientSecret));
    log.info('city API secret stored encrypted (safeStorage)');
    if (opts.configFile) removeClearSecret(opts.configFile, opts.secretFile, log);
    return api.clientSecret;
  }
  if (existsSync(encryptedFile)) {
    try {
      return safeStorage.decryptString(readFileSync(encryptedFile));
    } catch {
      log.warn('the encrypted city API secret cannot be decrypted (another user or PC?): IT must set cityApi.clientSecret again');
      return undefined;
    }
  }
  log.warn('no city API secret: IT must set cityApi.clientSecret');
  return undefined;
}

/** Rewrites IT's file with `clientSecretEncrypted` in place of `clientSecret`, when the desk may write it. */
function removeClearSecret(configFile: string, secretFile: string, log: SecretLog): void {
  try {
    const raw = JSON.parse(readFileSync(configFile, 'utf8').replace(/^\uFEFF/, '')) as { cityApi?: Record<string, unknown> };
    if (!raw.cityApi || typeof raw.cityApi !== 'object') return;
    delete raw.cityApi.clientSecret;
    raw.cityApi.clientSecretEncrypted = secretFile;
    const tmp = `${configFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(raw, null, 2)}\n`);
    renameSync(tmp, configFile);
    log.info('clear city API secret removed from the config file', { file: configFile });
  } catch (e) {
    log.warn('the config file still holds the city API secret in clear: IT should remove cityApi.clientSecret (it is stored encrypted now)', {
      file: configFile,
      code: (e as NodeJS.ErrnoException).code,
    });
  }
}
