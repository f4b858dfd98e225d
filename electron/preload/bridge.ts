/**
 * What the preload exposes as `window.kiosk`: ONE wrapper function per KioskApi method, generated from
 * `METHOD_NAMES`, each invoking its own channel, plus `on(event, cb)` for pushed events — never `ipcRenderer`
 * itself, never a generic "send anything" function, never the IPC event object (it would hand the page
 * `event.sender`). Built from an injected `ipcRenderer` so it is unit-tested without Electron.
 */
import { EVENT_NAMES, METHOD_NAMES, type EventName } from '../../core/api/methods';
import { CHANNELS } from './channels';
import type { DeskShellBridge, KioskBridge } from './types';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const unavailable = {
  ok: false as const,
  error: { code: 'unavailable' as const, message: 'The desk service is not answering. Wait a moment and try again.', messageZh: '本机服务暂无响应，请稍候重试。' },
};

export function createKioskBridge(ipc: IpcRendererLike): KioskBridge {
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) {
    const channel = CHANNELS.method(name);
    // Only the argument crosses; a rejected invoke (main not ready) becomes a Result, never a throw.
    api[name] = (args?: unknown) => ipc.invoke(channel, args ?? {}).catch(() => unavailable);
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let subscribed = false;
  const dispatchEvent = (_event: unknown, name: unknown, payload: unknown) => {
    const set = listeners.get(name as EventName);
    if (!set) return;
    for (const cb of [...set]) {
      try {
        cb(payload);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  api.on = (event: EventName, cb: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown event "${String(event)}"`);
    if (typeof cb !== 'function') throw new Error('on(event, cb): cb must be a function');
    if (!subscribed) {
      ipc.on(CHANNELS.event, dispatchEvent as (event: unknown, ...args: unknown[]) => void);
      subscribed = true;
    }
    const set = listeners.get(event) ?? new Set();
    set.add(cb);
    listeners.set(event, set);
    return () => {
      set.delete(cb);
    };
  };
  return Object.freeze(api) as unknown as KioskBridge;
}

export function createDeskShellBridge(ipc: IpcRendererLike): DeskShellBridge {
  return Object.freeze({
    saveReceipt: (args: { registrationId: string }) => ipc.invoke(CHANNELS.saveReceipt, args).catch(() => unavailable),
  }) as DeskShellBridge;
}
