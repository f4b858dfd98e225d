/** Settings: key → JSON value. A change made by someone (auditCtx given) is audited by key only, never by value. */
import { z } from 'zod';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { InvalidInputError } from './errors';
import type { AuditContext } from './types';

const KeySchema = z.string().regex(/^[a-z][a-zA-Z0-9_.-]{0,63}$/, 'expected a setting key like sync.batchSize');
const MAX_VALUE_BYTES = 64 * 1024;

export function createSettingsRepo(ctx: StoreContext, audit: AuditRepo) {
  const { db } = ctx;
  const getStmt = db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck();
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const checkKey = (key: unknown): string => {
    const p = KeySchema.safeParse(key);
    if (!p.success) throw InvalidInputError.fromZod('setting key', p.error);
    return p.data;
  };

  return {
    get<T = unknown>(key: string): T | undefined {
      const v = getStmt.get(checkKey(key)) as string | undefined;
      return v === undefined ? undefined : (JSON.parse(v) as T);
    },

    set(key: string, value: unknown, auditCtx?: AuditContext): void {
      const k = checkKey(key);
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        throw InvalidInputError.one('setting', 'value', 'not_json', 'value must be JSON-serialisable', '设置值必须是 JSON');
      }
      if (Buffer.byteLength(json) > MAX_VALUE_BYTES) {
        throw InvalidInputError.one('setting', 'value', 'too_big', `value is larger than ${MAX_VALUE_BYTES} bytes`, '设置值过大');
      }
      ctx.write('settings.set', () => {
        upsert.run(k, json, ctx.nowIso());
        if (auditCtx) audit.appendInTx({ ...auditCtx, action: 'settings.change', subjectId: k });
      });
    },

    delete(key: string, auditCtx?: AuditContext): boolean {
      const k = checkKey(key);
      return ctx.write('settings.delete', () => {
        const n = db.prepare(`DELETE FROM settings WHERE key = ?`).run(k).changes;
        if (n && auditCtx) audit.appendInTx({ ...auditCtx, action: 'settings.delete', subjectId: k });
        return n > 0;
      });
    },

    all(): Record<string, unknown> {
      const rows = db.prepare(`SELECT key, value FROM settings ORDER BY key`).all() as { key: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
