/**
 * Typed store errors. Each carries a stable `code` (`db.*`) the service layer maps to its own error codes,
 * and a message in plain words that never contains personal data (ID numbers, names, phones) — only
 * ids, file paths, state names and field paths.
 */
import type { ZodError } from 'zod';
import type { FieldIssue } from '../domain/types';

export type StoreErrorCode =
  | 'db.wrong_key'
  | 'db.key_file_insecure'
  | 'db.key_file_invalid'
  | 'db.corrupt'
  | 'db.from_future'
  | 'db.migration_mismatch'
  | 'db.invalid_input'
  | 'db.submit_conflict'
  | 'db.constraint'
  | 'db.not_found'
  | 'db.stale_state'
  | 'db.state_backwards'
  | 'db.closed'
  | 'db.disk_full'
  // data area: loss detection and missing key
  | 'db.data_loss'
  | 'db.key_missing';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** The key does not open the database (or the file is not one of ours). Never answered with an empty database. */
export class DatabaseKeyError extends StoreError {
  constructor(readonly file: string, detail: string, options?: { cause?: unknown }) {
    super('db.wrong_key', `The database key does not open ${file}: ${detail}`, options);
    this.name = 'DatabaseKeyError';
  }
}

/** A key file that others can read, or that is not a 32-byte key. */
export class KeyFileError extends StoreError {
  constructor(code: 'db.key_file_insecure' | 'db.key_file_invalid', readonly keyFile: string, message: string) {
    super(code, message);
    this.name = 'KeyFileError';
  }
}

/**
 * `PRAGMA quick_check` failed or SQLite reported corruption. The file is left exactly as found. `report`: the
 * first lines of SQLite's own report (page numbers, never row content).
 */
export class DatabaseCorruptError extends StoreError {
  constructor(readonly file: string, readonly report: string[], options?: { cause?: unknown }) {
    super(
      'db.corrupt',
      `The database file ${file} is damaged (${report[0] ?? 'unknown damage'}). It was left untouched: restore it from a backup or move it aside.`,
      options,
    );
    this.name = 'DatabaseCorruptError';
  }
}

/** The database was written by a newer version of the application (Signal's DBVersionFromFutureError). */
export class DatabaseFromFutureError extends StoreError {
  constructor(readonly file: string, readonly databaseVersion: number, readonly appVersion: number) {
    super(
      'db.from_future',
      `The database ${file} is at schema version ${databaseVersion}, newer than this application's ${appVersion}: install the newer application instead of opening it with this one.`,
    );
    this.name = 'DatabaseFromFutureError';
  }
}

/** The migrations recorded in the database are not the ones this application ships (Actual's rule). */
export class MigrationMismatchError extends StoreError {
  constructor(message: string) {
    super('db.migration_mismatch', message);
    this.name = 'MigrationMismatchError';
  }
}

/** Bad arguments: which field, what was expected. Nothing was written. */
export class InvalidInputError extends StoreError {
  constructor(what: string, readonly issues: FieldIssue[]) {
    super(
      'db.invalid_input',
      `Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message.en}`).join('; ') || 'no detail'}`,
    );
    this.name = 'InvalidInputError';
  }

  static fromZod(what: string, error: ZodError): InvalidInputError {
    return new InvalidInputError(
      what,
      error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        code: i.code,
        message: { en: i.message, zh: '格式不正确：' + i.message },
      })),
    );
  }

  static one(what: string, path: string, code: string, en: string, zh: string): InvalidInputError {
    return new InvalidInputError(what, [{ path, code, message: { en, zh } }]);
  }
}

/** The same registration id was submitted again with different content. */
export class SubmitConflictError extends StoreError {
  constructor(readonly registrationId: string) {
    super(
      'db.submit_conflict',
      `Registration ${registrationId} was already submitted with different content; nothing was written.`,
    );
    this.name = 'SubmitConflictError';
  }
}

/** A SQLite constraint refused a write (unique key, foreign key, check). The transaction was rolled back. */
export class ConstraintError extends StoreError {
  constructor(readonly operation: string, sqliteMessage: string, options?: { cause?: unknown }) {
    // SQLite's constraint messages name the table.column, never the value.
    super('db.constraint', `${operation} refused by the database (${sqliteMessage}); nothing was written.`, options);
    this.name = 'ConstraintError';
  }
}

export class NotFoundError extends StoreError {
  constructor(readonly entity: string, readonly id: string) {
    super('db.not_found', `No ${entity} with id ${id}.`);
    this.name = 'NotFoundError';
  }
}

/** The request is not in one of the states the caller expected (someone else moved it first). */
export class StaleStateError extends StoreError {
  constructor(readonly requestId: string, readonly actual: string, readonly expected: readonly string[]) {
    super(
      'db.stale_state',
      `Request ${requestId} is ${actual}, expected one of ${expected.join(', ')}; nothing was changed.`,
    );
    this.name = 'StaleStateError';
  }
}

/** A state change that would move a request backwards (or out of held/rejected without retry/amend). */
export class BackwardTransitionError extends StoreError {
  constructor(readonly requestId: string, readonly from: string, readonly to: string, why: string) {
    super('db.state_backwards', `Request ${requestId} cannot move from ${from} to ${to}: ${why}.`);
    this.name = 'BackwardTransitionError';
  }
}

/** The disk (or the database's page limit) is full. The transaction was rolled back; nothing was written. */
export class DiskFullError extends StoreError {
  constructor(readonly file: string, operation: string, options?: { cause?: unknown }) {
    super('db.disk_full', `${operation}: the disk holding ${file} is full; nothing was written. Free some space and try again.`, options);
    this.name = 'DiskFullError';
  }
}

/**
 * The database holds less than the desk had recorded outside it (the loss anchor beside the key): committed work
 * was lost, or the file was emptied, deleted, replaced or rolled back. Nothing was written; the file is untouched.
 */
export class DataLossError extends StoreError {
  constructor(
    readonly file: string,
    readonly recorded: number,
    readonly found: number,
    readonly kind: 'missing' | 'emptied' | 'rolled_back' | 'replaced',
    detail: string,
  ) {
    super('db.data_loss', `The desk refuses to open ${file}: ${detail}. Nothing was changed; restore the database from a backup or call hospital IT.`);
    this.name = 'DataLossError';
  }
}

/** The key is gone but its database exists: never answered with a new key (that database would be lost). */
export class KeyMissingError extends StoreError {
  constructor(readonly keyFile: string, readonly file: string) {
    super('db.key_missing', `The database key ${keyFile} is missing but the database ${file} exists: restore the key from a backup or call hospital IT. No new key was made.`);
    this.name = 'KeyMissingError';
  }
}

export class StoreClosedError extends StoreError {
  constructor() {
    super('db.closed', 'The store is closed.');
    this.name = 'StoreClosedError';
  }
}

interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

/** True for a better-sqlite3 `SqliteError` whose code starts with the given prefix (e.g. `SQLITE_CONSTRAINT`). */
export function isSqliteError(e: unknown, prefix: string): e is Error & { code: string } {
  const c = (e as SqliteErrorLike | null)?.code;
  return typeof c === 'string' && c.startsWith(prefix);
}

/** Turns a SQLite constraint failure into a ConstraintError; anything else passes through. */
export function mapWriteError(operation: string, e: unknown): unknown {
  if (isSqliteError(e, 'SQLITE_CONSTRAINT')) return new ConstraintError(operation, String(e.message), { cause: e });
  return e;
}
