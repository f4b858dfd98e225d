/**
 * The sync thread as a Node worker thread (browser mode, tests): `entryFile` is the built thread
 * (scripts/build-sync-thread.mjs → out/sync/thread.cjs). Nothing is passed in argv or the environment.
 * `nodeProcessHost`: the same entry as a child process of its own, as the Electron app runs it (a utility process
 * is a process): the drain bench measures the sync process's own peak RSS this way.
 */
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { SYNC_EXEC_ARGV, SYNC_HEAP, type FromThread, type SyncThreadHost } from './thread-protocol';

export function nodeThreadHost(entryFile: string): SyncThreadHost {
  return {
    kind: 'worker_threads',
    spawn() {
      const worker = new Worker(entryFile, {
        name: 'desk-sync',
        argv: [],
        env: {},
        stdout: false,
        stderr: false,
        // A worker's young generation is two semi-spaces plus a third for large objects.
        resourceLimits: { maxOldGenerationSizeMb: SYNC_HEAP.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 3 * SYNC_HEAP.semiSpaceMb },
      });
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

export function nodeProcessHost(entryFile: string, onSpawn?: (pid: number) => void): SyncThreadHost {
  return {
    kind: 'child_process',
    spawn() {
      const child = fork(entryFile, [], { execArgv: [...SYNC_EXEC_ARGV], env: {}, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      if (child.pid !== undefined) onSpawn?.(child.pid);
      let exitFns: Array<(code: number | null) => void> = [];
      child.on('error', () => undefined);
      child.on('exit', (code) => {
        for (const fn of exitFns) fn(code);
        exitFns = [];
      });
      return {
        post: (msg) => void (child.connected && child.send(msg)),
        onMessage: (fn) => void child.on('message', (m) => fn(m as FromThread)),
        onExit: (fn) => void exitFns.push(fn),
        kill: () => void child.kill('SIGKILL'),
      };
    },
  };
}
