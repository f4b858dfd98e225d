/**
 * Defaults that save the clerk keystrokes: the declared district read from the parents' card address (or the
 * ID number's address code), the guardian from the mother, the evidences from what the devices captured.
 * Suggestions only: the UI pre-fills them and the clerk can change them.
 */
import { DISTRICTS, EVIDENCE_KINDS, type CaptureMethod, type DistrictCode, type EvidenceKind } from './codes';
import { maskIdNumber, normalizeDocNumber, upgradeId15 } from './idnumber';
import type { Evidence } from './types';

type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : undefined);

export type DistrictSource = 'mother.address' | 'father.address' | 'mother.docNumber' | 'father.docNumber';
export interface DistrictSuggestion {
  district: DistrictCode;
  source: DistrictSource;
  /** Other districts the parents' cards point to (one tap in the UI), without the suggested one. */
  alternatives: { district: DistrictCode; source: DistrictSource }[];
}

/** Former names still printed on older cards: 洞头县 became 洞头区 (2015); 苍南县龙港镇 became 龙港市 (2019). */
const LEGACY_NAMES: [string, DistrictCode][] = [
  ['苍南县龙港镇', '330383'],
  ['洞头县', '330305'],
];
/** Former address codes still in older ID numbers (洞头县 330322 → 洞头区 330305). */
const LEGACY_CODES: Record<string, DistrictCode> = { '330322': '330305' };

/** The Wenzhou district an address is in (`浙江省温州市鹿城区…`, `浙江省瑞安市…`, `苍南县龙港镇…`), or null. */
export function districtFromAddress(address: unknown): DistrictCode | null {
  if (typeof address !== 'string') return null;
  const rest = address.replace(/[\s\u3000]+/g, '').replace(/^浙江省?/, '').replace(/^温州市/, '');
  for (const [name, code] of LEGACY_NAMES) if (rest.startsWith(name)) return code;
  for (const [code, d] of Object.entries(DISTRICTS) as [DistrictCode, (typeof DISTRICTS)[DistrictCode]][]) {
    if (rest.startsWith(d.zh)) return code;
  }
  return null;
}

/** The Wenzhou district of a resident ID number's address code (first 6 digits), or null. */
export function districtFromIdNumber(docNumber: unknown): DistrictCode | null {
  let n = normalizeDocNumber(docNumber);
  if (/^\d{15}$/.test(n)) n = upgradeId15(n)!;
  if (!/^\d{17}[\dX]$/.test(n)) return null;
  const code = n.slice(0, 6);
  if (code in DISTRICTS) return code as DistrictCode;
  return LEGACY_CODES[code] ?? null;
}

/**
 * Suggests the district whose household register the child joins: from the mother's card address, then the
 * father's, then the address code of the mother's and the father's resident ID number. Null when none is in
 * Wenzhou (the clerk chooses).
 */
export function suggestDeclaredDistrict(mother: unknown, father: unknown): DistrictSuggestion | null {
  const m = obj(mother);
  const f = obj(father);
  const isResident = (p: Loose | undefined) => p?.docType === undefined || p.docType === 'resident_id';
  const found: { district: DistrictCode; source: DistrictSource }[] = [];
  const add = (district: DistrictCode | null, source: DistrictSource) => {
    if (district && !found.some((x) => x.district === district)) found.push({ district, source });
  };
  add(districtFromAddress(m?.address), 'mother.address');
  add(districtFromAddress(f?.address), 'father.address');
  if (isResident(m)) add(districtFromIdNumber(m?.docNumber), 'mother.docNumber');
  if (isResident(f)) add(districtFromIdNumber(f?.docNumber), 'father.docNumber');
  const [first, ...alternatives] = found;
  return first ? { ...first, alternatives } : null;
}

/** Guardian contact defaults: the mother, or the father when the mother has no phone. */
export function suggestGuardian(mother: unknown, father: unknown): { guardianName: string; guardianPhone: string } | null {
  for (const p of [obj(mother), obj(father)]) {
    if (typeof p?.name === 'string' && p.name.trim() && typeof p.phone === 'string' && p.phone.trim()) {
      return { guardianName: p.name.trim(), guardianPhone: p.phone.trim() };
    }
  }
  return null;
}

export interface Captures {
  /** The mother's data as entered: `chip` set when it came from the ID-card reader. */
  mother?: unknown;
  father?: unknown;
  /** Barcodes scanned at the desk (`barcodeScanned` events). */
  scans?: readonly { kind: string; value: string }[];
  /** Evidences the clerk ticked as seen (paper documents: marriage certificate, household booklet). */
  seen?: readonly EvidenceKind[];
}

const RANK: Record<CaptureMethod, number> = { id_reader: 3, scan: 2, manual: 1 };

/**
 * The evidences list from what was captured: a parent read from the card reader gives its ID evidence
 * (`id_reader`, reference masked), a typed-in parent `manual`; a scanned wristband `mother_wristband`;
 * ticked paper documents `manual`. One entry per kind (the best capture wins), in the reform's order.
 */
export function evidencesFromCaptures(c: Captures): Evidence[] {
  const best = new Map<EvidenceKind, Evidence>();
  const put = (e: Evidence) => {
    const cur = best.get(e.kind);
    if (!cur || RANK[e.capture] > RANK[cur.capture]) best.set(e.kind, e);
  };
  const parent = (p: unknown, kind: EvidenceKind) => {
    const o = obj(p);
    if (!o) return;
    const number = normalizeDocNumber(o.docNumber);
    if (!number) return;
    put({ kind, capture: obj(o.chip) ? 'id_reader' : 'manual', ref: maskIdNumber(number) });
  };
  parent(c.mother, 'mother_id');
  parent(c.father, 'father_id');
  for (const s of c.scans ?? []) {
    if (s.kind === 'wristband' && typeof s.value === 'string' && s.value.trim()) {
      put({ kind: 'mother_wristband', capture: 'scan', ref: s.value.trim().slice(0, 80) });
    }
  }
  for (const kind of c.seen ?? []) if ((EVIDENCE_KINDS as readonly string[]).includes(kind)) put({ kind, capture: 'manual' });
  return EVIDENCE_KINDS.flatMap((k) => (best.has(k) ? [best.get(k)!] : []));
}

/** The mother's inpatient number from the last wristband scanned, or null. */
export function inpatientNumberFromScans(scans: readonly { kind: string; value: string }[]): string | null {
  const last = [...scans].reverse().find((s) => s.kind === 'wristband' && typeof s.value === 'string' && s.value.trim());
  return last ? last.value.trim() : null;
}
