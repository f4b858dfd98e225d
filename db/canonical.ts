/**
 * Canonical JSON (domain/canonical.ts) and SHA-256, for the audit hash chain and submit idempotency.
 */
import { createHash } from 'node:crypto';

export { canonicalJSON } from '../domain/canonical';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
