/**
 * Why the desk is not exchanging properly with the city, as codes the UI turns into the clerk's language
 * (`sync.reason.<code>` in the locale files). One list, used by the sync engine (its `reason` field), the
 * indicator, and the request timeline (which reads the technical `lastError` kept for IT through
 * `syncReasonOfText`).
 *
 * The link's state: `online` (the city answers properly), `offline` (no answer at all: connection refused, reset,
 * timed out), `degraded` (the city answers, but not properly: 5xx, 429, a TLS or credentials failure, a malformed
 * answer, or it refuses the desk's protocol).
 */
import { z } from 'zod';

export const SYNC_LINK_STATES = ['online', 'offline', 'degraded'] as const;
export const SyncLinkStateSchema = z.enum(SYNC_LINK_STATES);
export type SyncLinkState = z.infer<typeof SyncLinkStateSchema>;

export const SYNC_REASONS = [
  'not_yet',
  'network',
  'timeout',
  'tls',
  'server_error',
  'rate_limited',
  'auth_refused',
  'malformed',
  'upgrade_required',
  'internal',
] as const;
export const SyncReasonSchema = z.enum(SYNC_REASONS);
export type SyncReason = z.infer<typeof SyncReasonSchema>;

/** The state a reason puts the link in. */
export function linkStateOf(reason: SyncReason | null): SyncLinkState {
  if (reason === null) return 'online';
  return reason === 'network' || reason === 'timeout' || reason === 'not_yet' ? 'offline' : 'degraded';
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/i;

/** A network failure's cause code (e.g. ECONNREFUSED, CERT_HAS_EXPIRED): TLS problems are told apart. */
export function networkReasonOf(code: string | null | undefined, timedOut: boolean): SyncReason {
  if (timedOut) return 'timeout';
  return code && TLS_CODE.test(code) ? 'tls' : 'network';
}

/** The technical text the engine keeps on a request (`lastError`) as a reason code, or null when it is not one. */
export function syncReasonOfText(text: string | null | undefined): SyncReason | null {
  if (!text) return null;
  if (/^timed out/.test(text)) return 'timeout';
  const net = /^network error(?: \(([^)]+)\))?/.exec(text);
  if (net) return networkReasonOf(net[1], false);
  if (/^(?:HTTP )?429\b/.test(text)) return 'rate_limited';
  if (/^(?:HTTP |unexpected HTTP )?5\d\d\b/.test(text)) return 'server_error';
  if (/credentials|freshly issued token/.test(text)) return 'auth_refused';
  if (/malformed|larger than|without a usable result|without a server id/.test(text)) return 'malformed';
  if (/must be upgraded/.test(text)) return 'upgrade_required';
  return null;
}
