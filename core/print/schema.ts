/**
 * What the desk tells the clerk and IT about printing: the printer's state and each print job's, as zod schemas
 * so the KioskApi contract can carry them (a method's result, the `printJob` event) and the page can trust them.
 * Nothing here holds personal data: a job names its printer, its state and, as `tag`, the registration's id.
 */
import { z } from 'zod';
import { IsoInstant, Uuid } from '../../domain/types';

/** A sentence for the clerk in both languages. */
export const WordsSchema = z.object({ zh: z.string(), en: z.string() });
export type Words = z.infer<typeof WordsSchema>;

export const PaperSchema = z.enum(['A4', 'A5']);
export type Paper = z.infer<typeof PaperSchema>;

/**
 * Why a printer cannot print now: `disabled` (CUPS queue stopped or paused, e.g. by `cupsdisable` or after a
 * device error — jobs wait in CUPS), `not_accepting` (the queue rejects new jobs), `missing` (no such printer),
 * `no_default` (no printer configured and no system default), `unreachable` (the print system did not answer).
 */
export const PrinterProblemSchema = z.enum(['disabled', 'not_accepting', 'missing', 'no_default', 'unreachable']);
export type PrinterProblem = z.infer<typeof PrinterProblemSchema>;

export const PrinterStatusSchema = z.object({
  /** The printer's system name (the configured one, or the system default's); null when there is none. */
  name: z.string().nullable(),
  ready: z.boolean(),
  problem: PrinterProblemSchema.nullable(),
  /** The clerk's sentence: "打印机未就绪：<name>" and why, or that it is ready. */
  words: WordsSchema,
  /** What the print system itself says (e.g. the reason given to cupsdisable); never personal data. */
  detail: z.string().max(200).nullable(),
  /** Jobs the print system holds for this printer and has not finished (all of them, not only the desk's). */
  jobsWaiting: z.number().int().min(0),
  /** Which way documents reach the printer. */
  via: z.enum(['cups', 'windows', 'electron']),
});
export type PrinterStatus = z.infer<typeof PrinterStatusSchema>;

/**
 * A job's state as the clerk sees it. `waiting`: not yet printing (being handed over, or the printer holds it:
 * not ready, queue disabled, others first); `printing`; `done`; `failed` with a reason in plain words.
 */
export const PrintJobStateSchema = z.enum(['waiting', 'printing', 'done', 'failed']);
export type PrintJobState = z.infer<typeof PrintJobStateSchema>;

export const PrintJobSchema = z.object({
  /** The desk's id for the job. */
  id: Uuid,
  /** The print system's id once it accepted the job (CUPS `queue-42`); null before, or where there is none. */
  systemJobId: z.string().max(160).nullable(),
  printer: z.string().nullable(),
  paper: PaperSchema,
  copies: z.number().int().min(1).max(5),
  state: PrintJobStateSchema,
  /** Why it failed (or why it waits), in plain words; null when there is nothing to say. */
  words: WordsSchema.nullable(),
  /** True only for a job the print system never accepted: retrying it cannot print it twice. */
  retryable: z.boolean(),
  /** The caller's opaque label, e.g. the registration id of a receipt. */
  tag: z.string().max(80).nullable(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type PrintJob = z.infer<typeof PrintJobSchema>;

export const FINAL_STATES: readonly PrintJobState[] = ['done', 'failed'];
export const isFinal = (job: Pick<PrintJob, 'state'>): boolean => FINAL_STATES.includes(job.state);

/** The `printJob` event: a job changed state; the printer's state rides along so the page shows both at once. */
export const PrintJobEventSchema = z.object({ job: PrintJobSchema, printer: PrinterStatusSchema });
export type PrintJobEvent = z.infer<typeof PrintJobEventSchema>;

/** `printStatus`'s result: the printer and the desk's recent jobs (newest first). */
export const PrintStatusSchema = z.object({ printer: PrinterStatusSchema, jobs: z.array(PrintJobSchema) });
export type PrintStatus = z.infer<typeof PrintStatusSchema>;
