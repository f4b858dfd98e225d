/**
 * Bundle changes after submit (issue 12): a service the family asks for later is added to a filed
 * registration as one more request — the request and its audit event in one transaction. The stored
 * registration document is left as filed (its content hash keeps submit idempotent); the requests are the
 * record of what was filed.
 */
import { z } from 'zod';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { InvalidInputError, mapWriteError } from './errors';
import { createPayloadReader, splitPayload } from './payload-share';
import { DerivedRequestSchema } from './registration-row';
import { requestFromRow, type RequestRow } from './request-row';
import { initialRevision } from './requests-repo';
import type { StoredRequest } from './types';

const AddInputSchema = z.object({
  registrationId: z.string().uuid(),
  request: DerivedRequestSchema,
  actor: z.string().min(1).max(64),
  at: z.string().datetime({ offset: true }).optional(),
});

export function createBundleRepo(ctx: StoreContext, audit: AuditRepo) {
  const { db } = ctx;
  const exists = db.prepare(`SELECT 1 FROM registrations WHERE id = ?`).pluck();
  const sameService = db.prepare(`SELECT 1 FROM service_requests WHERE registration_id = ? AND service = ?`).pluck();
  const insertReq = db.prepare(`
    INSERT INTO service_requests (id, registration_id, service, jurisdiction, depends_on, payload, payload_shared, idempotency_key,
      revision, state, attempts, next_attempt_at, created_at, updated_at)
    VALUES (@id, @registrationId, @service, @jurisdiction, @dependsOn, @payload, @payloadShared, @idempotencyKey,
      @revision, 'queued', 0, @now, @now, @now)`);
  const byId = db.prepare(`SELECT * FROM service_requests WHERE id = ?`);
  const payloads = createPayloadReader(db);

  return {
    /** Adds one request to a filed registration; refuses a registration not on this desk or a service it already has. */
    addRequest(input: z.input<typeof AddInputSchema>): StoredRequest {
      const parsed = AddInputSchema.safeParse(input);
      if (!parsed.success) throw InvalidInputError.fromZod('add service', parsed.error);
      const { registrationId, request: r, actor, at } = parsed.data;
      try {
        return ctx.write('bundle.add_service', () => {
          if (exists.get(registrationId) === undefined) {
            throw InvalidInputError.one('add service', 'registrationId', 'not_found', 'no registration with that id on this desk', '本机没有这条登记');
          }
          if (sameService.get(registrationId, r.service) !== undefined) {
            throw InvalidInputError.one('add service', 'service', 'already_filed', `${r.service} is already filed for this registration`, '该事项已经办理');
          }
          // The bundle's shared head, when the added service's payload starts with it (db/payload-share.ts).
          const { stored: payload, shared } = splitPayload(JSON.stringify(r.payload), payloads.head(registrationId));
          insertReq.run({
            id: r.id,
            registrationId,
            service: r.service,
            jurisdiction: r.jurisdiction,
            dependsOn: JSON.stringify(r.dependsOn),
            payload,
            payloadShared: shared,
            idempotencyKey: r.idempotencyKey,
            revision: initialRevision(r, registrationId),
            now: ctx.nowIso(),
          });
          audit.appendInTx({ actor, at, action: 'registration.add_service', subjectId: registrationId, details: { requestId: r.id, service: r.service } });
          const row = byId.get(r.id) as RequestRow;
          return requestFromRow({ ...row, payload: payloads.full({ ...row, payload_shared: row.payload_shared ?? 0 }) });
        });
      } catch (e) {
        throw mapWriteError('bundle.add_service', e);
      }
    },
  };
}

export type BundleRepo = ReturnType<typeof createBundleRepo>;
