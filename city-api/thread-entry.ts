/**
 * The training city simulator in its own worker thread (city-api/thread.ts starts it): the simulator's HTTP
 * server and review clock run off the desk's event loop. Messages: `start {options}` → `ready {url, port}`;
 * `admin {id, method, args}` → `result {id, value}` or `result {id, error}`; `close` → `closed`.
 */
import { parentPort } from 'node:worker_threads';
import { startCitySimulator, type CitySimulator, type CitySimulatorOptions } from './server';

type Msg =
  | { type: 'start'; options: Omit<CitySimulatorOptions, 'now' | 'log'> }
  | { type: 'admin'; id: number; method: string; args: unknown[] }
  | { type: 'close' };

const port = parentPort;
if (!port) throw new Error('the city thread must be started by city-api/thread.ts');
let sim: CitySimulator | null = null;

port.on('message', (msg: Msg) => {
  switch (msg.type) {
    case 'start':
      startCitySimulator(msg.options).then(
        (s) => {
          sim = s;
          port.postMessage({ type: 'ready', url: s.url, port: s.port });
        },
        (e: unknown) => port.postMessage({ type: 'failed', error: (e as Error).name, message: String((e as Error).message).slice(0, 200) }),
      );
      break;
    case 'admin': {
      const admin = sim?.admin as unknown as Record<string, (...a: unknown[]) => unknown> | undefined;
      const fn = admin?.[msg.method];
      if (!admin || typeof fn !== 'function') {
        port.postMessage({ type: 'result', id: msg.id, error: `no admin method ${msg.method}` });
        break;
      }
      Promise.resolve()
        .then(() => fn.apply(admin, msg.args))
        .then(
          (value) => port.postMessage({ type: 'result', id: msg.id, value }),
          (e: unknown) => port.postMessage({ type: 'result', id: msg.id, error: String((e as Error).message).slice(0, 500) }),
        );
      break;
    }
    case 'close':
      void (sim?.close() ?? Promise.resolve()).finally(() => {
        port.postMessage({ type: 'closed' });
        port.close();
      });
      break;
  }
});
