/**
 * The renderer's typed client, built from the contract: `client.submit({...})` is typed end to end from
 * `kioskMethods` with no hand-kept copy. A transport moves calls (IPC through the preload's `window.kiosk`, or
 * HTTP + SSE in browser mode); a transport failure comes back as an `unavailable` error, never a throw.
 */
import { EVENT_NAMES, METHOD_NAMES, type EventName, type EventPayload, type MethodArgs, type MethodName, type MethodResult } from './contract';
import type { Result } from './result';

export type KioskMethodsClient = {
  [K in MethodName]: (args: MethodArgs<K>) => Promise<Result<MethodResult<K>>>;
};
export type KioskEventsClient = {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
export type KioskClient = KioskMethodsClient & KioskEventsClient;

export interface KioskTransport {
  invoke(method: MethodName, args: unknown): Promise<unknown>;
  /** Subscribe to every pushed event; returns the unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

function isResult(x: unknown): x is Result<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

export function createKioskClient(transport: KioskTransport): KioskClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | null = null;
  const ensureSubscribed = () => {
    unsubscribe ??= transport.subscribe((event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    });
  };
  const methods = Object.fromEntries(
    METHOD_NAMES.map((name) => [
      name,
      async (args: unknown): Promise<Result<unknown>> => {
        try {
          const r = await transport.invoke(name, args ?? {});
          if (isResult(r)) return r;
          return { ok: false, error: { code: 'internal', message: 'The desk service answered in an unexpected form.', messageZh: '服务返回的内容格式异常。' } };
        } catch {
          return { ok: false, error: { code: 'unavailable', message: 'The desk service is not answering. Wait a moment and try again.', messageZh: '本机服务暂无响应，请稍候重试。' } };
        }
      },
    ]),
  ) as KioskMethodsClient;
  return {
    ...methods,
    on(event, listener) {
      if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
      ensureSubscribed();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
