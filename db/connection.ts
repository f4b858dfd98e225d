/**
 * Opening the encrypted file: cipher and key, the probe that tells a wrong key from a damaged file,
 * and the pragmas (WAL, synchronous=FULL, foreign keys, busy timeout). No full-file check here (issue 14 item 5: it
 * took 16 s at 200,000 registrations): the probe reads the first page, damage SQLite meets later is still
 * `DatabaseCorruptError`, and the whole file is checked in the background (db/integrity.ts).
 * `openStore` uses it; tests and tools use it for a raw connection with the key.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseCorruptError, DatabaseKeyError, isSqliteError } from './errors';

/** ChaCha20-Poly1305 (SQLite3MultipleCiphers' default, pinned so a library update cannot change it). */
export const CIPHER = 'chacha20';

export interface OpenConnectionOptions {
  file: string;
  key: Buffer;
  busyTimeoutMs?: number;
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** SQLite3MultipleCiphers leaves bytes 16..23 of the header in clear: a damaged header shows there. */
function inspectHeader(file: string): { plainSqlite: boolean; intact: boolean } {
  const buf = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100) return { plainSqlite: false, intact: false };
  if (buf.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return { plainSqlite: true, intact: true };
  const raw = buf.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const powerOfTwo = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  const intact =
    powerOfTwo && [1, 2].includes(buf[18]!) && [1, 2].includes(buf[19]!) && buf[21] === 64 && buf[22] === 32 && buf[23] === 32;
  return { plainSqlite: false, intact };
}

/** SQLite's quick_check report, one finding per line (`['ok']` when sound). Reads the whole file: never on the open path. */
export function quickCheck(db: Database.Database): string[] {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  return rows.flatMap((r) => r.quick_check.split('\n')).filter((l) => l !== '');
}

export function openConnection(options: OpenConnectionOptions): Database.Database {
  const file = path.resolve(options.file);
  if (!Buffer.isBuffer(options.key) || options.key.length < 16) {
    throw new DatabaseKeyError(file, 'the key provider returned fewer than 16 bytes');
  }
  const existed = fileSize(file) > 0;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  let ok = false;
  try {
    // Owner-only, like the key file; SQLite gives the -wal and -shm files the same mode.
    if (!existed && process.platform !== 'win32') chmodSync(file, 0o600);
    db.pragma(`cipher='${CIPHER}'`);
    db.key(options.key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      if (isSqliteError(e, 'SQLITE_NOTADB')) {
        const h = inspectHeader(file);
        if (h.plainSqlite) throw new DatabaseKeyError(file, 'the file is a plain (unencrypted) SQLite database', { cause: e });
        if (!h.intact) throw new DatabaseCorruptError(file, ['the database header is damaged or the file is not a database'], { cause: e });
        throw new DatabaseKeyError(file, 'wrong key (or a damaged first page)', { cause: e });
      }
      if (isSqliteError(e, 'SQLITE_CORRUPT')) throw new DatabaseCorruptError(file, [String((e as Error).message)], { cause: e });
      throw e;
    }

    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${file} to WAL (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);

    ok = true;
    return db;
  } finally {
    if (!ok) db.close();
  }
}
