/** Registrations: submit a bundle, search and list, today at this desk, one registration's detail. */
import { v7 as uuidv7 } from 'uuid';
import type { RegistrationSummary as StoreSummary, SearchQuery as StoreSearchQuery } from '../../../db';
import { planRequests } from '../../../domain/bundle';
import type { Registration } from '../../../domain/types';
import type { RegistrationSummary } from '../contract';
import type { KioskHandlers } from '../dispatch';
import { KioskError } from '../result';
import { duplicatePolicy } from './bundle';
import type { HandlerContext, HandlerMap } from './context';
import { boundedStatedTime } from './stated-time';

export function registrationHandlers(c: HandlerContext) {
  const { store, deps, hospital } = c;
  return {
    submit: ({ registration: input, acknowledgeDuplicates, overrideDuplicate, confirmedAt }, ctx) => {
      const actor = c.actorOf(ctx);
      const statedAt = boundedStatedTime(confirmedAt, c.now());
      const value = c.validateForSubmit(input);
      const previous = store.registrations.get(value.id);
      const override = previous ? null : duplicatePolicy(store, value, { acknowledged: acknowledgeDuplicates, override: overrideDuplicate, ctx });
      const registration: Registration = {
        ...value,
        hospitalCode: hospital.code,
        deskId: c.config.deskId,
        clerkId: actor,
        createdAt: c.now().toISOString(),
      };
      // Exactly the chosen services, from the one rule table (validation passed, so none is skipped).
      const plan = planRequests(registration, { hospitalDistrict: hospital.district, newId: uuidv7 });
      if (plan.skipped.length > 0) {
        throw new KioskError(
          'invalid',
          { en: `${plan.skipped.length} chosen service(s) cannot be filed.`, zh: `有 ${plan.skipped.length} 项所选事项不能办理。` },
          { fields: plan.skipped.map((s) => ({ path: 'services', code: s.code, message: s.reason })) },
        );
      }
      const requests = plan.requests;
      const result = store.transaction('registrations.submit_bundle', () => {
        const r = store.registrations.submit({ registration, requests, actor, at: statedAt });
        if (r.created && override) {
          store.audit.append({
            actor,
            at: statedAt,
            action: 'registration.duplicate_override',
            subjectId: registration.id,
            details: { matches: override.matches, reason: override.reason },
          });
        }
        return r;
      });
      if (result.created) {
        c.logger.info('bundle submitted', { registrationId: registration.id, requests: requests.length });
        deps.sync?.poke();
      }
      return { ...c.detail(result.registration, result.requests), created: result.created };
    },

    listRegistrations: (query) => {
      const page = store.registrations.search(toStoreQuery(query));
      return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
    },

    todaySummary: () => {
      const start = new Date(c.now());
      start.setHours(0, 0, 0, 0);
      let cursor: string | undefined;
      let registrations = 0;
      let recent: RegistrationSummary[] = [];
      do {
        const page = store.registrations.search({ createdFrom: start.toISOString(), limit: 100, ...(cursor ? { cursor } : {}) });
        if (recent.length === 0) recent = page.items.slice(0, 10).map(toSummary);
        registrations += page.items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { registrations, countsByState: store.requests.countByState(), recent };
    },

    getRegistration: ({ id }) => c.loadDetail(id),
  } satisfies HandlerMap;
}

function toSummary(s: StoreSummary): RegistrationSummary {
  return {
    id: s.id,
    createdAt: s.createdAt,
    clerkId: s.clerkId,
    motherName: s.motherName,
    childName: s.childName,
    childBirthDateTime: s.childBirthDateTime,
    states: s.requests.map((r) => ({ service: r.service, state: r.state })),
  };
}

type ContractQuery = Parameters<KioskHandlers['listRegistrations']>[0];

/** The search box takes anything: an ID number, a certificate number, a phone, a bundle id or a name. */
export function toStoreQuery(q: ContractQuery): StoreSearchQuery {
  const out: StoreSearchQuery = { limit: q.limit };
  if (q.cursor) out.cursor = q.cursor;
  if (q.idNumber) out.parentDocNumber = q.idNumber;
  if (q.name) out.name = q.name;
  if (q.phone) out.phone = q.phone;
  if (q.bundleId) out.registrationId = q.bundleId;
  if (q.certificateNumber) out.birthCertificateNumber = q.certificateNumber.toUpperCase();
  if (q.from) out.createdFrom = localDayStart(q.from).toISOString();
  if (q.to) {
    const end = localDayStart(q.to);
    end.setDate(end.getDate() + 1);
    out.createdTo = end.toISOString();
  }
  if (q.state) out.states = [q.state];
  const text = q.text?.trim();
  if (text) {
    const compact = text.replace(/\s+/g, '');
    if (/^[A-Za-z]\d{9}$/.test(compact)) out.birthCertificateNumber = compact.toUpperCase();
    else if (/^(\d{17}[\dXx]|\d{15}|[A-Za-z]{3}\d{12})$/.test(compact)) out.parentDocNumber = compact.toUpperCase();
    // issue 12: the last 6 of an ID number (5 digits + X too), and passport / HK-Macau permit numbers
    else if (/^(\d{6}|\d{5}[Xx])$/.test(compact)) out.parentDocTail = compact.toUpperCase();
    else if (/^[A-Za-z]{1,2}\d{6,9}$/.test(compact)) out.parentDocNumber = compact.toUpperCase();
    else if (/^\+?\d[\d-]{6,}$/.test(compact)) out.phone = compact;
    else if (/^[0-9a-f]{8}(-[0-9a-f]{0,4}){0,4}[0-9a-f-]*$/i.test(compact) && compact.length >= 4) out.registrationId = compact.toLowerCase();
    else out.name = text;
  }
  return out;
}

function localDayStart(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 0, 0, 0, 0);
}
