/**
 * The Electron variant of the sync thread's host (electron/main/sync-host.ts) with an injected fake
 * `utilityProcess`: the built entry is forked with no argv and an empty environment (the key travels by message
 * only), messages go both ways unchanged, an exit is reported once, and a process that already ended is not killed.
 */
import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { SYNC_EXEC_ARGV, type FromThread } from '../../core/sync/thread-protocol';
import { utilityProcessHost, type UtilityChild, type UtilityProcessModule } from '../../electron/main/sync-host';

class FakeChild extends EventEmitter implements UtilityChild {
  posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills += 1;
    return true;
  }
}

it('forks the entry with no argv and no environment, relays messages both ways, reports the exit', () => {
  const forks: Array<{ modulePath: string; args: string[] | undefined; options: unknown; child: FakeChild }> = [];
  const fake: UtilityProcessModule = {
    fork(modulePath, args, options) {
      const child = new FakeChild();
      forks.push({ modulePath, args, options, child });
      return child;
    },
  };
  const host = utilityProcessHost(fake, '/app/out/electron/sync-thread.cjs');
  expect(host.kind).toBe('utilityProcess');
  const ch = host.spawn();
  expect(forks).toHaveLength(1);
  expect(forks[0]).toMatchObject({ modulePath: '/app/out/electron/sync-thread.cjs', args: [], options: { env: {}, serviceName: 'desk-sync', execArgv: [...SYNC_EXEC_ARGV] } });
  const child = forks[0]!.child;
  ch.post({ type: 'poke' });
  expect(child.posted).toEqual([{ type: 'poke' }]);
  const got: FromThread[] = [];
  const exits: Array<number | null> = [];
  ch.onMessage((m) => got.push(m));
  ch.onExit((c) => exits.push(c));
  child.emit('message', { type: 'stopped' });
  expect(got).toEqual([{ type: 'stopped' }]);
  ch.kill();
  expect(child.kills).toBe(1);
  child.emit('exit', 3);
  expect(exits).toEqual([3]);
  ch.kill();
  expect(child.kills).toBe(1);
});
