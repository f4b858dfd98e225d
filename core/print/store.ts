/**
 * Where the queue keeps its recent jobs between desk restarts: a small JSON file (ids, printer, state, tag; no
 * document and no personal data), written whole to a temp file and renamed, readable by this user only. A file
 * that is missing or does not parse is an empty list: the worst case is a receipt the clerk prints again.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PrintJobSchema, type PrintJob } from './schema';

export interface JobStore {
  load(): PrintJob[];
  save(jobs: PrintJob[]): void;
}

export function fileJobStore(file: string): JobStore {
  return {
    load() {
      if (!existsSync(file)) return [];
      try {
        const parsed = z.array(PrintJobSchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    save(jobs) {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(jobs), { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}
