/** Drafts and validation: the form as it stands, its field issues and suggestions, the duplicate check. */
import { explainServices } from '../../../domain/bundle';
import { suggestDeclaredDistrict, suggestGuardian } from '../../../domain/defaults';
import { validateRegistration } from '../../../domain/validate';
import type { HandlerContext, HandlerMap } from './context';

export function draftHandlers(c: HandlerContext) {
  const { store } = c;
  return {
    validateDraft: ({ draft, mode }) => {
      const report = validateRegistration(draft, { now: c.now(), mode });
      const services = explainServices(draft, { hospitalDistrict: c.hospital.district });
      const mother = (draft as { mother?: unknown }).mother;
      const father = (draft as { father?: unknown }).father;
      const suggestions: Record<string, unknown> = {};
      const district = suggestDeclaredDistrict(mother, father);
      if (district) {
        suggestions['declaration.householdDistrict'] = district.district;
        suggestions['declaration.householdDistrict.source'] = district.source;
        suggestions['declaration.householdDistrict.alternatives'] = district.alternatives;
      }
      const guardian = suggestGuardian(mother, father);
      if (guardian) {
        suggestions['declaration.guardianName'] = guardian.guardianName;
        suggestions['declaration.guardianPhone'] = guardian.guardianPhone;
      }
      return { ok: report.ok, issues: report.ok ? [] : report.issues, warnings: report.warnings, services, suggestions };
    },

    saveDraft: ({ id, data }, ctx) => {
      const saved = store.drafts.save({ registrationId: id, doc: data, actor: c.actorOf(ctx) });
      return { id, data, updatedAt: saved.updatedAt };
    },

    getDraft: ({ id }) => {
      const d = store.drafts.get(id);
      return d ? { id: d.registrationId, data: d.doc, updatedAt: d.updatedAt } : null;
    },

    listDrafts: () =>
      store.drafts.list().flatMap((s) => {
        const d = store.drafts.get(s.registrationId);
        return d ? [{ id: d.registrationId, data: d.doc, updatedAt: d.updatedAt }] : [];
      }),

    discardDraft: ({ id }, ctx) => ({ discarded: store.drafts.delete(id, { actor: c.actorOf(ctx) }) }),

  } satisfies HandlerMap;
}
