/**
 * The city API simulator: a real HTTP server (node:http) implementing `openapi.yaml` over its own SQLite
 * file, with the review workflow on a configurable clock and run-time fault injection for tests and demos.
 *
 *   const sim = await startCitySimulator({ dataFile, credentials: 'any', adminToken: 'secret' });
 *   … sim.url, sim.admin.setFaults({ errorRate: 0.3 }), sim.admin.advance(3 * 86_400_000) …
 *   await sim.close();
 *
 * Review transitions are applied lazily ("advance everything due before answering") and by a periodic tick
 * so the feed moves while idle. The business clock is `now()` plus the offset moved by `advance`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ClientIdSchema,
  DEFAULT_FEED_LIMIT,
  FaultsPatchSchema,
  IdempotencyKeySchema,
  MAX_BATCH_BYTES,
  MAX_BATCH_ITEMS,
  MAX_FEED_LIMIT,
  PROBLEM_TYPES,
  AdvanceRequestSchema,
  decodeCursor,
  encodeCursor,
  type AdvanceResponse,
  type FaultsPatch,
  type Faults,
  type FieldError,
  type Problem,
  type ProtocolRange,
  type StoredRequest,
  type TokenResponse,
} from './contract';
import { mulberry32, type Prng } from '../domain/prng';
import type { RawItem } from './rules';
import { SimStore, type Caller, type ReviewClock } from './store';

export interface CitySimulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The simulator's SQLite file (created when absent; reopened with everything in it). */
  dataFile: string;
  /** Accepted client credentials, or 'any' (any well-formed `<hospitalCode>:<deskId>` with a non-empty secret). */
  credentials: Array<{ clientId: string; secret: string }> | 'any';
  /** Default { receivedToReviewMs: 2000, reviewToDecisionMs: 5000 } (training speed). */
  reviewClock?: ReviewClock;
  /** Access token lifetime, default 3600 s. */
  tokenTtlSec?: number;
  /** Supported X-Client-Protocol versions, default { min: 1, max: 1 }. */
  protocol?: ProtocolRange;
  /** Wall clock in ms, default Date.now. */
  now?: () => number;
  /** Guards the /admin HTTP endpoints (Authorization: Bearer <adminToken>); absent = /admin answers 404. */
  adminToken?: string;
  /** Initial faults (e.g. a seed); default none. */
  faults?: FaultsPatch;
  /** Period of the idle tick that moves the review clock, default min(review steps)/2 within 20..1000 ms. */
  tickMs?: number;
  /** One line per answered call (method, path, status, duration; never payloads). */
  log?: (line: string) => void;
}

export interface CitySimulatorAdmin {
  getFaults(): Faults;
  /** Merge a patch (validated like POST /admin/faults; throws on a bad patch); returns the faults now in force. */
  setFaults(patch: FaultsPatch): Faults;
  /** Move the business clock forward and apply every transition now due. */
  advance(ms: number): AdvanceResponse;
  /** Every stored request (optionally of one hospital or one key). */
  listRequests(filter?: { hospitalCode?: string; idempotencyKey?: string }): StoredRequest[];
  /** Apply the transitions due now; returns how many. */
  tick(): number;
  /** The business clock (ms). */
  now(): number;
  /** Close the listening socket and every connection (clients get ECONNREFUSED); the data stays. */
  stopAccepting(): Promise<void>;
  /** Listen again on the same port. */
  startAccepting(): Promise<void>;
  readonly accepting: boolean;
}

export interface CitySimulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  admin: CitySimulatorAdmin;
}

export const DEFAULT_REVIEW_CLOCK: ReviewClock = { receivedToReviewMs: 2000, reviewToDecisionMs: 5000 };
export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  dropAfterCommitRate: 0,
  malformedRate: 0,
  tokenEarlyExpiryRate: 0,
  offline: false,
  retryAfterSec: 1,
  clockSkewMs: 0,
  seed: 1,
};

const TOKEN_BODY_LIMIT = 16 * 1024;
const ADMIN_BODY_LIMIT = 64 * 1024;
/** Past this many bytes a too-large body is no longer drained: the connection is cut. */
const DRAIN_CAP = 32 * 1024 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

type Body = { ok: true; bytes: Buffer } | { ok: false; size: number } | null;

/** Read a body up to `limit` bytes; beyond it, drain and report the size (null when the client went away). */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (b: Body) => {
      if (!done) {
        done = true;
        resolve(b);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_CAP) {
        req.socket.destroy();
        finish(null);
      }
    });
    req.on('end', () => finish(size <= limit ? { ok: true, bytes: Buffer.concat(chunks) } : { ok: false, size }));
    req.on('error', () => finish(null));
    req.on('close', () => finish(null));
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

class HttpError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

function problem(type: string, status: number, title: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type, title, status, detail, ...extra };
}

function badRequest(detail: string, errors: FieldError[]): HttpError {
  return new HttpError(problem(PROBLEM_TYPES.invalidRequest, 400, 'Invalid request', detail, { errors }));
}

export async function startCitySimulator(opts: CitySimulatorOptions): Promise<CitySimulator> {
  const host = opts.host ?? '127.0.0.1';
  const wallNow = opts.now ?? Date.now;
  const reviewClock = opts.reviewClock ?? DEFAULT_REVIEW_CLOCK;
  const tokenTtlSec = opts.tokenTtlSec ?? 3600;
  const protocol = opts.protocol ?? { min: 1, max: 1 };
  const log = opts.log ?? (() => {});
  if (protocol.min > protocol.max) throw new RangeError('startCitySimulator: protocol.min > protocol.max');

  const store = new SimStore(opts.dataFile, reviewClock);
  let clockOffset = store.clockOffsetMs;
  const simNow = () => wallNow() + clockOffset;

  let faults: Faults = { ...DEFAULT_FAULTS };
  let prng: Prng = mulberry32(faults.seed);
  const roll = (rate: number): boolean => rate > 0 && prng.next() < rate;

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let accepting = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function setFaults(patch: FaultsPatch, keep?: Socket): Faults {
    const parsed = FaultsPatchSchema.parse(patch);
    faults = { ...faults, ...parsed };
    if (parsed.seed !== undefined) prng = mulberry32(parsed.seed);
    if (parsed.offline === true) {
      for (const s of sockets) if (s !== keep) s.destroy();
    }
    return { ...faults };
  }

  function tick(): number {
    if (closed) return 0;
    return store.advanceDue(simNow());
  }

  function advance(ms: number): AdvanceResponse {
    const { ms: valid } = AdvanceRequestSchema.parse({ ms });
    clockOffset += valid;
    store.clockOffsetMs = clockOffset;
    const transitions = tick();
    return { now: new Date(simNow()).toISOString(), transitions };
  }

  // --- responses ------------------------------------------------------------------------------------------

  function baseHeaders(): Record<string, string> {
    return { Date: new Date(wallNow() + faults.clockSkewMs).toUTCString() };
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, truncate = false): void {
    let text = JSON.stringify(body);
    if (truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    const bytes = Buffer.from(text);
    res.writeHead(status, {
      ...baseHeaders(),
      'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json',
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(bytes);
  }

  function sendProblem(res: ServerResponse, p: Problem, headers: Record<string, string> = {}, instance?: string): void {
    sendJson(res, p.status, instance ? { ...p, instance } : p, headers);
  }

  // --- /v1 ------------------------------------------------------------------------------------------------

  function checkProtocol(req: IncomingMessage): void {
    const raw = req.headers['x-client-protocol'];
    if (raw === undefined) {
      throw new HttpError(
        problem(PROBLEM_TYPES.missingProtocol, 400, 'Missing protocol version', 'Every call must carry the X-Client-Protocol header (an integer).', {
          errors: [{ path: 'header:X-Client-Protocol', code: 'required', message: 'send X-Client-Protocol: <integer version>' }],
          supportedProtocols: protocol,
        }),
      );
    }
    const text = Array.isArray(raw) ? raw.join(',') : raw;
    if (!/^\d{1,6}$/.test(text.trim())) {
      throw new HttpError(
        problem(PROBLEM_TYPES.missingProtocol, 400, 'Invalid protocol version', `X-Client-Protocol must be an integer, got "${text.slice(0, 20)}".`, {
          errors: [{ path: 'header:X-Client-Protocol', code: 'invalid', message: 'expected an integer version' }],
          supportedProtocols: protocol,
        }),
      );
    }
    const v = Number(text.trim());
    if (v < protocol.min || v > protocol.max) {
      throw new HttpError(
        problem(
          PROBLEM_TYPES.unsupportedProtocol,
          426,
          'Unsupported protocol version',
          `This server supports protocol versions ${protocol.min} to ${protocol.max}; the client sent ${v}. Update the desk application.`,
          { supportedProtocols: protocol },
        ),
      );
    }
  }

  function authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="city-api"' };
    if (!m) {
      throw new HttpError(
        problem(PROBLEM_TYPES.invalidToken, 401, 'Authentication required', 'Send Authorization: Bearer <access_token> (POST /v1/oauth/token).'),
        challenge,
      );
    }
    const result = store.checkToken(m[1]!, simNow());
    const invalid = { 'WWW-Authenticate': 'Bearer realm="city-api", error="invalid_token"' };
    if (result === 'unknown' || result === 'expired') {
      throw new HttpError(
        problem(PROBLEM_TYPES.invalidToken, 401, 'Invalid token', result === 'expired' ? 'The access token has expired: get a new one.' : 'The access token is not known: get a new one.'),
        invalid,
      );
    }
    if (roll(faults.tokenEarlyExpiryRate)) {
      throw new HttpError(problem(PROBLEM_TYPES.invalidToken, 401, 'Invalid token', 'The access token has expired: get a new one.'), invalid);
    }
    return result;
  }

  function parseJson(bytes: Buffer): unknown {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw badRequest(`The body is not valid JSON: ${(e as Error).message}`, [
        { path: '(body)', code: 'invalid_json', message: (e as Error).message },
      ]);
    }
  }

  function requireJson(req: IncomingMessage): void {
    const ct = (req.headers['content-type'] ?? '').toLowerCase();
    if (!ct.startsWith('application/json')) {
      throw new HttpError(
        problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'Unsupported media type', `Send Content-Type: application/json (got "${ct.slice(0, 60) || 'none'}").`),
      );
    }
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, TOKEN_BODY_LIMIT);
    if (body === null || closed) return;
    if (!body.ok) throw new HttpError(problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Payload too large', `The token request is ${body.size} bytes; the limit is ${TOKEN_BODY_LIMIT}.`));
    const ct = (req.headers['content-type'] ?? '').toLowerCase();
    let fields: Record<string, unknown>;
    if (ct.startsWith('application/x-www-form-urlencoded')) {
      fields = Object.fromEntries(new URLSearchParams(body.bytes.toString('utf8')));
    } else if (ct.startsWith('application/json')) {
      const parsed = parseJson(body.bytes);
      if (!isObj(parsed)) throw badRequest('The token request must be a JSON object.', [{ path: '(body)', code: 'invalid_type', message: 'expected an object' }]);
      fields = parsed;
    } else {
      throw new HttpError(
        problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'Unsupported media type', 'Send application/x-www-form-urlencoded or application/json.'),
      );
    }
    // client_secret_basic (RFC 6749 §2.3.1) is accepted too.
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      // RFC 6749 form-encodes the id (its ':' becomes %3A); a raw `hospital:desk:secret` is accepted too.
      const parts = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      const idParts = parts.length === 2 ? 1 : 2;
      if (parts.length >= 2) {
        try {
          fields.client_id ??= decodeURIComponent(parts.slice(0, idParts).join(':'));
          fields.client_secret ??= decodeURIComponent(parts.slice(idParts).join(':'));
        } catch {
          // A malformed escape leaves the fields absent: answered below as invalid_request.
        }
      }
    }
    if (fields.grant_type !== 'client_credentials') {
      throw new HttpError(
        problem(PROBLEM_TYPES.invalidRequest, 400, 'Unsupported grant type', 'grant_type must be client_credentials.', {
          error: fields.grant_type === undefined ? 'invalid_request' : 'unsupported_grant_type',
          errors: [{ path: 'grant_type', code: 'invalid', message: 'expected client_credentials' }],
        }),
      );
    }
    const errors: FieldError[] = [];
    const clientId = fields.client_id;
    const secret = fields.client_secret;
    if (!ClientIdSchema.safeParse(clientId).success) {
      errors.push({ path: 'client_id', code: 'invalid', message: 'client_id must be <hospitalCode>:<deskId>' });
    }
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > 256) {
      errors.push({ path: 'client_secret', code: 'required', message: 'client_secret is required' });
    }
    if (errors.length > 0) {
      throw new HttpError(problem(PROBLEM_TYPES.invalidRequest, 400, 'Invalid token request', 'client_id and client_secret are required.', { error: 'invalid_request', errors }));
    }
    const id = clientId as string;
    const ok = opts.credentials === 'any' || opts.credentials.some((c) => c.clientId === id && safeEqual(c.secret, secret as string));
    if (!ok) {
      throw new HttpError(problem(PROBLEM_TYPES.invalidClient, 401, 'Invalid client', 'Unknown client_id or wrong client_secret.', { error: 'invalid_client' }), {
        'WWW-Authenticate': 'Basic realm="city-api"',
      });
    }
    const sep = id.indexOf(':');
    const caller: Caller = { hospitalCode: id.slice(0, sep), deskId: id.slice(sep + 1) };
    const accessToken = store.issueToken(caller, simNow(), tokenTtlSec);
    const out: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: tokenTtlSec };
    sendJson(res, 200, out, { Pragma: 'no-cache' }, roll(faults.malformedRate));
  }

  async function batch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const caller = authenticate(req);
    requireJson(req);
    const len = Number(req.headers['content-length'] ?? NaN);
    const body = await readBody(req, MAX_BATCH_BYTES);
    if (body === null || closed) return;
    if (!body.ok) {
      throw new HttpError(
        problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Batch too large', `The body is ${Number.isFinite(len) ? len : body.size} bytes; the limit is ${MAX_BATCH_BYTES} bytes (1 MiB). Send smaller batches.`, {
          errors: [{ path: '(body)', code: 'too_large', message: `at most ${MAX_BATCH_BYTES} bytes` }],
        }),
      );
    }
    const parsed = parseJson(body.bytes);
    if (!isObj(parsed)) throw badRequest('The body must be a JSON object { items: [...] }.', [{ path: '(body)', code: 'invalid_type', message: 'expected an object' }]);
    const items = parsed.items;
    if (!Array.isArray(items)) throw badRequest('items must be an array.', [{ path: 'items', code: items === undefined ? 'required' : 'invalid_type', message: 'expected an array of items' }]);
    if (items.length === 0) throw badRequest('items must not be empty.', [{ path: 'items', code: 'too_small', message: 'send 1 to 100 items' }]);
    if (items.length > MAX_BATCH_ITEMS) {
      throw new HttpError(
        problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Batch too large', `The batch has ${items.length} items; the limit is ${MAX_BATCH_ITEMS}. Send smaller batches.`, {
          errors: [{ path: 'items', code: 'too_many', message: `at most ${MAX_BATCH_ITEMS} items` }],
        }),
      );
    }
    const errors: FieldError[] = [];
    items.forEach((item, i) => {
      if (!isObj(item)) errors.push({ path: `items[${i}]`, code: 'invalid_type', message: 'expected an object' });
      else if (!IdempotencyKeySchema.safeParse(item.idempotencyKey).success) {
        errors.push({
          path: `items[${i}].idempotencyKey`,
          code: item.idempotencyKey === undefined ? 'required' : 'invalid',
          message: 'every item needs an idempotencyKey of 1 to 128 characters [A-Za-z0-9._:~-]',
        });
      }
    });
    if (errors.length > 0) throw badRequest('Some items cannot be answered one by one (no usable idempotencyKey); nothing was stored.', errors);

    const now = simNow();
    store.advanceDue(now);
    const results = store.intake(caller, items as RawItem[], now);
    if (roll(faults.dropAfterCommitRate)) {
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, { results }, {}, roll(faults.malformedRate));
  }

  function statusUpdates(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const caller = authenticate(req);
    const errors: FieldError[] = [];
    const since = url.searchParams.get('since');
    let after = 0;
    if (since !== null && since !== '') {
      const seq = decodeCursor(since);
      if (seq === null) errors.push({ path: 'since', code: 'invalid_cursor', message: 'since must be a nextCursor this API returned (or absent to start)' });
      else after = seq;
    }
    const limitText = url.searchParams.get('limit');
    let limit = DEFAULT_FEED_LIMIT;
    if (limitText !== null) {
      limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
      if (!(limit >= 1 && limit <= MAX_FEED_LIMIT)) {
        errors.push({ path: 'limit', code: 'out_of_range', message: `limit must be an integer from 1 to ${MAX_FEED_LIMIT}` });
      }
    }
    if (errors.length > 0) throw badRequest('Invalid query parameters.', errors);
    store.advanceDue(simNow());
    const { updates, hasMore } = store.feed(caller.hospitalCode, after, limit);
    const last = updates.length > 0 ? updates[updates.length - 1]!.seq : after;
    sendJson(res, 200, { updates, nextCursor: encodeCursor(last), hasMore }, {}, roll(faults.malformedRate));
  }

  const V1_ROUTES: Record<string, { method: string; run: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void }> = {
    '/v1/oauth/token': { method: 'POST', run: token },
    '/v1/requests:batch': { method: 'POST', run: batch },
    '/v1/status-updates': { method: 'GET', run: statusUpdates },
  };

  async function v1(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (faults.offline) {
      req.socket.destroy();
      return;
    }
    if (faults.latencyMs > 0) {
      await delay(faults.latencyMs);
      if (closed || faults.offline) {
        req.socket.destroy();
        return;
      }
    }
    const retryAfter = { 'Retry-After': String(faults.retryAfterSec) };
    if (roll(faults.rateLimitRate)) {
      throw new HttpError(problem(PROBLEM_TYPES.rateLimited, 429, 'Too many requests', `Slow down: retry after ${faults.retryAfterSec} s.`), retryAfter);
    }
    if (roll(faults.errorRate)) {
      if (prng.next() < 0.5) {
        throw new HttpError(problem(PROBLEM_TYPES.unavailable, 503, 'Service unavailable', `The service is temporarily unavailable: retry after ${faults.retryAfterSec} s.`), retryAfter);
      }
      throw new HttpError(problem(PROBLEM_TYPES.internal, 500, 'Internal server error', 'The server failed; nothing was stored. Retry later.'));
    }
    checkProtocol(req);
    const route = V1_ROUTES[url.pathname];
    if (!route) throw new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', `No such endpoint: ${url.pathname.slice(0, 80)}`));
    if (req.method !== route.method) {
      throw new HttpError(problem(PROBLEM_TYPES.methodNotAllowed, 405, 'Method not allowed', `Use ${route.method} ${url.pathname}.`), { Allow: route.method });
    }
    await route.run(req, res, url);
  }

  // --- /admin ---------------------------------------------------------------------------------------------

  async function readAdminJson(req: IncomingMessage): Promise<unknown | undefined> {
    requireJson(req);
    const body = await readBody(req, ADMIN_BODY_LIMIT);
    if (body === null || closed) return undefined;
    if (!body.ok) throw new HttpError(problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Payload too large', `The limit is ${ADMIN_BODY_LIMIT} bytes.`));
    return parseJson(body.bytes);
  }

  function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }>): FieldError[] {
    return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', code: i.code, message: i.message }));
  }

  async function adminRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (opts.adminToken === undefined) throw new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', 'The admin endpoints are disabled.'));
    if (!m || !safeEqual(m[1]!, opts.adminToken)) {
      throw new HttpError(problem(PROBLEM_TYPES.invalidToken, 401, 'Admin token required', 'Send Authorization: Bearer <admin token>.'));
    }
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /admin/faults':
        return sendJson(res, 200, faults);
      case 'POST /admin/faults': {
        const body = await readAdminJson(req);
        if (body === undefined) return;
        const parsed = FaultsPatchSchema.safeParse(body);
        if (!parsed.success) throw badRequest('Invalid faults.', zodErrors(parsed.error.issues));
        return sendJson(res, 200, setFaults(parsed.data, req.socket));
      }
      case 'GET /admin/requests': {
        tick();
        const filter: { hospitalCode?: string; idempotencyKey?: string } = {};
        const h = url.searchParams.get('hospital');
        const k = url.searchParams.get('key');
        if (h) filter.hospitalCode = h;
        if (k) filter.idempotencyKey = k;
        return sendJson(res, 200, { requests: store.listRequests(filter) });
      }
      case 'POST /admin/advance': {
        const body = await readAdminJson(req);
        if (body === undefined) return;
        const parsed = AdvanceRequestSchema.safeParse(body);
        if (!parsed.success) throw badRequest('Invalid advance request.', zodErrors(parsed.error.issues));
        return sendJson(res, 200, advance(parsed.data.ms));
      }
      default:
        throw new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', `No such admin endpoint: ${key.slice(0, 80)}`));
    }
  }

  // --- the server -----------------------------------------------------------------------------------------

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://city-api.invalid');
    try {
      if (closed) {
        req.socket.destroy();
        return;
      }
      if (url.pathname.startsWith('/admin/')) await adminRoute(req, res, url);
      else if (url.pathname.startsWith('/v1/')) await v1(req, res, url);
      else throw new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', 'The API lives under /v1/.'));
    } catch (e) {
      if (res.headersSent || req.socket.destroyed) return;
      if (e instanceof HttpError) sendProblem(res, e.problem, e.headers, url.pathname);
      else {
        log(`city-api: internal error on ${req.method} ${url.pathname}: ${(e as Error).message}`);
        sendProblem(res, problem(PROBLEM_TYPES.internal, 500, 'Internal server error', 'The server failed; retry later.'), {}, url.pathname);
      }
    } finally {
      log(`${req.method} ${url.pathname} ${res.headersSent ? res.statusCode : 'dropped'} ${Date.now() - started}ms`);
    }
  }

  const server: Server = createServer((req, res) => {
    void onRequest(req, res);
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    const date = new Date(wallNow() + faults.clockSkewMs).toUTCString();
    if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nDate: ${date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  let port = opts.port ?? 0;
  async function startAccepting(): Promise<void> {
    if (accepting || closed) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
    accepting = true;
  }

  async function stopAccepting(): Promise<void> {
    if (!accepting) return;
    accepting = false;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await done;
  }

  if (opts.faults) setFaults(opts.faults);
  try {
    await startAccepting();
  } catch (e) {
    store.close();
    throw e;
  }
  const tickMs = opts.tickMs ?? Math.min(1000, Math.max(20, Math.floor(Math.min(reviewClock.receivedToReviewMs, reviewClock.reviewToDecisionMs) / 2)));
  const ticker = setInterval(() => {
    try {
      tick();
    } catch (e) {
      log(`city-api: tick failed: ${(e as Error).message}`);
    }
  }, tickMs);
  ticker.unref();

  const admin: CitySimulatorAdmin = {
    getFaults: () => ({ ...faults }),
    setFaults: (patch) => setFaults(patch),
    advance,
    listRequests: (filter) => {
      tick();
      return store.listRequests(filter);
    },
    tick,
    now: simNow,
    stopAccepting,
    startAccepting,
    get accepting() {
      return accepting;
    },
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    admin,
    async close() {
      if (closed) return;
      clearInterval(ticker);
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await stopAccepting();
      store.close();
    },
  };
}

/** A random admin token for main.ts and tests. */
export function randomAdminToken(): string {
  return randomBytes(18).toString('base64url');
}
