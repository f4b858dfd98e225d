/**
 * The bundle area (issue 12): duplicates told apart, and a service added to a filed registration.
 * - A registration for the same mother and the same birth minute that is not a sibling of a multiple birth is
 *   the same baby: blocked; only a supervisor may override it, with a reason, audited in the submit's
 *   transaction. Other matches (a birth within 270 days) stay a warning the clerk acknowledges.
 * - `addService` validates the stored entry with the service added, derives its one request from the rule
 *   table and stores it with its audit event in one transaction.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../../db';
import { planRequests } from '../../../domain/bundle';
import { SERVICE_PHRASES } from '../../../domain/codes';
import type { Registration, RegistrationInput } from '../../../domain/types';
import type { DuplicateMatch, Role } from '../contract';
import type { CallContext } from '../dispatch';
import { KioskError } from '../result';
import type { HandlerContext, HandlerMap } from './context';
import { toServiceRequest } from './context';

const RANK: Record<Role, number> = { clerk: 1, supervisor: 2, admin: 3 };

/** The matches with what the dialog shows: the other child's name, its desk, and whether it is the same birth. */
export function describeMatches(store: Store, matches: DuplicateMatch[], birthDateTime: string): DuplicateMatch[] {
  return matches.map((m) => {
    const other = store.registrations.get(m.registrationId);
    return {
      ...m,
      sameBirth: m.childBirthDateTime === birthDateTime,
      childName: other?.child.name?.trim() || null,
      deskId: other?.deskId ?? null,
    };
  });
}

export function findMatches(store: Store, value: RegistrationInput): DuplicateMatch[] {
  const matches = store.registrations.findDuplicates({
    motherDocType: value.mother.docType,
    motherDocNumber: value.mother.docNumber,
    childBirthDateTime: value.child.birthDateTime,
    plurality: value.child.plurality,
    birthOrder: value.child.birthOrder,
    excludeRegistrationId: value.id,
  });
  return describeMatches(store, matches, value.child.birthDateTime);
}

/**
 * Throws when the submit may not go ahead: the same baby (unless a supervisor overrides with a reason) or,
 * not acknowledged, a possible duplicate. Returns the override to audit, if one was used.
 */
export function duplicatePolicy(
  store: Store,
  value: RegistrationInput,
  opts: { acknowledged: boolean; override: { reason: string } | undefined; ctx: CallContext },
): { reason: string; matches: string[] } | null {
  const matches = findMatches(store, value);
  if (matches.length === 0) return null;
  const same = matches.filter((m) => m.sameBirth);
  if (same.length > 0) {
    if (!opts.override) {
      throw new KioskError(
        'duplicate_birth',
        {
          en: 'This baby is already registered: the same mother and the same minute of birth, not a multiple birth. It is not filed again; a supervisor may override with a reason.',
          zh: '这名新生儿已登记：同一母亲、同一出生时间（精确到分钟），且不是多胎。不再重复提交；如确需提交，须由主管填写理由后放行。',
        },
        { detail: { matches, blocked: true } },
      );
    }
    const role = opts.ctx.actor?.role ?? 'clerk';
    if (RANK[role] < RANK.supervisor) {
      throw new KioskError(
        'forbidden',
        { en: 'Only a supervisor can override a same-birth duplicate.', zh: '只有主管可以放行同一出生的重复登记。' },
        { detail: { matches, blocked: true } },
      );
    }
    return { reason: opts.override.reason, matches: same.map((m) => m.registrationId) };
  }
  if (!opts.acknowledged && !opts.override) {
    throw new KioskError(
      'duplicate_birth',
      {
        en: 'This mother already has a child registered in the last 270 days. Check it is not the same child; if it is a new birth, confirm to submit.',
        zh: '该母亲在 270 天内已登记过新生儿。请核对是否为同一新生儿；如确为新出生，请确认后提交。',
      },
      { detail: { matches, blocked: false } },
    );
  }
  return null;
}

export function bundleHandlers(c: HandlerContext) {
  const { store, deps, hospital } = c;
  return {
    checkDuplicates: (q) => {
      const matches = store.registrations.findDuplicates(q);
      return describeMatches(store, matches, q.childBirthDateTime);
    },

    addService: ({ registrationId, service, confirmedAt }, ctx) => {
      const actor = c.actorOf(ctx);
      const stored = store.registrations.get(registrationId);
      if (!stored) throw new KioskError('not_found', { en: 'No registration with that id on this desk.', zh: '本机没有这条登记。' });
      const filed = store.requests.listForRegistration(registrationId).map((r) => r.service);
      if (filed.includes(service)) {
        throw new KioskError('conflict', { en: `${SERVICE_PHRASES[service].en} is already filed for this registration.`, zh: `${SERVICE_PHRASES[service].zh}已经办理。` });
      }
      const { hospitalCode, deskId, clerkId, createdAt, ...input } = stored;
      const services = [...new Set([...filed, service])];
      const value = c.validateForSubmit({ ...input, services, declined: (input.declined ?? []).filter((d) => d.service !== service) });
      const reg: Registration = { ...value, hospitalCode, deskId, clerkId, createdAt };
      const plan = planRequests(reg, { hospitalDistrict: hospital.district, newId: uuidv7 });
      const request = plan.requests.find((r) => r.service === service);
      if (!request) {
        const why = plan.skipped.find((s) => s.service === service)?.reason;
        throw new KioskError('not_allowed', { en: `${SERVICE_PHRASES[service].en} cannot be filed: ${why?.en ?? ''}`, zh: `${SERVICE_PHRASES[service].zh}不能办理：${why?.zh ?? ''}` });
      }
      const added = store.bundle.addRequest({ registrationId, request, actor, at: confirmedAt });
      c.logger.info('service added', { registrationId, service });
      deps.sync?.poke();
      return toServiceRequest(added);
    },
  } satisfies HandlerMap;
}
