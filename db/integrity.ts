/**
 * The full-file integrity check, kept off the start-up path (issue 14 item 5). Opening the store only probes the
 * key and the header; this check reads every page, and runs in the background on a connection of its own (the sync
 * thread's, core/sync/thread-entry.ts), shortly after start and then daily. Its last result is kept in a small file
 * beside the database (`<db>.integrity.json`: the check's name, time, duration and SQLite's own findings, which
 * name pages and b-trees, never row content) so Diagnostics can show the last result and its age without scanning.
 *
 * Which check: `PRAGMA quick_check`. It reads every page of every b-tree and verifies page structure, cell order,
 * free-list and overflow chains, NOT NULL and CHECK constraints: what a torn write, a bad sector or a damaged
 * encrypted page looks like (a page that fails its Poly1305 tag reads as corruption). `integrity_check` also looks
 * up every index entry against its row (O(N log N) instead of O(N), several times longer at 200,000 registrations)
 * — that finds an index out of step with its table, which comes from a bug rather than from a disk, and costs the
 * sync thread its loop for much longer every day.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isSqliteError } from './errors';

export const INTEGRITY_CHECK = 'quick_check';

export interface IntegrityResult {
  v: 1;
  check: typeof INTEGRITY_CHECK;
  /** When the check finished (ISO instant). */
  at: string;
  ok: boolean;
  /** SQLite's findings, at most 5 lines (`[]` when sound). */
  findings: string[];
  durationMs: number;
  /**
   * The audit chain recomputed by the same background run (every hash, in chain order): at 200,000 registrations
   * that walk is seconds of CPU, which Diagnostics did on the desk's loop at every visit. Absent in a result
   * written before it was part of the check.
   */
  auditChain?: { ok: boolean; count: number; firstBrokenId: string | null };
}

/** Where the last result of `db` is kept. */
export function integrityFile(dbFile: string): string {
  return `${dbFile}.integrity.json`;
}

/** Runs the check on `db` (synchronous: call it off the desk's main loop). Damage SQLite throws on is a finding too. */
export function runIntegrityCheck(db: Database, now: () => Date = () => new Date()): IntegrityResult {
  const started = performance.now();
  let lines: string[];
  try {
    const rows = db.pragma(`${INTEGRITY_CHECK}(20)`) as { quick_check: string }[];
    lines = rows.flatMap((r) => r.quick_check.split('\n')).filter((l) => l !== '');
  } catch (e) {
    if (!isSqliteError(e, 'SQLITE_CORRUPT') && !isSqliteError(e, 'SQLITE_NOTADB')) throw e;
    lines = [String((e as Error).message)];
  }
  const ok = lines.length === 1 && lines[0] === 'ok';
  return { v: 1, check: INTEGRITY_CHECK, at: now().toISOString(), ok, findings: ok ? [] : lines.slice(0, 5), durationMs: Math.round(performance.now() - started) };
}

export function writeIntegrityResult(file: string, result: IntegrityResult): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(result)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The last result, or null when no check has run yet (or the file is unreadable: then the next check rewrites it). */
export function readIntegrityResult(file: string): IntegrityResult | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const r = raw as Partial<IntegrityResult> | null;
  if (!r || r.v !== 1 || r.check !== INTEGRITY_CHECK || typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at)) || typeof r.ok !== 'boolean') return null;
  const findings = Array.isArray(r.findings) ? r.findings.filter((f): f is string => typeof f === 'string').slice(0, 5) : [];
  const c = r.auditChain;
  const auditChain =
    c && typeof c.ok === 'boolean' && Number.isInteger(c.count) && (c.firstBrokenId === null || typeof c.firstBrokenId === 'string')
      ? { ok: c.ok, count: c.count, firstBrokenId: c.firstBrokenId }
      : undefined;
  return { v: 1, check: INTEGRITY_CHECK, at: r.at, ok: r.ok, findings, durationMs: typeof r.durationMs === 'number' ? r.durationMs : 0, ...(auditChain ? { auditChain } : {}) };
}
