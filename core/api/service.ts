/**
 * The KioskApi implementation: one handler map per area (handlers/session, staff, diagnostics, drafts,
 * registrations, requests, devices), each typed from the contract, joined here over one shared context.
 * The shells never see these handlers: they get `dispatch`, which parses every argument with the contract's
 * schema first (see `dispatch.ts`). Every write is one store transaction that records its actor and the desk
 * time the clerk confirmed it.
 */
import { attachCardLedger } from './card-ledger';
import type { MethodName } from './methods';
import { createDispatcher, type CallContext, type Dispatch, type KioskHandlers, type SessionGate } from './dispatch';
import { createHandlerContext, type KioskServiceDeps } from './handlers/context';
import { deviceHandlers } from './handlers/devices';
import { diagnosticsHandlers } from './handlers/diagnostics';
import { draftHandlers } from './handlers/drafts';
import { toKioskError } from './handlers/errors';
import { bundleHandlers } from './handlers/bundle';
import { registrationHandlers } from './handlers/registrations';
import { printHandlers } from './handlers/print';
import { requestHandlers } from './handlers/requests';
import { sessionHandlers } from './handlers/session';
import { staffHandlers } from './handlers/staff';
import { trainingHandlers } from './handlers/training';
import { setupHandlers } from './handlers/setup';

export type { KioskServiceDeps } from './handlers/context';
export { toStoreQuery } from './handlers/registrations';
export { toKioskError } from './handlers/errors';

/** data area (issue 13): what the screens poll on their own (Home, Detail, Receipt, the sync indicator): not the clerk's activity. */
const BACKGROUND_CALLS: ReadonlySet<MethodName> = new Set<MethodName>(['getSession', 'getSyncStatus', 'todaySummary', 'getRegistration', 'listDrafts']);

export interface KioskService {
  dispatch: Dispatch;
  gate: SessionGate;
  /** Handlers, for in-process callers that already hold parsed arguments (tests, the training panel). */
  handlers: KioskHandlers;
}

export function createKioskService(deps: KioskServiceDeps): KioskService {
  const c = createHandlerContext(deps);
  const { logger } = deps;
  // data area (issue 13): the idle lock is the API's, not only the page's: a session idle longer than
  // idleLockMinutes is locked here, and every call the gate lets through counts as activity.
  const gate: SessionGate = {
    current: (method) => {
      const session = c.state.session;
      if (!session) return { staff: null, locked: false };
      const now = c.now().getTime();
      const idleMs = c.config.idleLockMinutes * 60_000;
      if (!session.locked && idleMs > 0 && session.lastActivity !== undefined && now - session.lastActivity > idleMs) {
        session.locked = true;
        logger.info('session locked after idle time', { staffId: session.staff.staffId, idleLockMinutes: c.config.idleLockMinutes });
        deps.events.emit('sessionChanged', handlers.getSession({}, { actor: session.staff, origin: 'internal' }) as never);
      }
      if (!session.locked && !(method && BACKGROUND_CALLS.has(method))) session.lastActivity = now;
      return { staff: session.staff, locked: session.locked };
    },
  };

  const session = sessionHandlers(c, (info) => deps.events.emit('sessionChanged', info));
  const handlers: KioskHandlers = {
    ...session,
    // first account (issue 12 item 7)
    ...setupHandlers(c, (args) => Promise.resolve(session.signIn(args))),
    ...staffHandlers(c),
    ...diagnosticsHandlers(c),
    ...draftHandlers(c),
    ...registrationHandlers(c),
    ...bundleHandlers(c), // bundle area (issue 12): duplicates told apart, addService
    ...requestHandlers(c),
    ...deviceHandlers(c),
    ...printHandlers(c), // printing
    // training (issue 12)
    ...trainingHandlers(c, () => {
      const info = session.getSession();
      deps.events.emit('sessionChanged', info);
      return info;
    }),
  };

  // — devices area: the chip-verified mark is vouched for by the cards this desk's readers read (card-ledger.ts) —
  const cards = attachCardLedger(deps.events);
  const { saveDraft, submit } = handlers;
  handlers.saveDraft = (args, ctx) => saveDraft({ ...args, data: cards.vouchDraft(args.data) }, ctx);
  handlers.submit = (args, ctx) => submit({ ...args, registration: cards.vouchInput(args.registration, deps.store.drafts.get(args.registration.id)?.doc) }, ctx);

  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      async (args: unknown, ctx: CallContext) => {
        try {
          return await (fn as (a: unknown, c: CallContext) => unknown)(args, ctx);
        } catch (e) {
          throw toKioskError(e, logger, name);
        }
      },
    ]),
  ) as KioskHandlers;

  return { dispatch: createDispatcher({ handlers: wrapped, gate, logger }), gate, handlers: wrapped };
}
