/**
 * First account (issue 12 item 7): a production desk (city API configured) with no staff account offers IT a
 * one-time set-up of the first admin, authorised by the `setupCode` in IT's config file (the desk user cannot
 * set it: only IT's file can). The account is created in one transaction whose audit event names the actor
 * `it-setup`; then the new admin is signed in. Once any account exists the set-up is gone. There is no default PIN.
 * Wrong codes are audited and, after 5, refused for 5 minutes. The code never reaches a log or the audit trail.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SessionInfo } from '../contract';
import { KioskError } from '../result';
import type { HandlerContext, HandlerMap } from './context';

export const SETUP_ACTOR = 'it-setup';
const MAX_FAILURES = 5;
const PAUSE_MS = 5 * 60_000;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function setupHandlers(c: HandlerContext, signIn: (args: { staffId: string; pin: string }) => Promise<SessionInfo>) {
  const { store, logger } = c;
  let failures = 0;
  let pausedUntil = 0;
  let busy = false;

  // Offered only on a desk with no staff at all (issue 12: "a desk with a city API and an empty database").
  const available = () => !c.training && store.staff.list().length === 0;

  return {
    firstAdminStatus: () => ({ available: available(), codeConfigured: !c.training && !!c.config.setupCode }),

    setUpFirstAdmin: async ({ setupCode, staffId, displayName, pin }) => {
      if (!available() || busy) {
        throw new KioskError('not_allowed', {
          en: 'This desk already has an admin: the first-account set-up is closed. Sign in, or ask an admin to create your account.',
          zh: '本机已有管理员，首次设置已关闭。请登录，或请管理员为您创建账号。',
        });
      }
      if (!c.config.setupCode) {
        throw new KioskError('not_allowed', {
          en: 'No set-up code in the desk configuration: IT adds "setupCode" to the config file (see IT-GUIDE.md) and restarts the desk.',
          zh: '登记台配置中没有设置码：请信息科在配置文件中加入 "setupCode"（见 IT-GUIDE.md）并重启登记台。',
        });
      }
      const nowMs = c.now().getTime();
      if (nowMs < pausedUntil) {
        throw new KioskError('account_locked', {
          en: 'Too many wrong set-up codes: try again in 5 minutes.',
          zh: '设置码错误次数过多，请 5 分钟后再试。',
        });
      }
      if (!timingSafeEqual(digest(setupCode), digest(c.config.setupCode))) {
        failures += 1;
        if (failures >= MAX_FAILURES) {
          failures = 0;
          pausedUntil = nowMs + PAUSE_MS;
        }
        store.audit.append({ actor: SETUP_ACTOR, at: c.now().toISOString(), action: 'setup.first_admin_refused', subjectId: staffId });
        logger.warn('setup.first_admin_refused', {});
        throw new KioskError(
          'bad_request',
          { en: 'The set-up code is not the one in the desk configuration.', zh: '设置码与登记台配置中的不一致。' },
          { fields: [{ path: 'setupCode', code: 'setup_code', message: { en: 'The set-up code is not the one in the desk configuration.', zh: '设置码与登记台配置中的不一致。' } }] },
        );
      }
      busy = true;
      try {
        await store.staff.create({ staffId, displayName, role: 'admin', pin }, { actor: SETUP_ACTOR });
      } finally {
        busy = false;
      }
      logger.info('setup.first_admin_created', { staffId });
      return signIn({ staffId, pin });
    },
  } satisfies HandlerMap;
}
