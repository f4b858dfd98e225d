/**
 * What both device emulators share: their end of the pty (opened through the desk's own serial transport,
 * re-opened whenever the pty comes back at the same path), the control lines (stdin, and a unix socket with
 * `--control <path>`), and the JSON lines they print on stdout, each with two clocks:
 *   `epochMs` — wall clock, sub-millisecond (performance.timeOrigin + performance.now())
 *   `monoNs`  — CLOCK_MONOTONIC in ns (process.hrtime.bigint()), comparable with any other process on the machine
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { openSerial } from '../../hardware/transport/serial';
import type { ByteTransport } from '../../hardware/transport/types';

export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sockets = new Set<Socket>();

/** Print one JSON line (stdout, and every control socket client). */
export function say(event: string, fields: Record<string, unknown> = {}): void {
  const line = `${JSON.stringify({ event, ...fields, epochMs: performance.timeOrigin + performance.now(), monoNs: process.hrtime.bigint().toString() })}\n`;
  process.stdout.write(line);
  for (const s of sockets) s.write(line);
}

/**
 * Keep the pty end at `path` open: open it as soon as it exists, call `attach` with it, and after it closes
 * (socat killed) wait for it to come back. Returns a function that stops it all.
 */
export function keepOpen(path: string, baudRate: number, attach: (t: ByteTransport) => void): () => Promise<void> {
  let current: ByteTransport | null = null;
  let stopped = false;
  const tryOpen = async (): Promise<void> => {
    while (!stopped) {
      if (existsSync(path)) {
        try {
          const t = await openSerial({ path, baudRate });
          current = t;
          t.onClose(() => {
            current = null;
            say('closed', { path });
            if (!stopped) setTimeout(() => void tryOpen(), 100);
          });
          attach(t);
          say('ready', { path });
          return;
        } catch {
          // not openable yet: the pty is being made
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  void tryOpen();
  return async () => {
    stopped = true;
    await current?.close();
  };
}

/** Feed every control line (stdin; `--control <socket path>` too) to `handle`; errors are printed, not fatal. */
export function controlLines(handle: (line: string) => void | Promise<void>): void {
  const run = async (line: string) => {
    const l = line.trim();
    if (!l) return;
    try {
      await handle(l);
    } catch (e) {
      say('error', { line: l, message: e instanceof Error ? e.message : String(e) });
    }
  };
  createInterface({ input: process.stdin }).on('line', (l) => void run(l));
  const control = arg('--control');
  if (control) {
    rmSync(control, { force: true });
    createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      createInterface({ input: s }).on('line', (l) => void run(l));
    }).listen(control);
  }
}
