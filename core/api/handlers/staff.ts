/** Staff accounts of this desk (admin only): list, create, reset a PIN. */
import { KioskError } from '../result';
import type { HandlerContext, HandlerMap } from './context';

export function staffHandlers(c: HandlerContext) {
  const { store } = c;
  return {
    listStaff: () => store.staff.list().filter((s) => s.active).map(({ staffId, displayName, role }) => ({ staffId, displayName, role })),

    saveStaff: async (args, ctx) => {
      const actor = c.actorOf(ctx);
      const existing = store.staff.get(args.staffId);
      if (existing) {
        if (existing.role !== args.role || existing.displayName !== args.displayName) {
          throw new KioskError('not_allowed', {
            en: 'An existing account keeps its name and role; only its PIN can be reset here.',
            zh: '已有账号的姓名和角色不可修改，此处只能重置 PIN 码。',
          });
        }
        await store.staff.setPin(args.staffId, args.pin, { actor });
      } else {
        await store.staff.create(args, { actor });
      }
      return { staffId: args.staffId, displayName: args.displayName, role: args.role };
    },
  } satisfies HandlerMap;
}
