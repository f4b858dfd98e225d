/**
 * Opening the store: encryption, key files, wrong key, damaged file, future version, foreign migrations,
 * pragmas and health. Real encrypted files in a temp dir.
 */
import { chmodSync, closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openConnection } from './connection';
import { integrityFile, writeIntegrityResult } from './integrity';
import {
  DatabaseCorruptError,
  DatabaseFromFutureError,
  DatabaseKeyError,
  KeyFileError,
  MigrationMismatchError,
} from './errors';
import { FileKeyProvider, StaticKeyProvider } from './key-provider';
import { migrate } from './migrate';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { openStore } from './store';
import { makeRegistration, makeRequests, tempDir, tempStore, type TempStore } from './test-helpers';
import type { StoreLogger } from './types';

/** The corruption the store tests use: 256 bytes of 0xa5 written over the middle of the file. */
function damageMiddle(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(256, 0xa5), 0, 256, Math.floor(size / 2));
  closeSync(fd);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
async function fresh(): Promise<TempStore> {
  const t = await tempStore();
  cleanups.push(() => t.cleanup());
  return t;
}
function dir(): string {
  const d = tempDir();
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function fill(t: TempStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const reg = makeRegistration(i + 1);
    t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
  }
}

describe('openStore', () => {
  it('creates an encrypted database with WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    const t = await fresh();
    const db = t.store.context.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('cipher', { simple: true })).toBe('chacha20');
    if (process.platform !== 'win32') {
      expect(statSync(t.file).mode & 0o777).toBe(0o600);
      expect(statSync(`${t.file}-wal`).mode & 0o777).toBe(0o600);
    }
    fill(t, 3);
    t.store.close();
    const bytes = readFileSync(t.file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // Nothing of the content is readable in the file (names, ID numbers).
    const reg = makeRegistration(1);
    expect(bytes.includes(Buffer.from(reg.mother.docNumber))).toBe(false);
    expect(bytes.includes(Buffer.from(reg.mother.name))).toBe(false);
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
    expect(t.store.registrations.count()).toBe(3);
  });

  it('reports health without scanning: the last background check (none yet), schema version, sizes', async () => {
    const t = await fresh();
    fill(t, 2);
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    try {
      const h = t.store.health();
      expect(h).toMatchObject({ integrity: null, schemaVersion: SCHEMA_VERSION });
      expect(h.sizeBytes).toBeGreaterThan(0);
      expect(h.walBytes).toBeGreaterThan(0);
      expect(pragma.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringMatching(/quick_check|integrity_check/));
      // The check's result, once kept beside the database, is what health reports.
      const r = t.store.checkIntegrity();
      expect(r).toMatchObject({ v: 1, check: 'quick_check', ok: true, findings: [] });
      writeIntegrityResult(integrityFile(t.file), r);
      expect(t.store.health().integrity).toEqual(r);
    } finally {
      pragma.mockRestore();
    }
  });

  it('opening an existing file runs no full-file check (issue 14 item 5: quick_check took 16 s at 200,000 registrations)', async () => {
    const t = await fresh();
    fill(t, 20);
    t.store.close();
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    try {
      t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
      const pragmas = pragma.mock.calls.map((c) => String(c[0]));
      expect(pragmas).toContain('journal_mode = WAL'); // the spy sees the open's pragmas
      expect(pragmas.filter((p) => /quick_check|integrity_check/.test(p))).toEqual([]);
      expect(t.store.registrations.count()).toBe(20);
    } finally {
      pragma.mockRestore();
    }
  });

  it('refuses a wrong key with DatabaseKeyError (db.wrong_key) and leaves the file untouched', async () => {
    const t = await fresh();
    fill(t, 2);
    t.store.close();
    const before = readFileSync(t.file);
    const wrong = new StaticKeyProvider(Buffer.alloc(32, 7));
    const err = await openStore({ file: t.file, keyProvider: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseKeyError);
    expect((err as DatabaseKeyError).code).toBe('db.wrong_key');
    expect((err as DatabaseKeyError).file).toBe(t.file);
    expect(readFileSync(t.file).equals(before)).toBe(true);
    // And the right key still opens it with everything in it.
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
    expect(t.store.registrations.count()).toBe(2);
  });

  it('refuses a plain unencrypted SQLite file as a key error', async () => {
    const d = dir();
    const file = path.join(d, 'plain.db');
    const Database = (await import('better-sqlite3-multiple-ciphers')).default;
    const plain = new Database(file);
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    const err = await openStore({ file, keyProvider: new StaticKeyProvider(Buffer.alloc(32, 1)) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseKeyError);
    expect(String((err as Error).message)).toMatch(/unencrypted/);
  });

  it('a file damaged in the middle opens (no full scan at open), the integrity check finds the damage, and the file is never replaced', async () => {
    const t = await fresh();
    fill(t, 150);
    t.store.close();
    const size = statSync(t.file).size;
    expect(size).toBeGreaterThan(64 * 1024);
    damageMiddle(t.file);
    const inode = statSync(t.file).ino;
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
    const r = t.store.checkIntegrity();
    expect(r.ok).toBe(false);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.length).toBeLessThanOrEqual(5);
    // Reading the damaged rows is still named as damage, with the file.
    const err = (() => {
      try {
        for (const id of t.store.context.db.prepare('SELECT id FROM registrations').pluck().all() as string[]) t.store.registrations.get(id);
        return null;
      } catch (e) {
        return e;
      }
    })();
    if (err) expect(String((err as Error).message)).toMatch(/malformed|corrupt/i);
    t.store.close();
    expect(statSync(t.file).ino).toBe(inode); // the same file, never replaced by a new database
    expect(statSync(t.file).size).toBeGreaterThanOrEqual(size);
    t.store = await openStore({ file: path.join(t.dir, 'other.db'), keyProvider: new FileKeyProvider(t.keyFile) });
  });

  it('reports a damaged header as corruption, not as a wrong key', async () => {
    const t = await fresh();
    fill(t, 1);
    t.store.close();
    const fd = openSync(t.file, 'r+');
    writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 16);
    closeSync(fd);
    const err = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseCorruptError);
    t.store = await openStore({ file: path.join(t.dir, 'other.db'), keyProvider: new FileKeyProvider(t.keyFile) });
  });

  it('refuses a database from a newer version (DatabaseFromFutureError) without changing it', async () => {
    const t = await fresh();
    const db = await t.openRaw();
    const future = [...MIGRATIONS, { id: SCHEMA_VERSION + 1, name: '9999_future', sql: 'CREATE TABLE from_the_future (x INTEGER) STRICT;' }];
    expect(migrate(db, t.file, future, new Date().toISOString()).applied).toEqual([SCHEMA_VERSION + 1]);
    db.close();
    const err = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseFromFutureError);
    expect(err).toMatchObject({ code: 'db.from_future', databaseVersion: SCHEMA_VERSION + 1, appVersion: SCHEMA_VERSION });
    const check = openConnection({ file: t.file, key: await new FileKeyProvider(t.keyFile).getKey() });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
    t.store = await openStore({ file: path.join(t.dir, 'other.db'), keyProvider: new FileKeyProvider(t.keyFile) });
  });

  it('refuses a database whose applied migrations differ from the shipped ones', async () => {
    const t = await fresh();
    const db = await t.openRaw();
    db.pragma('foreign_keys = OFF');
    // Simulate a build whose migration 3 had another name.
    db.prepare(`UPDATE schema_migrations SET name = '0003_something_else' WHERE id = 3`).run();
    db.close();
    const err = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationMismatchError);
    expect((err as Error).message).toMatch(/migration 3/);
    t.store = await openStore({ file: path.join(t.dir, 'other.db'), keyProvider: new FileKeyProvider(t.keyFile) });
  });

  it('refuses a database whose applied migration was edited afterwards (checksum)', async () => {
    const t = await fresh();
    const db = await t.openRaw();
    db.prepare(`UPDATE schema_migrations SET checksum = 'x' WHERE id = 2`).run();
    db.close();
    await expect(openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) })).rejects.toThrow(/checksum/);
    t.store = await openStore({ file: path.join(t.dir, 'other.db'), keyProvider: new FileKeyProvider(t.keyFile) });
  });

  it('logs slow statements by name only, never their content', async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger: StoreLogger = {
      info: (msg, fields) => lines.push({ msg, fields }),
      warn: (msg, fields) => lines.push({ msg, fields }),
      error: (msg, fields) => lines.push({ msg, fields }),
    };
    const t = await tempStore({ logger, slowQueryMs: 0 });
    cleanups.push(() => t.cleanup());
    const reg = makeRegistration(42);
    t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    t.store.registrations.search({ parentDocNumber: reg.mother.docNumber });
    const slow = lines.filter((l) => l.msg === 'db.slow_query');
    expect(slow.map((l) => l.fields?.statement)).toEqual(expect.arrayContaining(['registrations.submit', 'registrations.search']));
    const text = JSON.stringify(lines);
    expect(text).not.toContain(reg.mother.docNumber);
    expect(text).not.toContain(reg.mother.name);
    expect(text).not.toMatch(/SELECT|INSERT/);
  });
});

describe('FileKeyProvider', () => {
  it('creates a 32-byte key file with mode 0600 and returns the same key next time', async () => {
    const d = dir();
    const file = path.join(d, 'sub', 'desk.key');
    const k1 = await new FileKeyProvider(file).getKey();
    expect(k1.length).toBe(32);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const k2 = await new FileKeyProvider(file).getKey();
    expect(k2.equals(k1)).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('refuses a key file readable by group or others', async () => {
    const d = dir();
    const file = path.join(d, 'desk.key');
    await new FileKeyProvider(file).getKey();
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(file, mode);
      const err = await new FileKeyProvider(file).getKey().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyFileError);
      expect((err as KeyFileError).code).toBe('db.key_file_insecure');
    }
  });

  it('refuses a key file of the wrong length', async () => {
    const d = dir();
    const file = path.join(d, 'desk.key');
    writeFileSync(file, Buffer.alloc(10), { mode: 0o600 });
    await expect(new FileKeyProvider(file).getKey()).rejects.toMatchObject({ code: 'db.key_file_invalid' });
  });

  it('a different key file cannot open the store (wrong key, not an empty database)', async () => {
    const t = await fresh();
    fill(t, 1);
    t.store.close();
    const other = path.join(t.dir, 'other.key');
    await new FileKeyProvider(other).getKey(); // another desk's key (a missing key is KeyMissingError: tamper.test.ts)
    await expect(openStore({ file: t.file, keyProvider: new FileKeyProvider(other) })).rejects.toBeInstanceOf(DatabaseKeyError);
    t.store = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile) });
    expect(t.store.registrations.count()).toBe(1);
  });
});

describe('WAL checkpoints', () => {
  it('happen after the store is idle, not inside the commit, and on the next turn of the loop after a long burst', async () => {
    const t = await fresh();
    const db = t.store.context.db;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const base = statSync(t.file).size;
    const submit = (seed: number) => {
      const reg = makeRegistration(seed);
      t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    };
    for (let i = 0; i < 3; i++) submit(300 + i);
    // The commits are in the WAL only: the database file has not been written.
    expect(statSync(t.file).size).toBe(base);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const afterIdle = statSync(t.file).size;
    expect(afterIdle).toBeGreaterThan(base);
    // 200 commits with no idle moment: no commit checkpoints inline (the 200th answers first) ...
    for (let i = 0; i < 200; i++) submit(400 + i);
    expect(statSync(t.file).size).toBe(afterIdle);
    // ... and the checkpoint runs on the next turn of the loop, well before the idle delay.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statSync(t.file).size).toBeGreaterThan(afterIdle);
  });
});
