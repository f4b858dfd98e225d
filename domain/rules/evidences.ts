/** The rules of the vaccination doses and the evidences: real times after the birth, nothing listed twice. */
import { ymdhmKey, type YMDHM } from '../dates';
import { asObj, checkMinute, fail, open, type Ctx, type Loose } from './context';

export function vaccinationAndEvidenceRules(ctx: Ctx, reg: Loose, born: YMDHM | null): void {
  // vaccinations: a real time, not before the birth; each vaccine once
  const doses = Array.isArray(reg.vaccinations) ? reg.vaccinations : [];
  const seen = new Set<string>();
  doses.forEach((d, i) => {
    const dose = asObj(d);
    if (!dose) return;
    const path = `vaccinations.${i}.givenAt`;
    const given = checkMinute(ctx, path, dose.givenAt);
    if (given && born && ymdhmKey(given) < ymdhmKey(born)) {
      fail(ctx, path, 'vaccination.before_birth', '接种时间早于出生时间，请核对', 'The vaccination time is before the time of birth; check it');
    }
    if (typeof dose.vaccine === 'string') {
      if (seen.has(dose.vaccine) && open(ctx, `vaccinations.${i}.vaccine`)) {
        fail(ctx, `vaccinations.${i}.vaccine`, 'vaccination.duplicate', '同一疫苗登记了两次', 'The same vaccine is entered twice');
      }
      seen.add(dose.vaccine);
    }
  });

  // evidences: each kind once; no father's ID without a father
  const evidences = Array.isArray(reg.evidences) ? reg.evidences : [];
  const kinds = new Set<string>();
  evidences.forEach((e, i) => {
    const ev = asObj(e);
    if (!ev || typeof ev.kind !== 'string' || !open(ctx, `evidences.${i}.kind`)) return;
    if (kinds.has(ev.kind)) fail(ctx, `evidences.${i}.kind`, 'evidence.duplicate', '同一份材料登记了两次', 'The same evidence is listed twice');
    else if (ev.kind === 'father_id' && reg.father === null) {
      fail(ctx, `evidences.${i}.kind`, 'evidence.father_absent', '未登记父亲信息，不能提交父亲身份证件', "No father is recorded, so there is no father's ID to present");
    }
    kinds.add(ev.kind);
  });
  // the mother's identity document is the one evidence every registration rests on (issue 12)
  if (ctx.opts.mode === 'submit' && !kinds.has('mother_id') && open(ctx, 'evidences')) {
    fail(ctx, 'evidences.mother_id', 'evidence.mother_id_missing', '须核验母亲身份证件：核对原件后勾选“母亲身份证件”', "The mother's identity document must be checked: see it, then tick “Mother's identity document”");
  }
}
