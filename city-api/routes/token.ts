/** POST /v1/oauth/token: client-credentials tokens (form or JSON body, or HTTP Basic credentials). */
import type { FastifyInstance } from 'fastify';
import { ClientIdSchema, PROBLEM_TYPES, type FieldError, type TokenResponse } from '../contract';
import type { SimContext } from '../context';
import { applyBasicCredentials, credentialsAccepted } from '../auth';
import { badRequest, HttpError, problem, sendJson } from '../problems';
import type { Caller } from '../store';

export const TOKEN_BODY_LIMIT = 16 * 1024;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function tokenRoute(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v1/oauth/token', {
    bodyLimit: TOKEN_BODY_LIMIT,
    preParsing: async (request) => {
      const ct = (request.headers['content-type'] ?? '').toLowerCase();
      if (!ct.startsWith('application/x-www-form-urlencoded') && !ct.startsWith('application/json')) {
        throw new HttpError(problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'Unsupported media type', 'Send application/x-www-form-urlencoded or application/json.'));
      }
    },
    handler: async (request, reply) => {
      if (!isObj(request.body)) throw badRequest('The token request must be a JSON object.', [{ path: '(body)', code: 'invalid_type', message: 'expected an object' }]);
      const fields: Record<string, unknown> = { ...request.body };
      applyBasicCredentials(request.headers.authorization, fields);
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
      if (!credentialsAccepted(ctx, id, secret as string)) {
        throw new HttpError(problem(PROBLEM_TYPES.invalidClient, 401, 'Invalid client', 'Unknown client_id or wrong client_secret.', { error: 'invalid_client' }), {
          'WWW-Authenticate': 'Basic realm="city-api"',
        });
      }
      const sep = id.indexOf(':');
      const caller: Caller = { hospitalCode: id.slice(0, sep), deskId: id.slice(sep + 1) };
      const accessToken = ctx.store.issueToken(caller, ctx.simNow(), ctx.tokenTtlSec);
      const out: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: ctx.tokenTtlSec };
      return sendJson(ctx, reply, 200, out, { Pragma: 'no-cache' }, ctx.faults.roll(ctx.faults.current.malformedRate));
    },
  });
}
