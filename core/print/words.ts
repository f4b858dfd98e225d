/** The clerk's sentences about printing, in one table (the page shows them as they are). */
import type { PrinterProblem, Words } from './schema';

/** No printer configured and no system default: said once, with what the clerk can do instead. */
export const NO_PRINTER: Words = {
  zh: '本机未设置打印机：可保存回执 PDF，或请信息科设置打印机',
  en: 'No printer is set up on this desk: save the receipt PDF, or ask IT to set up a printer',
};

const label = (name: string | null): string => name ?? '—';

export function printerWords(name: string | null, problem: PrinterProblem | null): Words {
  const n = label(name);
  switch (problem) {
    case null:
      return { zh: `打印机已就绪：${n}`, en: `Printer ready: ${n}` };
    case 'disabled':
      return { zh: `打印机未就绪：${n}（已暂停，恢复后自动打印）`, en: `Printer not ready: ${n} (paused; jobs print when it is back)` };
    case 'not_accepting':
      return { zh: `打印机未就绪：${n}（不接受新任务）`, en: `Printer not ready: ${n} (not accepting jobs)` };
    case 'missing':
      return { zh: `打印机未就绪：找不到打印机 ${n}`, en: `Printer not ready: no printer named ${n}` };
    case 'no_default':
      return { zh: NO_PRINTER.zh, en: NO_PRINTER.en };
    case 'unreachable':
      return { zh: `打印机未就绪：${n}（打印服务无响应）`, en: `Printer not ready: ${n} (the print service does not answer)` };
  }
}

export const JOB_WORDS = {
  waitingForPrinter: (name: string | null): Words => ({
    zh: `等待打印机：${label(name)}`,
    en: `Waiting for the printer: ${label(name)}`,
  }),
  notAccepted: (problem: PrinterProblem | null, name: string | null): Words => {
    // no printer at all: a retry cannot help, so the sentence says what can (no "可重试")
    if (problem === 'no_default') return { zh: `未能送到打印机。${NO_PRINTER.zh}`, en: `Not sent to the printer. ${NO_PRINTER.en}` };
    const p = problem ? printerWords(name, problem) : { zh: '打印服务未接受任务', en: 'The print service did not take the job' };
    return { zh: `未能送到打印机。${p.zh}。可重试。`, en: `Not sent to the printer. ${p.en}. You can retry.` };
  },
  canceled: { zh: '打印任务已取消', en: 'The print job was cancelled' } satisfies Words,
  uncertain: {
    zh: '不确定打印服务是否已收到任务，请查看打印机；如未打印，请重新打印',
    en: 'Not sure the print service took the job: look at the printer, and print again if nothing came out',
  } satisfies Words,
  lost: { zh: '打印服务不再列出该任务，请检查是否已打印', en: 'The print service no longer lists the job: check whether it printed' } satisfies Words,
} as const;
