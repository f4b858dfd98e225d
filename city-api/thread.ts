/**
 * The training city simulator off the desk's event loop: `startCitySimulatorInThread(entryFile)` gives the
 * shells a `startTrainingCity` that runs the simulator (city-api/thread-entry.ts, built to one file by
 * scripts/build-sync-thread.mjs `buildCityThread()`) in a Node worker thread. Its admin is asynchronous (each
 * call is a message); `setFaults` is what the desk's training panel uses.
 */
import { Worker } from 'node:worker_threads';
import type { Faults, FaultsPatch, StoredRequest } from './contract';
import type { CitySimulatorOptions } from './server';

export interface ThreadedCityAdmin {
  getFaults(): Promise<Faults>;
  setFaults(patch: FaultsPatch): Promise<Faults>;
  listRequests(filter?: { hospitalCode?: string; idempotencyKey?: string }): Promise<StoredRequest[]>;
  advance(ms: number): Promise<unknown>;
  tick(): Promise<number>;
  stopAccepting(): Promise<void>;
  startAccepting(): Promise<void>;
}

export interface ThreadedCitySimulator {
  url: string;
  port: number;
  admin: ThreadedCityAdmin;
  close(): Promise<void>;
}

type Reply = { type: 'ready'; url: string; port: number } | { type: 'failed'; error: string; message: string } | { type: 'result'; id: number; value?: unknown; error?: string } | { type: 'closed' };

export function startCitySimulatorInThread(entryFile: string) {
  return (options: Omit<CitySimulatorOptions, 'now' | 'log'>): Promise<ThreadedCitySimulator> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(entryFile, { name: 'training-city', argv: [], env: {} });
      let nextId = 1;
      const calls = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
      let closed: (() => void) | null = null;
      let ended = false;
      const call = <T>(method: string, ...args: unknown[]): Promise<T> => {
        if (ended) return Promise.reject(new Error('the training city has stopped'));
        const id = nextId++;
        return new Promise<T>((ok, fail) => {
          calls.set(id, { ok: ok as (v: unknown) => void, fail });
          worker.postMessage({ type: 'admin', id, method, args });
        });
      };
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        ended = true;
        for (const c of calls.values()) c.fail(new Error('the training city has stopped'));
        calls.clear();
        closed?.();
        reject(new Error('the training city thread ended before it started'));
      });
      worker.on('message', (m: Reply) => {
        switch (m.type) {
          case 'ready':
            resolve({
              url: m.url,
              port: m.port,
              admin: {
                getFaults: () => call('getFaults'),
                setFaults: (patch) => call('setFaults', patch),
                listRequests: (filter) => call('listRequests', ...(filter ? [filter] : [])),
                advance: (ms) => call('advance', ms),
                tick: () => call('tick'),
                stopAccepting: () => call('stopAccepting'),
                startAccepting: () => call('startAccepting'),
              },
              close: async () => {
                if (ended) return;
                const done = new Promise<void>((r) => (closed = r));
                worker.postMessage({ type: 'close' });
                await Promise.race([done, new Promise((r) => setTimeout(r, 5000).unref?.())]);
                if (!ended) await worker.terminate();
              },
            });
            break;
          case 'failed':
            void worker.terminate();
            reject(new Error(`the training city did not start: ${m.error}: ${m.message}`));
            break;
          case 'result': {
            const c = calls.get(m.id);
            calls.delete(m.id);
            if (m.error !== undefined) c?.fail(new Error(m.error));
            else c?.ok(m.value);
            break;
          }
          case 'closed':
            break;
        }
      });
      worker.postMessage({ type: 'start', options });
    });
}
