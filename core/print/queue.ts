/**
 * The desk's print queue: each receipt (or reprint: just another job) becomes a job with a visible state —
 * waiting, printing, done, failed — followed through the print system. Once the print system took a job the desk
 * never hands it over again; only a job it refused can be retried, explicitly. A printer that is off or paused
 * keeps the job (CUPS holds it); the queue polls while any job is not final and reports each change.
 *
 * Restart: with a `store`, the queue keeps its recent jobs (ids, printer, state, tag: no document, no personal
 * data) and, started again, follows the ones CUPS still holds by their job id. A job that was being handed over
 * when the desk stopped is marked failed as "uncertain" (never resubmitted). The PDF of a refused job is kept in
 * memory only, for `retry`; after a restart such a job is reprinted as a new one.
 */
import { randomUUID } from 'node:crypto';
import { PrintRefused, type PrinterReport, type PrintPort, type SystemJobState } from './port';
import { isFinal, type Paper, type PrinterStatus, type PrintJob, type PrintJobEvent, type PrintStatus } from './schema';
import type { JobStore } from './store';
import { JOB_WORDS, printerWords } from './words';

export interface PrinterSettings {
  name?: string;
  paper: Paper;
  copies: number;
}

export interface PrintQueueOptions {
  port: PrintPort;
  /** The configured printer (config `printer`), read at each job so a changed setting applies to the next one. */
  settings: () => PrinterSettings;
  onEvent?: (event: PrintJobEvent) => void;
  store?: JobStore;
  pollMs?: number;
  /** Jobs kept for `status()` (the oldest final ones go first). */
  keep?: number;
  log?: { info(m: string, meta?: Record<string, unknown>): void; warn(m: string, meta?: Record<string, unknown>): void };
  now?: () => Date;
}

export class PrintQueueError extends Error {
  constructor(
    readonly code: 'unknown_job' | 'not_retryable',
    message: string,
  ) {
    super(message);
    this.name = 'PrintQueueError';
  }
}

export interface PrintQueue {
  /** Hands a PDF to the configured printer; resolves once the print system took it (or refused it). */
  submit(pdf: Buffer, opts?: { tag?: string | null }): Promise<PrintJob>;
  /** Hands a refused job over again (the same job, same id); refuses any job the print system ever took. */
  retry(jobId: string): Promise<PrintJob>;
  cancel(jobId: string): Promise<PrintJob>;
  status(): Promise<PrintStatus>;
  job(jobId: string): PrintJob | undefined;
  /** One round of following the jobs (the timer calls it; tests may too). */
  poll(): Promise<void>;
  close(): void;
}

export function toPrinterStatus(r: PrinterReport): PrinterStatus {
  return { ...r, ready: r.problem === null, words: printerWords(r.name, r.problem) };
}

export function createPrintQueue(opts: PrintQueueOptions): PrintQueue {
  const { port } = opts;
  const now = () => (opts.now ?? (() => new Date()))().toISOString();
  const pollMs = opts.pollMs ?? 1000;
  const keep = opts.keep ?? 50;
  const jobs = new Map<string, PrintJob>();
  const held = new Map<string, Buffer>(); // refused jobs' documents, for retry
  const canceled = new Set<string>();
  let lastPrinter: PrinterStatus = toPrinterStatus({ name: opts.settings().name ?? null, problem: null, detail: null, jobsWaiting: 0, via: port.via });
  let timer: ReturnType<typeof setTimeout> | null = null;
  let polling: Promise<void> | null = null;
  let closed = false;

  const save = () => opts.store?.save([...jobs.values()]);
  const emit = (job: PrintJob) => opts.onEvent?.({ job, printer: lastPrinter });
  const update = (id: string, patch: Partial<PrintJob>): PrintJob => {
    const prev = jobs.get(id)!;
    const next = { ...prev, ...patch };
    const changed = (Object.keys(patch) as Array<keyof PrintJob>).some((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]));
    if (!changed) return prev;
    const job = { ...next, updatedAt: now() };
    jobs.set(id, job);
    if (isFinal(job) && !job.retryable) held.delete(id);
    save();
    emit(job);
    if (job.state !== prev.state) opts.log?.info('print job', { job: id, systemJob: job.systemJobId, state: job.state, printer: job.printer });
    return job;
  };
  const trim = () => {
    const finals = [...jobs.values()].filter(isFinal);
    for (const j of finals.slice(0, Math.max(0, jobs.size - keep))) {
      jobs.delete(j.id);
      held.delete(j.id);
    }
  };
  const following = () => [...jobs.values()].filter((j) => !isFinal(j) && j.systemJobId && j.printer);
  const schedule = () => {
    if (closed || timer || following().length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void queue.poll().finally(schedule);
    }, pollMs);
    timer.unref?.();
  };
  const waitingWords = (job: PrintJob) => (lastPrinter.ready || lastPrinter.name !== job.printer ? null : JOB_WORDS.waitingForPrinter(job.printer));

  async function refreshPrinter(name: string | null): Promise<PrinterStatus> {
    try {
      lastPrinter = toPrinterStatus(await port.printer(name));
    } catch (e) {
      lastPrinter = toPrinterStatus({ name, problem: 'unreachable', detail: String((e as Error).message).slice(0, 200), jobsWaiting: 0, via: port.via });
    }
    return lastPrinter;
  }

  async function handOver(job: PrintJob, pdf: Buffer): Promise<PrintJob> {
    try {
      const { systemJobId } = await port.submit({ pdf, printer: job.printer, paper: job.paper, copies: job.copies });
      held.delete(job.id);
      if (!systemJobId) return update(job.id, { state: 'done', words: null, retryable: false });
      update(job.id, { systemJobId, retryable: false });
      await queue.poll();
      schedule();
      return jobs.get(job.id)!;
    } catch (e) {
      if (e instanceof PrintRefused) {
        held.set(job.id, pdf);
        opts.log?.warn('print job refused', { job: job.id, printer: job.printer, problem: e.problem, detail: e.detail });
        await refreshPrinter(job.printer);
        return update(job.id, { state: 'failed', retryable: true, words: JOB_WORDS.notAccepted(e.problem ?? lastPrinter.problem, job.printer) });
      }
      opts.log?.warn('print job uncertain', { job: job.id, printer: job.printer, error: (e as Error).message });
      return update(job.id, { state: 'failed', retryable: false, words: JOB_WORDS.uncertain });
    }
  }

  const STATE: Record<SystemJobState, (j: PrintJob) => Partial<PrintJob>> = {
    waiting: (j) => ({ state: 'waiting', words: waitingWords(j) }),
    printing: () => ({ state: 'printing', words: null }),
    done: (j) => (canceled.has(j.id) ? { state: 'failed', words: JOB_WORDS.canceled } : { state: 'done', words: null }),
    canceled: () => ({ state: 'failed', words: JOB_WORDS.canceled }),
    gone: () => ({ state: 'failed', words: JOB_WORDS.lost }),
  };

  async function pollOnce(): Promise<void> {
    const byPrinter = new Map<string, PrintJob[]>();
    for (const j of following()) byPrinter.set(j.printer!, [...(byPrinter.get(j.printer!) ?? []), j]);
    for (const [printer, list] of byPrinter) {
      await refreshPrinter(printer);
      let states: Map<string, SystemJobState>;
      try {
        states = await port.jobs(printer, list.map((j) => j.systemJobId!));
      } catch {
        continue; // the print system did not answer: ask again next round, the jobs stay as they were
      }
      for (const j of list) {
        const s = states.get(j.systemJobId!);
        if (s) update(j.id, STATE[s](j));
      }
    }
  }

  for (const j of opts.store?.load() ?? []) jobs.set(j.id, j);
  for (const j of [...jobs.values()]) if (!isFinal(j) && !j.systemJobId) update(j.id, { state: 'failed', retryable: false, words: JOB_WORDS.uncertain });
  schedule();

  const queue: PrintQueue = {
    async submit(pdf, o = {}) {
      const s = opts.settings();
      const printer = await port.resolve(s.name ?? null).catch(() => s.name ?? null);
      const at = now();
      const job: PrintJob = { id: randomUUID(), systemJobId: null, printer, paper: s.paper, copies: s.copies, state: 'waiting', words: null, retryable: false, tag: o.tag ?? null, createdAt: at, updatedAt: at };
      jobs.set(job.id, job);
      trim();
      save();
      emit(job);
      return handOver(job, pdf);
    },
    async retry(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new PrintQueueError('unknown_job', 'no such print job');
      const pdf = held.get(jobId);
      if (job.state !== 'failed' || !job.retryable || job.systemJobId || !pdf) throw new PrintQueueError('not_retryable', 'this job cannot be retried: print again instead');
      return handOver(update(jobId, { state: 'waiting', retryable: false, words: null }), pdf);
    },
    async cancel(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new PrintQueueError('unknown_job', 'no such print job');
      if (isFinal(job)) return job;
      canceled.add(jobId);
      if (job.systemJobId) await port.cancel(job.systemJobId);
      return update(jobId, { state: 'failed', retryable: false, words: JOB_WORDS.canceled });
    },
    async status() {
      const printer = await refreshPrinter(await port.resolve(opts.settings().name ?? null).catch(() => opts.settings().name ?? null));
      return { printer, jobs: [...jobs.values()].reverse() };
    },
    job: (id) => jobs.get(id),
    poll() {
      polling ??= pollOnce().finally(() => (polling = null));
      return polling;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return queue;
}
