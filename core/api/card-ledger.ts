/**
 * The chip-verified mark is the desk's word, never the page's (devices area). The ledger remembers, in memory
 * and for a bounded time, a keyed digest of each card the desk's own readers read (each `idCardRead` on the event
 * hub): the card's document and, per verified field, its value. Before a draft is saved or a bundle submitted, each
 * parent's `chip` is vouched for: kept (with the provenance the desk recorded) only when the parent's document is
 * one the desk read and only for the fields whose value is still the card's; otherwise it is dropped and the
 * parent's ID evidence is downgraded from `id_reader` to `manual`. A draft the desk saved earlier (already vouched
 * then) vouches for a later submit of the same registration, so a draft resumed after the ledger forgot is still
 * verified. Only digests are kept: no name or ID number in clear, and the key dies with the process.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IdCardRead } from '../../domain/devices';
import type { ChipProvenance } from '../../domain/types';
import type { EventHub } from './events';

type Who = 'mother' | 'father';
const WHO: Who[] = ['mother', 'father'];

export interface CardLedgerOptions {
  /** How long a card read vouches for a form (default 2 hours). */
  ttlMs?: number;
  /** At most this many cards remembered (oldest forgotten first; default 256). */
  max?: number;
  now?: () => number;
}

interface CardRecord {
  at: number;
  chip: ChipProvenance;
  /** Digest of each verified field's value on the card. */
  fields: Map<string, string>;
}

/** What vouches for one parent: the provenance to keep, and whether a field's value is still the card's. */
interface Reference {
  chip: ChipProvenance;
  matches(field: string, value: unknown): boolean;
}

export interface CardLedger {
  remember(read: IdCardRead): void;
  /** A draft's form values (`data` of saveDraft) with every parent's chip vouched for. */
  vouchDraft(data: Record<string, unknown>): Record<string, unknown>;
  /** A submitted input with every parent's chip vouched for; `saved` is the desk's own draft of it, if any. */
  vouchInput<T extends object>(input: T, saved?: Record<string, unknown> | null): T;
  /** Sign-out: forget every card. */
  clear(): void;
  readonly size: number;
}

const norm = (v: unknown): string => (typeof v === 'string' ? v.trim().toUpperCase() : v === undefined || v === null ? '' : String(v));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createCardLedger(options: CardLedgerOptions = {}): CardLedger {
  const ttlMs = options.ttlMs ?? 2 * 3600_000;
  const max = options.max ?? 256;
  const now = options.now ?? Date.now;
  const key = randomBytes(32);
  const digest = (...parts: string[]) => createHmac('sha256', key).update(parts.join('\0')).digest('base64url');
  const cards = new Map<string, CardRecord>();
  const docKey = (p: Record<string, unknown>) => digest('doc', norm(p.docType), norm(p.docNumber));

  function lookup(p: Record<string, unknown>): Reference | null {
    const rec = cards.get(docKey(p));
    if (!rec) return null;
    if (now() - rec.at > ttlMs) {
      cards.delete(docKey(p));
      return null;
    }
    return { chip: rec.chip, matches: (f, v) => rec.fields.get(f) === digest('field', f, norm(v)) };
  }

  function fromSaved(saved: Record<string, unknown> | null | undefined, who: Who, current: Record<string, unknown>): Reference | null {
    const p = saved?.[who];
    if (!isObj(p) || !isObj(p.chip)) return null;
    if (norm(p.docType) !== norm(current.docType) || norm(p.docNumber) !== norm(current.docNumber)) return null;
    return { chip: p.chip as unknown as ChipProvenance, matches: (f, v) => norm(p[f]) === norm(v) };
  }

  /** The parent with its chip vouched for (or removed); `verified` tells whether any provenance stayed. */
  function vouchParent(p: Record<string, unknown>, refs: (Reference | null)[], removed: null | undefined): { parent: Record<string, unknown>; verified: boolean } {
    const claimed = p.chip;
    if (!isObj(claimed)) return { parent: p, verified: false };
    const asked = Array.isArray(claimed.verifiedFields) ? claimed.verifiedFields.filter((f): f is string => typeof f === 'string') : [];
    for (const ref of refs) {
      if (!ref) continue;
      const verifiedFields = ref.chip.verifiedFields.filter((f) => asked.includes(f) && ref.matches(f, p[f]));
      return { parent: { ...p, chip: { ...ref.chip, verifiedFields } }, verified: true };
    }
    const { chip: _dropped, ...rest } = p;
    return { parent: removed === null ? { ...rest, chip: null } : rest, verified: false };
  }

  return {
    remember(read) {
      const chip = read.parent.chip;
      if (!chip) return;
      const p = read.parent as unknown as Record<string, unknown>;
      const fields = new Map(chip.verifiedFields.map((f) => [f, digest('field', f, norm(p[f]))]));
      const k = docKey(p);
      cards.delete(k);
      cards.set(k, { at: now(), chip, fields });
      while (cards.size > max) cards.delete(cards.keys().next().value!);
    },

    vouchDraft(data) {
      const out: Record<string, unknown> = { ...data };
      const evidences = isObj(data.evidences) ? { ...data.evidences } : null;
      for (const who of WHO) {
        const p = data[who];
        if (!isObj(p) || !isObj(p.chip)) continue;
        const { parent, verified } = vouchParent(p, [lookup(p)], null);
        out[who] = parent;
        const ev = evidences?.[`${who}_id`];
        if (!verified && evidences && isObj(ev) && ev.capture === 'id_reader') evidences[`${who}_id`] = { ...ev, capture: 'manual' };
      }
      if (evidences) out.evidences = evidences;
      return out;
    },

    vouchInput(input, saved) {
      const data = input as unknown as Record<string, unknown>;
      const out: Record<string, unknown> = { ...data };
      const downgraded = new Set<string>();
      for (const who of WHO) {
        const p = data[who];
        if (!isObj(p) || !isObj(p.chip)) continue;
        const { parent, verified } = vouchParent(p, [lookup(p), fromSaved(saved, who, p)], undefined);
        out[who] = parent;
        if (!verified) downgraded.add(`${who}_id`);
      }
      if (downgraded.size > 0 && Array.isArray(data.evidences)) {
        out.evidences = data.evidences.map((e: unknown) => (isObj(e) && downgraded.has(String(e.kind)) && e.capture === 'id_reader' ? { ...e, capture: 'manual' } : e));
      }
      return out as typeof input;
    },

    clear: () => cards.clear(),
    get size() {
      return cards.size;
    },
  };
}

/** The ledger fed by the desk's event hub: every card read is remembered, a sign-out forgets them all. */
export function attachCardLedger(events: EventHub, options?: CardLedgerOptions): CardLedger {
  const ledger = createCardLedger(options);
  events.subscribe((event, payload) => {
    if (event === 'idCardRead') ledger.remember(payload as IdCardRead);
    else if (event === 'sessionChanged' && isObj(payload) && !payload.staff) ledger.clear();
  });
  return ledger;
}
