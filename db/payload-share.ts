/**
 * Issue 14: a bundle's payloads repeat the same leading members (who files, the mother, the father, the child)
 * once per service. That shared head is stored once, in `payload_heads.head` (text ending in `,`, keyed by the
 * registration's seq),
 * and a request whose payload starts with it stores only the rest, as a JSON object `{` + rest
 * (`service_requests.payload_shared = 1`). The payload's text is `head + stored.slice(1)`: plain string splicing,
 * so the bytes read back (and sent, on every retry of a key) are exactly the bytes that were split. The head of a
 * registration is written once at submit and never changed (an amendment replaces the document, not the head).
 * Rows with `payload_shared = 0` (every row written before migration 11, amended payloads that no longer start
 * with the head) hold their whole payload.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

/**
 * The payload text in SQL, for readers that select rows themselves (tests, benches): the whole payload of the
 * row of `service_requests` in scope.
 */
export const FULL_PAYLOAD_SQL = `CASE WHEN service_requests.payload_shared = 1 THEN (SELECT h.head FROM registrations r
  JOIN payload_heads h ON h.seq = r.seq WHERE r.id = service_requests.registration_id) || substr(service_requests.payload, 2)
  ELSE service_requests.payload END`;

/**
 * The leading members every payload of a bundle has, in the same place with the same value, as text ending in
 * `,`; null when fewer than two payloads share anything (or nothing would be left of one of them).
 */
export function sharedHead(payloads: readonly Record<string, unknown>[], texts: readonly string[]): string | null {
  if (payloads.length < 2) return null;
  const first = payloads[0]!;
  const keyLists = payloads.map((p) => Object.keys(p));
  let head = '{';
  let members = 0;
  for (const [i, k] of keyLists[0]!.entries()) {
    const v = JSON.stringify(first[k]);
    if (v === undefined || !keyLists.every((keys, j) => keys[i] === k && JSON.stringify(payloads[j]![k]) === v)) break;
    head += `${JSON.stringify(k)}:${v},`;
    members += 1;
  }
  if (members === 0) return null;
  return texts.every((t) => t.startsWith(head) && t.length > head.length + 1) ? head : null;
}

/** What to store for a payload's text: the rest after `head` (as `{` + rest) when it starts with it, else all of it. */
export function splitPayload(text: string, head: string | null): { stored: string; shared: 0 | 1 } {
  if (head !== null && text.length > head.length + 1 && text.startsWith(head)) return { stored: `{${text.slice(head.length)}`, shared: 1 };
  return { stored: text, shared: 0 };
}

export interface StoredPayloadRow {
  registration_id: string;
  payload: string;
  payload_shared: number;
}

export function createPayloadReader(db: Database) {
  const headOf = db
    .prepare(`SELECT h.head FROM registrations r JOIN payload_heads h ON h.seq = r.seq WHERE r.id = ?`)
    .pluck();
  const head = (registrationId: string): string | null => (headOf.get(registrationId) as string | null | undefined) ?? null;
  return {
    /** The head of a registration's payloads (null: none stored). */
    head,
    /** The payload's whole text. */
    full(row: StoredPayloadRow, knownHead?: string | null): string {
      if (row.payload_shared !== 1) return row.payload;
      const h = knownHead === undefined ? head(row.registration_id) : knownHead;
      if (h === null) throw new Error(`request of registration ${row.registration_id} has a shared payload but no head`);
      return h + row.payload.slice(1);
    },
  };
}

export type PayloadReader = ReturnType<typeof createPayloadReader>;
