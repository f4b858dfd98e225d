/**
 * SHA-256 of a text (canonical JSON from domain/canonical.ts), for the audit hash chain and submit idempotency.
 */
import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
