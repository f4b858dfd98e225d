/** Who may call: the protocol header, the bearer token of /v1, client credentials, and the admin token. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PROBLEM_TYPES } from './contract';
import type { SimContext } from './context';
import { HttpError, problem } from './problems';
import type { Caller } from './store';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** 400 when X-Client-Protocol is missing or not an integer, 426 when it is outside the server's range. */
export function checkProtocol(ctx: SimContext, headers: IncomingHttpHeaders): void {
  const { protocol } = ctx;
  const raw = headers['x-client-protocol'];
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

/** The caller of a /v1 call from its bearer token (401 when missing, unknown, expired, or expired early on purpose). */
export function authenticate(ctx: SimContext, headers: IncomingHttpHeaders): Caller {
  const header = headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m) {
    throw new HttpError(
      problem(PROBLEM_TYPES.invalidToken, 401, 'Authentication required', 'Send Authorization: Bearer <access_token> (POST /v1/oauth/token).'),
      { 'WWW-Authenticate': 'Bearer realm="city-api"' },
    );
  }
  const result = ctx.store.checkToken(m[1]!, ctx.simNow());
  const invalid = { 'WWW-Authenticate': 'Bearer realm="city-api", error="invalid_token"' };
  if (result === 'unknown' || result === 'expired') {
    throw new HttpError(
      problem(PROBLEM_TYPES.invalidToken, 401, 'Invalid token', result === 'expired' ? 'The access token has expired: get a new one.' : 'The access token is not known: get a new one.'),
      invalid,
    );
  }
  if (ctx.faults.roll(ctx.faults.current.tokenEarlyExpiryRate)) {
    throw new HttpError(problem(PROBLEM_TYPES.invalidToken, 401, 'Invalid token', 'The access token has expired: get a new one.'), invalid);
  }
  return result;
}

/** client_secret_basic (RFC 6749 §2.3.1): fills client_id / client_secret the body did not give. */
export function applyBasicCredentials(authorization: string | undefined, fields: Record<string, unknown>): void {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!basic) return;
  // RFC 6749 form-encodes the id (its ':' becomes %3A); a raw `hospital:desk:secret` is accepted too.
  const parts = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
  const idParts = parts.length === 2 ? 1 : 2;
  if (parts.length < 2) return;
  try {
    fields.client_id ??= decodeURIComponent(parts.slice(0, idParts).join(':'));
    fields.client_secret ??= decodeURIComponent(parts.slice(idParts).join(':'));
  } catch {
    // A malformed escape leaves the fields absent: answered as invalid_request.
  }
}

export function credentialsAccepted(ctx: SimContext, clientId: string, secret: string): boolean {
  return ctx.credentials === 'any' || ctx.credentials.some((c) => c.clientId === clientId && safeEqual(c.secret, secret));
}

/** /admin: 404 when disabled, 401 without the admin token. */
export function checkAdmin(ctx: SimContext, headers: IncomingHttpHeaders): void {
  if (ctx.adminToken === undefined) throw new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', 'The admin endpoints are disabled.'));
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!m || !safeEqual(m[1]!, ctx.adminToken)) {
    throw new HttpError(problem(PROBLEM_TYPES.invalidToken, 401, 'Admin token required', 'Send Authorization: Bearer <admin token>.'));
  }
}
