/**
 * The loss anchor: the audit chain's head (seq, hash) and event count, kept OUTSIDE the database in a tiny 0600
 * file beside the key (`desk.db.anchor`). It is rewritten in place after each committed transaction
 * that appended audit events, always after SQLite's own fsync'd commit, so the anchor can lag the database (a
 * power cut between the two) but never run ahead of it. At open the database must hold at least the recorded
 * count, and the recorded head must be the event at that seq: a database that lost committed work (a damaged
 * -wal), was emptied, deleted, replaced or rolled back to an older copy is refused with `DataLossError`, before
 * anything is written to it.
 */
import DatabaseCtor, { type Database } from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { CIPHER, fileSize, quickCheck } from './connection';
import { DataLossError } from './errors';

const AnchorSchema = z.object({ v: z.literal(1), count: z.number().int().min(0), seq: z.number().int().min(0), hash: z.string() });
export type Anchor = z.infer<typeof AnchorSchema>;

export interface AnchorStatus {
  /** The anchor file, or null when this store keeps none (tests with an in-memory key). */
  file: string | null;
  /** Events recorded by the anchor (the database holds at least these). */
  count: number;
  /** What was found at open: `ok`, `created` (first open with an anchor), or `unreadable` (re-established). */
  atOpen: 'ok' | 'created' | 'unreadable' | 'none';
}

export function readAnchor(file: string): Anchor | 'absent' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
  try {
    const parsed = AnchorSchema.safeParse(JSON.parse(text.trimEnd()));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** The anchor text padded to one fixed size: rewritten in place with one write of under one disk sector. */
const ANCHOR_BYTES = 160;
function anchorBytes(anchor: Anchor): Buffer {
  return Buffer.from(JSON.stringify(anchor).padEnd(ANCHOR_BYTES, ' '), 'utf8');
}

/** A whole new anchor file (at open): temp file + rename. */
export function writeAnchor(file: string, anchor: Anchor): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, anchorBytes(anchor), { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * After each commit: one positioned write into the open anchor file, no fsync and no rename (a rename over a
 * file makes ext4 flush the data, an fsync in all but name). SQLite's commit was fsync'd first, so after a
 * power cut the anchor can only lag the database, which the check at open accepts; a torn anchor reads as
 * `unreadable` and is re-established from the database with a warning.
 */
export function openAnchorWriter(file: string): { write(anchor: Anchor): void; close(): void } {
  const fd = openSync(file, 'r+');
  return {
    write: (anchor) => {
      writeSync(fd, anchorBytes(anchor), 0, ANCHOR_BYTES, 0);
    },
    close: () => closeSync(fd),
  };
}

/** Before the database file is opened: a recorded desk whose database is gone or empty is refused untouched. */
export function checkFileAgainstAnchor(dbFile: string, anchor: Anchor): void {
  if (anchor.count === 0) return;
  const size = fileSize(dbFile);
  if (size === 0 && fileSize(`${dbFile}-wal`) === 0) {
    throw new DataLossError(dbFile, anchor.count, 0, existsSync(dbFile) ? 'emptied' : 'missing', `the database ${dbFile} is missing or empty but the desk had recorded ${anchor.count} audit events: all ${anchor.count} are missing`);
  }
}

/** The audit head of an open connection (before migrations: a database without the table has no events). */
export function auditHead(db: Database): { count: number; seq: number; hash: string } {
  const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'`).pluck().get();
  if (!hasTable) return { count: 0, seq: 0, hash: '' };
  const count = db.prepare(`SELECT count(*) FROM audit_events`).pluck().get() as number;
  const head = db.prepare(`SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined;
  return { count, seq: head?.seq ?? 0, hash: head?.hash ?? '' };
}

/**
 * Before the store's own connection opens: a READ-ONLY look at the file (a read-only connection never
 * checkpoints nor deletes the -wal on close), so a refused database and its -wal stay exactly as found.
 * A file the key does not open is left to `openConnection` to name (wrong key, damaged header).
 */
export function probeAgainstAnchor(dbFile: string, key: Buffer, anchor: Anchor): void {
  if (anchor.count === 0) return;
  let db: Database;
  try {
    db = new DatabaseCtor(dbFile, { readonly: true, fileMustExist: true });
  } catch {
    return;
  }
  try {
    db.pragma(`cipher='${CIPHER}'`);
    db.key(key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch {
      return;
    }
    try {
      checkDatabaseAgainstAnchor(db, dbFile, anchor);
    } catch (e) {
      // A damaged file is named as damage (by openConnection's quick_check), not as loss.
      let sound = false;
      try {
        const report = quickCheck(db);
        sound = report.length === 1 && report[0] === 'ok';
      } catch {
        sound = false;
      }
      if (sound) throw e;
    }
  } finally {
    db.close();
  }
}

/** The database must hold everything the anchor recorded. */
export function checkDatabaseAgainstAnchor(db: Database, dbFile: string, anchor: Anchor): void {
  const head = auditHead(db);
  if (head.count < anchor.count) {
    const missing = anchor.count - head.count;
    throw new DataLossError(
      dbFile,
      anchor.count,
      head.count,
      head.count === 0 ? 'emptied' : 'rolled_back',
      `the database ends at audit event ${head.count} but the desk had recorded ${anchor.count}: ${missing} ${missing === 1 ? 'event is' : 'events are'} missing ` +
        `(committed work was lost, e.g. a damaged -wal file, or an older copy of the database was put back)`,
    );
  }
  if (anchor.count === 0) return;
  const atSeq = db.prepare(`SELECT hash FROM audit_events WHERE seq = ?`).pluck().get(anchor.seq) as string | undefined;
  if (atSeq !== anchor.hash) {
    throw new DataLossError(
      dbFile,
      anchor.count,
      head.count,
      'replaced',
      `the database holds ${head.count} audit events but not the desk's recorded event ${anchor.seq}: it was replaced by another database`,
    );
  }
}
