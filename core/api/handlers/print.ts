/**
 * Printing: the receipt goes through the desk's print queue (core/print) to the configured printer, paper and
 * copies — never a dialog, never the page's own print. The job's state (waiting, printing, done, failed with a
 * reason) follows as `printJob` events; `printStatus` tells the printer's state and the recent jobs; `printRetry`
 * hands over again only a job the print system refused (one it took is never sent twice).
 */
import { PrintQueueError } from '../../print/queue';
import type { CallContext } from '../dispatch';
import { KioskError } from '../result';
import { unavailable, type HandlerContext, type HandlerMap } from './context';

/** The bundle's receipt as the desk prints and saves it (one renderer for `receiptPdf` and `printReceipt`). */
export async function renderReceiptPdf(c: HandlerContext, registrationId: string, ctx: CallContext): Promise<Buffer> {
  const { deps, store, hospital } = c;
  if (!deps.receipts) throw unavailable('receipt printing');
  const d = c.loadDetail(registrationId);
  const clerk = store.staff.get(d.registration.clerkId);
  return deps.receipts.render({
    registration: d.registration,
    requests: d.requests,
    hospitalName: hospital.name,
    clerkName: clerk?.displayName ?? ctx.actor?.displayName ?? d.registration.clerkId,
    training: c.training,
    now: c.now(),
  });
}

function queueError(e: unknown): unknown {
  if (!(e instanceof PrintQueueError)) return e;
  return e.code === 'unknown_job'
    ? new KioskError('not_found', { en: 'No such print job on this desk (it may be an old one): print the receipt again.', zh: '本机没有这个打印任务（可能已过期），请重新打印回执。' })
    : new KioskError('not_allowed', {
        en: 'This job already reached the print service, so it is not sent again (no double receipt): print the receipt again if nothing came out.',
        zh: '该任务已送到打印服务，不再重复发送（避免重复打印）；如未打出，请重新打印回执。',
      });
}

export function printHandlers(c: HandlerContext) {
  const queue = () => {
    if (!c.deps.print) throw unavailable('Printing');
    return c.deps.print;
  };
  return {
    printReceipt: async ({ registrationId }, ctx) => {
      const q = queue();
      const pdf = await renderReceiptPdf(c, registrationId, ctx);
      return q.submit(pdf, { tag: registrationId });
    },
    printStatus: () => queue().status(),
    printRetry: async ({ jobId }) => {
      try {
        return await queue().retry(jobId);
      } catch (e) {
        throw queueError(e);
      }
    },
  } satisfies HandlerMap;
}
