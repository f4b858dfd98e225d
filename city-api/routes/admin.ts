/** The simulator's /admin endpoints (faults, stored requests, the business clock), behind its admin token. */
import type { FastifyInstance } from 'fastify';
import { AdvanceRequestSchema, FaultsPatchSchema } from '../contract';
import type { SimContext } from '../context';
import { badRequest, sendJson, zodErrors } from '../problems';
import { requireJson } from './batch';

export const ADMIN_BODY_LIMIT = 64 * 1024;

export function adminRoutes(app: FastifyInstance, ctx: SimContext): void {
  const post = { bodyLimit: ADMIN_BODY_LIMIT, preParsing: requireJson };
  app.get('/admin/faults', async (_request, reply) => sendJson(ctx, reply, 200, ctx.faults.current));
  app.post('/admin/faults', post, async (request, reply) => {
    const parsed = FaultsPatchSchema.safeParse(request.body);
    if (!parsed.success) throw badRequest('Invalid faults.', zodErrors(parsed.error.issues));
    return sendJson(ctx, reply, 200, ctx.faults.set(parsed.data, request.raw.socket));
  });
  app.get('/admin/requests', async (request, reply) => {
    ctx.tick();
    const url = new URL(request.url, 'http://city-api.invalid');
    const filter: { hospitalCode?: string; idempotencyKey?: string } = {};
    const h = url.searchParams.get('hospital');
    const k = url.searchParams.get('key');
    if (h) filter.hospitalCode = h;
    if (k) filter.idempotencyKey = k;
    return sendJson(ctx, reply, 200, { requests: ctx.store.listRequests(filter) });
  });
  app.post('/admin/advance', post, async (request, reply) => {
    const parsed = AdvanceRequestSchema.safeParse(request.body);
    if (!parsed.success) throw badRequest('Invalid advance request.', zodErrors(parsed.error.issues));
    return sendJson(ctx, reply, 200, ctx.advance(parsed.data.ms));
  });
}
