/**
 * The link's health as the clerk should see it: every call's result is an observation. A proper answer (2xx, or
 * a 4xx refusing one request) makes the link `online` and is the last good exchange; no answer makes it
 * `offline`; an answer that is not proper (5xx, 429, TLS, refused credentials, malformed, protocol refused) makes
 * it `degraded`. The reason is a code (domain/syncreasons.ts) the UI translates; nothing of the server's text.
 */
import { linkStateOf, syncReasonOfText, type SyncLinkState, type SyncReason } from '../../domain/syncreasons';
import type { CallResult, CityClient } from './city-client';

/** The reason a call's result gives (null: a proper answer; undefined: says nothing, e.g. the engine stopped). */
export function reasonOfResult(r: CallResult): SyncReason | null | undefined {
  switch (r.kind) {
    case 'ok':
    case 'permanent':
      return null;
    case 'transient':
      if (r.network) return syncReasonOfText(r.reason) ?? 'network';
      if (r.status === 429) return 'rate_limited';
      if (r.status !== null && r.status >= 500) return 'server_error';
      return r.status !== null && r.status >= 200 && r.status < 300 ? 'malformed' : 'server_error';
    case 'auth':
      return 'auth_refused';
    case 'upgrade':
      return 'upgrade_required';
    case 'stopped':
      return undefined;
  }
}

export interface LinkHealth {
  readonly state: SyncLinkState;
  readonly reason: SyncReason | null;
  readonly lastGoodAt: string | null;
  observe(r: CallResult): void;
  /** A failure of the desk's own (database, bug) during a cycle. */
  internal(): void;
}

export function createLinkHealth(now: () => Date): LinkHealth {
  let reason: SyncReason | null = 'not_yet';
  let lastGoodAt: string | null = null;
  return {
    get state() {
      return linkStateOf(reason);
    },
    get reason() {
      return reason;
    },
    get lastGoodAt() {
      return lastGoodAt;
    },
    observe(r) {
      const x = reasonOfResult(r);
      if (x === undefined) return;
      reason = x;
      if (x === null) lastGoodAt = now().toISOString();
    },
    internal() {
      reason = 'internal';
    },
  };
}

/** The client with every call's result observed. */
export function observedClient(client: CityClient, health: LinkHealth): CityClient {
  const seen = async (p: Promise<CallResult>) => {
    const r = await p;
    health.observe(r);
    return r;
  };
  return {
    postBatch: (body) => seen(client.postBatch(body)),
    statusUpdates: (since, limit) => seen(client.statusUpdates(since, limit)),
    dropToken: () => client.dropToken(),
  };
}
