/**
 * Real CUPS printers for tests and the print bench (never loaded by the desk):
 *   - `socketPrinter`: an AppSocket/JetDirect printer (what most office printers speak on port 9100) played by this
 *     process on loopback, behind a CUPS queue with the generic PDF driver: each document CUPS sends is kept as it
 *     arrived (PJL around the PDF), so pdftotext reads what reached the printer.
 *   - `cupsPdfPrinter`: a cups-pdf queue writing each job as a PDF into its own folder. cups-pdf goes through
 *     PostScript and Ghostscript, which keeps the layout but not the text (pdftotext reads symbols), so it is for
 *     counting jobs and timing, not for reading them.
 * `cupsUnavailable()` says why these cannot run here (null: they can).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { renderReceipt } from '../receipt';
import { fixtureReceiptInput } from '../receipt/fixture';

const C = { ...process.env, LC_ALL: 'C', LANG: 'C' };
export const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { env: C, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const quiet = (cmd: string, args: string[]): void => void spawnSync(cmd, args, { env: C, stdio: 'ignore' });

export function cupsUnavailable(): string | null {
  for (const tool of ['lpadmin', 'lpstat', 'lp', 'cupsenable', 'cupsdisable', 'pdftotext']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `${tool} is not installed (run scripts/ci-cups.sh)`;
  }
  const r = spawnSync('lpstat', ['-r'], { env: C, encoding: 'utf8' });
  if (!/scheduler is running/.test(r.stdout)) return 'cupsd is not running (run scripts/ci-cups.sh)';
  if (spawnSync('lpadmin', ['-x', 'nd-probe-x'], { env: C, encoding: 'utf8' }).stderr.match(/Forbidden|not authorized/i)) return 'not allowed to add printers (lpadmin needs root or lpadmin group)';
  return null;
}

export function cupsPdfUnavailable(): string | null {
  if (!existsSync('/usr/lib/cups/backend/cups-pdf')) return 'printer-driver-cups-pdf is not installed (run scripts/ci-cups.sh)';
  try {
    accessSync('/etc/cups', constants.W_OK);
  } catch {
    return 'cannot write a cups-pdf queue config into /etc/cups (needs root)';
  }
  return cupsUnavailable();
}

export const uniqueQueue = (prefix: string): string => `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

export interface TestPrinter {
  name: string;
  /** The documents that reached the printer so far. */
  documents(): Buffer[] | string[];
  remove(): Promise<void>;
}

export interface SocketPrinter extends TestPrinter {
  documents(): Buffer[];
  /** While held, the printer takes each document but does not say it is finished: CUPS shows the job printing. */
  hold(on: boolean): void;
}

const addQueue = (name: string, uri: string, ppd: string): void => {
  // "Printer drivers are deprecated" goes to stderr; CUPS 2.4 still takes them.
  sh('lpadmin', ['-p', name, '-E', '-v', uri, '-m', ppd]);
};
const removeQueue = (name: string): void => {
  quiet('cancel', ['-a', name]);
  quiet('lpadmin', ['-x', name]);
};

export async function socketPrinter(name = uniqueQueue('nd_sock')): Promise<SocketPrinter> {
  const docs: Buffer[] = [];
  let held = false;
  const waiting: net.Socket[] = [];
  const server = net.createServer((s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      if (chunks.length) docs.push(Buffer.concat(chunks));
      if (held) waiting.push(s);
      else s.end();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  addQueue(name, `socket://127.0.0.1:${port}`, 'lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd');
  return {
    name,
    documents: () => docs,
    hold(on) {
      held = on;
      if (!on) for (const s of waiting.splice(0)) s.end();
    },
    async remove() {
      removeQueue(name);
      for (const s of waiting.splice(0)) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface CupsPdfPrinter extends TestPrinter {
  dir: string;
  documents(): string[];
}

export function cupsPdfPrinter(name = uniqueQueue('nd_pdf')): CupsPdfPrinter {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nd-cups-pdf-'));
  chmodSync(dir, 0o777); // the cups-pdf backend writes as the job's user
  const conf = `/etc/cups/cups-pdf-${name}.conf`;
  // One config per queue (cups-pdf picks cups-pdf-<uri name>.conf); Label 1: each job its own file.
  writeFileSync(conf, `Out ${dir}\nLabel 1\n`);
  addQueue(name, `cups-pdf:/${name}`, 'lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd');
  return {
    name,
    dir,
    documents: () => readdirSync(dir).filter((f) => f.endsWith('.pdf')).map((f) => path.join(dir, f)),
    async remove() {
      removeQueue(name);
      rmSync(conf, { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The desk's receipt for the fixture family 王丽华 / 陈建国 (names printed in full), as the desk prints it. */
export async function sampleReceipt(now = new Date()): Promise<Buffer> {
  return renderReceipt(fixtureReceiptInput({ tracked: true, now }));
}

/** Polls `check` until it returns a value (not undefined/false) or `ms` pass. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}
