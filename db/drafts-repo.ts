/**
 * Drafts: the clerk's unfinished entry (any JSON object), keyed by the client-generated registration id.
 * Saving is autosave (not audited); discarding is audited; submit deletes the draft in its own transaction.
 */
import { z } from 'zod';
import { Uuid } from '../domain/types';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { InvalidInputError } from './errors';
import { camelRow, type Row } from './rows';
import type { AuditContext, Draft, DraftSummary } from './types';

const MAX_DRAFT_BYTES = 256 * 1024;

const SaveSchema = z
  .object({
    registrationId: Uuid,
    doc: z.record(z.string(), z.unknown()),
    actor: z.string().min(1).max(64),
  })
  .strict();

type DraftRow = Omit<Row<Draft>, 'doc'> & { doc: string };

export function createDraftsRepo(ctx: StoreContext, audit: AuditRepo) {
  const { db } = ctx;
  const upsert = db.prepare(
    `INSERT INTO drafts (registration_id, doc, actor, created_at, updated_at) VALUES (@id, @doc, @actor, @now, @now)
     ON CONFLICT (registration_id) DO UPDATE SET doc = excluded.doc, actor = excluded.actor, updated_at = excluded.updated_at`,
  );
  const getStmt = db.prepare(`SELECT * FROM drafts WHERE registration_id = ?`);
  const submitted = db.prepare(`SELECT 1 FROM registrations WHERE id = ?`).pluck();
  const checkId = (id: unknown): string => {
    const p = Uuid.safeParse(id);
    if (!p.success) throw InvalidInputError.fromZod('draft id', p.error);
    return p.data;
  };

  return {
    save(input: { registrationId: string; doc: Record<string, unknown>; actor: string }): DraftSummary {
      const p = SaveSchema.safeParse(input);
      if (!p.success) throw InvalidInputError.fromZod('draft', p.error);
      const doc = JSON.stringify(p.data.doc);
      if (Buffer.byteLength(doc) > MAX_DRAFT_BYTES) {
        throw InvalidInputError.one('draft', 'doc', 'too_big', `draft is larger than ${MAX_DRAFT_BYTES} bytes`, '草稿过大');
      }
      return ctx.write('drafts.save', () => {
        if (submitted.get(p.data.registrationId)) {
          throw InvalidInputError.one('draft', 'registrationId', 'already_submitted', 'this registration was already submitted', '该登记已提交');
        }
        upsert.run({ id: p.data.registrationId, doc, actor: p.data.actor, now: ctx.nowIso() });
        const { doc: _doc, ...summary } = camelRow(getStmt.get(p.data.registrationId) as DraftRow);
        return summary;
      });
    },

    get(registrationId: string): Draft | null {
      const row = getStmt.get(checkId(registrationId)) as DraftRow | undefined;
      return row ? { ...camelRow(row), doc: JSON.parse(row.doc) as Record<string, unknown> } : null;
    },

    /** Most recently updated first. */
    list(limit = 50): DraftSummary[] {
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw InvalidInputError.one('draft list', 'limit', 'invalid', 'expected an integer 1..500', '数量应为 1 到 500');
      }
      const rows = db
        .prepare(`SELECT registration_id, actor, created_at, updated_at FROM drafts ORDER BY updated_at DESC LIMIT ?`)
        .all(limit) as Row<DraftSummary>[];
      return rows.map((r) => camelRow(r));
    },

    delete(registrationId: string, auditCtx: AuditContext): boolean {
      const id = checkId(registrationId);
      return ctx.write('drafts.delete', () => {
        const n = db.prepare(`DELETE FROM drafts WHERE registration_id = ?`).run(id).changes;
        if (n) audit.appendInTx({ ...auditCtx, action: 'draft.discard', subjectId: id });
        return n > 0;
      });
    },
  };
}

export type DraftsRepo = ReturnType<typeof createDraftsRepo>;
