/**
 * Where the database key comes from. The Electron shell supplies one backed by `safeStorage`; tests and
 * browser mode use `FileKeyProvider`: a random 32-byte key in a file only its owner can read.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { KeyFileError } from './errors';

export interface KeyProvider {
  /** The raw key bytes (at least 16). Called once per `openStore`. */
  getKey(): Promise<Buffer>;
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
  constructor(file: string) {
    this.file = path.resolve(file);
  }

  async getKey(): Promise<Buffer> {
    try {
      await this.#create();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
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
