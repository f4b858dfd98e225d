/**
 * Printing through the composition root: `openDesk` builds one print queue on the port it is given, the
 * configured printer, paper and copies reach the port, `printReceipt` renders the real receipt and submits it
 * tagged with the registration id, state changes arrive as `printJob` events, a refused job can be retried (one
 * the print system took cannot), a clerk may print, and print-jobs.json holds no personal data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaticKeyProvider } from '../../../db';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../../domain/fixtures';
import { DeskConfigSchema } from '../../config/schema';
import { openDesk, type Desk } from '../../desk';
import { PrintRefused, type PrintPort, type PrintRequest, type SystemJobState } from '../../print/port';
import type { PrintJob, PrintJobEvent, PrintStatus } from '../../print/schema';
import { silentLogger } from '../ports';
import { value } from '../test-kiosk';

let dir: string;
let desk: Desk;
const submitted: PrintRequest[] = [];
const events: PrintJobEvent[] = [];
let refuse = false;
let systemState: SystemJobState = 'waiting';
let disabled = false;

const port: PrintPort = {
  via: 'cups',
  resolve: async (name) => name ?? 'Default-Printer',
  printer: async (name) => ({ name, problem: disabled ? 'disabled' : null, detail: null, jobsWaiting: systemState === 'waiting' ? 1 : 0, via: 'cups' }),
  async submit(req) {
    if (refuse) throw new PrintRefused('not_accepting', 'lp: Destination "Desk-A5" is not accepting jobs.');
    submitted.push(req);
    return { systemJobId: `Desk-A5-${submitted.length}` };
  },
  jobs: async (_p, ids) => new Map(ids.map((id) => [id, systemState])),
  cancel: async () => undefined,
};

const call = (method: string, args: unknown = {}) => desk.dispatch(method, args, 'internal');

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'print-handlers-'));
  submitted.length = 0;
  events.length = 0;
  refuse = false;
  disabled = false;
  systemState = 'waiting';
  desk = await openDesk({
    config: DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1', printer: { name: 'Desk-A5', paper: 'A5', copies: 2 } }),
    dataDir: dir,
    keyProvider: new StaticKeyProvider(Buffer.alloc(32, 3)),
    cityApi: null,
    host: { version: '0.0.0-test', configFile: null },
    logger: silentLogger,
    now: () => SAMPLE_NOW,
    printPort: port,
  });
  desk.events.subscribe((event, payload) => event === 'printJob' && events.push(payload as PrintJobEvent));
  await desk.store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
  value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
});
afterEach(async () => {
  await desk.close();
  rmSync(dir, { recursive: true, force: true });
});

async function submitSample(): Promise<string> {
  const registration = sampleRegistrationInput();
  value(await call('submit', { registration, confirmedAt: SAMPLE_NOW.toISOString() }));
  return registration.id;
}

describe('printing through the desk', () => {
  it('a clerk prints the receipt on the configured printer, paper and copies; the job follows as printJob events', async () => {
    const id = await submitSample();
    const job = value<PrintJob>(await call('printReceipt', { registrationId: id }));
    expect(job).toMatchObject({ printer: 'Desk-A5', paper: 'A5', copies: 2, state: 'waiting', tag: id, systemJobId: 'Desk-A5-1' });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ printer: 'Desk-A5', paper: 'A5', copies: 2 });
    expect(submitted[0]!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(events.map((e) => e.job.state)).toContain('waiting');

    systemState = 'done';
    await new Promise((r) => setTimeout(r, 1300)); // the queue's own poll (1 s)
    expect(events.at(-1)?.job).toMatchObject({ id: job.id, state: 'done' });
    const status = value<PrintStatus>(await call('printStatus'));
    expect(status.printer).toMatchObject({ name: 'Desk-A5', ready: true, via: 'cups' });
    expect(status.jobs[0]).toMatchObject({ id: job.id, state: 'done' });

    // What stays on disk names the printer, the state and the registration id: never the family.
    const file = readFileSync(path.join(dir, 'print-jobs.json'), 'utf8');
    expect(file).toContain(job.id);
    const reg = sampleRegistrationInput();
    for (const secret of [reg.mother.name, reg.mother.docNumber, reg.father?.name ?? '', reg.child.name ?? '']) if (secret) expect(file).not.toContain(secret);
  });

  it('a paused printer says so with its name, in both languages, and the job waits', async () => {
    disabled = true;
    const id = await submitSample();
    const job = value<PrintJob>(await call('printReceipt', { registrationId: id }));
    expect(job.state).toBe('waiting');
    const status = value<PrintStatus>(await call('printStatus'));
    expect(status.printer).toMatchObject({ ready: false, problem: 'disabled' });
    expect(status.printer.words.zh).toMatch(/^打印机未就绪：Desk-A5/);
    expect(status.printer.words.en).toMatch(/^Printer not ready: Desk-A5/);
  });

  it('a refused job fails with a reason and can be retried once the printer takes jobs; a taken one cannot', async () => {
    refuse = true;
    const id = await submitSample();
    const failed = value<PrintJob>(await call('printReceipt', { registrationId: id }));
    expect(failed).toMatchObject({ state: 'failed', retryable: true, systemJobId: null });
    expect(failed.words?.zh).toMatch(/未能送到打印机/);
    refuse = false;
    const retried = value<PrintJob>(await call('printRetry', { jobId: failed.id }));
    expect(retried).toMatchObject({ id: failed.id, systemJobId: 'Desk-A5-1', retryable: false });
    const again = await call('printRetry', { jobId: failed.id });
    expect(again.ok ? null : again.error.code).toBe('not_allowed');
    expect(submitted).toHaveLength(1);
    const unknown = await call('printRetry', { jobId: '0192f3a4-7b1c-4d2e-8f90-123456789abc' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
  });

  it('refuses bad arguments and an unknown registration, printing nothing', async () => {
    const bad = await call('printReceipt', { registrationId: '../etc/passwd' });
    expect(bad.ok ? null : bad.error.code).toBe('bad_request');
    const missing = await call('printReceipt', { registrationId: '0192f3a4-7b1c-7d2e-8f90-123456789abc' });
    expect(missing.ok ? null : missing.error.code).toBe('not_found');
    expect(submitted).toHaveLength(0);
  });
});
