/** Store errors become the contract's codes, in plain words; anything else passes through to the dispatcher. */
import {
  BackwardTransitionError,
  ConstraintError,
  DatabaseCorruptError,
  DiskFullError,
  InvalidInputError,
  NotFoundError,
  StaleStateError,
  StoreError,
  SubmitConflictError,
} from '../../../db';
import { REQUEST_STATES, type RequestState } from '../../../domain/codes';
import type { Logger } from '../ports';
import { freeMegabytes } from './disk-space';
import { KioskError } from '../result';

const STATE_WORDS: Record<RequestState, string> = Object.fromEntries(REQUEST_STATES.map((s) => [s, s])) as Record<RequestState, string>;

export function toKioskError(e: unknown, logger: Logger, method: string): unknown {
  if (e instanceof KioskError || !(e instanceof StoreError)) return e;
  if (e instanceof InvalidInputError) {
    return new KioskError('bad_request', { en: 'Some values are not in the expected form.', zh: '部分内容格式不正确。' }, { fields: e.issues });
  }
  if (e instanceof SubmitConflictError) {
    return new KioskError('conflict', {
      en: 'This registration was already submitted with different content. Open it from the list instead.',
      zh: '这条登记已用不同内容提交过，请从列表中打开它。',
    });
  }
  if (e instanceof NotFoundError) return new KioskError('not_found', { en: 'Not found on this desk.', zh: '本机未找到。' });
  if (e instanceof StaleStateError || e instanceof BackwardTransitionError) {
    const actual = e instanceof StaleStateError ? STATE_WORDS[e.actual as RequestState] ?? e.actual : e.from;
    return new KioskError('not_allowed', {
      en: `The request is now "${actual}": this action no longer applies. The screen has been refreshed.`,
      zh: `该申请当前状态为"${actual}"，此操作已不适用。`,
    }, { detail: { state: actual } });
  }
  if (e instanceof ConstraintError) return new KioskError('conflict', { en: 'That conflicts with what is already stored.', zh: '与已保存的内容冲突。' });
  if (e instanceof DatabaseCorruptError) {
    logger.error('database damaged', { method });
    return new KioskError('storage', { en: 'The local database is damaged. Stop and call hospital IT; nothing has been deleted.', zh: '本地数据库已损坏。请停止操作并联系医院信息科，数据未被删除。' });
  }
  if (e instanceof DiskFullError) {
    // data area (issue 13): say the disk is full, with the free space; sign-in and reading keep working.
    const mb = freeMegabytes(e.file);
    logger.error('disk full', { method, freeMb: mb });
    const free = mb === null ? { en: '', zh: '' } : { en: ` (${mb} MB free)`, zh: `（剩余 ${mb} MB）` };
    return new KioskError(
      'storage',
      {
        en: `The disk is full${free.en}: nothing was saved. Free some disk space or call hospital IT; signing in and looking up registrations still work.`,
        zh: `磁盘已满${free.zh}，未保存任何内容。请清理磁盘空间或联系医院信息科；登录和查询仍可使用。`,
      },
      { detail: { code: e.code, freeMb: mb } },
    );
  }
  logger.error('store error', { method, code: e.code });
  return new KioskError('storage', { en: 'The local database refused this; nothing was changed. Call hospital IT if it happens again.', zh: '本地数据库拒绝了此操作，未做任何更改。如再次出现请联系医院信息科。' }, { detail: { code: e.code } });
}
