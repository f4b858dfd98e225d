/**
 * `openStore`: the encrypted SQLite store (better-sqlite3-multiple-ciphers, ChaCha20-Poly1305 per page).
 *
 * Open sequence: key from the KeyProvider → probe (a wrong key is `DatabaseKeyError`, never an empty
 * database; a damaged header is `DatabaseCorruptError`) → WAL, synchronous=FULL, foreign keys, busy timeout →
 * migrations in one transaction (damage SQLite meets is `DatabaseCorruptError` naming the file; the file is never
 * replaced; the full-file check runs in the background, db/integrity.ts)
 * (refusing a database from the future or with foreign migrations) → repositories.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { auditHead, checkDatabaseAgainstAnchor, checkFileAgainstAnchor, openAnchorWriter, probeAgainstAnchor, readAnchor, writeAnchor, type AnchorStatus } from './anchor';
import { createAuditRepo, type AuditRepo } from './audit-repo';
import { fileSize, openConnection } from './connection';
import { createContext, type StoreContext } from './context';
import { integrityFile, readIntegrityResult, runIntegrityCheck, type IntegrityResult } from './integrity';
import { createDraftsRepo, type DraftsRepo } from './drafts-repo';
import { DatabaseCorruptError, StoreClosedError, isSqliteError } from './errors';
import type { KeyProvider } from './key-provider';
import { migrate } from './migrate';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { createBundleRepo, type BundleRepo } from './bundle-repo';
import { createRegistrationsRepo, type RegistrationsRepo } from './registrations-repo';
import { createRequestsRepo, type RequestsRepo } from './requests-repo';
import { createAmendmentsRepo, type AmendmentsRepo } from './registration-amend';
import { createSettingsRepo, type SettingsRepo } from './settings-repo';
import { DEFAULT_LOCKOUT, createStaffRepo, type StaffRepo } from './staff-repo';
import { createSyncStateRepo, type SyncStateRepo } from './sync-state-repo';
import type { AuditChainResult, LockoutPolicy, StoreHealth, StoreLogger } from './types';

export interface OpenStoreOptions {
  file: string;
  keyProvider: KeyProvider;
  /** Desk clock (tests inject one). */
  now?: () => Date;
  logger?: StoreLogger;
  /** Statements slower than this are logged by name (default 40 ms). */
  slowQueryMs?: number;
  /** How long a writer waits for another connection's lock (default 5000 ms). */
  busyTimeoutMs?: number;
  lockout?: Partial<LockoutPolicy>;
  /** The loss anchor file (db/anchor.ts); default: `<file name>.anchor` in the key provider's `anchorDir` (beside the key), none for in-memory keys. */
  anchorFile?: string | null;
  /**
   * `full` (default): every commit is fsync'd (synchronous=FULL) and the loss anchor is rewritten after each commit
   * that appended audit events. `replayable`: the sync thread's connection, every write of which can be replayed
   * from the city (requests are re-sent under their idempotency keys and answered `duplicate`; the feed is read
   * again from the stored cursor): synchronous=NORMAL — in WAL mode a power cut can then lose the last commits but
   * never corrupt the file, the same as a kill at that moment, which the SIGKILL test covers — and it writes no
   * anchor. The anchor is rewritten only after a FULL commit, which makes every earlier WAL frame durable too, so it
   * still never runs ahead of the file; it is still checked at open.
   */
  durability?: 'full' | 'replayable';
  /** SQLite page cache (decrypted pages) in KiB (default 8192 = 8 MiB: a desk's years of registrations; kept small so a long sync drain stays under 200 MB). */
  cacheSizeKb?: number;
}

export interface Store {
  readonly file: string;
  readonly schemaVersion: number;
  readonly registrations: RegistrationsRepo;
  readonly requests: RequestsRepo;
  /** Issue 12: a correction stored into the registration with its amended request (one transaction). */
  readonly amendments: AmendmentsRepo;
  readonly audit: AuditRepo;
  readonly staff: StaffRepo;
  readonly settings: SettingsRepo;
  readonly drafts: DraftsRepo;
  readonly syncState: SyncStateRepo;
  /** bundle area (issue 12): a service added to a filed registration */
  readonly bundle: BundleRepo;
  verifyAuditChain(): AuditChainResult;
  /** The last background integrity check's result (read from its file: no scan) and the sizes. */
  health(): StoreHealth;
  /**
   * Runs the full-file check (db/integrity.ts) on this connection: reads every page, so only on a connection off the
   * desk's main loop (the sync thread's). Writes nothing; the caller keeps the result.
   */
  checkIntegrity(): IntegrityResult;
  /** The loss anchor kept outside the database (what Diagnostics shows). */
  anchor(): AnchorStatus;
  /** Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints). For db/ repositories such as sync-repo. */
  transaction<T>(name: string, fn: () => T): T;
  /** The shared context (connection, clock, logger, slow-query timer) for other db/ repositories. Not for use outside db/. */
  readonly context: StoreContext;
  close(): void;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const file = path.resolve(options.file);
  const anchorDir = options.keyProvider.anchorDir;
  const anchorFile = options.anchorFile === undefined ? (anchorDir ? path.join(anchorDir, `${path.basename(file)}.anchor`) : null) : options.anchorFile;
  const anchor = anchorFile ? readAnchor(anchorFile) : 'absent';
  // A desk that recorded events refuses a missing or empty database before creating anything in its place.
  if (typeof anchor === 'object') checkFileAgainstAnchor(file, anchor);
  const key = await options.keyProvider.getKey({ mayCreate: fileSize(file) === 0, dbFile: file });
  let db: Database;
  try {
    if (typeof anchor === 'object') probeAgainstAnchor(file, key, anchor);
    db = openConnection({ file, key, busyTimeoutMs: options.busyTimeoutMs });
  } finally {
    key.fill(0);
  }
  let ok = false;
  let closeAnchor = () => {};
  try {
    if (typeof anchor === 'object') checkDatabaseAgainstAnchor(db, file, anchor);
    const replayable = options.durability === 'replayable';
    if (replayable) db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${Math.max(2048, Math.floor(options.cacheSizeKb ?? 8192))}`);
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`); // the WAL file shrinks back after checkpoints
    const ctx = createContext(db, file, options);
    try {
      const result = migrate(db, file, MIGRATIONS, ctx.nowIso());
      if (result.applied.length) ctx.logger.info('db.migrated', { from: result.from, to: result.to });
    } catch (e) {
      if (isSqliteError(e, 'SQLITE_CORRUPT')) throw new DatabaseCorruptError(file, [String((e as Error).message)], { cause: e });
      throw e;
    }
    db.pragma('optimize = 0x10002');
    const status: AnchorStatus = { file: anchorFile, count: 0, atOpen: anchorFile ? (anchor === 'absent' ? 'created' : anchor === 'unreadable' ? 'unreadable' : 'ok') : 'none' };
    if (anchorFile && replayable) status.count = auditHead(db).count;
    else if (anchorFile) {
      const head = auditHead(db);
      status.count = head.count;
      if (anchor === 'unreadable') ctx.logger.warn('db.anchor_unreadable', { file: anchorFile });
      writeAnchor(anchorFile, { v: 1, ...head });
      const writer = openAnchorWriter(anchorFile);
      closeAnchor = () => writer.close();
      ctx.setAnchorSink((appended, seq, hash) => {
        status.count += appended;
        try {
          writer.write({ v: 1, count: status.count, seq, hash });
        } catch (e) {
          ctx.logger.warn('db.anchor_write_failed', { code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
        }
      });
    }
    const store = buildStore(ctx, options, status, () => closeAnchor());
    ok = true;
    return store;
  } catch (e) {
    // Damage SQLite meets while opening (the anchor's count, the migrations, the settings) is named as damage.
    if (isSqliteError(e, 'SQLITE_CORRUPT')) throw new DatabaseCorruptError(file, [String((e as Error).message)], { cause: e });
    throw e;
  } finally {
    if (!ok) {
      db.close();
      closeAnchor();
    }
  }
}

function buildStore(ctx: StoreContext, options: OpenStoreOptions, anchorStatus: AnchorStatus, closeAnchor: () => void): Store {
  const { db, file } = ctx;
  const audit = createAuditRepo(ctx);
  const lockout: LockoutPolicy = { ...DEFAULT_LOCKOUT, ...options.lockout };
  let closed = false;
  const requests = createRequestsRepo(ctx, audit);
  return {
    file,
    schemaVersion: SCHEMA_VERSION,
    registrations: createRegistrationsRepo(ctx, audit),
    requests,
    amendments: createAmendmentsRepo(ctx, audit, requests),
    audit,
    staff: createStaffRepo(ctx, audit, lockout),
    settings: createSettingsRepo(ctx, audit),
    drafts: createDraftsRepo(ctx, audit),
    syncState: createSyncStateRepo(ctx),
    bundle: createBundleRepo(ctx, audit),
    context: ctx,
    verifyAuditChain: () => audit.verifyChain(),
    anchor: () => ({ ...anchorStatus }),
    transaction: (name, fn) => {
      if (closed) throw new StoreClosedError();
      return ctx.write(name, fn);
    },
    checkIntegrity(): IntegrityResult {
      if (closed) throw new StoreClosedError();
      const result = runIntegrityCheck(db, () => ctx.now());
      let chain: ReturnType<typeof audit.verifyChain>;
      try {
        chain = audit.verifyChain();
      } catch (e) {
        // A page too damaged to read: the file check above has said so already.
        if (!isSqliteError(e, 'SQLITE_CORRUPT')) throw e;
        return result;
      }
      return { ...result, auditChain: { ok: chain.ok, count: chain.count, firstBrokenId: chain.ok ? null : chain.firstBrokenId } };
    },
    // No scan here (Diagnostics calls it on every device event): the last background check's result, from its file.
    health(): StoreHealth {
      if (closed) throw new StoreClosedError();
      return {
        integrity: readIntegrityResult(integrityFile(file)),
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        sizeBytes: fileSize(file),
        walBytes: fileSize(`${file}-wal`),
      };
    },
    close() {
      if (closed) return;
      closed = true;
      ctx.stopCheckpoints();
      try {
        db.pragma('optimize');
      } finally {
        db.close();
        closeAnchor();
      }
    },
  };
}
