/**
 * The print port on Windows, through pdf-to-printer (SumatraPDF, silent, to the named printer). Windows' spooler
 * gives no job id back through it, so a job is done when SumatraPDF has spooled it; the printer is "missing" when
 * Windows does not list it. The library is loaded only when this port is used (never on Linux), and injectable so
 * its options are unit-tested where it cannot run.
 */
import { PrintRefused, withTempPdf, type PrintPort } from './port';
import type { Paper } from './schema';

export interface PdfToPrinterOptions {
  printer?: string;
  paperSize?: string;
  copies?: number;
  silent?: boolean;
  scale?: 'noscale' | 'shrink' | 'fit';
}
/** The part of pdf-to-printer the desk uses. */
export interface PdfToPrinter {
  print(pdf: string, options?: PdfToPrinterOptions): Promise<void>;
  getPrinters(): Promise<Array<{ name: string }>>;
  getDefaultPrinter(): Promise<{ name: string } | null>;
}

async function loadPdfToPrinter(): Promise<PdfToPrinter> {
  const mod = (await import('pdf-to-printer')) as unknown as PdfToPrinter & { default?: PdfToPrinter };
  return mod.default ?? mod;
}

/** pdf-to-printer's options for one job: silent (no dialog), the printer, the paper, the copies, fit to the page. */
export function sumatraOptions(printer: string | null, paper: Paper, copies: number): PdfToPrinterOptions {
  return { ...(printer ? { printer } : {}), paperSize: paper, copies, silent: true, scale: 'fit' };
}

export function windowsPort(load: () => Promise<PdfToPrinter> = loadPdfToPrinter): PrintPort {
  let lib: Promise<PdfToPrinter> | null = null;
  const get = (): Promise<PdfToPrinter> => (lib ??= load());
  const port: PrintPort = {
    via: 'windows',
    async resolve(name) {
      return name ?? (await (await get()).getDefaultPrinter())?.name ?? null;
    },
    async printer(configured) {
      try {
        const name = await port.resolve(configured);
        if (!name) return { name: null, problem: 'no_default', detail: null, jobsWaiting: 0, via: 'windows' };
        const listed = (await (await get()).getPrinters()).some((p) => p.name === name);
        return { name, problem: listed ? null : 'missing', detail: null, jobsWaiting: 0, via: 'windows' };
      } catch (e) {
        return { name: configured, problem: 'unreachable', detail: String((e as Error).message ?? e).slice(0, 200), jobsWaiting: 0, via: 'windows' };
      }
    },
    async submit(req) {
      const pdf = await get();
      const name = await port.resolve(req.printer);
      await withTempPdf(req.pdf, async (file) => {
        try {
          await pdf.print(file, sumatraOptions(name, req.paper, req.copies));
        } catch (e) {
          throw new PrintRefused(null, String((e as Error).message ?? e).slice(0, 200));
        }
      });
      return { systemJobId: null };
    },
    jobs: async (_printer, ids) => new Map(ids.map((id) => [id, 'done' as const])),
    cancel: async () => undefined,
  };
  return port;
}
