/**
 * The city's CA pinned by IT (issue 13): hospital networks often put the city API behind their own CA. With
 * `cityApi.caFile` set, the desk's HTTP client for the city trusts that CA and nothing else (undici's Agent with
 * `connect.ca`); without it, the system's roots. Either way an untrusted certificate is a clear sync error.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';

/** A fetch for the city that trusts only the CA in `caFile` (PEM). */
export function pinnedCaFetch(caFile: string): { fetch: typeof fetch; close(): Promise<void> } {
  const ca = readFileSync(caFile, 'utf8');
  const dispatcher = new Agent({ connect: { ca } });
  const pinned = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
  return { fetch: pinned, close: () => dispatcher.close() };
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|ERR_TLS/;

/** A clear reason for a TLS failure (the certificate is not trusted), or null for other network errors. */
export function tlsReason(code: string | undefined): string | null {
  if (!code || !CERT_CODES.test(code)) return null;
  return `the city's certificate is not trusted (${code}): IT can pin the city's CA with cityApi.caFile`;
}
