/**
 * RFC 9457 problem+json for the simulator: the HttpError its routes throw, and one fastify error handler that
 * answers every error (ours, fastify's body-limit / media-type / JSON errors, bugs) as a problem with the
 * `Date` header the server's clock gives. Generic on purpose (a `Date` provider and a log are all it needs).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, type FieldError, type Problem } from './contract';

export class HttpError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

export function problem(type: string, status: number, title: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type, title, status, detail, ...extra };
}

export function badRequest(detail: string, errors: FieldError[]): HttpError {
  return new HttpError(problem(PROBLEM_TYPES.invalidRequest, 400, 'Invalid request', detail, { errors }));
}

export const notFound = (detail: string): HttpError => new HttpError(problem(PROBLEM_TYPES.notFound, 404, 'Not found', detail));

export function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }>): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', code: i.code, message: i.message }));
}

export interface Responder {
  /** The `Date` header value (the server's clock, possibly skewed on purpose). */
  date(): string;
}

/** Send `body` as exact JSON bytes (`truncate`: only the first half, a malformed answer). */
export function sendJson(r: Responder, reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}, truncate = false): FastifyReply {
  let text = JSON.stringify(body);
  if (truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return reply
    .code(status)
    .headers({
      Date: r.date(),
      'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json',
      'Cache-Control': 'no-store',
      ...headers,
    })
    .send(Buffer.from(text));
}

/** fastify's own errors (body limit, media type, JSON syntax) as the problems the contract names. */
function fromFastify(e: FastifyError, detail: (code: string) => string | undefined): HttpError | null {
  const text = detail(e.code);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(
        problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Payload too large', text ?? 'The body is over the limit.', {
          errors: [{ path: '(body)', code: 'too_large', message: text ?? 'the body is over the limit' }],
        }),
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'Unsupported media type', text ?? 'Send Content-Type: application/json.'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest(`The body is not valid JSON: ${e.message}`, [{ path: '(body)', code: 'invalid_json', message: e.message }]);
    default:
      return null;
  }
}

/**
 * The error handler: an HttpError as its problem, a fastify client error as its problem, anything else as a
 * logged 500 (the message only, never a body). A dropped connection is left alone. `detail(code, request)`
 * may word fastify's errors per route (e.g. the byte limit).
 */
export function problemErrorHandler(
  r: Responder,
  log: (line: string) => void,
  detail: (code: string, request: FastifyRequest) => string | undefined = () => undefined,
) {
  return (e: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    if (reply.sent || request.raw.socket.destroyed) return undefined;
    const path = request.url.split('?')[0]!;
    const known = e instanceof HttpError ? e : fromFastify(e, (code) => detail(code, request));
    if (known) return sendJson(r, reply, known.problem.status, { ...known.problem, instance: path }, known.headers);
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return sendJson(r, reply, e.statusCode, { ...problem(PROBLEM_TYPES.invalidRequest, e.statusCode, 'Invalid request', e.message), instance: path });
    }
    log(`city-api: internal error on ${request.method} ${path}: ${e.message}`);
    return sendJson(r, reply, 500, { ...problem(PROBLEM_TYPES.internal, 500, 'Internal server error', 'The server failed; retry later.'), instance: path });
  };
}
