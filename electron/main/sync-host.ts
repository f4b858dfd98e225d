/**
 * The sync thread in the Electron app: an Electron utility process running out/electron/sync-thread.cjs (the same
 * entry as browser mode's worker thread, core/sync/thread-entry.ts). The `utilityProcess` module is injected (the
 * entry passes Electron's; tests a fake): nothing here imports `electron`. No argv, an empty environment: the key
 * and the city secret travel in the init message only.
 */
import { SYNC_EXEC_ARGV, type FromThread, type SyncThreadHost, type ToThread } from '../../core/sync/thread-protocol';

/** The part of Electron's `UtilityProcess` used here. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  on(event: 'message', fn: (message: unknown) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  kill(): boolean;
}
/** The part of Electron's `utilityProcess` module used here. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; env?: Record<string, string>; execArgv?: string[]; stdio?: 'ignore' | 'inherit' | 'pipe' }): UtilityChild;
}

export function utilityProcessHost(utility: UtilityProcessModule, entryFile: string): SyncThreadHost {
  return {
    kind: 'utilityProcess',
    spawn() {
      const child = utility.fork(entryFile, [], { serviceName: 'desk-sync', env: {}, execArgv: [...SYNC_EXEC_ARGV], stdio: 'ignore' });
      let exited = false;
      return {
        post: (msg: ToThread) => child.postMessage(msg),
        onMessage: (fn) => void child.on('message', (m) => fn(m as FromThread)),
        onExit: (fn) =>
          void child.on('exit', (code) => {
            exited = true;
            fn(code);
          }),
        kill: () => void (exited || child.kill()),
      };
    },
  };
}
