/**
 * Printing through the running desk, end to end: CUPS on this machine, a queue whose printer is an AppSocket
 * printer on loopback (the bytes that reach it are read back with pdftotext), the desk in browser mode with
 * `printer.name` = that queue, and the clerk in Chromium clicking by role and label. The receipt that reaches the
 * printer holds the family's names; with the queue stopped (`cupsdisable`) the page says the printer is not ready,
 * with its name, and the job waits; after `cupsenable` it prints, exactly once; a queue that refuses jobs
 * (`cupsreject`) fails the job with its reason and Retry prints it once the queue accepts again; Diagnostics shows
 * the printer. Screenshots of each state in both languages: test-results/screenshots/print-*.png.
 * Needs cups, cups-bsd, poppler-utils and a running cupsd (scripts/ci-cups.sh, which .ci/run calls).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cupsUnavailable, sh, socketPrinter, type SocketPrinter } from '../../core/print/test-printers';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import { chromiumMissing, pageErrors, registerSample, screenshot, SCREENSHOT_DIR, setLanguage, type TestDesk, useDesk } from './harness';

const why = chromiumMissing ?? cupsUnavailable();
if (why) console.log(`e2e print skipped: ${why}`);

const CHILD = '陈沐阳';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'e2e-print-'));
function text(doc: Buffer): string {
  const file = path.join(tmp, `doc-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, doc);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!!why)('printing a receipt through CUPS from the page', () => {
  let printer: SocketPrinter;
  let desk: TestDesk, page: Page;

  const job = () => page.getByTestId('print-job');
  const printerState = () => page.getByTestId('printer-state');
  async function both(name: string) {
    for (const lang of ['zh-CN', 'en'] as const) {
      await setLanguage(page, lang);
      await screenshot(page, `print-${name}`, lang, false);
    }
    await setLanguage(page, 'zh-CN');
  }

  beforeAll(async () => {
    printer = await socketPrinter();
  });
  // Registered before useDesk: hooks run as a stack, so these run after Chromium and the desk are closed.
  afterAll(async () => {
    await printer?.remove();
    rmSync(tmp, { recursive: true, force: true });
  });
  useDesk('print', (s) => ({ desk, page } = s), { config: () => ({ printer: { name: printer.name, paper: 'A4', copies: 1 } }), acceptDialogs: true, signIn: true });

  it('the clerk prints the receipt on the configured queue; what reaches the printer holds the family’s names', async () => {
    await registerSample(page, desk, { mother: SAMPLE_MOTHER, father: SAMPLE_FATHER, wristband: SAMPLE_WRISTBAND }, CHILD);
    await expect.poll(() => printerState().getAttribute('data-ready')).toBe('true');
    await settle(1000); // a draft save on its way at submit lands now: it must not show an error on the receipt
    expect(await page.locator('.banner.error').count()).toBe(0);
    expect(await printerState().innerText()).toContain(`打印机已就绪：${printer.name}`);
    await both('ready');

    printer.hold(true); // the printer takes the document but does not finish: CUPS shows the job printing
    await page.getByRole('button', { name: '打印回执' }).click();
    await expect.poll(() => job().getAttribute('data-state'), { timeout: 20_000 }).toBe('printing');
    await both('printing');
    printer.hold(false);
    await expect.poll(() => job().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await both('done');

    expect(printer.documents()).toHaveLength(1);
    const printed = text(printer.documents()[0]!);
    for (const name of [SAMPLE_MOTHER.name, SAMPLE_FATHER.name, CHILD]) expect(printed).toContain(name);
  });

  it('with the queue stopped the page says the printer is not ready, with its name, and the job waits; it prints once the queue is back, exactly once', async () => {
    sh('cupsdisable', [printer.name]);
    try {
      await page.getByRole('button', { name: '再打印一份' }).click();
      await expect.poll(() => job().getAttribute('data-state'), { timeout: 20_000 }).toBe('waiting');
      await expect.poll(() => printerState().getAttribute('data-ready'), { timeout: 20_000 }).toBe('false');
      expect(await printerState().innerText()).toContain(`打印机未就绪：${printer.name}`);
      expect(await job().innerText()).toContain(`等待打印机：${printer.name}`);
      await setLanguage(page, 'en');
      expect(await printerState().innerText()).toContain(`Printer not ready: ${printer.name}`);
      await setLanguage(page, 'zh-CN');
      await both('not-ready-waiting');
      await settle(1500);
      expect(printer.documents()).toHaveLength(1); // nothing reached the printer while it was stopped
    } finally {
      sh('cupsenable', [printer.name]);
    }
    await expect.poll(() => job().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => printerState().getAttribute('data-ready'), { timeout: 10_000 }).toBe('true');
    await settle(3000); // a second copy would have arrived by now
    expect(printer.documents()).toHaveLength(2);
    expect(text(printer.documents()[1]!)).toContain(SAMPLE_MOTHER.name);
  });

  it('a queue that refuses jobs fails the job with its reason; Retry prints it once the queue accepts again', async () => {
    sh('cupsreject', [printer.name]);
    try {
      await page.getByRole('button', { name: '再打印一份' }).click();
      await expect.poll(() => job().getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
      expect(await job().innerText()).toMatch(/未能送到打印机。打印机未就绪：.*不接受新任务/);
      await both('failed');
    } finally {
      sh('cupsaccept', [printer.name]);
    }
    await page.getByRole('button', { name: '重试打印' }).click();
    await expect.poll(() => job().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await settle(2000);
    expect(printer.documents()).toHaveLength(3);
  });

  it('Diagnostics shows the printer: name, state, jobs waiting; the registration page reprints without a dialog', async () => {
    sh('cupsdisable', [printer.name]);
    try {
      await page.getByRole('button', { name: '查看办理进度' }).click();
      await page.locator('#detail-title').waitFor();
      await page.getByRole('button', { name: '重新打印回执' }).click();
      await expect.poll(() => job().getAttribute('data-state'), { timeout: 20_000 }).toBe('waiting');
      await page.getByRole('button', { name: '设备与诊断' }).click();
      const block = page.getByTestId('printer-block');
      await expect.poll(() => block.innerText(), { timeout: 10_000 }).toContain(printer.name);
      await expect.poll(() => page.getByTestId('printer-jobs-waiting').innerText(), { timeout: 10_000 }).toBe('1');
      expect(await block.innerText()).toContain('未就绪');
      for (const lang of ['zh-CN', 'en'] as const) {
        await setLanguage(page, lang);
        await block.screenshot({ path: path.join(SCREENSHOT_DIR, `print-diagnostics.${lang}.png`) });
      }
      await setLanguage(page, 'zh-CN');
    } finally {
      sh('cupsenable', [printer.name]);
    }
    await expect.poll(() => printer.documents().length, { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('printer-jobs-waiting').innerText(), { timeout: 15_000 }).toBe('0');
    expect(pageErrors(page)).toEqual([]);
  });
});
