import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, type MethodName } from '../../core/api/contract';
import { createDispatcher, type KioskHandlers } from '../../core/api/dispatch';
import { createEventHub } from '../../core/api/events';
import { CHANNELS, forwardEvents, isTrustedSender, registerKioskIpc } from '../../electron/main/ipc';
import { createDeskShellBridge, createKioskBridge, type IpcRendererLike } from '../../electron/preload/bridge';
import { FakeBrowserWindow, FakeFrame, FakeIpcMain, FakeWebContents, memoryLog } from './fakes';

const REG_ID = '0192f3a4-7b1c-7d2e-8f90-123456789abc';
const staff = { staffId: 'clerk1', displayName: 'Clerk', role: 'clerk' as const };

function setup() {
  const calls: Array<{ method: string; args: unknown }> = [];
  const handlers = new Proxy({} as KioskHandlers, {
    get: (_t, method: string) => async (args: unknown) => {
      calls.push({ method, args });
      return method === 'getDraft' ? null : { echoed: method };
    },
  });
  const dispatch = createDispatcher({ handlers, gate: { current: () => ({ staff, locked: false }) }, logger: { warn() {}, error() {} } });
  const ipcMain = new FakeIpcMain();
  const win = new FakeWebContents();
  const log = memoryLog();
  const shellCalls: unknown[] = [];
  const remove = registerKioskIpc({
    ipcMain: ipcMain as never,
    dispatch,
    window: () => win,
    log,
    shell: { [CHANNELS.saveReceipt]: async (a) => (shellCalls.push(a), { ok: true, value: 'saved' }) },
  });
  const ours = { sender: { id: win.id }, senderFrame: new FakeFrame('app://desk/index.html') };
  return { ipcMain, win, log, calls, remove, ours, shellCalls };
}

describe('IPC from the contract', () => {
  it('registers exactly one channel per KioskApi method, plus the shell channels, and removes them all', () => {
    const { ipcMain, remove } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...METHOD_NAMES.map((m) => `kiosk:${m}`), CHANNELS.saveReceipt].sort());
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('serves a well-formed call from our window as { ok, value }', async () => {
    const { ipcMain, ours, calls } = setup();
    const r = await ipcMain.invoke('kiosk:getDraft', ours, { id: REG_ID });
    expect(r).toEqual({ ok: true, value: null });
    expect(calls).toEqual([{ method: 'getDraft', args: { id: REG_ID } }]);
  });

  it('rejects malformed arguments at the boundary, field by field, and runs nothing', async () => {
    const { ipcMain, ours, calls } = setup();
    const bad: Array<[MethodName, unknown]> = [
      ['getDraft', { id: 'not-a-uuid' }],
      ['getDraft', { id: REG_ID, extra: 1 }],
      ['signIn', { staffId: 'x', pin: '12' }],
      ['simulateScan', { value: '' }],
      ['getDraft', 'a string'],
      ['listRegistrations', { limit: 10_000 }],
      ['getDraft', { id: { $gt: '' } }],
    ];
    for (const [method, args] of bad) {
      const r = (await ipcMain.invoke(`kiosk:${method}`, ours, args)) as { ok: boolean; error?: { code: string; fields?: Array<{ path: string }> } };
      expect(r.ok, `${method} ${JSON.stringify(args)}`).toBe(false);
      expect(r.error?.code).toBe('bad_request');
      expect(r.error?.fields?.length).toBeGreaterThan(0);
    }
    const r = (await ipcMain.invoke('kiosk:signIn', ours, { staffId: 'x', pin: '12' })) as { error: { fields: Array<{ path: string }> } };
    expect(r.error.fields.map((f) => f.path).sort()).toEqual(['pin', 'staffId']);
    expect(calls).toEqual([]);
  });

  it('refuses foreign senders: another webContents, a subframe, a foreign page, a vanished frame', async () => {
    const { ipcMain, ours, calls, log, shellCalls } = setup();
    const sub = new FakeFrame('app://desk/index.html');
    sub.parent = new FakeFrame('app://desk/index.html');
    const foreign = [
      { sender: { id: ours.sender.id + 1000 }, senderFrame: new FakeFrame('app://desk/index.html') },
      { sender: ours.sender, senderFrame: sub },
      { sender: ours.sender, senderFrame: new FakeFrame('https://evil.example/') },
      { sender: ours.sender, senderFrame: new FakeFrame('file:///tmp/x.html') },
      { sender: ours.sender, senderFrame: new FakeFrame('data:text/html,hi') },
      { sender: ours.sender, senderFrame: null },
    ];
    for (const from of foreign) {
      const r = (await ipcMain.invoke('kiosk:listDrafts', from as never, {})) as { ok: boolean; error: { code: string } };
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const p = (await ipcMain.invoke(CHANNELS.saveReceipt, from as never, { registrationId: REG_ID })) as { ok: boolean };
      expect(p.ok).toBe(false);
    }
    expect(calls).toEqual([]);
    expect(shellCalls).toEqual([]);
    expect(log.entries.filter((e) => e.message === 'IPC refused: foreign sender')).toHaveLength(foreign.length * 2);
  });

  it('trusts nothing while there is no window', () => {
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: new FakeFrame('app://desk/') } as never, () => null)).toBe(false);
  });

  it('forwards the hub’s events to the window, and stops when the window is gone', () => {
    const hub = createEventHub();
    const win = new FakeBrowserWindow({});
    const off = forwardEvents(hub, () => win as never);
    const status = { online: true, running: false, queueDepth: 0, held: 0, lastSuccessAt: null, lastError: null, nextRunAt: null, clockDriftMs: null, clockDriftWarning: false, state: 'online' as const, reason: null, lastGoodAt: null, phase: 'idle' as const, done: 0, total: 0 };
    hub.emit('syncProgress', status);
    hub.emit('syncProgress', { bogus: true } as never); // malformed: the hub drops it
    expect(win.webContents.sent).toEqual([{ channel: 'kiosk:event', args: ['syncProgress', status] }]);
    win.destroyed = true;
    hub.emit('syncProgress', status);
    expect(win.webContents.sent).toHaveLength(1);
    off();
  });
});

describe('the preload bridge (window.kiosk)', () => {
  function fakeIpcRenderer() {
    const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
    const ipc: IpcRendererLike & { invoked: unknown[][]; emit(channel: string, ...a: unknown[]): void } = {
      invoked: [],
      invoke: vi.fn(async (channel: string, ...args: unknown[]) => {
        ipc.invoked.push([channel, ...args]);
        if (channel === 'kiosk:syncNow') throw new Error('no handler');
        return { ok: true, value: channel };
      }),
      on: (c, l) => listeners.set(c, (listeners.get(c) ?? new Set()).add(l)),
      removeListener: (c, l) => listeners.get(c)?.delete(l),
      emit: (c, ...a) => listeners.get(c)?.forEach((l) => l({ sender: 'IPC EVENT OBJECT' }, ...a)),
    };
    return ipc;
  }

  it('exposes one wrapper per method, generated from METHOD_NAMES, plus on — and nothing else', () => {
    const bridge = createKioskBridge(fakeIpcRenderer());
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    for (const k of Object.keys(bridge)) expect(typeof (bridge as unknown as Record<string, unknown>)[k]).toBe('function');
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
    expect(bridge).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('each wrapper invokes its own channel with only the argument; a failed invoke is a Result', async () => {
    const ipc = fakeIpcRenderer();
    const bridge = createKioskBridge(ipc);
    expect(await bridge.getDraft({ id: REG_ID })).toEqual({ ok: true, value: 'kiosk:getDraft' });
    expect(await bridge.listDrafts(undefined as never)).toEqual({ ok: true, value: 'kiosk:listDrafts' });
    expect(ipc.invoked).toEqual([['kiosk:getDraft', { id: REG_ID }], ['kiosk:listDrafts', {}]]);
    expect(await bridge.syncNow({})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('on(event, cb) delivers payloads without the IPC event object, checks names, and unsubscribes', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createKioskBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.on('barcodeScanned', (...args: unknown[]) => seen.push(args));
    ipc.emit('kiosk:event', 'barcodeScanned', { value: 'ZY12345678' });
    ipc.emit('kiosk:event', 'syncProgress', { x: 1 });
    expect(seen).toEqual([[{ value: 'ZY12345678' }]]);
    off();
    ipc.emit('kiosk:event', 'barcodeScanned', { value: 'again' });
    expect(seen).toHaveLength(1);
    expect(() => bridge.on('nope' as never, () => {})).toThrow(/unknown event/);
    expect(EVENT_NAMES.length).toBeGreaterThan(0);
  });

  it('window.deskShell offers saving a receipt only (printing is KioskApi printReceipt, in both shells)', async () => {
    const ipc = fakeIpcRenderer();
    const shell = createDeskShellBridge(ipc);
    expect(Object.keys(shell)).toEqual(['saveReceipt']);
    await shell.saveReceipt({ registrationId: REG_ID });
    expect(ipc.invoked).toEqual([[CHANNELS.saveReceipt, { registrationId: REG_ID }]]);
  });
});
