/** One service request: retry a held one, amend and resubmit, print the bundle's receipt. */
import { v7 as uuidv7 } from 'uuid';
import { deriveRequests } from '../../../domain/bundle';
import type { Registration } from '../../../domain/types';
import { KioskError } from '../result';
import { notFound, toServiceRequest, type HandlerContext, type HandlerMap } from './context';
import { renderReceiptPdf } from './print';
import { boundedStatedTime } from './stated-time';

export function requestHandlers(c: HandlerContext) {
  const { store, deps, hospital } = c;
  return {
    retryRequest: ({ requestId, confirmedAt }, ctx) => {
      const r = store.requests.retry(requestId, { actor: c.actorOf(ctx), at: boundedStatedTime(confirmedAt, c.now()) });
      deps.sync?.poke();
      return toServiceRequest(r);
    },

    amendRequest: ({ requestId, registration: input, confirmedAt }, ctx) => {
      const actor = c.actorOf(ctx);
      const request = store.requests.get(requestId);
      if (!request) throw notFound('request');
      const stored = store.registrations.get(request.registrationId);
      if (!stored) throw notFound('registration');
      if (input.id !== stored.id) {
        throw new KioskError('bad_request', { en: 'The corrected entry belongs to another registration.', zh: '更正内容不属于这条登记。' }, {
          fields: [{ path: 'registration.id', code: 'mismatch', message: { en: 'must be the id of the request\'s registration', zh: '必须是该申请所属登记的编号' } }],
        });
      }
      const value = c.validateForSubmit(input);
      const amended: Registration = { ...stored, ...value };
      const derived = deriveRequests(amended, { hospitalDistrict: hospital.district, newId: uuidv7 }).find((r) => r.service === request.service);
      if (!derived) {
        throw new KioskError('not_allowed', {
          en: 'With this correction the service no longer applies; nothing was resubmitted.',
          zh: '按更正后的内容，该业务不再适用，未重新提交。',
        });
      }
      // issue 12: the correction goes into the registration too (search, the receipt, the other requests)
      store.amendments.amend({ registration: amended, requestId, payload: derived.payload }, { actor, at: boundedStatedTime(confirmedAt, c.now()) });
      deps.sync?.poke();
      return c.loadDetail(stored.id);
    },

    receiptPdf: async ({ registrationId }, ctx) => {
      const pdf = await renderReceiptPdf(c, registrationId, ctx);
      return { fileName: `receipt-${registrationId}.pdf`, base64: pdf.toString('base64') };
    },
  } satisfies HandlerMap;
}
