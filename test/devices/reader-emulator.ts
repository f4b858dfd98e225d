/**
 * An ID card reader in its own process, on one end of a pseudo-terminal pair, answering in GA/T 467 bytes
 * (the desk's own frame codec and reader simulator). The desk's serial reader sits on the other end.
 *
 *   npx tsx test/devices/reader-emulator.ts --path /tmp/x/b [--held found|no_card] [--baud 115200] [--control /tmp/x/reader.sock] [--verbose]
 *
 * Control lines (stdin, or the control socket):
 *   tap <fixture>      put a fixture card on the reader (mother, father, sheMother, olderFather, hkMother, foreignMother, foreignFather)
 *   tap {json}         put a card given as JSON: a CardText ({"cardType":"resident",…}) or a Parent without chip
 *   remove             take the card away
 *   badframe [any]     the next card-read answer (with `any`: the very next answer) goes out with a bad checksum
 *   hold <ms>          the next card-read answer goes out <ms> late (the reader stays "reading" meanwhile; < 3000)
 *   close              close the port and exit
 * Output (stdout, one JSON object a line, each with epochMs and monoNs, see control.ts):
 *   {"event":"ready","path":…}                       the pty end is open (again, after socat came back)
 *   {"event":"closed","path":…}                      the pty went away
 *   {"event":"sent","command":"readTextPhoto","bytes":1295,…}  the last byte of a response was written
 *       (only card reads and faulty answers; with --verbose every answer)
 *   {"event":"ok","command":"tap"} / {"event":"error","line":…,"message":…}
 */
import { FIXTURES, type FixtureName } from '../../hardware/sim/fixtures';
import { IdReaderSimulator } from '../../hardware/sim/idreader';
import { toSimulatedCard, type CardInput } from '../../hardware/devices/simulated';
import type { ByteTransport } from '../../hardware/transport/types';
import { arg, controlLines, keepOpen, say } from './control';

const path = arg('--path');
if (!path) {
  console.error('usage: reader-emulator.ts --path <pty> [--held found|no_card] [--baud N] [--control <socket>] [--verbose]');
  process.exit(2);
}
const held = arg('--held', 'found') === 'no_card' ? 'no_card' : 'found';
const verbose = process.argv.includes('--verbose');
const sim = new IdReaderSimulator({ heldCard: held, id: 'emulated-reader' });
// `hold <ms>`: once the card is selected, the read's answer is written late (for a look at the "reading" state).
let holdMs = 0;
let holding = false;
sim.onResponseSent = (command, bytes) => {
  if (command === 'selectCard' && holdMs > 0) holding = true;
  if (command === 'readTextPhoto' || command === 'readTextPhotoFingerprint') [holding, holdMs] = [false, 0];
  const fault = sim.served.at(-1)?.fault; // the driver asks one thing at a time: the last served is this one
  if (verbose || fault || command === 'readTextPhoto' || command === 'readTextPhotoFingerprint') say('sent', { command, bytes, ...(fault ? { fault } : {}) });
};

function holdable(t: ByteTransport): ByteTransport {
  const write = (d: Uint8Array) => (holding ? new Promise((r) => setTimeout(r, holdMs)).then(() => t.write(d)) : t.write(d));
  return new Proxy(t, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const stop = keepOpen(path, Number(arg('--baud', '115200')), (t) => sim.attach(holdable(t)));

function card(spec: string): CardInput {
  if (spec.startsWith('{')) return JSON.parse(spec) as CardInput;
  if (!(spec in FIXTURES)) throw new Error(`no fixture ${spec} (one of ${Object.keys(FIXTURES).join(', ')})`);
  return spec as FixtureName;
}

controlLines(async (line) => {
  const [command, ...rest] = line.split(/\s+/);
  const tail = line.slice(command!.length).trim();
  switch (command) {
    case 'tap':
      sim.tapCard(toSimulatedCard(card(tail)));
      return say('ok', { command });
    case 'hold':
      holdMs = Math.min(2900, Number(rest[0] ?? 0));
      return say('ok', { command });
    case 'remove':
      sim.removeCard();
      return say('ok', { command });
    case 'badframe':
      sim.injectFault({ kind: 'bad_checksum' }, rest[0] === 'any' ? 'any' : 'readTextPhoto');
      return say('ok', { command });
    case 'close':
      say('ok', { command });
      await stop();
      process.exit(0);
      return;
    default:
      throw new Error(`unknown command ${command}`);
  }
});
