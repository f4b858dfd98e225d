/**
 * "No personal data in clear in any file under the data folder" (issue 13): the personal values a desk holds
 * (names, ID numbers, phones of every registration and draft, read from its own encrypted database) are searched
 * for in every file under its data folder, as UTF-8 and as UTF-16LE bytes. The harness runs it when a test desk
 * closes, and records what it searched in test-results/pii-at-rest.json.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../../db';

const PERSONAL_KEY = /(name|phone|mobile|docnumber|idnumber)$/i;
const NOT_PERSONAL = new Set(['filename', 'hostname', 'devicename', 'printername', 'username']);

/** Every personal string value of the desk's registrations and drafts (at least 2 characters, digits 7+). */
export function personalValues(store: Store): string[] {
  const db = store.context.db;
  const docs: unknown[] = [
    ...(db.prepare(`SELECT id FROM registrations`).pluck().all() as string[]).map((id) => store.registrations.get(id)),
    ...(db.prepare(`SELECT doc FROM drafts`).pluck().all() as string[]).map((d) => JSON.parse(d) as unknown),
  ];
  const out = new Set<string>();
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      const s = v.trim();
      if (PERSONAL_KEY.test(key) && !NOT_PERSONAL.has(key.toLowerCase()) && s.length >= 2 && (!/^\d+$/.test(s) || s.length >= 7)) out.add(s);
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const d of docs) walk(d, '');
  return [...out];
}

export interface PiiLeak {
  file: string;
  encoding: 'utf8' | 'utf16le';
  /** The kind of value (never the value itself: this goes into test output). */
  kind: 'name' | 'number';
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.isFile() ? [p] : [];
  });
}

export function scanForPii(dataDir: string, values: readonly string[]): { files: string[]; leaks: PiiLeak[] } {
  const all = files(dataDir);
  const leaks: PiiLeak[] = [];
  for (const file of all) {
    const bytes = readFileSync(file);
    for (const v of values) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(v, encoding))) {
          leaks.push({ file: path.relative(dataDir, file), encoding, kind: /^\d/.test(v) ? 'number' : 'name' });
          break;
        }
      }
    }
  }
  return { files: all.map((f) => `${path.relative(dataDir, f)} (${statSync(f).size} B)`), leaks };
}

/** Appends one desk's result to test-results/pii-at-rest.json (one JSON object a line). */
export function recordScan(resultsDir: string, desk: string, values: number, scan: { files: string[]; leaks: PiiLeak[] }): void {
  mkdirSync(resultsDir, { recursive: true });
  appendFileSync(path.join(resultsDir, 'pii-at-rest.jsonl'), JSON.stringify({ desk, at: new Date().toISOString(), values, ...scan }) + '\n');
}
