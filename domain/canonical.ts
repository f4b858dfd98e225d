/**
 * Canonical JSON (sorted object keys, no whitespace, `undefined` members dropped): the one encoding the audit
 * hash chain, submit idempotency (db/) and the city simulator's duplicate/conflict fingerprint hash. Small on
 * purpose: the audit chain must hash the same bytes forever, so it does not depend on a third-party
 * serializer's future behaviour. Pure (the SHA-256 is the caller's: domain/ has no Node built-in).
 */
export function canonicalJSON(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJSON: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v) => (v === undefined ? 'null' : canonicalJSON(v))).join(',')}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJSON: cannot encode ${typeof value}`);
  }
}
