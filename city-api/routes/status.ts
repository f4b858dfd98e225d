/** GET /v1/status-updates: the ordered status feed of the calling desk's hospital. */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT, decodeCursor, encodeCursor, type FieldError } from '../contract';
import type { SimContext } from '../context';
import { authenticate } from '../auth';
import { badRequest, sendJson } from '../problems';

export function statusRoute(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v1/status-updates', async (request, reply) => {
    const caller = authenticate(ctx, request.headers);
    const url = new URL(request.url, 'http://city-api.invalid');
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
    ctx.store.advanceDue(ctx.simNow());
    const { updates, hasMore } = ctx.store.feed(caller.hospitalCode, after, limit);
    const last = updates.length > 0 ? updates[updates.length - 1]!.seq : after;
    return sendJson(ctx, reply, 200, { updates, nextCursor: encodeCursor(last), hasMore }, {}, ctx.faults.roll(ctx.faults.current.malformedRate));
  });
}
