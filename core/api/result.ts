/**
 * What crosses a process boundary: `{ ok: true, value } | { ok: false, error }`, never a thrown exception
 * (Signal's `wrapResult`). Errors carry a stable code, a plain-words message in both languages, and — for bad
 * input — the list of field-precise issues.
 */
import { z } from 'zod';
import { FieldIssueSchema, type FieldIssue } from '../../domain/types';

export const ERROR_CODES = [
  'bad_request', // arguments failed the method's schema
  'invalid', // the registration failed validation (fields say where)
  'unknown_method',
  'unauthenticated', // nobody signed in
  'locked', // the screen is locked
  'forbidden', // role too low
  'bad_pin',
  'account_locked',
  'not_found',
  'conflict',
  'duplicate_birth', // possible duplicate needs acknowledging
  'not_allowed', // the action does not fit the current state
  'unavailable', // a subsystem (device, sync, printer) is not there
  'storage', // disk full, database damaged
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  /** Plain words, English. */
  message: z.string(),
  /** Plain words, Chinese. */
  messageZh: z.string(),
  fields: z.array(FieldIssueSchema).optional(),
  /** Extra machine-readable detail (never personal data). */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside core; turned into `{ ok: false, error }` at the boundary. */
export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly messageZh: string;
  readonly fields?: FieldIssue[];
  readonly detail?: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    message: { en: string; zh: string },
    extra: { fields?: FieldIssue[]; detail?: Record<string, unknown> } = {},
  ) {
    super(message.en);
    this.name = 'KioskError';
    this.code = code;
    this.messageZh = message.zh;
    if (extra.fields) this.fields = extra.fields;
    if (extra.detail) this.detail = extra.detail;
  }
  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      messageZh: this.messageZh,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}
