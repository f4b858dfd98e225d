/** The rules of the child's section: name, time of birth, measurements, plurality and birth order, attendant. */
import type { YMDHM } from '../dates';
import { asNum, asStr, checkMinute, fail, open, warn, type Ctx, type Loose } from './context';
import { checkName, type NameScript } from './names';
import { LIMITS, birthLongAgoRule, measureRules } from './plausibility';

export function childRules(ctx: Ctx, c: Loose, nameScript: NameScript): YMDHM | null {
  const submit = ctx.opts.mode === 'submit';
  const name = asStr(c.name);
  if (name !== undefined && open(ctx, 'child.name')) {
    const bad = checkName(name, nameScript);
    if (bad) fail(ctx, 'child.name', 'name.chars', `新生儿姓名${bad.zh}`, `The child's name ${bad.en}`);
  }
  const born = checkMinute(ctx, 'child.birthDateTime', c.birthDateTime);
  if (born) birthLongAgoRule(ctx, born);
  measureRules(ctx, c);

  const plurality = asNum(c.plurality);
  if (plurality !== undefined && open(ctx, 'child.plurality')) {
    if (!Number.isInteger(plurality) || plurality < LIMITS.plurality.min || plurality > LIMITS.plurality.max) {
      fail(ctx, 'child.plurality', 'range.plurality', '胎数应为1至8的整数（单胎为1，双胎为2）', 'The number of babies must be a whole number from 1 to 8 (1 single, 2 twins)');
    } else if (plurality > LIMITS.plurality.plausibleMax) {
      warn(ctx, 'child.plurality', 'plausible.plurality', `本次分娩为${plurality}胎，较为少见，请再核对一遍`, `${plurality} babies in one birth is rare; check it once more`);
    }
  }
  const order = asNum(c.birthOrder);
  if (order !== undefined && open(ctx, 'child.birthOrder') && !ctx.sink.hasIssueAt('child.plurality')) {
    const max = plurality !== undefined && Number.isInteger(plurality) ? plurality : LIMITS.plurality.max;
    if (!Number.isInteger(order) || order < 1 || order > max) {
      fail(ctx, 'child.birthOrder', 'range.birth_order', `出生顺序应为1至${max}的整数，且不大于胎数`, `The birth order must be a whole number from 1 to ${max}, not more than the number of babies`);
    }
  }
  if (submit && asStr(c.attendant) === undefined && open(ctx, 'child.attendant')) ctx.sink.required('child.attendant');
  return born;
}
