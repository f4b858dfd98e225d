/**
 * A barcode scanner in serial (USB-CDC) mode in its own process, on one end of a pseudo-terminal pair: a scan
 * is the code and a line ending, as such scanners send it. The desk's serial scanner sits on the other end.
 *
 *   npx tsx test/devices/scanner-emulator.ts --path /tmp/x/d [--suffix crlf|cr|lf] [--baud 9600] [--control <socket>]
 *
 * Control lines: `scan <code>`, `close`. Output: `ready` / `closed` as the reader emulator, and
 * {"event":"sent","value":…,"bytes":N,…} once the last byte of a scan was written.
 */
import type { ByteTransport } from '../../hardware/transport/types';
import { arg, controlLines, keepOpen, say } from './control';

const path = arg('--path');
if (!path) {
  console.error('usage: scanner-emulator.ts --path <pty> [--suffix crlf|cr|lf] [--baud N] [--control <socket>]');
  process.exit(2);
}
const suffix = { crlf: '\r\n', cr: '\r', lf: '\n' }[arg('--suffix', 'crlf')!] ?? '\r\n';
let port: ByteTransport | null = null;
const stop = keepOpen(path, Number(arg('--baud', '9600')), (t) => {
  port = t;
  t.onClose(() => (port = null));
});

controlLines(async (line) => {
  const [command] = line.split(/\s+/);
  const value = line.slice(command!.length).trim();
  if (command === 'scan') {
    if (!port) throw new Error('the pty is not open');
    const bytes = new TextEncoder().encode(value + suffix);
    await port.write(bytes);
    return say('sent', { value, bytes: bytes.length });
  }
  if (command === 'close') {
    say('ok', { command });
    await stop();
    process.exit(0);
  }
  throw new Error(`unknown command ${command}`);
});
