/**
 * Training and production are different places (issue 13): the desk's data folder holds `training/` and
 * `production/`, each with its own database (and, for browser mode, its own key file); `startDesk` opens the one
 * the config's mode names. Each database is stamped with its mode at first open (`desk.mode` setting); a database
 * stamped with the other mode is never used: it is set aside (moved, never deleted) and the desk starts clean.
 *
 * Today's layout (before this change) kept the database directly in the data folder. At start it is moved into
 * its place: a folder that also holds `training-city.db` (the embedded simulator only ever ran in training mode)
 * was a training desk, so its database goes to `training/`; otherwise to `production/`. A production desk given a
 * folder that was used for training therefore starts with an empty database and says so.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './api/ports';

export type DeskMode = 'training' | 'production';
export const MODE_SETTING = 'desk.mode';
export const DB_FILE = 'desk.db';
/** The files of one database (SQLite's WAL and shared memory, browser mode's key file). */
const DB_FILES = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}-journal`, 'desk.key'];
const LEGACY_SIMULATOR_FILES = ['training-city.db', 'training-city.db-wal', 'training-city.db-shm'];

export function modeDir(dataDir: string, mode: DeskMode): string {
  return path.join(dataDir, mode);
}

/** Thrown by `openDesk` when the database in the mode's folder is stamped with the other mode. */
export class DeskModeMismatchError extends Error {
  constructor(
    readonly expected: DeskMode,
    readonly found: string,
  ) {
    super(`the database is a ${found} database, this desk runs in ${expected} mode`);
    this.name = 'DeskModeMismatchError';
  }
}

const stamp = (now: Date) => now.toISOString().replace(/[:.]/g, '-');

function moveFiles(names: readonly string[], from: string, to: string): string[] {
  const moved: string[] = [];
  for (const name of names) {
    const src = path.join(from, name);
    if (!existsSync(src)) continue;
    mkdirSync(to, { recursive: true, mode: 0o700 });
    renameSync(src, path.join(to, name));
    moved.push(name);
  }
  return moved;
}

/** Moves a database of the old layout (directly in dataDir) into its mode's folder. Returns notices for the clerk/IT. */
export function adoptLegacyLayout(dataDir: string, mode: DeskMode, logger: Logger, now = new Date()): string[] {
  const notices: string[] = [];
  const legacyDb = path.join(dataDir, DB_FILE);
  const wasTraining = LEGACY_SIMULATOR_FILES.some((f) => existsSync(path.join(dataDir, f)));
  if (existsSync(legacyDb)) {
    const origin: DeskMode = wasTraining ? 'training' : 'production';
    let target = modeDir(dataDir, origin);
    if (existsSync(path.join(target, DB_FILE))) target = path.join(dataDir, 'set-aside', `${origin}-legacy-${stamp(now)}`);
    const moved = moveFiles(DB_FILES, dataDir, target);
    logger.warn('data folder of the old layout: database moved to its own folder', { origin, to: path.relative(dataDir, target), files: moved.length });
    if (origin === 'training' && mode === 'production') {
      notices.push(
        `Training data found in the data folder was set aside in ${target} (not deleted); production starts with an empty database.`,
      );
    }
  }
  // The simulator keeps its data in memory now: an old file (plain, personal data of training) is set aside too.
  const oldSim = moveFiles(LEGACY_SIMULATOR_FILES, dataDir, path.join(dataDir, 'set-aside', `training-simulator-${stamp(now)}`));
  if (oldSim.length) logger.warn('old training simulator file set aside (the simulator keeps its data in memory now)', { files: oldSim.length });
  return notices;
}

/** Moves a mode folder whose database belongs to the other mode out of the way (never deleted). */
export function setAsideModeFolder(dataDir: string, mode: DeskMode, found: string, logger: Logger, now = new Date()): string {
  const dir = modeDir(dataDir, mode);
  const target = path.join(dataDir, 'set-aside', `${found}-in-${mode}-${stamp(now)}`);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  renameSync(dir, target);
  logger.warn('database of the other mode set aside', { mode, found, to: path.relative(dataDir, target) });
  return `A ${found} database in the ${mode} folder was set aside in ${target} (not deleted); ${mode} starts with an empty database.`;
}

/** What the set-aside folder holds (for diagnostics and tests). */
export function setAsideEntries(dataDir: string): string[] {
  const dir = path.join(dataDir, 'set-aside');
  return existsSync(dir) ? readdirSync(dir) : [];
}
