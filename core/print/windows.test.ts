/**
 * The Windows port's use of pdf-to-printer. The library drives SumatraPDF.exe and refuses to run off Windows
 * ("Operating System not supported"), so here it is injected: these tests check what the desk asks of it
 * (silent, the configured printer, paper, copies, fit to page; a 0600 temp file deleted afterwards) and how its
 * answers become printer states. Printing itself is proven on CUPS (cups.test.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPrintQueue } from './queue';
import { windowsPort, sumatraOptions, type PdfToPrinter, type PdfToPrinterOptions } from './windows';

function fakeLib(printers: string[], fail?: string) {
  const calls: Array<{ file: string; options: PdfToPrinterOptions | undefined; bytes: string; mode: number }> = [];
  const lib: PdfToPrinter = {
    async print(file, options) {
      calls.push({ file, options, bytes: readFileSync(file, 'latin1'), mode: statSync(file).mode & 0o777 });
      if (fail) throw new Error(fail);
    },
    getPrinters: async () => printers.map((name) => ({ name })),
    getDefaultPrinter: async () => (printers[0] ? { name: printers[0] } : null),
  };
  return { lib, calls };
}

describe('windows print port (pdf-to-printer)', () => {
  it('asks for a silent print on the named printer with paper, copies and fit-to-page', () => {
    expect(sumatraOptions('HP LaserJet', 'A5', 2)).toEqual({ printer: 'HP LaserJet', paperSize: 'A5', copies: 2, silent: true, scale: 'fit' });
    expect(sumatraOptions(null, 'A4', 1)).toEqual({ paperSize: 'A4', copies: 1, silent: true, scale: 'fit' });
  });

  it('hands a 0600 temp file to the library, deletes it, and the job is done', async () => {
    const { lib, calls } = fakeLib(['Front desk', 'Other']);
    const settings = { paper: 'A4' as const, copies: 2 };
    const q = createPrintQueue({ port: windowsPort(async () => lib), settings: () => settings });
    const job = await q.submit(Buffer.from('%PDF-1.7 test'));
    expect(job).toMatchObject({ state: 'done', printer: 'Front desk', systemJobId: null, copies: 2 });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ bytes: '%PDF-1.7 test', mode: 0o600, options: { printer: 'Front desk', paperSize: 'A4', copies: 2, silent: true } });
    expect(calls[0]!.file).toMatch(/nd-print-[^/\\]+[/\\]job\.pdf$/);
    expect(existsSync(calls[0]!.file)).toBe(false);
    expect((await q.status()).printer).toMatchObject({ name: 'Front desk', ready: true, via: 'windows' });
  });

  it('a printer Windows does not list is missing; a failed print is a retryable failure', async () => {
    const { lib } = fakeLib(['Other'], 'SumatraPDF exited with 1');
    const q = createPrintQueue({ port: windowsPort(async () => lib), settings: () => ({ name: 'Front desk', paper: 'A4', copies: 1 }) });
    expect((await q.status()).printer).toMatchObject({ name: 'Front desk', ready: false, problem: 'missing' });
    const job = await q.submit(Buffer.from('%PDF'));
    expect(job).toMatchObject({ state: 'failed', retryable: true });
    expect(job.words?.zh).toContain('找不到打印机 Front desk');
  });

  it.skipIf(process.platform === 'win32')('the real library loads and says it cannot run off Windows', async () => {
    const status = await windowsPort().printer(null);
    expect(status).toMatchObject({ problem: 'unreachable', detail: 'Operating System not supported' });
  });
});
