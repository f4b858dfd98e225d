/**
 * The rules of the declaration (guardian, household, card delivery) and of the services chosen: each once,
 * and what each one needs (a named child for the household register, an insured mother for the claim, the
 * birth certificate for both, household registration for the citizen card).
 */
import { SERVICE_RULE } from '../bundle';
import { SERVICE_PHRASES, type Service } from '../codes';
import type { IssueCode } from '../issues';
import type { Localized } from '../idnumber';
import { asObj, asStr, cap, checkPhone, fail, open, type Ctx, type Loose } from './context';
import { checkName } from './names';


export function declarationRules(ctx: Ctx, decl: Loose | undefined): void {
  const submit = ctx.opts.mode === 'submit';
  if (decl) {
    checkPhone(ctx, 'declaration.guardianPhone', decl.guardianPhone);
    if (submit && asStr(decl.guardianPhone) === undefined && open(ctx, 'declaration.guardianPhone')) ctx.sink.required('declaration.guardianPhone');
    if (submit && asStr(decl.guardianName) === undefined && open(ctx, 'declaration.guardianName')) ctx.sink.required('declaration.guardianName');
    const g = asStr(decl.guardianName);
    if (g !== undefined && open(ctx, 'declaration.guardianName')) {
      const bad = checkName(g, 'chinese_or_latin');
      if (bad) fail(ctx, 'declaration.guardianName', 'name.chars', `监护人姓名${bad.zh}`, `The guardian's name ${bad.en}`);
    }
  }
}

/**
 * The services of the bundle, against what each needs: each chosen service's rule in the one table
 * (`domain/bundle.ts` `SERVICE_RULES`) — a missing field is reported at that field, a fact that rules the
 * service out at the field that states it. Validation and the requests derived therefore never disagree.
 */
export function serviceRules(ctx: Ctx, reg: Loose, services: Service[]): void {
  if (open(ctx, 'services')) {
    const dup = services.find((s, i) => services.indexOf(s) !== i);
    if (dup) fail(ctx, 'services', 'services.duplicate', '申办事项有重复', 'A service is chosen twice');
    const declined = Array.isArray(reg.declined) ? (reg.declined as unknown[]).map((d) => asObj(d)?.service) : [];
    const both = services.find((s) => declined.includes(s));
    if (both) fail(ctx, 'services', 'services.declined_and_chosen', `${SERVICE_PHRASES[both].zh}不能既办理又不办理`, `${cap(SERVICE_PHRASES[both].en)} cannot be both chosen and declined`);
  }
  const why = (s: Service): Localized => ({ zh: `办理${SERVICE_PHRASES[s].zh}需要`, en: `needed for ${SERVICE_PHRASES[s].en}` });
  for (const s of services) {
    const rule = SERVICE_RULE[s];
    if (!rule) continue;
    for (const a of rule.problems?.(reg) ?? [rule.applies(reg)]) {
      if (a.ok) continue;
      const field = a.field || 'services';
      if (!open(ctx, field)) continue;
      const empty = asStr(valueAt(reg, field)) === undefined;
      if (a.kind === 'missing' && field !== 'services' && empty) ctx.sink.required(field, why(s));
      else if (ctx.opts.mode === 'submit' || !empty || field === 'services') fail(ctx, field, a.code as IssueCode, a.reason.zh, a.reason.en);
    }
  }
}

const valueAt = (root: Loose, path: string): unknown => path.split('.').reduce<unknown>((o, k) => asObj(o)?.[k], root);
