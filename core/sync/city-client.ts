/**
 * The city API over HTTP, as the sync engine needs it: client-credentials token (renewed on 401), batch
 * intake and the status feed. Every call carries `X-Client-Protocol`, has an AbortSignal timeout covering the
 * whole exchange (body included), reads at most `maxResponseBytes`, and reports the answer's `Date` header for
 * the clock-drift check. Nothing here throws for what the network or the server does: each call answers with
 * a `CallResult` the engine maps to states (ok / transient / permanent / upgrade / auth).
 *
 * Uses the global `fetch` (undici, keep-alive) unless one is injected (tests wrap it to misbehave).
 */
import { CLIENT_PROTOCOL, PATHS, PROTOCOL_HEADER, ProblemSchema, TokenResponseSchema, type Problem } from './wire';
import { parseRetryAfter } from './backoff';
import { tlsReason } from './tls';

export type CallResult =
  | { kind: 'ok'; status: number; body: unknown }
  /** Worth retrying: network error, timeout, 408/409/425/429/5xx, a body that is not the JSON promised. */
  | { kind: 'transient'; status: number | null; reason: string; retryAfterMs: number | null; network: boolean }
  /** The city refuses this call as it is (4xx): retrying the same thing will not help. */
  | { kind: 'permanent'; status: number; reason: string; problem: Problem | null }
  /** 426: this desk's protocol is no longer accepted. */
  | { kind: 'upgrade'; reason: string }
  /** The city refuses the desk's credentials. */
  | { kind: 'auth'; reason: string }
  /** The engine is stopping. */
  | { kind: 'stopped' };

export interface CityClientOptions {
  url: string;
  clientId: string;
  secret: string;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Desk clock, ms. */
  now: () => number;
  /** Aborted when the engine stops. */
  signal: AbortSignal;
  maxResponseBytes: number;
  /** Every HTTP answer (any status): its Date header and the desk time it arrived. */
  onAnswer(dateHeader: string | null, deskMs: number): void;
  /** No HTTP answer at all (connection refused/reset, timeout). */
  onNoAnswer(): void;
}

export interface CityClient {
  postBatch(body: string): Promise<CallResult>;
  statusUpdates(since: string | null, limit: number): Promise<CallResult>;
  /** Forget the token (tests; a changed secret). */
  dropToken(): void;
}

interface Raw {
  status: number;
  headers: Headers;
  text: string | null; // null: over the size cap
}

type Exchange = { ok: true; res: Raw } | { ok: false; result: CallResult };

const TRANSIENT_STATUS = new Set([408, 409, 425, 429]);

function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; name?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  const code = err?.cause?.code ?? err?.cause?.name;
  const tls = tlsReason(err?.cause?.code); // setup area: an untrusted certificate says so
  if (tls) return tls;
  return code ? `network error (${code})` : 'network error';
}

async function readCapped(res: Response, cap: number): Promise<string | null> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => {});
    return null;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseProblem(text: string | null): Problem | null {
  if (!text) return null;
  try {
    const p = ProblemSchema.safeParse(JSON.parse(text));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}

export function createCityClient(o: CityClientOptions): CityClient {
  const base = o.url.replace(/\/+$/, '');
  let token: { value: string; renewAt: number } | null = null;

  async function exchange(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Exchange> {
    if (o.signal.aborted) return { ok: false, result: { kind: 'stopped' } };
    const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]);
    try {
      const res = await o.fetch(`${base}${path}`, {
        method,
        headers: { [PROTOCOL_HEADER]: String(CLIENT_PROTOCOL), Accept: 'application/json, application/problem+json', ...headers },
        body,
        signal,
        redirect: 'manual',
      });
      o.onAnswer(res.headers.get('date'), o.now());
      const text = await readCapped(res, o.maxResponseBytes);
      return { ok: true, res: { status: res.status, headers: res.headers, text } };
    } catch (e) {
      if (o.signal.aborted) return { ok: false, result: { kind: 'stopped' } };
      o.onNoAnswer();
      return { ok: false, result: { kind: 'transient', status: null, reason: networkReason(e), retryAfterMs: null, network: true } };
    }
  }

  /** Maps a non-2xx answer (other than 401, handled by the caller) to a result. */
  function failure(res: Raw): CallResult {
    const problem = parseProblem(res.text);
    const what = problem ? `${res.status} ${problem.title}` : `HTTP ${res.status}`;
    if (res.status === 426) {
      const range = problem?.supportedProtocols;
      return {
        kind: 'upgrade',
        reason:
          `此登记台程序版本过旧，市级接口已不再接受（协议 ${CLIENT_PROTOCOL}${range ? `，接受 ${range.min}–${range.max}` : ''}）：请升级登记台。 ` +
          `The city API no longer accepts this desk's protocol ${CLIENT_PROTOCOL}${range ? ` (it accepts ${range.min}–${range.max})` : ''}: the desk must be upgraded.`,
      };
    }
    if (res.status >= 500 || TRANSIENT_STATUS.has(res.status)) {
      return { kind: 'transient', status: res.status, reason: what, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), o.now()), network: false };
    }
    if (res.status >= 400) return { kind: 'permanent', status: res.status, reason: problem ? `${what}: ${problem.detail}` : what, problem };
    return { kind: 'transient', status: res.status, reason: `unexpected ${what}`, retryAfterMs: null, network: false };
  }

  function json(res: Raw): CallResult {
    if (res.text === null) return { kind: 'transient', status: res.status, reason: `answer larger than ${o.maxResponseBytes} bytes`, retryAfterMs: null, network: false };
    try {
      return { kind: 'ok', status: res.status, body: JSON.parse(res.text) as unknown };
    } catch {
      return { kind: 'transient', status: res.status, reason: 'malformed answer (not JSON)', retryAfterMs: null, network: false };
    }
  }

  async function getToken(): Promise<{ ok: true; value: string } | { ok: false; result: CallResult }> {
    if (token && o.now() < token.renewAt) return { ok: true, value: token.value };
    token = null;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.secret }).toString();
    const x = await exchange('POST', PATHS.token, { 'Content-Type': 'application/x-www-form-urlencoded' }, form);
    if (!x.ok) return x;
    const { res } = x;
    if (res.status === 200) {
      const r = json(res);
      if (r.kind !== 'ok') return { ok: false, result: r };
      const t = TokenResponseSchema.safeParse(r.body);
      if (!t.success) return { ok: false, result: { kind: 'transient', status: 200, reason: 'malformed token answer', retryAfterMs: null, network: false } };
      // Renew a little before it runs out (a tenth of the lifetime, at most a minute).
      const lifeMs = t.data.expires_in * 1000;
      token = { value: t.data.access_token, renewAt: o.now() + lifeMs - Math.min(60_000, lifeMs / 10) };
      return { ok: true, value: token.value };
    }
    const problem = parseProblem(res.text);
    if (res.status === 401 || (res.status === 400 && (problem?.error === 'invalid_client' || problem?.error === 'invalid_request'))) {
      return {
        ok: false,
        result: {
          kind: 'auth',
          reason: `市级接口拒绝了本登记台的凭据（${o.clientId}）：请检查登记台配置。 The city API refused this desk's credentials (client ${o.clientId}): check the desk configuration.`,
        },
      };
    }
    return { ok: false, result: failure(res) };
  }

  /** One authorized call; a 401 renews the token and repeats the call once. */
  async function authorized(method: string, path: string, headers: Record<string, string>, body?: string): Promise<CallResult> {
    for (let round = 0; round < 2; round++) {
      const t = await getToken();
      if (!t.ok) return t.result;
      const x = await exchange(method, path, { ...headers, Authorization: `Bearer ${t.value}` }, body);
      if (!x.ok) return x.result;
      if (x.res.status === 401) {
        token = null;
        continue;
      }
      if (x.res.status >= 200 && x.res.status < 300) return json(x.res);
      return failure(x.res);
    }
    return { kind: 'transient', status: 401, reason: 'the city refused a freshly issued token', retryAfterMs: null, network: false };
  }

  return {
    postBatch: (body) => authorized('POST', PATHS.batch, { 'Content-Type': 'application/json' }, body),
    statusUpdates: (since, limit) => {
      const q = new URLSearchParams({ limit: String(limit) });
      if (since) q.set('since', since);
      return authorized('GET', `${PATHS.statusUpdates}?${q.toString()}`, {});
    },
    dropToken() {
      token = null;
    },
  };
}
