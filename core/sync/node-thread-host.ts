/**
 * The sync thread as a Node worker thread (browser mode, tests, benches): `entryFile` is the built thread
 * (scripts/build-sync-thread.mjs → out/sync/thread.cjs). Nothing is passed in argv or the environment.
 */
import { Worker } from 'node:worker_threads';
import type { FromThread, SyncThreadHost } from './thread-protocol';

export function nodeThreadHost(entryFile: string): SyncThreadHost {
  return {
    kind: 'worker_threads',
    spawn() {
      const worker = new Worker(entryFile, { name: 'desk-sync', argv: [], env: {}, stdout: false, stderr: false });
      let exitFns: Array<(code: number | null) => void> = [];
      let exited = false;
      const exit = (code: number | null) => {
        if (exited) return;
        exited = true;
        for (const fn of exitFns) fn(code);
        exitFns = [];
      };
      // An uncaught error ends the thread: 'error' then 'exit' (the error's text is not logged: it may quote data).
      worker.on('error', () => undefined);
      worker.on('exit', (code) => exit(code));
      return {
        post: (msg) => worker.postMessage(msg),
        onMessage: (fn) => worker.on('message', (m: FromThread) => fn(m)),
        onExit: (fn) => void exitFns.push(fn),
        kill: () => void worker.terminate(),
      };
    },
  };
}
