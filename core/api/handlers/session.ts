/** Session: who is signed in, the screen lock, and the UI language (kept as the desk preference). */
import type { SessionInfo, Staff } from '../contract';
import { DiskFullError } from '../../../db';
import { KioskError } from '../result';
import { LANGUAGE_SETTING, languageLockedByIt, type HandlerContext, type HandlerMap } from './context';

export function sessionHandlers(c: HandlerContext, announce: (info: SessionInfo) => void) {
  const { store, logger, state } = c;

  function sessionInfo(): SessionInfo {
    return {
      signedIn: state.session !== null,
      locked: state.session?.locked ?? false,
      staff: state.session?.staff ?? null,
      training: c.training,
      hospital: c.hospital,
      deskId: c.config.deskId,
      language: state.language,
      idleLockMinutes: c.config.idleLockMinutes,
      version: c.deps.host.version,
      barcodePatterns: c.config.devices.barcodePatterns, // devices area: the wedge classifies by these
      ...(state.session?.pinChangeRequired ? { pinChangeRequired: true } : {}),
    };
  }
  const changed = (): SessionInfo => {
    const info = sessionInfo();
    announce(info);
    return info;
  };

  async function checkPin(staffId: string, pin: string): Promise<Staff & { pinChangeRequired?: boolean }> {
    const r = await store.staff.verifyPin(staffId, pin, c.now());
    switch (r.result) {
      case 'ok':
        if (r.unrecorded) logger.warn('sign-in not recorded: the disk is full', { staffId });
        return { staffId: r.staff.staffId, displayName: r.staff.displayName, role: r.staff.role, ...(r.pinChangeRequired ? { pinChangeRequired: true } : {}) };
      case 'locked':
        throw new KioskError(
          'account_locked',
          { en: `Too many wrong PINs: this account is locked until ${localTime(r.until)}. Ask a supervisor.`, zh: `PIN 码错误次数过多，账号已锁定至 ${localTime(r.until)}。请联系主管。` },
          { detail: { until: r.until } },
        );
      case 'bad_pin':
        throw new KioskError(
          'bad_pin',
          { en: `Wrong staff id or PIN. ${r.attemptsLeft} tries left before the account locks.`, zh: `工作人员编号或 PIN 码不正确。再错 ${r.attemptsLeft} 次账号将被锁定。` },
          { detail: { attemptsLeft: r.attemptsLeft } },
        );
      default:
        // Unknown ids get the same answer as a wrong PIN: the desk does not reveal which staff ids exist.
        throw new KioskError('bad_pin', { en: 'Wrong staff id or PIN.', zh: '工作人员编号或 PIN 码不正确。' });
    }
  }

  return {
    getSession: () => sessionInfo(),

    signIn: async ({ staffId, pin }) => {
      const { pinChangeRequired, ...staff } = await checkPin(staffId, pin);
      state.session = { staff, locked: false, ...(pinChangeRequired ? { pinChangeRequired } : {}), lastActivity: c.now().getTime() };
      logger.info('staff signed in', { staffId, role: staff.role });
      return changed();
    },

    signOut: () => {
      const session = state.session;
      if (session) {
        try {
          store.audit.append({ actor: session.staff.staffId, at: c.now().toISOString(), action: 'staff.signout', subjectId: session.staff.staffId });
        } catch (e) {
          // data area (issue 13): a full disk must not keep a clerk signed in; the sign-out goes unrecorded.
          if (!(e instanceof DiskFullError)) throw e;
          logger.warn('sign-out not recorded: the disk is full', { staffId: session.staff.staffId });
        }
        logger.info('staff signed out', { staffId: session.staff.staffId });
      }
      // The queue and the drafts stay: signing out never deletes anything.
      state.session = null;
      return changed();
    },

    lock: () => {
      if (state.session) state.session.locked = true;
      return changed();
    },

    unlock: async ({ pin }) => {
      const session = state.session;
      if (!session) throw new KioskError('unauthenticated', { en: 'Nobody is signed in: sign in instead.', zh: '当前无人登录，请直接登录。' });
      await checkPin(session.staff.staffId, pin);
      session.locked = false;
      session.lastActivity = c.now().getTime();
      return changed();
    },

    setLanguage: ({ language: next }) => {
      if (languageLockedByIt(c.deps) && next !== c.config.language) {
        throw new KioskError('not_allowed', { en: 'The language of this desk is set by hospital IT.', zh: '本机界面语言由医院信息科设定，不能更改。' });
      }
      state.language = next;
      store.settings.set(LANGUAGE_SETTING, next, state.session ? { actor: state.session.staff.staffId } : undefined);
      return changed();
    },
  } satisfies HandlerMap;
}

function localTime(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
