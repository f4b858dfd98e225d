/**
 * Issue 12: a clerk's correction (amend and resubmit a rejected / needs-info / held request) is stored into the
 * registration itself — its document and its lookup columns — in the same transaction as the amended request,
 * audited, so search, the receipt and the bundle's other requests read the corrected data.
 */
import { RegistrationSchema, type Registration } from '../domain/types';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { InvalidInputError, NotFoundError, mapWriteError } from './errors';
import { registrationRow } from './registration-row';
import type { RequestsRepo } from './requests-repo';
import type { AuditContext, StoredRequest } from './types';

/** The top-level parts of a registration that a correction changed (for the audit: no personal data in it). */
function changedParts(before: Registration, after: Registration): string[] {
  const keys = ['mother', 'father', 'child', 'declaration', 'vaccinations', 'evidences', 'services'] as const;
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function createAmendmentsRepo(ctx: StoreContext, audit: AuditRepo, requests: RequestsRepo) {
  const { db } = ctx;
  const current = db.prepare(`SELECT r.seq, d.doc FROM registrations r JOIN registration_docs d ON d.seq = r.seq WHERE r.id = ?`);
  const updateRow = db.prepare(`UPDATE registrations SET child_birth = @childBirth, child_birth_min = @childBirthMin, plurality = @plurality,
      birth_order = @birthOrder, mother_doc_type = @motherDocType, mother_doc_no = @motherDocNo, father_doc_type = @fatherDocType,
      father_doc_no = @fatherDocNo, mother_name_key = @motherNameKey, father_name_key = @fatherNameKey, child_name_key = @childNameKey,
      mother_phone = @motherPhone, father_phone = @fatherPhone, guardian_phone = @guardianPhone WHERE id = @id`);
  const updateDoc = db.prepare(`UPDATE registration_docs SET content_hash = @contentHash, doc = @doc WHERE seq = @seq`);

  return {
    /**
     * Replace the registration with its corrected version and amend the request (new payload, next revision),
     * in one transaction. Who filed it, where and when stay as they were.
     */
    amend(input: { registration: Registration; requestId: string; payload: Record<string, unknown> }, auditCtx: AuditContext): { registration: Registration; request: StoredRequest } {
      const parsed = RegistrationSchema.safeParse(input.registration);
      if (!parsed.success) throw InvalidInputError.fromZod('amended registration', parsed.error);
      try {
        return ctx.write('registrations.amend', () => {
          const row = current.get(parsed.data.id) as { seq: number; doc: string } | undefined;
          if (!row) throw new NotFoundError('registration', parsed.data.id);
          const before = JSON.parse(row.doc) as Registration;
          const after: Registration = { ...parsed.data, hospitalCode: before.hospitalCode, deskId: before.deskId, clerkId: before.clerkId, createdAt: before.createdAt };
          const values = registrationRow(after);
          updateRow.run(values);
          updateDoc.run({ seq: row.seq, contentHash: values.contentHash, doc: values.doc });
          audit.appendInTx({
            actor: auditCtx.actor,
            ...(auditCtx.at ? { at: auditCtx.at } : {}),
            action: 'registration.amend',
            subjectId: after.id,
            details: { requestId: input.requestId, changed: changedParts(before, after) },
          });
          const request = requests.amend(input.requestId, input.payload, auditCtx); // a savepoint inside this transaction
          return { registration: after, request };
        });
      } catch (e) {
        throw mapWriteError('registrations.amend', e);
      }
    },
  };
}

export type AmendmentsRepo = ReturnType<typeof createAmendmentsRepo>;
