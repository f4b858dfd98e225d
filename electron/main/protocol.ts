/**
 * The `app://` scheme: the renderer's build (`out/renderer`) served as a privileged, standard, secure origin
 * (`app://desk/`), so the page never runs from `file://` (where every file of the disk would share its origin).
 * The handler refuses any path outside the build — `..` in any spelling, absolute paths, drive letters,
 * backslashes, NUL, symlinks leading out — and sends the CSP with every response.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CSP } from './security';

/** Must run before `app.whenReady()`. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true } },
  ]);
}

export type ResolvedPath = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/** Maps an app:// URL to a file inside `root`, or says why not. Pure (no disk access). */
export function resolveAppPath(root: string, rawUrl: string): ResolvedPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403, reason: 'foreign origin' };
  // The URL parser silently drops `..` (also as %2e%2e): look at the text as sent, decoded up to three times.
  let sent = rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  for (let i = 0; i < 3; i += 1) {
    if (sent.split(/[\\/]/).some((seg) => seg === '..' || seg === '.')) return { ok: false, status: 403, reason: 'dot segment in path' };
    try {
      const next = decodeURIComponent(sent);
      if (next === sent) break;
      sent = next;
    } catch {
      return { ok: false, status: 400, reason: 'bad percent-encoding' };
    }
  }
  // The raw path before any decoding: `..` may arrive encoded once or twice.
  const rawPath = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (/%2e|%2f|%5c/i.test(decoded)) return { ok: false, status: 403, reason: 'double-encoded path' };
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' };
  if (decoded.includes('\\')) return { ok: false, status: 403, reason: 'backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 403, reason: 'dot segment in path' };
  if (decoded.startsWith('//')) return { ok: false, status: 403, reason: 'absolute path' };
  if (/^\/[A-Za-z]:/.test(decoded) || segments.some((s) => /^[A-Za-z]:$/.test(s))) return { ok: false, status: 403, reason: 'drive letter in path' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (path.isAbsolute(relative)) return { ok: false, status: 403, reason: 'absolute path' };
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 403, reason: 'outside the build' };
  return { ok: true, file };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

export interface AppProtocolOptions {
  /** The renderer build folder. */
  root: string;
  log?: { warn(message: string, meta?: Record<string, unknown>): void };
  /** Injected for tests. */
  readFile?: (file: string) => Promise<Buffer>;
  realpath?: (p: string) => Promise<string>;
}

/** The handler for `protocol.handle('app', …)`: a file of the build, or a plain-text refusal. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const readFile = opts.readFile ?? ((f: string) => fs.readFile(f));
  const realpath = opts.realpath ?? ((p: string) => fs.realpath(p));
  const refuse = (status: number, reason: string, url: string) => {
    if (status !== 404) opts.log?.warn('app:// request refused', { reason, path: safePath(url) });
    return new Response(status === 404 ? 'Not found' : 'Refused', { status, headers: securityHeaders('text/plain; charset=utf-8') });
  };
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, `method ${request.method}`, request.url);
    const resolved = resolveAppPath(opts.root, request.url);
    if (!resolved.ok) return refuse(resolved.status, resolved.reason, request.url);
    try {
      // A symlink inside the build must not lead out of it.
      const [realRoot, realFile] = await Promise.all([realpath(opts.root), realpath(resolved.file)]);
      const rel = path.relative(realRoot, realFile);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return refuse(403, 'symlink outside the build', request.url);
      const body = await readFile(realFile);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: securityHeaders(mimeType(realFile)) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return refuse(404, 'not found', request.url);
      return refuse(500, `read failed (${code ?? 'error'})`, request.url);
    }
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname.slice(0, 120);
  } catch {
    return '(unparsable)';
  }
}
