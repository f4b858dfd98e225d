/**
 * Where the database key comes from. The Electron shell supplies one backed by `safeStorage`; tests and
 * browser mode use `FileKeyProvider`: a random 32-byte key in a file only its owner can read.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { KeyFileError, KeyMissingError } from './errors';

export interface GetKeyOptions {
  /** False when the database already exists: an absent key is then `KeyMissingError`, never a new key. */
  mayCreate?: boolean;
  /** The database the key is for (named in the error). */
  dbFile?: string;
}

export interface KeyProvider {
  /** The raw key bytes (at least 16). Called once per `openStore`. */
  getKey(options?: GetKeyOptions): Promise<Buffer>;
  /** The folder of the loss anchors (db/anchor.ts, `<database file name>.anchor`): beside the key. Absent for in-memory keys. */
  readonly anchorDir?: string;
}

export const KEY_BYTES = 32;

/** A key held in memory (tests, or a shell that already unwrapped it). */
export class StaticKeyProvider implements KeyProvider {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    this.#key = Buffer.from(key);
  }
  async getKey(): Promise<Buffer> {
    return Buffer.from(this.#key);
  }
}

/**
 * A key file: created with 32 random bytes and mode 0600 when absent; refused when group or others may
 * read or write it (POSIX only: Windows has no mode bits, ACLs of the profile folder protect it there),
 * or when it does not hold exactly 32 bytes.
 */
export class FileKeyProvider implements KeyProvider {
  readonly file: string;
  readonly anchorDir: string;
  constructor(file: string) {
    this.file = path.resolve(file);
    this.anchorDir = path.dirname(this.file);
  }

  async getKey(options: GetKeyOptions = {}): Promise<Buffer> {
    if (options.mayCreate === false) {
      if (!(await exists(this.file))) throw new KeyMissingError(this.file, options.dbFile ?? '(the database)');
    } else {
      try {
        await this.#create();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const handle = await fs.open(this.file, fsc.O_RDONLY);
    try {
      const st = await handle.stat();
      if (!st.isFile()) {
        throw new KeyFileError('db.key_file_invalid', this.file, `Key file ${this.file} is not a regular file.`);
      }
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
        throw new KeyFileError(
          'db.key_file_insecure',
          this.file,
          `Key file ${this.file} is accessible to group or others (mode ${(st.mode & 0o777).toString(8)}); ` +
            `restrict it to its owner (chmod 600) before the database can be opened.`,
        );
      }
      const key = await handle.readFile();
      if (key.length !== KEY_BYTES) {
        throw new KeyFileError(
          'db.key_file_invalid',
          this.file,
          `Key file ${this.file} holds ${key.length} bytes, expected ${KEY_BYTES}.`,
        );
      }
      return key;
    } finally {
      await handle.close();
    }
  }

  async #create(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite an existing key (that would make the database unreadable).
    const handle = await fs.open(this.file, 'wx', 0o600);
    try {
      await handle.writeFile(randomBytes(KEY_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * What the OS keystore offers (Electron's `safeStorage`: DPAPI on Windows, the desktop keyring on Linux), as a
 * structural interface so this file never imports Electron; the shell hands `safeStorage` itself.
 */
export interface KeySealer {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  /** Linux only: `basic_text` means there is no keyring and secrets are only obfuscated. */
  getSelectedStorageBackend?(): string;
}

export interface KeyLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

/**
 * The database key sealed by the OS keystore: 32 random bytes created on first use and kept only encrypted
 * (`file`); falls back to a 0600 key file (`fallbackFile`) when no encryption is available, and keeps the key of
 * an existing plain key file when moving to the keystore.
 */
export class SealedKeyProvider implements KeyProvider {
  readonly anchorDir: string;
  constructor(
    private readonly sealer: KeySealer,
    readonly file: string,
    private readonly log: KeyLog,
    private readonly fallbackFile = path.join(path.dirname(file), 'desk.key'),
  ) {
    this.anchorDir = path.dirname(path.resolve(file));
  }

  async getKey(options: GetKeyOptions = {}): Promise<Buffer> {
    if (!this.sealer.isEncryptionAvailable()) {
      this.log.warn('safeStorage unavailable: the database key is kept in a 0600 key file instead', { file: this.fallbackFile });
      return new FileKeyProvider(this.fallbackFile).getKey(options);
    }
    if (this.sealer.getSelectedStorageBackend?.() === 'basic_text') {
      this.log.warn('safeStorage has no keyring on this desk (basic_text): secrets are only obfuscated at rest');
    }
    if (await exists(this.file)) {
      const hex = this.sealer.decryptString(await fs.readFile(this.file));
      const key = Buffer.from(hex, 'hex');
      if (key.length !== KEY_BYTES || key.toString('hex') !== hex) {
        throw new KeyFileError('db.key_file_invalid', this.file, `the encrypted database key in ${this.file} is damaged`);
      }
      return key;
    }
    // Upgrading from a plain key file (browser mode, or the keystore was unavailable before): keep that key.
    const plain = await exists(this.fallbackFile);
    if (!plain && options.mayCreate === false) throw new KeyMissingError(this.file, options.dbFile ?? '(the database)');
    const key = plain ? await new FileKeyProvider(this.fallbackFile).getKey() : randomBytes(KEY_BYTES);
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(this.sealer.encryptString(key.toString('hex')));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
    this.log.info('database key stored encrypted (safeStorage)');
    if (plain) {
      // The plain copy goes only once the sealed copy reads back as the same key.
      const back = Buffer.from(this.sealer.decryptString(await fs.readFile(this.file)), 'hex');
      if (back.equals(key)) {
        await fs.rm(this.fallbackFile);
        this.log.info('plain database key file removed after moving into the OS keystore', { file: this.fallbackFile });
      } else {
        this.log.warn('the sealed database key did not read back; the plain key file is kept', { file: this.fallbackFile });
      }
    }
    return key;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
