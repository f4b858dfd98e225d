/**
 * The bundle as the clerk agrees it with the family (issue 12): which services are asked for by default, and —
 * for what is chosen — what will be filed, what is blocked (and at which field), and what the clerk declined
 * with a reason. Computed synchronously from the entry itself, from the one rule table (`SERVICE_RULES`), so
 * the review, the submit and the desk's handler all see the same list.
 */
import { SERVICES, type Service } from './codes';
import { SERVICE_RULES } from './bundle';
import type { Localized } from './idnumber';

type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : undefined);

export interface Declined {
  service: Service;
  reason: string;
}

export interface BundleLine {
  service: Service;
  state: 'filed' | 'blocked' | 'declined';
  /** blocked: the field to fill (or `services`); declined: null. */
  field: string | null;
  code: string | null;
  reason: Localized | null;
  /** declined: the clerk's reason, printed on the receipt. */
  declinedReason: string | null;
}

/** The services a family asks for unless the clerk chooses otherwise: all five, minus those a fact rules out. */
export function askedByDefault(entry: unknown): Service[] {
  const withAll = { ...(obj(entry) ?? {}), services: [...SERVICES] };
  return SERVICE_RULES.filter((rule) => {
    try {
      const a = rule.applies(withAll);
      return a.ok || a.kind === 'missing';
    } catch {
      return true;
    }
  }).map((r) => r.service);
}

export function declinedOf(entry: unknown): Declined[] {
  const d = obj(entry)?.declined;
  if (!Array.isArray(d)) return [];
  return d.flatMap((x) => {
    const o = obj(x);
    return o && typeof o.service === 'string' && (SERVICES as readonly string[]).includes(o.service) && typeof o.reason === 'string'
      ? [{ service: o.service as Service, reason: o.reason }]
      : [];
  });
}

/** Per service, in order: the chosen ones (filed or blocked) and the declined ones. Never throws. */
export function bundleLines(entry: unknown): BundleLine[] {
  const e = obj(entry) ?? {};
  const chosen = new Set(Array.isArray(e.services) ? (e.services as unknown[]).filter((s): s is Service => typeof s === 'string') : []);
  const declined = new Map(declinedOf(e).map((d) => [d.service, d.reason]));
  const out: BundleLine[] = [];
  for (const rule of SERVICE_RULES) {
    const s = rule.service;
    if (chosen.has(s)) {
      let a;
      try {
        a = rule.applies(e);
      } catch {
        a = { ok: false as const, code: 'draft.unreadable', reason: { zh: '登记信息无法读取', en: 'The entry could not be read' }, field: '', kind: 'ineligible' as const };
      }
      out.push(a.ok ? line(s, 'filed') : { ...line(s, 'blocked'), field: a.field, code: a.code, reason: a.reason });
    } else if (declined.has(s)) {
      out.push({ ...line(s, 'declined'), declinedReason: declined.get(s)! });
    }
  }
  return out;
}

const line = (service: Service, state: BundleLine['state']): BundleLine => ({ service, state, field: null, code: null, reason: null, declinedReason: null });
