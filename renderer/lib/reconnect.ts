/**
 * Browser mode survives a desk restart (issue 12 item 8). While the desk process restarts the page stays; when
 * the desk answers again (same port and token: electron/browser-mode/session.ts) the page takes the desk's
 * session as it now is (a restart signs everybody out; drafts are in the database). A lazy screen whose chunk
 * cannot be loaded (the desk was down, or a new build replaced it) waits for the desk and reloads the page once,
 * instead of leaving it blank.
 */
import { lazy, useEffect, useRef, type ComponentType } from 'react';
import type { KioskClient } from '../../core/api/client';
import type { SessionInfo } from '../../core/api/contract';

const RELOAD_KEY = 'newborn-desk.chunk-reload';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the page's own server answers again (at most `maxMs`). */
async function serverBack(maxMs: number): Promise<boolean> {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(window.location.pathname, { method: 'HEAD', cache: 'no-store' });
      if (r.ok) return true;
    } catch {
      // still down
    }
    await sleep(1000);
  }
  return false;
}

/** `React.lazy` that reloads the page once (after the desk is back) when the chunk fails to load. */
export function lazyWithReload<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  return lazy(async () => {
    try {
      const m = await load();
      sessionStorage.removeItem(RELOAD_KEY);
      return m;
    } catch (e) {
      const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
      if (Date.now() - last > 60_000) {
        sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
        await serverBack(5 * 60_000);
        window.location.reload();
        // The reload replaces the page; until then, nothing is shown.
        return new Promise<{ default: ComponentType<P> }>(() => undefined);
      }
      throw e;
    }
  });
}

/** Polls the desk; when it answers again after not answering, the page takes its session as it now is. */
export function useDeskReconnect(client: KioskClient, applySession: (s: SessionInfo) => void, everyMs = 3000): void {
  const gone = useRef(false);
  useEffect(() => {
    let alive = true;
    const timer = setInterval(() => {
      void client.getSession({}).then((r) => {
        if (!alive) return;
        if (!r.ok) {
          if (r.error.code === 'unavailable') gone.current = true;
          return;
        }
        if (gone.current) {
          gone.current = false;
          applySession(r.value);
        }
      });
    }, everyMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [client, applySession, everyMs]);
}
