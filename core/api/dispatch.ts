/**
 * The generic server side of KioskApi: one dispatcher, built from the contract tables, that every shell uses
 * (Electron IPC and browser-mode HTTP alike). It checks the method exists, parses the arguments with the method's
 * zod schema (bad input → field-precise `bad_request`, nothing runs), checks who may call it, runs the handler and
 * wraps whatever happens as `{ ok, value | error }`. No handler is registered by hand anywhere.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../../domain/types';
import {
  isMethodName,
  kioskMethods,
  type Access,
  type MethodName,
  type MethodResult,
  type ParsedArgs,
  type Role,
  type Staff,
} from './contract';
import { MAX_ARG_DEPTH, tooDeep } from './depth';
import { KioskError, type Result } from './result';

export interface CallContext {
  /** The signed-in member of staff, or null. */
  actor: Staff | null;
  /** Which shell the call came through (for logs only). */
  origin: 'ipc' | 'http' | 'internal';
}

export type KioskHandlers = {
  [K in MethodName]: (args: ParsedArgs<K>, ctx: CallContext) => Promise<MethodResult<K>> | MethodResult<K>;
};

export interface SessionGate {
  /** `method`: the call being gated (the idle lock does not count the screens' background refreshes as activity). */
  current(method?: MethodName): { staff: Staff | null; locked: boolean };
}

export interface DispatchLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const ROLE_RANK: Record<Role, number> = { clerk: 1, supervisor: 2, admin: 3 };

export function zodIssuesToFields(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const where = path || '(arguments)';
    return {
      path: where,
      code: `schema.${issue.code}`,
      message: {
        en: `${where}: ${issue.message}`,
        zh: `${where}：格式不正确（${issue.message}）`,
      },
    };
  });
}

function deny(access: Access, gate: { staff: Staff | null; locked: boolean }, whileLocked: boolean): KioskError | null {
  if (access === 'public') return null;
  if (!gate.staff) return new KioskError('unauthenticated', { en: 'Please sign in first.', zh: '请先登录。' });
  if (gate.locked && !whileLocked) return new KioskError('locked', { en: 'The screen is locked: enter your PIN to continue.', zh: '屏幕已锁定，请输入 PIN 码继续。' });
  if (ROLE_RANK[gate.staff.role] < ROLE_RANK[access]) {
    return new KioskError('forbidden', { en: `This needs a ${access} account.`, zh: `此操作需要${access === 'admin' ? '管理员' : '主管'}账号。` });
  }
  return null;
}

export type Dispatch = (method: unknown, args: unknown, origin: CallContext['origin']) => Promise<Result<unknown>>;

export function createDispatcher(opts: { handlers: KioskHandlers; gate: SessionGate; logger: DispatchLogger }): Dispatch {
  const { handlers, gate, logger } = opts;
  return async (method, rawArgs, origin) => {
    if (!isMethodName(method)) {
      return fail(new KioskError('unknown_method', { en: `There is no method "${String(method).slice(0, 40)}".`, zh: '没有这个操作。' }));
    }
    const def = kioskMethods[method];
    // data area (issue 13): over-deep input is a 400 naming where, before zod or a handler recurses into it.
    const deep = tooDeep(rawArgs);
    if (deep !== null) {
      const where = deep.split('.').slice(0, 4).join('.');
      return fail(
        new KioskError('bad_request', { en: 'Some values are not in the expected form.', zh: '部分内容格式不正确。' }, {
          fields: [{ path: where, code: 'too_deep', message: { en: `${where}: nested more than ${MAX_ARG_DEPTH} levels deep`, zh: `${where}：嵌套层级超过 ${MAX_ARG_DEPTH} 层` } }],
        }),
      );
    }
    const parsed = def.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return fail(
        new KioskError('bad_request', { en: 'Some values are not in the expected form.', zh: '部分内容格式不正确。' }, { fields: zodIssuesToFields(parsed.error) }),
      );
    }
    const session = gate.current(method);
    const denied = deny(def.access, session, 'whileLocked' in def && def.whileLocked === true);
    if (denied) return fail(denied);
    try {
      const handler = handlers[method] as (args: unknown, ctx: CallContext) => Promise<unknown> | unknown;
      const value = await handler(parsed.data, { actor: session.staff, origin });
      return { ok: true, value };
    } catch (err) {
      if (err instanceof KioskError) return fail(err);
      const code = (err as { code?: unknown })?.code;
      if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
        logger.error('storage full', { method, code });
        return fail(new KioskError('storage', { en: 'The disk is full: nothing was saved. Call hospital IT.', zh: '磁盘已满，未保存任何内容。请联系医院信息科。' }));
      }
      // Never the message's content in the log: it may quote personal data.
      logger.error('handler failed', { method, origin, error: (err as Error)?.name ?? typeof err, code: typeof code === 'string' ? code : undefined });
      return fail(new KioskError('internal', { en: 'Something went wrong; nothing was changed. Try again, or call hospital IT.', zh: '出现错误，未做任何更改。请重试或联系医院信息科。' }));
    }
  };
}

function fail(err: KioskError): Result<never> {
  return { ok: false, error: err.toApiError() };
}
