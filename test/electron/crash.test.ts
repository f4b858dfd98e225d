/**
 * Issue 13, item 7: the main process logs and restarts cleanly on an uncaught exception (it used to keep running
 * in an unknown state). Fakes for process and app; a real state file for the crash-loop count.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installCrashHandlers } from '../../electron/main/crash';
import { memoryLog } from './fakes';

function rig() {
  const proc = new EventEmitter();
  const calls: string[] = [];
  const app = { relaunch: () => calls.push('relaunch'), exit: (code?: number) => calls.push(`exit ${code}`) };
  const log = memoryLog();
  let t = 1_000_000;
  const stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'desk-crash-')), 'crash-restarts.json');
  const install = () => {
    const p = new EventEmitter();
    const h = installCrashHandlers({ process: p as never, app, log, stateFile, now: () => t, shutdown: async () => void calls.push('shutdown') });
    return { p, h };
  };
  return { proc, calls, log, install, advance: (ms: number) => (t += ms) };
}

describe('main process crash handling', () => {
  it('an uncaught exception is logged without its message (no personal data), the desk is closed, then relaunched', async () => {
    const r = rig();
    const { p, h } = r.install();
    const e = new TypeError('cannot read 张三 330302199001011234 13812345678');
    p.emit('uncaughtException', e);
    await h.handle('again', e); // the same handling: one restart
    expect(r.calls).toEqual(['shutdown', 'relaunch', 'exit 1']);
    const logged = JSON.stringify(r.log.entries);
    expect(logged).toMatch(/uncaught exception: restarting the desk/);
    expect(logged).toContain('TypeError');
    for (const pii of ['张三', '330302199001011234', '13812345678']) expect(logged).not.toContain(pii);
  });

  it('an unhandled rejection restarts too', async () => {
    const r = rig();
    const { p, h } = r.install();
    p.emit('unhandledRejection', new Error('x'));
    await h.handle('x', null);
    expect(r.calls).toEqual(['shutdown', 'relaunch', 'exit 1']);
  });

  it('a crash loop (a 4th failure within 10 minutes) stops restarting and says so; later it restarts again', async () => {
    const r = rig();
    for (let i = 0; i < 3; i++) {
      const { h } = r.install(); // each restart is a new process
      expect(await h.handle('uncaught exception', new Error('boom'))).toBe('restarted');
      r.advance(60_000);
    }
    const { h } = r.install();
    expect(await h.handle('uncaught exception', new Error('boom'))).toBe('gave-up');
    expect(r.calls.slice(-2)).toEqual(['shutdown', 'exit 1']);
    expect(JSON.stringify(r.log.entries)).toMatch(/crash loop/);
    r.advance(11 * 60_000);
    expect(await r.install().h.handle('uncaught exception', new Error('boom'))).toBe('restarted');
  });
});
