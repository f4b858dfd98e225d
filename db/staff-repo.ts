/**
 * Staff and PIN sign-in: scrypt (node:crypto, random 16-byte salt, N = 2^14, r = 8, p = 1), lock-out after
 * `maxFailures` wrong PINs for `lockMs`. Each outcome is an audit event (`staff.signin`,
 * `staff.signin_failed`, `staff.locked`); a PIN never reaches a log or the audit trail.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { AuditRepo } from './audit-repo';
import type { StoreContext } from './context';
import { DiskFullError, InvalidInputError, mapWriteError } from './errors';
import { camelRow, type Row } from './rows';
import type { AuditContext, LockoutPolicy, PinResult, Staff, StaffInput } from './types';

/** 2^14: the PIN space is small, so the lock-out (not the hash cost) is the real defence; sign-in stays quick. */
const LOG2_N = 14;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(pin: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2n;
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) =>
    scryptCb(pin.normalize('NFKC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, LOG2_N, R, P);
  return `scrypt$${LOG2_N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(pin, salt, log2n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const StaffIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'expected 1-32 letters, digits, dot, dash or underscore');
/** A new or changed PIN: 6 to 12 digits (issue 13). */
export const PinSchema = z.string().regex(/^\d{6,12}$/, 'expected a PIN of 6 to 12 digits');
/** What sign-in accepts: 4-digit PINs set before issue 13 still sign in, with `pinChangeRequired`, until changed. */
export const SignInPinSchema = z.string().regex(/^\d{4,12}$/, 'expected a PIN of 4 to 12 digits');
export const NEW_PIN_MIN_DIGITS = 6;
const StaffInputSchema = z
  .object({
    staffId: StaffIdSchema,
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(['clerk', 'supervisor', 'admin']),
    pin: PinSchema,
  })
  .strict();

type StaffRow = Omit<Row<Staff>, 'active'> & { active: number; pin_hash: string };

/** The PIN hash never leaves the repository. */
function fromRow({ pin_hash: _pinHash, active, ...columns }: StaffRow): Staff {
  return { ...camelRow(columns), active: active === 1 };
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 5 * 60_000, maxLockMs: 24 * 60 * 60_000 };

export function createStaffRepo(ctx: StoreContext, audit: AuditRepo, lockout: LockoutPolicy) {
  const { db } = ctx;
  const byId = db.prepare(`SELECT * FROM staff WHERE staff_id = ?`);
  // Growing lock-out: the locks since the last good sign-in (the audit trail is the record; indexed by subject).
  const locksSinceSignIn = db
    .prepare(
      `SELECT count(*) FROM audit_events WHERE subject_id = @id AND action = 'staff.locked'
         AND seq > coalesce((SELECT max(seq) FROM audit_events WHERE subject_id = @id AND action IN ('staff.signin', 'staff.set_pin')), 0)`,
    )
    .pluck();
  // A stored hash to compare unknown ids against, so "unknown" takes as long as "bad_pin".
  let dummyHash: Promise<string> | null = null;
  // Wrong PINs and locks that a full disk kept from being written (in memory until the desk restarts).
  const unwritten = new Map<string, number>();
  const unwrittenLocks = new Map<string, string>();

  return {
    async create(input: StaffInput, auditCtx?: AuditContext): Promise<Staff> {
      const p = StaffInputSchema.safeParse(input);
      if (!p.success) throw InvalidInputError.fromZod('staff', p.error);
      const pinHash = await hashPin(p.data.pin);
      try {
        return ctx.write('staff.create', () => {
          const now = ctx.nowIso();
          db.prepare(
            `INSERT INTO staff (staff_id, display_name, role, pin_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(p.data.staffId, p.data.displayName, p.data.role, pinHash, now, now);
          audit.appendInTx({
            actor: auditCtx?.actor ?? 'system',
            at: auditCtx?.at,
            action: 'staff.create',
            subjectId: p.data.staffId,
            details: { role: p.data.role },
          });
          return fromRow(byId.get(p.data.staffId) as StaffRow);
        });
      } catch (e) {
        throw mapWriteError('staff.create', e);
      }
    },

    get(staffId: string): Staff | null {
      const row = byId.get(staffId) as StaffRow | undefined;
      return row ? fromRow(row) : null;
    },

    list(): Staff[] {
      return (db.prepare(`SELECT * FROM staff ORDER BY staff_id`).all() as StaffRow[]).map(fromRow);
    },

    async setPin(staffId: string, pin: string, auditCtx: AuditContext): Promise<void> {
      const p = PinSchema.safeParse(pin);
      if (!p.success) throw InvalidInputError.fromZod('PIN', p.error);
      const hash = await hashPin(p.data);
      ctx.write('staff.set_pin', () => {
        const n = db
          .prepare(`UPDATE staff SET pin_hash = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE staff_id = ?`)
          .run(hash, ctx.nowIso(), staffId).changes;
        if (n === 0) throw InvalidInputError.one('PIN change', 'staffId', 'unknown_staff', 'no such staff member', '没有此工作人员');
        audit.appendInTx({ actor: auditCtx.actor, at: auditCtx.at, action: 'staff.set_pin', subjectId: staffId });
      });
    },

    setActive(staffId: string, active: boolean, auditCtx: AuditContext): void {
      ctx.write('staff.set_active', () => {
        const n = db
          .prepare(`UPDATE staff SET active = ?, updated_at = ? WHERE staff_id = ?`)
          .run(active ? 1 : 0, ctx.nowIso(), staffId).changes;
        if (n === 0) throw InvalidInputError.one('staff change', 'staffId', 'unknown_staff', 'no such staff member', '没有此工作人员');
        audit.appendInTx({ actor: auditCtx.actor, at: auditCtx.at, action: active ? 'staff.enable' : 'staff.disable', subjectId: staffId });
      });
    },

    /**
     * Checks a PIN at desk time `now`. Locked accounts are refused without checking the PIN; the
     * `maxFailures`-th wrong PIN locks the account for `lockMs`; a right PIN resets the count.
     */
    async verifyPin(staffId: string, pin: string, now: Date = ctx.now()): Promise<PinResult> {
      if (!StaffIdSchema.safeParse(staffId).success || typeof pin !== 'string' || !(now instanceof Date) || Number.isNaN(now.getTime())) {
        throw InvalidInputError.one('sign-in', 'staffId', 'invalid', 'expected a staff id, a PIN string and a valid time', '工作人员编号或时间无效');
      }
      const nowIso = now.toISOString();
      const before = byId.get(staffId) as StaffRow | undefined;
      if (!before || before.active !== 1) {
        dummyHash ??= hashPin('000000');
        await checkPin(pin, await dummyHash);
        return { result: 'unknown' };
      }
      if (before.locked_until && before.locked_until > nowIso) return { result: 'locked', until: before.locked_until };
      const memLock = unwrittenLocks.get(staffId);
      if (memLock && memLock > nowIso) return { result: 'locked', until: memLock };
      const good = SignInPinSchema.safeParse(pin).success && (await checkPin(pin, before.pin_hash));
      const pinChangeRequired = good && pin.length < NEW_PIN_MIN_DIGITS;
      const okResult = (staff: Staff, unrecorded = false): PinResult => ({
        result: 'ok',
        staff,
        ...(pinChangeRequired ? { pinChangeRequired } : {}),
        ...(unrecorded ? { unrecorded } : {}),
      });
      const write = (): PinResult => ctx.write('staff.verify_pin', (): PinResult => {
        // Re-read inside the transaction: another sign-in may have counted a failure meanwhile.
        const row = byId.get(staffId) as StaffRow;
        if (row.locked_until && row.locked_until > nowIso) return { result: 'locked', until: row.locked_until };
        if (good) {
          db.prepare(`UPDATE staff SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE staff_id = ?`).run(nowIso, staffId);
          audit.appendInTx({ actor: staffId, at: nowIso, action: 'staff.signin', subjectId: staffId, ...(pinChangeRequired ? { details: { pinChangeRequired } } : {}) });
          return okResult(fromRow(byId.get(staffId) as StaffRow));
        }
        // A lock that has expired starts a fresh count.
        const failures = (row.locked_until ? 0 : row.failed_attempts) + 1;
        if (failures >= lockout.maxFailures) {
          const earlier = locksSinceSignIn.get({ id: staffId }) as number;
          const until = new Date(now.getTime() + Math.min(lockout.maxLockMs, lockout.lockMs * 2 ** Math.min(earlier, 30))).toISOString();
          db.prepare(`UPDATE staff SET failed_attempts = 0, locked_until = ?, updated_at = ? WHERE staff_id = ?`).run(until, nowIso, staffId);
          audit.appendInTx({ actor: staffId, at: nowIso, action: 'staff.locked', subjectId: staffId, details: { until, failures } });
          return { result: 'locked', until };
        }
        db.prepare(`UPDATE staff SET failed_attempts = ?, locked_until = NULL, updated_at = ? WHERE staff_id = ?`).run(failures, nowIso, staffId);
        const attemptsLeft = lockout.maxFailures - failures;
        audit.appendInTx({ actor: staffId, at: nowIso, action: 'staff.signin_failed', subjectId: staffId, details: { attemptsLeft } });
        return { result: 'bad_pin', attemptsLeft };
      });
      try {
        return write();
      } catch (e) {
        // A full disk must not keep a clerk with the right PIN out (reading still works): the sign-in goes unrecorded.
        if (good && e instanceof DiskFullError) {
          ctx.logger.warn('db.signin_unrecorded_disk_full', { staffId });
          return okResult(fromRow(before), true);
        }
        // Wrong PINs still count while nothing can be written: in memory, with the same lock-out.
        if (e instanceof DiskFullError) {
          const failures = (unwritten.get(staffId) ?? 0) + 1;
          unwritten.set(staffId, failures % lockout.maxFailures);
          if (failures >= lockout.maxFailures) unwrittenLocks.set(staffId, new Date(now.getTime() + lockout.lockMs).toISOString());
        }
        throw e;
      }
    },
  };
}

export type StaffRepo = ReturnType<typeof createStaffRepo>;
