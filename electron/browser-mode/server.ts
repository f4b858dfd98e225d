/**
 * Browser mode's HTTP server: the same KioskApi the Electron shell serves over IPC, here over loopback HTTP and
 * Server-Sent Events, wired generically from the contract (one `dispatch` for every method, one hub for every
 * event: no handler is written twice). It binds 127.0.0.1 only and requires a per-run random token on every API
 * call (`x-desk-token` header, or `?token=` on the SSE stream, which EventSource cannot give headers to).
 *
 *   POST /api/<method>   JSON body → dispatch(method, body, 'http') → the `{ ok, value | error }` result as JSON
 *   GET  /api/events     text/event-stream, one `data: {"event","payload"}` frame per pushed event
 *   GET  /…              the built renderer (static files, never outside `staticDir`)
 *
 * Bad requests get RFC 9457 problem+json: malformed JSON → 400, body over the limit → 413, missing or wrong
 * token → 401, a foreign Origin or Host → 403. Nothing reaches the dispatcher in those cases.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
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

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  send(res, status, 'application/problem+json', JSON.stringify({ type: 'about:blank', title, status, detail }));
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const { dispatch, events, token } = opts;
  const staticDir = path.resolve(opts.staticDir);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const streams = new Set<http.ServerResponse>();
  let origin = '';
  let allowedHosts = new Set<string>();

  const unsubscribe = events.subscribe((event, payload) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method not allowed', 'Only GET is served here.');
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return problem(res, 400, 'Bad path', 'The path is not valid percent-encoding.');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(staticDir, '.' + path.posix.normalize(rel));
    if (file !== staticDir && !file.startsWith(staticDir + path.sep)) return problem(res, 404, 'Not found', 'No such file.');
    let st;
    try {
      st = statSync(file);
    } catch {
      return problem(res, 404, 'Not found', 'No such file.');
    }
    if (!st.isFile()) return problem(res, 404, 'Not found', 'No such file.');
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Hashed assets never change; index.html always revalidates.
    const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(st.size), 'cache-control': cache });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    // DNS rebinding: only our own host names are answered.
    if (!allowedHosts.has(String(req.headers.host ?? ''))) return problem(res, 403, 'Forbidden', 'Unknown host.');
    const url = new URL(req.url ?? '/', origin);
    if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url.pathname);

    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && !allowedHosts.has(reqOrigin.replace(/^http:\/\//, ''))) return problem(res, 403, 'Forbidden', 'Requests from other origins are refused.');

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return problem(res, 405, 'Method not allowed', 'Use GET for the event stream.');
      if (!sameToken(url.searchParams.get('token') ?? headerToken(req), token)) return problem(res, 401, 'Unauthorized', 'A valid desk token is required.');
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (req.method !== 'POST') return problem(res, 405, 'Method not allowed', 'API methods are called with POST.');
    if (!sameToken(headerToken(req), token)) return problem(res, 401, 'Unauthorized', 'A valid desk token is required.');
    const method = url.pathname.slice('/api/'.length);
    if (!isMethodName(method)) return problem(res, 404, 'Unknown method', 'There is no such method.');
    const ctype = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(ctype)) return problem(res, 415, 'Unsupported media type', 'Send the arguments as application/json.');

    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof BodyTooLarge) return problem(res, 413, 'Body too large', `Request bodies are limited to ${maxBody} bytes.`);
      return problem(res, 400, 'Bad request', 'The request body could not be read.');
    }
    let args: unknown = {};
    if (body.length > 0) {
      try {
        args = JSON.parse(body.toString('utf8'));
      } catch {
        return problem(res, 400, 'Malformed JSON', 'The request body is not valid JSON.');
      }
    }
    const result = await dispatch(method, args, 'http');
    const status = result.ok ? 200 : (STATUS[result.error.code] ?? 400);
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(result));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) problem(res, 500, 'Internal error', 'The request could not be handled.');
      else res.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    port,
    origin,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function headerToken(req: http.IncomingMessage): string | null {
  const h = req.headers['x-desk-token'];
  if (typeof h === 'string') return h;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  return null;
}
