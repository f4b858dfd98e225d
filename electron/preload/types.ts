/**
 * The type of `window.kiosk` (and `window.deskShell`) for the renderer. The renderer type-checks against this
 * contract without importing the preload (electron-vite's habit): `declare global` below.
 *
 * `window.kiosk.<method>(args)` → `Promise<Result<…>>`, typed end to end from `kioskMethods`;
 * `window.kiosk.on(event, cb)` → unsubscribe function. The renderer builds its `KioskTransport` from it (it may not
 * import electron/ code, so it writes these lines itself, and drops any `kiosk` declaration of its own):
 *
 *   const k = window.kiosk;
 *   const transport: KioskTransport = {
 *     invoke: (method, args) => (k[method] as (a: unknown) => Promise<unknown>)(args),
 *     subscribe: (listener) => {
 *       const offs = EVENT_NAMES.map((e) => k.on(e, (p) => listener(e, p)));
 *       return () => offs.forEach((off) => off());
 *     },
 *   };
 */
import type { KioskMethodsClient } from '../../core/api/client';
import type { EventName, EventPayload } from '../../core/api/contract';
import type { Result } from '../../core/api/result';

export type KioskBridge = KioskMethodsClient & {
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
};

/** The Electron shell's own actions (absent in browser mode). Printing is KioskApi's `printReceipt` in both shells. */
export interface DeskShellBridge {
  /** Fetches the receipt PDF and asks where to save it (a save dialog). */
  saveReceipt(args: { registrationId: string }): Promise<Result<{ saved: boolean; file: string | null }>>;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    kiosk?: KioskBridge;
    deskShell?: DeskShellBridge;
  }
}
