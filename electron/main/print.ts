/**
 * Printing and saving a registration's receipt. The PDF comes from KioskApi's `receiptPdf` (through the same
 * dispatcher, so the same sign-in and role rules apply); the shell prints it on the configured printer or saves
 * it where the clerk chooses.
 *
 * How a PDF reaches the printer:
 *   - Linux (CUPS, the print system of the domestic distributions): `lp -d <printer> -n <copies> -o media=<paper>`.
 *     Chromium's `webContents.print()` of a PDF-viewer page prints blank pages on several Electron versions, so
 *     where CUPS is there it is used directly.
 *   - Windows: a hidden, sandboxed window shows the PDF in Chromium's viewer and `webContents.print({ silent })`
 *     sends it to the named printer.
 * Both are injected (`PrintBackend`) so the flow is unit-tested without a printer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, Dialog, WebContentsPrintOptions } from 'electron';
import { z } from 'zod';
import type { Dispatch } from '../../core/api/dispatch';
import type { DeskConfig } from '../../core/config/schema';
import { Uuid } from '../../domain/types';
import { zodIssuesToFields } from '../../core/api/dispatch';
import { KioskError, type Result } from '../../core/api/result';
import { deskWebPreferences } from './security';
import type { BrowserWindowCtor } from './window';

export const ReceiptArgsSchema = z.object({ registrationId: Uuid }).strict();

export interface PrintJob {
  file: string;
  printer: string | null;
  copies: number;
  paper: 'A4' | 'A5';
}

export type PrintBackend = (job: PrintJob) => Promise<void>;

type ExecFile = (file: string, args: string[], cb: (err: Error | null, stdout: string, stderr: string) => void) => void;

/** CUPS: `lp`. Resolves when the job is queued; rejects with lp's own words (no personal data in them). */
export function cupsBackend(exec: ExecFile = execFile as unknown as ExecFile): PrintBackend {
  return (job) =>
    new Promise((resolve, reject) => {
      const args = [...(job.printer ? ['-d', job.printer] : []), '-n', String(job.copies), '-o', `media=${job.paper}`, '-o', 'fit-to-page', '--', job.file];
      exec('lp', args, (err, _stdout, stderr) => (err ? reject(new Error(`lp: ${(stderr || err.message).trim().slice(0, 200)}`)) : resolve()));
    });
}

/** Chromium: a hidden sandboxed window with the PDF viewer, printed silently to the named printer. */
export function windowBackend(BrowserWindowClass: BrowserWindowCtor): PrintBackend {
  return async (job) => {
    const win = new BrowserWindowClass({
      show: false,
      webPreferences: { ...deskWebPreferences({ devTools: false }), plugins: true },
    });
    try {
      await win.loadURL(pathToFileURL(job.file).toString());
      const options: WebContentsPrintOptions = {
        silent: true,
        printBackground: true,
        copies: job.copies,
        pageSize: job.paper,
        ...(job.printer ? { deviceName: job.printer } : {}),
      };
      await new Promise<void>((resolve, reject) => {
        win.webContents.print(options, (success, failureReason) => (success ? resolve() : reject(new Error(`print failed: ${failureReason}`))));
      });
    } finally {
      if (!win.isDestroyed()) win.destroy();
    }
  };
}

export function defaultPrintBackend(platform: NodeJS.Platform, BrowserWindowClass: BrowserWindowCtor): PrintBackend {
  return platform === 'win32' ? windowBackend(BrowserWindowClass) : cupsBackend();
}

function badArgs(error: z.ZodError): Result<never> {
  return {
    ok: false,
    error: new KioskError('bad_request', { en: 'Some values are not in the expected form.', zh: '部分内容格式不正确。' }, { fields: zodIssuesToFields(error) }).toApiError(),
  };
}

function unavailable(en: string, zh: string): Result<never> {
  return { ok: false, error: new KioskError('unavailable', { en, zh }).toApiError() };
}

async function fetchReceipt(dispatch: Dispatch, registrationId: string): Promise<Result<{ fileName: string; bytes: Buffer }>> {
  const r = await dispatch('receiptPdf', { registrationId }, 'ipc');
  if (!r.ok) return r;
  const value = r.value as { fileName: string; base64: string };
  return { ok: true, value: { fileName: path.basename(value.fileName), bytes: Buffer.from(value.base64, 'base64') } };
}

export interface ReceiptActionsOptions {
  dispatch: Dispatch;
  printer: () => DeskConfig['printer'];
  backend: PrintBackend;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  window: () => BrowserWindow | null;
  log: { info(m: string, meta?: Record<string, unknown>): void; warn(m: string, meta?: Record<string, unknown>): void };
  tmpDir?: string;
  writeFile?: (file: string, data: Buffer) => void;
}

/** The two shell channels' handlers: `printReceipt` and `saveReceipt`. Arguments parsed with zod first. */
export function createReceiptActions(opts: ReceiptActionsOptions) {
  const writeFile = opts.writeFile ?? ((f: string, d: Buffer) => writeFileSync(f, d));
  return {
    async printReceipt(raw: unknown): Promise<Result<{ printer: string | null; copies: number }>> {
      const args = ReceiptArgsSchema.safeParse(raw);
      if (!args.success) return badArgs(args.error);
      const pdf = await fetchReceipt(opts.dispatch, args.data.registrationId);
      if (!pdf.ok) return pdf;
      const { name, copies, paper } = opts.printer();
      const dir = mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), 'desk-receipt-'));
      const file = path.join(dir, 'receipt.pdf');
      try {
        writeFileSync(file, pdf.value.bytes, { mode: 0o600 });
        await opts.backend({ file, printer: name ?? null, copies, paper });
        opts.log.info('receipt printed', { printer: name ?? '(default)', copies });
        return { ok: true, value: { printer: name ?? null, copies } };
      } catch (e) {
        opts.log.warn('receipt printing failed', { error: (e as Error).message });
        return unavailable('The receipt could not be printed: check the printer, or save the receipt and print it later.', '回执未能打印：请检查打印机，或先保存回执稍后打印。');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },

    async saveReceipt(raw: unknown): Promise<Result<{ saved: boolean; file: string | null }>> {
      const args = ReceiptArgsSchema.safeParse(raw);
      if (!args.success) return badArgs(args.error);
      const pdf = await fetchReceipt(opts.dispatch, args.data.registrationId);
      if (!pdf.ok) return pdf;
      const win = opts.window();
      const dialogOptions = {
        title: '保存回执 · Save receipt',
        defaultPath: pdf.value.fileName,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const choice = win ? await opts.dialog.showSaveDialog(win, dialogOptions) : await opts.dialog.showSaveDialog(dialogOptions);
      if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false, file: null } };
      const target = choice.filePath.toLowerCase().endsWith('.pdf') ? choice.filePath : `${choice.filePath}.pdf`;
      try {
        writeFile(target, pdf.value.bytes);
      } catch (e) {
        opts.log.warn('receipt save failed', { code: (e as NodeJS.ErrnoException).code });
        return unavailable('The receipt could not be saved there: choose another folder.', '无法保存到该位置，请选择其他文件夹。');
      }
      opts.log.info('receipt saved');
      return { ok: true, value: { saved: true, file: target } };
    },
  };
}
