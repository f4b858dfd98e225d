/**
 * The print queue through the real CUPS of this machine: queues added with lpadmin, jobs handed over with lp and
 * followed with lpstat. The receipt is the desk's own (renderReceipt, fixture family 王丽华 / 陈建国, printed in
 * full on the receipt); the printer is an AppSocket printer on loopback, so the bytes that reached it are read
 * back with pdftotext. A cups-pdf queue shows the same on a PDF driver. Needs cups, cups-bsd,
 * printer-driver-cups-pdf, poppler-utils and a running cupsd (scripts/ci-cups.sh); skips saying why without.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cupsPort } from './cups';
import { createPrintQueue, PrintQueueError, type PrintQueue, type PrinterSettings } from './queue';
import type { PrintJobEvent } from './schema';
import { fileJobStore } from './store';
import { cupsPdfPrinter, cupsPdfUnavailable, cupsUnavailable, sampleReceipt, sh, socketPrinter, uniqueQueue, until, type SocketPrinter } from './test-printers';

const why = cupsUnavailable();
if (why) console.warn(`core/print/cups.test.ts skipped: ${why}`);
const whyPdf = why ?? cupsPdfUnavailable();
if (!why && whyPdf) console.warn(`core/print/cups.test.ts (cups-pdf part) skipped: ${whyPdf}`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nd-print-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let receipt: Buffer;
beforeAll(async () => {
  receipt = await sampleReceipt(new Date('2026-03-15T02:42:00Z'));
});

/** pdftotext of a document as the printer got it (PJL around the PDF is skipped by poppler), without whitespace. */
function text(doc: Buffer): string {
  const file = path.join(tmp, `doc-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, doc);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

function queueFor(name: string, events: PrintJobEvent[] = [], extra: { store?: ReturnType<typeof fileJobStore> } = {}): PrintQueue {
  const settings: PrinterSettings = { name, paper: 'A4', copies: 1 };
  return createPrintQueue({ port: cupsPort(), settings: () => settings, onEvent: (e) => events.push(e), pollMs: 200, ...extra });
}

describe.skipIf(!!why)('print queue through CUPS (AppSocket printer on loopback)', () => {
  let printer: SocketPrinter;
  const queues: PrintQueue[] = [];
  beforeAll(async () => {
    printer = await socketPrinter();
  });
  afterAll(async () => {
    for (const q of queues) q.close();
    await printer?.remove();
  });
  const open = (...a: Parameters<typeof queueFor>) => {
    const q = queueFor(...a);
    queues.push(q);
    return q;
  };

  it('prints the receipt: the document that reaches the printer holds the family names, once', async () => {
    const events: PrintJobEvent[] = [];
    const q = open(printer.name, events);
    const before = printer.documents().length;
    const job = await q.submit(receipt, { tag: 'reg-1' });
    expect(job.systemJobId).toMatch(new RegExp(`^${printer.name}-\\d+$`));
    expect(['waiting', 'printing', 'done']).toContain(job.state);
    const done = await until(() => (q.job(job.id)?.state === 'done' ? q.job(job.id) : undefined));
    expect(done).toMatchObject({ state: 'done', retryable: false, tag: 'reg-1', printer: printer.name, words: null });
    await until(() => printer.documents().length > before);
    const docs = printer.documents().slice(before);
    expect(docs).toHaveLength(1);
    const t = text(docs[0]!);
    for (const s of ['王丽华', '陈建国', '陈思远', '新生儿“出生一件事”联办回执']) expect(t).toContain(s);
    // The job CUPS shows carries the fixed title, never a name.
    expect(docs[0]!.toString('latin1')).toContain('JOB NAME = "newborn-desk receipt"');
    expect(events.at(-1)).toMatchObject({ job: { id: job.id, state: 'done' }, printer: { name: printer.name, ready: true } });
    const status = await q.status();
    expect(status.printer).toMatchObject({ name: printer.name, ready: true, problem: null, jobsWaiting: 0, via: 'cups' });
    expect(status.jobs[0]!.id).toBe(job.id);
  });

  it('with the queue disabled the printer is not ready and the job waits; after cupsenable it prints exactly once', async () => {
    const events: PrintJobEvent[] = [];
    const q = open(printer.name, events);
    sh('cupsdisable', ['-r', 'paper jam', printer.name]);
    const before = printer.documents().length;
    try {
      const job = await q.submit(receipt);
      expect(job.state).toBe('waiting');
      expect(job.systemJobId).not.toBeNull();
      const status = await q.status();
      expect(status.printer).toMatchObject({ name: printer.name, ready: false, problem: 'disabled', detail: 'paper jam' });
      expect(status.printer.jobsWaiting).toBeGreaterThanOrEqual(1);
      expect(status.printer.words.zh).toBe(`打印机未就绪：${printer.name}（已暂停，恢复后自动打印）`);
      expect(q.job(job.id)!.words?.zh).toBe(`等待打印机：${printer.name}`);
      expect(events.some((e) => e.job.id === job.id && e.job.state === 'waiting' && !e.printer.ready)).toBe(true);
      await new Promise((r) => setTimeout(r, 1500)); // polled several times: still held, nothing printed
      expect(q.job(job.id)!.state).toBe('waiting');
      expect(printer.documents().length).toBe(before);

      sh('cupsenable', [printer.name]);
      await until(() => q.job(job.id)?.state === 'done');
      await until(() => printer.documents().length > before);
      await new Promise((r) => setTimeout(r, 1500)); // and no second copy afterwards
      expect(printer.documents().length).toBe(before + 1);
      expect(text(printer.documents().at(-1)!)).toContain('王丽华');
      expect(events.filter((e) => e.job.id === job.id && e.job.state === 'done')).toHaveLength(1);
      expect((await q.status()).printer).toMatchObject({ ready: true, jobsWaiting: 0 });
    } finally {
      sh('cupsenable', [printer.name]);
    }
  });

  it('a job CUPS refused (no such printer) fails in plain words and can be retried; an accepted job never is', async () => {
    const missing = uniqueQueue('nd_later');
    const q = open(missing);
    const job = await q.submit(receipt);
    expect(job).toMatchObject({ state: 'failed', retryable: true, systemJobId: null, printer: missing });
    expect(job.words?.zh).toContain(`找不到打印机 ${missing}`);
    expect((await q.status()).printer).toMatchObject({ name: missing, ready: false, problem: 'missing' });

    const later = await socketPrinter(missing); // the printer is set up: the clerk retries the same job
    try {
      const again = await q.retry(job.id);
      expect(again.id).toBe(job.id);
      expect(again.systemJobId).toMatch(new RegExp(`^${missing}-\\d+$`));
      await until(() => q.job(job.id)?.state === 'done');
      await until(() => later.documents().length === 1);
      await expect(q.retry(job.id)).rejects.toThrow(PrintQueueError);
      await new Promise((r) => setTimeout(r, 1000));
      expect(later.documents()).toHaveLength(1);
    } finally {
      await later.remove();
    }
  });

  it('a desk restarted while CUPS holds its job follows it by job id and does not resubmit it', async () => {
    const store = fileJobStore(path.join(tmp, 'jobs.json'));
    sh('cupsdisable', [printer.name]);
    const before = printer.documents().length;
    try {
      const first = open(printer.name, [], { store });
      const job = await first.submit(receipt, { tag: 'reg-2' });
      expect(job.state).toBe('waiting');
      first.close();

      const events: PrintJobEvent[] = [];
      const second = open(printer.name, events, { store });
      expect(second.job(job.id)).toMatchObject({ state: 'waiting', systemJobId: job.systemJobId, tag: 'reg-2' });
      sh('cupsenable', [printer.name]);
      await until(() => second.job(job.id)?.state === 'done');
      await until(() => printer.documents().length > before);
      await new Promise((r) => setTimeout(r, 1000));
      expect(printer.documents().length).toBe(before + 1);
      expect(events.some((e) => e.job.id === job.id && e.job.state === 'done')).toBe(true);
    } finally {
      sh('cupsenable', [printer.name]);
    }
  });
});

describe.skipIf(!!whyPdf)('print queue through CUPS (cups-pdf queue)', () => {
  it('one job, one PDF written by the driver; held while disabled, written once after cupsenable', async () => {
    const printer = cupsPdfPrinter();
    const q = queueFor(printer.name);
    try {
      sh('cupsdisable', [printer.name]);
      const job = await q.submit(receipt);
      expect(job.state).toBe('waiting');
      expect((await q.status()).printer).toMatchObject({ ready: false, problem: 'disabled', jobsWaiting: 1 });
      await new Promise((r) => setTimeout(r, 1000));
      expect(printer.documents()).toHaveLength(0);
      sh('cupsenable', [printer.name]);
      await until(() => q.job(job.id)?.state === 'done');
      await until(() => printer.documents().length === 1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(printer.documents()).toHaveLength(1);
      const info = execFileSync('pdfinfo', [printer.documents()[0]!], { encoding: 'utf8' });
      expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(1);
      expect(info).toMatch(/Page size:\s+595(\.\d+)? x 842/); // A4, as configured
    } finally {
      q.close();
      await printer.remove();
    }
  });
});
