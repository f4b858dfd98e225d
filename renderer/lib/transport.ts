/**
 * How the renderer reaches KioskApi. In Electron the preload exposes `window.kiosk` (one wrapper per method,
 * generated from the contract); in browser mode the same calls go over loopback HTTP (`POST /api/<method>`) and
 * the pushed events arrive by Server-Sent Events (`GET /api/events`). Either way the UI gets the one typed
 * client from `createKioskClient`.
 */
import { createKioskClient, type KioskClient, type KioskTransport } from '../../core/api/client';
import { EVENT_NAMES, type EventName, type MethodName } from '../../core/api/contract';

/** The shape of the Electron preload's `window.kiosk` (one function per method, plus `on`), typed here locally. */
interface KioskBridgeLike {
  [method: string]: unknown;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
}

export function bridgeTransport(bridge: KioskBridgeLike): KioskTransport {
  return {
    invoke: (method, args) => (bridge[method] as (a: unknown) => Promise<unknown>)(args),
    subscribe(listener) {
      const offs = EVENT_NAMES.map((e) => bridge.on(e, (payload) => listener(e, payload)));
      return () => offs.forEach((off) => off());
    },
  };
}

const TOKEN_KEY = 'newborn-desk.token';

/** The per-run token browser mode hands over in the URL fragment (`#token=…`); kept for reloads, then hidden. */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpTransport(token: string, base = ''): KioskTransport {
  return {
    async invoke(method: MethodName, args: unknown) {
      const res = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-desk-token': token },
        body: JSON.stringify(args ?? {}),
      });
      return res.json();
    },
    subscribe(listener) {
      let es: EventSource | null = null;
      let closed = false;
      let retry: ReturnType<typeof setTimeout> | null = null;
      const open = () => {
        es = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
        es.onmessage = (m) => {
          try {
            const { event, payload } = JSON.parse(m.data as string) as { event: string; payload: unknown };
            listener(event, payload);
          } catch {
            // A malformed frame is dropped; the next one is read normally.
          }
        };
        es.onerror = () => {
          // EventSource retries by itself while the server is reachable; if it gave up, open a new one.
          if (es?.readyState === EventSource.CLOSED && !closed) {
            retry = setTimeout(open, 1000);
          }
        };
      };
      open();
      return () => {
        closed = true;
        if (retry) clearTimeout(retry);
        es?.close();
      };
    },
  };
}

export function connect(): KioskClient {
  const bridge = (window as unknown as { kiosk?: KioskBridgeLike }).kiosk;
  if (bridge) return createKioskClient(bridgeTransport(bridge));
  const token = takeToken() ?? '';
  return createKioskClient(httpTransport(token));
}
