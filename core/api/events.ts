/**
 * The desk's event hub: core and hardware emit typed events; each shell subscribes once and forwards them
 * (IPC `webContents.send` / browser-mode SSE). Payloads are checked against the contract's schemas on the way
 * out, so a shell never forwards a malformed event.
 */
import { kioskEvents, type EventName, type EventPayload } from './contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function createEventHub(onInvalid?: (event: EventName) => void): EventHub {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      const parsed = kioskEvents[event].safeParse(payload);
      if (!parsed.success) {
        onInvalid?.(event);
        return;
      }
      for (const l of [...listeners]) {
        try {
          l(event, parsed.data);
        } catch {
          // A failing subscriber (a closed window) must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
