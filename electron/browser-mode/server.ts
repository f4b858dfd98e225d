/**
 * Browser mode's HTTP server (fastify): the same KioskApi the Electron shell serves over IPC, here over loopback
 * HTTP and Server-Sent Events, wired generically from the contract (one `dispatch` for every method, one hub for
 * every event: no handler is written twice). It binds 127.0.0.1 only and requires a per-run random token on every
 * API call (`x-desk-token` header, or `?token=` on the SSE stream, which EventSource cannot give headers to).
 *
 *   POST /api/<method>   JSON body → dispatch(method, body, 'http') → the `{ ok, value | error }` result as JSON
 *   GET  /api/events     text/event-stream, one `data: {"event","payload"}` frame per pushed event
 *   GET  /…              the built renderer (static files, never outside `staticDir`)
 *
 * Every API request is judged in the `onRequest` hook, before a byte of its body is read: a foreign Host or
 * Origin → 403, a missing or wrong token → 401, an unknown method → 404, a body that is not JSON → 415. Then the
 * body is read up to the limit (413 beyond) and parsed (400 when malformed). Refusals are RFC 9457 problem+json;
 * nothing reaches the dispatcher in those cases.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { isMethodName } from '../../core/api/methods';
import type { Dispatch } from '../../core/api/dispatch';
import type { EventHub } from '../../core/api/events';
import type { ErrorCode } from '../../core/api/result';
import { CONTENT_SECURITY_POLICY } from '../app/csp';

export { CONTENT_SECURITY_POLICY };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** HTTP status for a failed result (the body is still the `{ ok:false, error }` result). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  invalid: 422,
  unknown_method: 404,
  unauthenticated: 401,
  locked: 423,
  forbidden: 403,
  bad_pin: 401,
  account_locked: 423,
  not_found: 404,
  conflict: 409,
  duplicate_birth: 409,
  not_allowed: 409,
  unavailable: 503,
  storage: 507,
  internal: 500,
};

export interface BrowserServerOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** Folder of the built renderer (index.html + assets). */
  staticDir: string;
  token: string;
  /** 0 = any free port. */
  port?: number;
  /** Largest request body accepted, in bytes (default 1 MiB: a registration is a few KB). */
  maxBodyBytes?: number;
  /** SSE keep-alive comment interval (ms). */
  heartbeatMs?: number;
}

export interface BrowserServer {
  port: number;
  /** Origin the server answers on, e.g. `http://127.0.0.1:43127`. */
  origin: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};

/** A refusal: status, title and detail of the problem+json body. */
class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(title);
  }
}

/** Fastify's own errors that a client can cause, as the problems they are. */
const FASTIFY_PROBLEMS: Record<string, (limit: number) => Problem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (limit) => new Problem(413, 'Body too large', `Request bodies are limited to ${limit} bytes.`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new Problem(415, 'Unsupported media type', 'Send the arguments as application/json.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new Problem(400, 'Bad request', 'The request body could not be read.'),
  FST_ERR_BAD_URL: () => new Problem(400, 'Bad path', 'The path is not valid percent-encoding.'),
};

function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ type: 'about:blank', title: p.title, status: p.status, detail: p.detail }));
}

/**
 * A refusal in `onRequest`, before the body: the connection is closed once the answer is out, so a body the
 * caller keeps pushing is never read (issue 13: tokenless streams pushed gigabytes and slowed every call).
 */
function refuseUnread(req: FastifyRequest, reply: FastifyReply, p: Problem): FastifyReply {
  const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
  if (hasBody) {
    reply.header('connection', 'close');
    reply.raw.once('finish', () => req.raw.socket?.destroy());
  }
  return sendProblem(reply, p);
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerToken(req: FastifyRequest): string | null {
  const h = req.headers['x-desk-token'];
  if (typeof h === 'string') return h;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  return null;
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const { dispatch, events, token } = opts;
  const staticDir = path.resolve(opts.staticDir);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();

  const app = Fastify({ bodyLimit: maxBody, requestTimeout: 30_000, forceCloseConnections: true, logger: false, return503OnClosing: true });
  app.server.headersTimeout = 10_000;

  // An empty body is `{}`; anything else goes through fastify's own (prototype-poisoning-safe) JSON parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, {});
    parseJson(req, text, (err, value) => (err ? done(new Problem(400, 'Malformed JSON', 'The request body is not valid JSON.')) : done(null, value)));
  });

  // Before routing, before any body byte: who is asking, and may they?
  app.addHook('onRequest', async (req, reply) => {
    // DNS rebinding: only our own host names are answered.
    if (!allowedHosts.has(String(req.headers.host ?? ''))) return refuseUnread(req, reply, new Problem(403, 'Forbidden', 'Unknown host.'));
    const pathname = req.url.split('?')[0]!;
    if (!pathname.startsWith('/api/')) return;
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      return refuseUnread(req, reply, new Problem(403, 'Forbidden', 'Requests from other origins are refused.'));
    }
    const isEvents = pathname === '/api/events';
    const expected = isEvents ? 'GET' : 'POST';
    if (req.method !== expected) return refuseUnread(req, reply, new Problem(405, 'Method not allowed', isEvents ? 'Use GET for the event stream.' : 'API methods are called with POST.'));
    const given = isEvents ? ((req.query as { token?: string }).token ?? headerToken(req)) : headerToken(req);
    if (!sameToken(given, token)) return refuseUnread(req, reply, new Problem(401, 'Unauthorized', 'A valid desk token is required.'));
    if (isEvents) return;
    if (!isMethodName(pathname.slice('/api/'.length))) return refuseUnread(req, reply, new Problem(404, 'Unknown method', 'There is no such method.'));
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      return refuseUnread(req, reply, new Problem(415, 'Unsupported media type', 'Send the arguments as application/json.'));
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.setErrorHandler((err: Error & { code?: string }, _req, reply) => {
    if (err instanceof Problem) return sendProblem(reply, err);
    const known = err.code ? FASTIFY_PROBLEMS[err.code] : undefined;
    return sendProblem(reply, known ? known(maxBody) : new Problem(500, 'Internal error', 'The request could not be handled.'));
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, req.method === 'GET' || req.method === 'HEAD' ? new Problem(404, 'Not found', 'No such file.') : new Problem(405, 'Method not allowed', 'Only GET is served here.')),
  );

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const result = await dispatch(req.params.method, req.body ?? {}, 'http');
    const status = result.ok ? 200 : (STATUS[result.error.code] ?? 400);
    return reply.code(status).type('application/json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(result));
  });

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    streams.add(res);
    req.raw.on('close', () => streams.delete(res));
  });

  app.get('/*', (req, reply) => {
    const pathname = req.url.split('?')[0]!;
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendProblem(reply, new Problem(400, 'Bad path', 'The path is not valid percent-encoding.'));
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(staticDir, '.' + path.posix.normalize(rel));
    const notFound = new Problem(404, 'Not found', 'No such file.');
    if (file !== staticDir && !file.startsWith(staticDir + path.sep)) return sendProblem(reply, notFound);
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return sendProblem(reply, notFound);
      size = st.size;
    } catch {
      return sendProblem(reply, notFound);
    }
    // Hashed assets never change; index.html always revalidates.
    const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    reply.type(MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream').header('content-length', String(size)).header('cache-control', cache);
    return reply.send(req.method === 'HEAD' ? '' : createReadStream(file));
  });

  const unsubscribe = events.subscribe((event, payload) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  try {
    await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  } catch (e) {
    clearInterval(heartbeat);
    unsubscribe();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const s of streams) s.end();
      streams.clear();
      await app.close();
    },
  };
}
