/**
 * KioskApi over IPC, registered generically from the contract: one `ipcMain.handle` per method of
 * `METHOD_NAMES`, all going through the one schema-validating dispatcher (`createDispatcher`), so no handler is
 * written by hand and every argument is parsed by the method's zod schema at the boundary. Before anything runs,
 * the sender is checked: the call must come from the main frame of OUR window, showing a page of `app://desk/`.
 * Results are always `{ ok, value | error }`; events from the desk's hub are forwarded to the window.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_NAMES, type EventName } from '../../core/api/methods';
import type { Dispatch } from '../../core/api/dispatch';
import type { EventHub } from '../../core/api/events';
import { KioskError, type Result } from '../../core/api/result';
import { CHANNELS } from '../preload/channels';
import { isTrustedUrl, urlForLog } from './security';

export { CHANNELS };

export interface IpcLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

/**
 * Whether an IPC call may be served: from the expected webContents, its main frame, showing app://desk/.
 * `expected()` returns our window's webContents (null while there is none: then nothing is trusted).
 */
export function isTrustedSender(event: SenderEvent, expected: () => Pick<WebContents, 'id'> | null): boolean {
  const ours = expected();
  if (!ours || event.sender?.id !== ours.id) return false;
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed
  if (frame.parent !== null) return false; // subframes (a receipt PDF in an iframe) never call the API
  return isTrustedUrl(frame.url);
}

export function foreignSenderError(): Result<never> {
  return {
    ok: false,
    error: new KioskError('forbidden', { en: 'This call did not come from the desk window.', zh: '此请求并非来自本机窗口。' }).toApiError(),
  };
}

export interface RegisterIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  /** Our window's webContents, or null. */
  window: () => Pick<WebContents, 'id'> | null;
  log: IpcLog;
  /** Extra shell handlers (printing, saving), each given the raw argument after the sender check. */
  shell?: Record<string, (args: unknown) => Promise<Result<unknown>>>;
}

/** Registers every KioskApi method (and the shell's own channels); returns the function that removes them. */
export function registerKioskIpc(opts: RegisterIpcOptions): () => void {
  const { ipcMain, dispatch, log } = opts;
  const channels: string[] = [];
  const guard = (channel: string, event: SenderEvent): boolean => {
    if (isTrustedSender(event, opts.window)) return true;
    log.warn('IPC refused: foreign sender', { channel, frame: event.senderFrame ? urlForLog(event.senderFrame.url) : null });
    return false;
  };
  for (const name of METHOD_NAMES) {
    const channel = CHANNELS.method(name);
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!guard(channel, event)) return foreignSenderError();
      return dispatch(name, args, 'ipc');
    });
    channels.push(channel);
  }
  for (const [channel, handler] of Object.entries(opts.shell ?? {})) {
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!guard(channel, event)) return foreignSenderError();
      return handler(args);
    });
    channels.push(channel);
  }
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}

/** Forwards every event of the desk's hub to the window (already schema-checked by the hub). */
export function forwardEvents(
  events: Pick<EventHub, 'subscribe'>,
  window: () => { isDestroyed(): boolean; webContents: Pick<WebContents, 'send'> } | null,
): () => void {
  return events.subscribe((event: EventName, payload: unknown) => {
    const w = window();
    if (!w || w.isDestroyed()) return;
    w.webContents.send(CHANNELS.event, event, payload);
  });
}
