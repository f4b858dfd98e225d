/**
 * The Electron shell's part in printing: only the fallback and the save dialog. Printing itself goes through
 * KioskApi's `printReceipt` and the desk's print queue (core/print), the same path in both shells: CUPS on Linux,
 * pdf-to-printer on Windows. Where neither applies (not Windows and no `lp` on the machine), the queue's port is
 * this shell's silent print: a hidden, sandboxed window shows the PDF in Chromium's viewer and
 * `webContents.print({ silent })` sends it to the named printer (`windowBackend`).
 *
 * Saving: `desk:save-receipt` fetches the PDF from KioskApi's `receiptPdf` (through the same dispatcher, so the
 * same sign-in and role rules apply) and asks where to save it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, Dialog, WebContentsPrintOptions } from 'electron';
import { z } from 'zod';
import type { Dispatch } from '../../core/api/dispatch';
import { zodIssuesToFields } from '../../core/api/dispatch';
import { KioskError, type Result } from '../../core/api/result';
import { defaultPrintPort, type FileBackend, type PrintPort } from '../../core/print';
import { Uuid } from '../../domain/types';
import { deskWebPreferences } from './security';
import type { BrowserWindowCtor } from './window';

export const ReceiptArgsSchema = z.object({ registrationId: Uuid }).strict();

/** Chromium: a hidden sandboxed window with the PDF viewer, printed silently to the named printer. */
export function windowBackend(BrowserWindowClass: BrowserWindowCtor): FileBackend {
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

/** Whether CUPS's `lp` is on the PATH (the shell never runs a shell to find out). */
export function hasLp(env: NodeJS.ProcessEnv, exists: (file: string) => boolean = existsSync): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && exists(path.join(dir, 'lp')));
}

/** The desk's print port from this shell: CUPS or pdf-to-printer, the silent window only where neither applies. */
export function shellPrintPort(platform: NodeJS.Platform, BrowserWindowClass: BrowserWindowCtor, env: NodeJS.ProcessEnv, exists?: (file: string) => boolean): PrintPort {
  return defaultPrintPort(platform, { backend: windowBackend(BrowserWindowClass), use: platform !== 'win32' && !hasLp(env, exists) });
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
  dialog: Pick<Dialog, 'showSaveDialog'>;
  window: () => BrowserWindow | null;
  log: { info(m: string, meta?: Record<string, unknown>): void; warn(m: string, meta?: Record<string, unknown>): void };
  writeFile?: (file: string, data: Buffer) => void;
}

/** The shell channel's handler: `saveReceipt` ("save receipt as PDF"). Arguments parsed with zod first. */
export function createReceiptActions(opts: ReceiptActionsOptions) {
  const writeFile = opts.writeFile ?? ((f: string, d: Buffer) => writeFileSync(f, d));
  return {
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
