/**
 * Loss is detected (issue 13): a desk with 30 committed registrations whose files are then damaged the ways
 * the issue found (a damaged -wal losing commits, an emptied or deleted desk.db, a deleted desk.key, an older
 * copy put back, another database put in its place) refuses to open, names what is missing, and leaves the
 * files exactly as found: putting the right files back opens all 30.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeyProvider, openConnection, openStore, type Store } from '../../db';
import { makeRegistration, makeRequests, tempDir } from '../../db/test-helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): string {
  const d = tempDir('nd-tamper-');
  dirs.push(d);
  return d;
}

const open = (dir: string): Promise<Store> => openStore({ file: path.join(dir, 'desk.db'), keyProvider: new FileKeyProvider(path.join(dir, 'desk.key')) });

function submit(store: Store, from: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const reg = makeRegistration(from + i);
    store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
  }
}

/** Opens the desk in `dir`, files `n` registrations (ids from `from`) and closes it again. */
async function filled(dir: string, from: number, n: number): Promise<void> {
  const store = await open(dir);
  submit(store, from, n);
  store.close();
}

/** Every file of the folder with its SHA-256, but the -shm (rebuilt from the -wal) and an empty -wal (holds nothing). */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('-shm') || (f.endsWith('-wal') && statSync(path.join(dir, f)).size === 0)) continue;
    out[f] = createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex');
  }
  return out;
}

function copyDir(from: string, to: string, skip: (f: string) => boolean = (f) => f.endsWith('-shm')): void {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (!skip(f)) copyFileSync(path.join(from, f), path.join(to, f));
}

/**
 * A desk that committed 30 registrations and lost power before any checkpoint: its folder copied while the
 * store is open (a reader holding its snapshot keeps the 30 commits in the -wal, as on a busy desk).
 */
async function crashedDesk(): Promise<string> {
  const live = fresh();
  const store = await open(live);
  const reader = openConnection({ file: path.join(live, 'desk.db'), key: await new FileKeyProvider(path.join(live, 'desk.key')).getKey() });
  reader.prepare('BEGIN').run();
  reader.prepare('SELECT count(*) FROM sqlite_master').get();
  submit(store, 100, 30);
  const crashed = fresh();
  copyDir(live, crashed);
  reader.prepare('ROLLBACK').run();
  reader.close();
  store.close();
  expect(statSync(path.join(crashed, 'desk.db-wal')).size).toBeGreaterThan(0);
  return crashed;
}

async function refusal(dir: string): Promise<Error & { code?: string; recorded?: number; found?: number; kind?: string }> {
  const err = await open(dir).then(
    (s) => {
      s.close();
      return null;
    },
    (e: unknown) => e as Error,
  );
  expect(err, 'the desk opened a damaged folder').not.toBeNull();
  return err!;
}

describe('tamper: the desk notices lost or replaced data', () => {
  it('control: the crashed folder itself opens with all 30 registrations', async () => {
    const dir = await crashedDesk();
    const store = await open(dir);
    expect(store.registrations.count()).toBe(30);
    expect(store.anchor()).toMatchObject({ count: 30, atOpen: 'ok' });
    store.close();
  });

  it('a truncated -wal (commits dropped) is refused, naming how many events are missing; files untouched', async () => {
    const dir = await crashedDesk();
    const wal = path.join(dir, 'desk.db-wal');
    const original = fresh();
    copyDir(dir, original);
    truncateSync(wal, Math.floor(statSync(wal).size / 2));
    const before = fingerprint(dir);
    const err = await refusal(dir);
    expect(err).toMatchObject({ name: 'DataLossError', code: 'db.data_loss', recorded: 30, kind: 'rolled_back' });
    expect(err.found).toBeLessThan(30);
    expect(err.message).toMatch(new RegExp(`ends at audit event ${err.found} but the desk had recorded 30: ${30 - err.found!} events are missing`));
    expect(fingerprint(dir)).toEqual(before);
    // Loses nothing it had: the folder as it was before the damage still opens with all 30.
    const store = await open(original);
    expect(store.registrations.count()).toBe(30);
    store.close();
  });

  it('a garbled -wal is refused the same way', async () => {
    const dir = await crashedDesk();
    const wal = path.join(dir, 'desk.db-wal');
    const bytes = readFileSync(wal);
    const at = Math.floor(bytes.length / 3);
    for (let i = at; i < at + 4096 && i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(wal, bytes);
    const before = fingerprint(dir);
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'db.data_loss', recorded: 30 });
    expect(err.message).toMatch(/events are missing/);
    expect(fingerprint(dir)).toEqual(before);
  });

  it('an emptied desk.db is refused ("all 30 are missing") and stays empty', async () => {
    const dir = await crashedDesk();
    truncateSync(path.join(dir, 'desk.db'), 0);
    rmSync(path.join(dir, 'desk.db-wal'));
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'db.data_loss', kind: 'emptied', recorded: 30, found: 0 });
    expect(err.message).toMatch(/all 30 are missing/);
    expect(statSync(path.join(dir, 'desk.db')).size).toBe(0);
  });

  it('a deleted desk.db is refused and not recreated', async () => {
    const dir = await crashedDesk();
    rmSync(path.join(dir, 'desk.db'));
    rmSync(path.join(dir, 'desk.db-wal'));
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'db.data_loss', kind: 'missing', recorded: 30 });
    expect(existsSync(path.join(dir, 'desk.db'))).toBe(false);
  });

  it('a deleted desk.key beside the database is "key missing", never a new key', async () => {
    const dir = await crashedDesk();
    const key = path.join(dir, 'desk.key');
    const saved = readFileSync(key);
    rmSync(key);
    const before = fingerprint(dir);
    const err = await refusal(dir);
    expect(err).toMatchObject({ name: 'KeyMissingError', code: 'db.key_missing' });
    expect(err.message).toMatch(/key .* is missing but the database .* exists/);
    expect(existsSync(key)).toBe(false);
    expect(fingerprint(dir)).toEqual(before);
    writeFileSync(key, saved, { mode: 0o600 });
    const store = await open(dir);
    expect(store.registrations.count()).toBe(30);
    store.close();
  });

  it('an older copy put back (rollback) is refused: 20 events are missing', async () => {
    const dir = fresh();
    await filled(dir, 200, 10); // closed, so checkpointed: desk.db alone holds the 10
    const older = fresh();
    copyFileSync(path.join(dir, 'desk.db'), path.join(older, 'desk.db'));
    await filled(dir, 300, 20);
    const newer = readFileSync(path.join(dir, 'desk.db'));
    copyFileSync(path.join(older, 'desk.db'), path.join(dir, 'desk.db'));
    const before = fingerprint(dir);
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'db.data_loss', kind: 'rolled_back', recorded: 30, found: 10 });
    expect(err.message).toContain('the database ends at audit event 10 but the desk had recorded 30: 20 events are missing');
    expect(fingerprint(dir)).toEqual(before);
    writeFileSync(path.join(dir, 'desk.db'), newer);
    const back = await open(dir);
    expect(back.registrations.count()).toBe(30);
    back.close();
  });

  it('another database (same key, more events) put in its place is refused as replaced', async () => {
    const dir = fresh();
    await filled(dir, 400, 5);
    const other = fresh();
    copyFileSync(path.join(dir, 'desk.key'), path.join(other, 'desk.key'));
    await filled(other, 500, 8);
    copyFileSync(path.join(other, 'desk.db'), path.join(dir, 'desk.db'));
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'db.data_loss', kind: 'replaced', recorded: 5 });
    expect(err.message).toMatch(/replaced by another database/);
  });
});
