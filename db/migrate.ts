/**
 * The migration runner: refuses a database from the future or whose applied migrations are not ours,
 * then applies every pending migration in ONE transaction (all or nothing).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sha256Hex } from './canonical';
import { DatabaseFromFutureError, MigrationMismatchError } from './errors';
import type { Migration } from './migrations';

export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  applied_at: string;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
}

export function migrationChecksum(m: Migration): string {
  return sha256Hex(m.sql);
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new MigrationMismatchError(`Migration list is malformed: position ${i} has id ${m.id}, expected ${i + 1}.`);
  });
}

/** Applied migrations recorded in the file (empty for a fresh database). */
export function readApplied(db: Database): AppliedMigration[] {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .pluck()
    .get();
  if (!exists) return [];
  return db.prepare(`SELECT id, name, checksum, applied_at FROM schema_migrations ORDER BY id`).all() as AppliedMigration[];
}

export function migrate(db: Database, file: string, migrations: readonly Migration[], appliedAt: string): MigrateResult {
  assertWellFormed(migrations);
  const appVersion = migrations.length;

  const userVersion = db.pragma('user_version', { simple: true }) as number;
  const applied = readApplied(db);
  const dbVersion = Math.max(userVersion, applied.length ? applied[applied.length - 1]!.id : 0);
  if (dbVersion > appVersion) throw new DatabaseFromFutureError(file, dbVersion, appVersion);
  if (applied.length === 0 && userVersion === 0) {
    const tables = db.prepare(`SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).pluck().get() as number;
    if (tables > 0) {
      throw new MigrationMismatchError(
        `The database ${file} has ${tables} schema objects but no migration record: it was not created by this application.`,
      );
    }
  }

  applied.forEach((a, i) => {
    const m = migrations[i];
    if (!m || a.id !== m.id || a.name !== m.name) {
      throw new MigrationMismatchError(
        `The database ${file} records migration ${a.id} (${a.name}) where this application has ${m ? `${m.id} (${m.name})` : 'none'}: refusing to open it.`,
      );
    }
    if (a.checksum !== migrationChecksum(m)) {
      throw new MigrationMismatchError(
        `Migration ${m.id} (${m.name}) applied to ${file} differs from the one this application ships (checksum mismatch): refusing to open it.`,
      );
    }
  });
  if (userVersion !== applied.length) {
    throw new MigrationMismatchError(
      `The database ${file} says schema version ${userVersion} but records ${applied.length} applied migrations: refusing to open it.`,
    );
  }

  const pending = migrations.slice(applied.length);
  if (pending.length === 0) return { from: applied.length, to: applied.length, applied: [] };

  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
    const record = db.prepare(`INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)`);
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.id, m.name, migrationChecksum(m), appliedAt);
    }
    db.pragma(`user_version = ${pending[pending.length - 1]!.id}`);
  }).immediate();

  return { from: applied.length, to: appVersion, applied: pending.map((m) => m.id) };
}
