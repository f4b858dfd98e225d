/**
 * The city API simulator: a real HTTP server (fastify) implementing `openapi.yaml` over its own SQLite file,
 * with the review workflow on a configurable clock and run-time fault injection for tests and demos.
 *
 *   const sim = await startCitySimulator({ dataFile, credentials: 'any', adminToken: 'secret' });
 *   … sim.url, sim.admin.setFaults({ errorRate: 0.3 }), sim.admin.advance(3 * 86_400_000) …
 *   await sim.close();
 *
 * Every call passes one onRequest hook: /admin checks the admin token; /v1 passes the fault gate
 * (faults.ts) and the protocol check (auth.ts); the routes (routes/*) check the bearer token and the body
 * (per-route byte limits and content types, before the body is read); every error is answered as
 * problem+json by problems.ts. Review transitions are applied lazily ("advance everything due before
 * answering") and by a periodic tick so the feed moves while idle. The business clock is `now()` plus the
 * offset moved by `advance`.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { checkAdmin, checkProtocol } from './auth';
import { AdvanceRequestSchema, MAX_BATCH_BYTES, PROBLEM_TYPES, type AdvanceResponse, type Faults, type FaultsPatch, type ProtocolRange, type StoredRequest } from './contract';
import type { SimContext } from './context';
import { DEFAULT_FAULTS, FaultState } from './faults';
import { badRequest, HttpError, notFound, problem, problemErrorHandler } from './problems';
import { adminRoutes, ADMIN_BODY_LIMIT } from './routes/admin';
import { batchRoute } from './routes/batch';
import { statusRoute } from './routes/status';
import { tokenRoute, TOKEN_BODY_LIMIT } from './routes/token';
import { SimStore, type ReviewClock } from './store';

export { DEFAULT_FAULTS };

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
  /** Answered in the `X-City-Simulator` header of every reply (the embedded training simulator says `training`). */
  identity?: string;
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

/** /v1 paths and their one method (another method is answered 405 with Allow). */
const V1_METHODS: Record<string, string> = { '/v1/oauth/token': 'POST', '/v1/requests:batch': 'POST', '/v1/status-updates': 'GET' };

/** How a too-large body is worded per path (fastify refuses it at the route's bodyLimit). */
function tooLarge(path: string, contentLength: string | undefined): string {
  const size = Number(contentLength ?? NaN);
  const bytes = Number.isFinite(size) ? `${size} bytes` : 'over the limit';
  if (path === '/v1/requests:batch') return `The body is ${bytes}; the limit is ${MAX_BATCH_BYTES} bytes (1 MiB). Send smaller batches.`;
  if (path === '/v1/oauth/token') return `The token request is ${bytes}; the limit is ${TOKEN_BODY_LIMIT}.`;
  return `The limit is ${ADMIN_BODY_LIMIT} bytes.`;
}

function buildApp(ctx: SimContext, delay: (ms: number) => Promise<void>, log: (line: string) => void): FastifyInstance {
  const app = Fastify({
    logger: false,
    keepAliveTimeout: 5000,
    exposeHeadRoutes: false,
    clientErrorHandler: (_err, socket) => {
      if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nDate: ${ctx.date()}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    },
  });
  // The simulator's own JSON parser (plain JSON.parse, its 400 worded as the contract's problem) and a form parser.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch (e) {
      done(badRequest(`The body is not valid JSON: ${(e as Error).message}`, [{ path: '(body)', code: 'invalid_json', message: (e as Error).message }]), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler(problemErrorHandler(ctx, log, (code, request) => (code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge(request.url.split('?')[0]!, request.headers['content-length']) : undefined)));

  app.addHook('onRequest', async (request, reply) => {
    if (ctx.identity) reply.header('x-city-simulator', ctx.identity);
    const started = Date.now();
    const path = request.url.split('?')[0]!;
    reply.raw.once('close', () => log(`${request.method} ${path} ${reply.raw.headersSent ? reply.raw.statusCode : 'dropped'} ${Date.now() - started}ms`));
    if (ctx.closed()) {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (path.startsWith('/admin/')) return checkAdmin(ctx, request.headers);
    if (!path.startsWith('/v1/')) throw notFound('The API lives under /v1/.');
    if (!(await ctx.faults.gate(request.raw.socket, delay, ctx.closed))) {
      reply.hijack();
      return reply;
    }
    checkProtocol(ctx, request.headers);
    return undefined;
  });
  // A body read while the simulator closed is not answered.
  app.addHook('preHandler', async (request, reply) => {
    if (!ctx.closed()) return undefined;
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  });

  tokenRoute(app, ctx);
  batchRoute(app, ctx);
  statusRoute(app, ctx);
  adminRoutes(app, ctx);
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/admin/')) throw notFound(`No such admin endpoint: ${`${request.method} ${path}`.slice(0, 80)}`);
    const method = V1_METHODS[path];
    if (method) {
      throw new HttpError(problem(PROBLEM_TYPES.methodNotAllowed, 405, 'Method not allowed', `Use ${method} ${path}.`), { Allow: method });
    }
    throw notFound(`No such endpoint: ${path.slice(0, 80)}`);
  });
  return app;
}

export async function startCitySimulator(opts: CitySimulatorOptions): Promise<CitySimulator> {
  const host = opts.host ?? '127.0.0.1';
  const wallNow = opts.now ?? Date.now;
  const reviewClock = opts.reviewClock ?? DEFAULT_REVIEW_CLOCK;
  const protocol = opts.protocol ?? { min: 1, max: 1 };
  const log = opts.log ?? (() => {});
  if (protocol.min > protocol.max) throw new RangeError('startCitySimulator: protocol.min > protocol.max');

  const store = new SimStore(opts.dataFile, reviewClock);
  let clockOffset = store.clockOffsetMs;
  const simNow = () => wallNow() + clockOffset;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const faults = new FaultState(sockets);
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

  const ctx: SimContext = {
    store,
    faults,
    simNow,
    date: () => new Date(wallNow() + faults.current.clockSkewMs).toUTCString(),
    credentials: opts.credentials,
    adminToken: opts.adminToken,
    protocol,
    tokenTtlSec: opts.tokenTtlSec ?? 3600,
    closed: () => closed,
    identity: opts.identity,
    tick,
    advance,
  };
  const app = buildApp(ctx, delay, log);
  const server = app.server;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
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

  if (opts.faults) faults.set(opts.faults);
  try {
    await app.ready();
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
    getFaults: () => ({ ...faults.current }),
    setFaults: (patch) => faults.set(patch),
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
      await app.close();
      store.close();
    },
  };
}

/** A random admin token for main.ts and tests. */
export function randomAdminToken(): string {
  return randomBytes(18).toString('base64url');
}
