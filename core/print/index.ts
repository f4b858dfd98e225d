/**
 * Printing (public API): a print port per platform and the desk's print queue on top of it.
 *
 *   const queue = createPrintQueue({ port: defaultPrintPort(process.platform), settings: () => config.printer,
 *                                    onEvent: (e) => events.emit('printJob', e), store: fileJobStore(file) });
 *   const job = await queue.submit(pdf, { tag: registrationId });   // waiting | printing | done | failed
 */
import { cupsPort } from './cups';
import { filePort, type FileBackend, type PrintPort } from './port';
import { windowsPort } from './windows';

export { cupsPort, lpArgs, parseLpstat, cupsProblem, nodeExec, CUPS_JOB_TITLE, type Exec, type ExecResult } from './cups';
export { windowsPort, sumatraOptions, type PdfToPrinter, type PdfToPrinterOptions } from './windows';
export { filePort, withTempPdf, PrintRefused, type PrintPort, type PrintRequest, type PrinterReport, type SystemJobState, type FileBackend, type FileJob } from './port';
export { createPrintQueue, toPrinterStatus, PrintQueueError, type PrintQueue, type PrintQueueOptions, type PrinterSettings } from './queue';
export { fileJobStore, type JobStore } from './store';
export { printerWords, JOB_WORDS } from './words';
export * from './schema';

/**
 * The port for this platform: Windows through pdf-to-printer, anything else through CUPS. `fallback` (the
 * Electron shell's silent print) is used only where neither applies: pass `useFallback` when the shell knows it
 * (e.g. no `lp` on the machine).
 */
export function defaultPrintPort(platform: NodeJS.Platform, fallback?: { backend: FileBackend; use: boolean }): PrintPort {
  if (fallback?.use) return filePort(fallback.backend);
  return platform === 'win32' ? windowsPort() : cupsPort();
}
