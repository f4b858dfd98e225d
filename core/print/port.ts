/**
 * The print port: how a PDF reaches a printer, whatever the shell. Three ways fit it: CUPS (`cups.ts`, Linux and
 * macOS), Windows through pdf-to-printer (`windows.ts`), and any "print this file" backend (`filePort`, e.g. the
 * Electron shell's silent print of a hidden window) where neither applies. The queue (`queue.ts`) stands on it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Paper, PrinterProblem, PrinterStatus } from './schema';

export interface PrintRequest {
  pdf: Buffer;
  /** The system printer's name; null = the system default. */
  printer: string | null;
  paper: Paper;
  copies: number;
}

/** A job's state in the print system. `gone`: it lists the job neither as pending nor as finished. */
export type SystemJobState = 'waiting' | 'printing' | 'done' | 'canceled' | 'gone';

export type PrinterReport = Omit<PrinterStatus, 'ready' | 'words'>;

/** The print system refused the job: it never took it, so retrying cannot print it twice. */
export class PrintRefused extends Error {
  constructor(
    readonly problem: PrinterProblem | null,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'PrintRefused';
  }
}

export interface PrintPort {
  readonly via: PrinterStatus['via'];
  /** The configured printer, or the system default's name (null: there is none). */
  resolve(name: string | null): Promise<string | null>;
  printer(name: string | null): Promise<PrinterReport>;
  /** Hands the PDF over. Resolves once the print system holds it, with its job id where it has one (null: the
   *  job is as good as done when this resolves). Rejects with PrintRefused when the system did not take it. */
  submit(req: PrintRequest): Promise<{ systemJobId: string | null }>;
  /** The states of the given jobs of one printer. */
  jobs(printer: string, systemJobIds: string[]): Promise<Map<string, SystemJobState>>;
  cancel(systemJobId: string): Promise<void>;
}

/**
 * Writes the PDF to a file only this user can read, with a name that says nothing of the family
 * (`<tmp>/nd-print-XXXXXX/job.pdf`), runs `use` on it and deletes it afterwards, whatever happens.
 */
export async function withTempPdf<T>(pdf: Buffer, use: (file: string) => Promise<T>, tmpDir = os.tmpdir()): Promise<T> {
  const dir = mkdtempSync(path.join(tmpDir, 'nd-print-'));
  const file = path.join(dir, 'job.pdf');
  try {
    writeFileSync(file, pdf, { mode: 0o600 });
    return await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shape of the Electron shell's print backends (electron/main/print.ts `PrintBackend`). */
export interface FileJob {
  file: string;
  printer: string | null;
  copies: number;
  paper: Paper;
}
export type FileBackend = (job: FileJob) => Promise<void>;

/**
 * A port over a backend that prints a file and says only whether it went (Electron's silent print): no job id,
 * no queue to ask, so a job is done when the backend resolves and the printer is reported as it was configured.
 */
export function filePort(backend: FileBackend, via: PrinterStatus['via'] = 'electron'): PrintPort {
  return {
    via,
    resolve: async (name) => name,
    printer: async (name) => ({ name, problem: null, detail: null, jobsWaiting: 0, via }),
    async submit(req) {
      await withTempPdf(req.pdf, async (file) => {
        try {
          await backend({ file, printer: req.printer, copies: req.copies, paper: req.paper });
        } catch (e) {
          throw new PrintRefused(null, String((e as Error).message ?? e).slice(0, 200));
        }
      });
      return { systemJobId: null };
    },
    jobs: async (_printer, ids) => new Map(ids.map((id) => [id, 'done' as const])),
    cancel: async () => undefined,
  };
}
