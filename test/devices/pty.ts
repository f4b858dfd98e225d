/**
 * Test helpers for real serial lines: a socat pseudo-terminal pair, and the reader and scanner emulators,
 * each in a separate process on one end of a pair (the desk under test opens the other end).
 *
 *   const pty = await startPtyPair(dir);                 // pty.desk, pty.device: the two link paths
 *   const reader = await startReaderEmulator({ path: pty.device });
 *   reader.send('tap mother'); const sent = await reader.next((l) => l.event === 'sent');
 *   await pty.stop();                                    // the "cable" pulled: both ends see the pty close
 *   const again = await startPtyPair(dir);               // same paths: the emulator and the desk reopen them
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const hasSocat = spawnSync('socat', ['-V']).status === 0;

export async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stopProcess(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
}

export interface PtyPair {
  /** The end the desk opens (put this path in `devices.models`). */
  desk: string;
  /** The end the emulator opens. */
  device: string;
  process: ChildProcess;
  /** Kill socat: both ptys close, the links go away. */
  stop(): Promise<void>;
}

/** `socat -d -d pty,raw,echo=0,link=<dir>/<name>-desk pty,raw,echo=0,link=<dir>/<name>-device`, once both links exist. */
export async function startPtyPair(dir: string, name = 'tty'): Promise<PtyPair> {
  mkdirSync(dir, { recursive: true });
  const desk = path.join(dir, `${name}-desk`);
  const device = path.join(dir, `${name}-device`);
  const p = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${desk}`, `pty,raw,echo=0,link=${device}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await until(() => (existsSync(desk) && existsSync(device)) || p.exitCode !== null, 5000, `socat links ${desk}, ${device}`);
  if (p.exitCode !== null) throw new Error(`socat exited ${p.exitCode}: ${stderr}`);
  return { desk, device, process: p, stop: () => stopProcess(p) };
}

/** One line an emulator printed (see test/devices/control.ts). */
export interface EmulatorLine {
  event: string;
  epochMs: number;
  /** CLOCK_MONOTONIC, ns, as a decimal string: compare with process.hrtime.bigint() here. */
  monoNs: string;
  [field: string]: unknown;
}

export interface Emulator {
  process: ChildProcess;
  /** Every line printed so far. */
  lines: EmulatorLine[];
  send(command: string): void;
  /** The first line from now on (or already printed after `from`) that passes `test`. */
  next(test: (l: EmulatorLine) => boolean, timeoutMs?: number, from?: number): Promise<EmulatorLine>;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function startEmulator(script: string, args: string[]): Promise<Emulator> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: EmulatorLine[] = [];
  createInterface({ input: p.stdout! }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l) as EmulatorLine);
    } catch {
      // not one of ours
    }
  });
  const emulator: Emulator = {
    process: p,
    lines,
    send: (command) => void p.stdin!.write(`${command}\n`),
    async next(test, timeoutMs = 8000, from = lines.length) {
      let found: EmulatorLine | undefined;
      await until(() => (found = lines.slice(from).find(test)) !== undefined || p.exitCode !== null, timeoutMs, `${script} line`);
      if (!found) throw new Error(`${script} exited ${p.exitCode}`);
      return found;
    },
    stop: () => stopProcess(p),
  };
  return emulator.next((l) => l.event === 'ready', 15_000, 0).then(() => emulator);
}

/** The reader emulator on `path` (a pty end); resolves once it opened it. */
export function startReaderEmulator(options: { path: string; heldCard?: 'found' | 'no_card'; control?: string; verbose?: boolean }): Promise<Emulator> {
  return startEmulator('reader-emulator.ts', [
    '--path',
    options.path,
    '--held',
    options.heldCard ?? 'found',
    ...(options.control ? ['--control', options.control] : []),
    ...(options.verbose ? ['--verbose'] : []),
  ]);
}

/** The serial scanner emulator on `path`; resolves once it opened it. */
export function startScannerEmulator(options: { path: string; suffix?: 'crlf' | 'cr' | 'lf'; control?: string }): Promise<Emulator> {
  return startEmulator('scanner-emulator.ts', ['--path', options.path, '--suffix', options.suffix ?? 'crlf', ...(options.control ? ['--control', options.control] : [])]);
}
