/** POST /v1/requests:batch: up to 100 items (1 MiB), each under its idempotency key, stored in one transaction. */
import type { FastifyInstance } from 'fastify';
import { IdempotencyKeySchema, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, PROBLEM_TYPES, type FieldError } from '../contract';
import type { SimContext } from '../context';
import { authenticate } from '../auth';
import { badRequest, HttpError, problem, sendJson } from '../problems';
import type { RawItem } from '../rules';
import type { Caller } from '../store';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON body is required (415 before the body is read, as the auth check before it). */
export async function requireJson(request: { headers: Record<string, string | string[] | undefined> }): Promise<void> {
  const ct = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!ct.startsWith('application/json')) {
    throw new HttpError(
      problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'Unsupported media type', `Send Content-Type: application/json (got "${ct.slice(0, 60) || 'none'}").`),
    );
  }
}

/** Items that cannot be answered one by one (not an object, no usable idempotencyKey). */
function unanswerable(items: unknown[]): FieldError[] {
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
  return errors;
}

export function batchRoute(app: FastifyInstance, ctx: SimContext): void {
  const callers = new WeakMap<object, Caller>();
  app.post('/v1/requests::batch', {
    bodyLimit: MAX_BATCH_BYTES,
    onRequest: async (request) => {
      callers.set(request.raw, authenticate(ctx, request.headers));
    },
    preParsing: async (request) => requireJson(request),
    handler: async (request, reply) => {
      const caller = callers.get(request.raw)!;
      const parsed = request.body;
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
      const errors = unanswerable(items);
      if (errors.length > 0) throw badRequest('Some items cannot be answered one by one (no usable idempotencyKey); nothing was stored.', errors);

      const now = ctx.simNow();
      ctx.store.advanceDue(now);
      const results = ctx.store.intake(caller, items as RawItem[], now);
      if (ctx.faults.roll(ctx.faults.current.dropAfterCommitRate)) {
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      return sendJson(ctx, reply, 200, { results }, {}, ctx.faults.roll(ctx.faults.current.malformedRate));
    },
  });
}
