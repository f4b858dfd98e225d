/**
 * The main process on an uncaught exception or unhandled rejection (issue 13): it used to log and keep running
 * in an unknown state. Now it logs what failed — the error's name, code and stack frames, never its message
 * (which may quote personal data) — closes the desk in order (bounded), and restarts (app.relaunch + exit).
 * A crash loop (more than `maxRestarts` within `windowMs`, counted in a small file in userData) stops
 * restarting: the desk exits with the reason in the log, for IT.
 * Everything is injected (process, app, clock, files), so it is tested with fakes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/api/ports';

export interface CrashDeps {
  process: { on(event: 'uncaughtException' | 'unhandledRejection', fn: (e: unknown) => void): unknown };
  app: { relaunch(): void; exit(code?: number): void };
  log: Pick<Logger, 'error' | 'warn'>;
  /** `<userData>/crash-restarts.json`: the times of recent restarts. */
  stateFile: string;
  /** The orderly stop of the desk (sync stopped, database closed); bounded by `closeTimeoutMs`. */
  shutdown?: () => Promise<void>;
  now?: () => number;
  maxRestarts?: number;
  windowMs?: number;
  closeTimeoutMs?: number;
}

export const CRASH_LIMIT = { maxRestarts: 3, windowMs: 10 * 60 * 1000 };

/** What of an error may be logged: its kind and where it happened, never its message. */
export function describeCrash(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { error: typeof e };
  const code = (e as { code?: unknown }).code;
  const frames = (e.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .slice(0, 8)
    .map((l) => l.replace(/^at\s+/, '').replace(/\(?(?:[A-Za-z]:)?[^():]*[\\/]([^\\/():]+:\d+:\d+)\)?/, '$1'));
  return { error: e.name, ...(typeof code === 'string' ? { code } : {}), frames };
}

function readRestarts(file: string): number[] {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(v) ? v.filter((t): t is number => typeof t === 'number') : [];
  } catch {
    return [];
  }
}

export function installCrashHandlers(deps: CrashDeps): { handle(kind: string, e: unknown): Promise<'restarted' | 'gave-up'> } {
  const now = deps.now ?? Date.now;
  const max = deps.maxRestarts ?? CRASH_LIMIT.maxRestarts;
  const windowMs = deps.windowMs ?? CRASH_LIMIT.windowMs;
  let handling: Promise<'restarted' | 'gave-up'> | null = null;

  const handle = (kind: string, e: unknown) => {
    // A second failure while the first is handled changes nothing: one restart.
    handling ??= (async () => {
      deps.log.error(`${kind}: restarting the desk`, describeCrash(e));
      if (deps.shutdown) {
        const timeout = new Promise<void>((r) => setTimeout(r, deps.closeTimeoutMs ?? 5000).unref?.());
        await Promise.race([deps.shutdown().catch(() => undefined), timeout]);
      }
      const t = now();
      const recent = readRestarts(deps.stateFile).filter((x) => t - x < windowMs);
      if (recent.length >= max) {
        deps.log.error('crash loop: the desk failed again right after restarting; not restarting (call hospital IT with the log files)', {
          restarts: recent.length,
          windowMin: Math.round(windowMs / 60_000),
        });
        deps.app.exit(1);
        return 'gave-up' as const;
      }
      try {
        mkdirSync(path.dirname(deps.stateFile), { recursive: true });
        writeFileSync(deps.stateFile, JSON.stringify([...recent, t]));
      } catch {
        deps.log.warn('could not record the restart');
      }
      deps.app.relaunch();
      deps.app.exit(1);
      return 'restarted' as const;
    })();
    return handling;
  };
  deps.process.on('uncaughtException', (e) => void handle('uncaught exception', e));
  deps.process.on('unhandledRejection', (e) => void handle('unhandled rejection', e));
  return { handle };
}
