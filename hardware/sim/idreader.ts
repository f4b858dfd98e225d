/**
 * A simulated ID card reader that speaks the real bytes: it reassembles command frames, answers each with a
 * response frame built from the card on it, and delivers the answer in 64-byte chunks (as a USB bulk IN
 * endpoint would). Faults on demand: a bad checksum, a truncated frame, silence, an error status, an unplug in
 * the middle of a frame.
 *
 * Attach it to any device-side ByteTransport (`attach`), e.g. the far end of a pseudo-terminal pair, or let it
 * hand out in-memory links itself (`open`, the TransportOpener a driver takes).
 */
import { systemClock, type Clock } from '../clock';
import { IdCardError } from '../idcard/errors';
import {
  FrameAssembler,
  SW_FIND_OK,
  SW_NO_CARD,
  SW_SELECT_FAILED,
  SW_SUCCESS,
  encodeReadData,
  encodeResponse,
  encodeSamId,
  parseCommand,
  type CommandName,
} from '../idcard/frame';
import { encodeText, type CardText } from '../idcard/text';
import { createMemoryLink, type MemoryLink } from '../transport/memory';
import type { ByteTransport } from '../transport/types';

export type ReaderFault =
  | { kind: 'bad_checksum' }
  | { kind: 'truncated' }
  | { kind: 'silence' }
  | { kind: 'status'; sw3: number }
  | { kind: 'unplug_mid_frame' };

export interface SimulatedCard {
  text: CardText;
  /** 1024 bytes standing in for the WLT photo (default: a deterministic pattern). */
  photo?: Uint8Array;
}

export interface IdReaderSimulatorOptions {
  clock?: Clock;
  chunkSize?: number;
  /**
   * What "find card" answers for a card already read and still on the reader: `found` (the driver's own latch
   * must debounce it) or `no_card` (the reader debounces by itself). Default `found`, the harder case.
   */
  heldCard?: 'found' | 'no_card';
  id?: string;
  /** Called for `unplug_mid_frame` when the sim is attached to an external transport (e.g. to kill socat). */
  onUnplugRequest?: () => void;
}

export interface ServedCommand {
  command: CommandName | 'unknown';
  sw3: number | null;
  /** Clock time the answer was sent. */
  at: number;
  fault?: ReaderFault['kind'];
}

/** How many answered commands `served` keeps (about five minutes of polling). */
export const SERVED_KEPT = 1000;

export class IdReaderSimulator {
  private readonly clock: Clock;
  private readonly chunkSize: number;
  private readonly assembler = new FrameAssembler({ minLen: 3, timeoutMs: 1000 });
  private device: ByteTransport | null = null;
  private detach: Array<() => void> = [];
  private link: MemoryLink | null = null;
  private card: SimulatedCard | null = null;
  private readSinceTap = false;
  private emptyPending = false;
  private faults: Array<{ on: CommandName | 'any'; fault: ReaderFault }> = [];
  private plugged = true;
  /**
   * The commands answered, in order (what a test or a bench can check besides the events): the last
   * `SERVED_KEPT`, since a training desk's reader is polled every 300 ms all day.
   */
  readonly served: ServedCommand[] = [];
  /**
   * Called once the transport took the last byte of a response (the last write resolved: on a serial port,
   * after the OS drained it), with the response's length (bench: "last response byte written").
   */
  onResponseSent: ((command: CommandName | 'unknown', bytes: number) => void) | null = null;

  constructor(private readonly options: IdReaderSimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.chunkSize = options.chunkSize ?? 64;
  }

  get id(): string {
    return this.options.id ?? 'sim-reader';
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  get hasCard(): boolean {
    return this.card !== null;
  }

  /** Put a card on the reader. Replacing a card means the field was empty in between (one find sees no card). */
  tapCard(card: SimulatedCard | CardText): void {
    const c: SimulatedCard = 'text' in card ? card : { text: card };
    if (this.card) this.emptyPending = true;
    this.card = c;
    this.readSinceTap = false;
  }

  removeCard(): void {
    this.card = null;
    this.readSinceTap = false;
    this.emptyPending = false;
  }

  /** The next answer to `on` (default: the read command) suffers `fault`. Faults queue up. */
  injectFault(fault: ReaderFault, on: CommandName | 'any' = 'readTextPhoto'): void {
    this.faults.push({ on, fault });
  }

  /** Serve a device-side transport (a pty end, a memory link end). */
  attach(device: ByteTransport): void {
    this.detachDevice();
    this.device = device;
    this.assembler.reset();
    this.detach = [device.onData((chunk) => this.onData(chunk)), device.onClose(() => this.detachDevice())];
  }

  detachDevice(): void {
    for (const d of this.detach) d();
    this.detach = [];
    this.device = null;
  }

  /** TransportOpener for a driver: a fresh in-memory cable to this reader, or `unplugged` when it is not plugged. */
  open = async (): Promise<ByteTransport> => {
    if (!this.plugged) throw new IdCardError('unplugged', `${this.id} is not plugged in`);
    this.link?.unplug();
    const link = createMemoryLink({ clock: this.clock, id: this.id, kind: 'simulated' });
    this.link = link;
    this.attach(link.device);
    return link.host;
  };

  unplug(): void {
    this.plugged = false;
    this.link?.unplug();
    this.link = null;
    this.detachDevice();
    this.readSinceTap = false; // the reader loses power: it forgets it read the card
  }

  replug(): void {
    this.plugged = true;
  }

  private onData(chunk: Uint8Array): void {
    for (const out of this.assembler.push(chunk, this.clock.now())) {
      if (out.error) {
        // A reader answers a command it could not parse with a checksum or length error status.
        this.send(encodeResponse(out.error.code === 'bad_checksum' ? 0x10 : 0x11), 'unknown', undefined);
        continue;
      }
      let name: CommandName | 'unknown';
      try {
        name = parseCommand(out.frame).name ?? 'unknown';
      } catch {
        name = 'unknown';
      }
      this.answer(name);
    }
  }

  private answer(name: CommandName | 'unknown'): void {
    const idx = this.faults.findIndex((f) => f.on === 'any' || f.on === name);
    const fault = idx >= 0 ? this.faults.splice(idx, 1)[0]!.fault : undefined;
    if (fault?.kind === 'status') {
      this.send(encodeResponse(fault.sw3), name, fault);
      return;
    }
    this.send(this.response(name), name, fault);
  }

  private response(name: CommandName | 'unknown'): Uint8Array {
    switch (name) {
      case 'resetSam':
      case 'samStatus':
        return encodeResponse(SW_SUCCESS);
      case 'readSamId':
        return encodeResponse(SW_SUCCESS, encodeSamId([5, 1, 20250301, 3300000001, 1234567890]));
      case 'findCard':
        if (!this.card) return encodeResponse(SW_NO_CARD);
        if (this.emptyPending) {
          this.emptyPending = false;
          return encodeResponse(SW_NO_CARD);
        }
        if (this.readSinceTap && this.options.heldCard === 'no_card') return encodeResponse(SW_NO_CARD);
        return encodeResponse(SW_FIND_OK, [0, 0, 0, 0]);
      case 'selectCard':
        if (!this.card) return encodeResponse(SW_SELECT_FAILED);
        return encodeResponse(SW_SUCCESS, new Uint8Array(8));
      case 'readTextPhoto':
      case 'readTextPhotoFingerprint': {
        if (!this.card) return encodeResponse(0x41);
        this.readSinceTap = true;
        const withFp = name === 'readTextPhotoFingerprint';
        const data = encodeReadData({ text: encodeText(this.card.text), photo: this.card.photo ?? defaultPhoto(), fingerprint: new Uint8Array(0) }, withFp);
        return encodeResponse(SW_SUCCESS, data);
      }
      case 'readNewestAddress':
        return encodeResponse(0x91);
      default:
        return encodeResponse(0x21);
    }
  }

  private send(frame: Uint8Array, command: CommandName | 'unknown', fault: ReaderFault | undefined): void {
    const device = this.device;
    this.served.push({ command, sw3: frame.length > 9 ? frame[9]! : null, at: this.clock.now(), ...(fault ? { fault: fault.kind } : {}) });
    if (this.served.length > SERVED_KEPT) this.served.splice(0, this.served.length - SERVED_KEPT);
    if (!device) return;
    let bytes = frame;
    if (fault?.kind === 'silence') return;
    if (fault?.kind === 'bad_checksum') {
      bytes = frame.slice();
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
    }
    if (fault?.kind === 'truncated' || fault?.kind === 'unplug_mid_frame') bytes = frame.subarray(0, Math.max(8, Math.floor(frame.length / 2)));
    const writes: Promise<void>[] = [];
    for (let o = 0; o < bytes.length; o += this.chunkSize) writes.push(device.write(bytes.subarray(o, o + this.chunkSize)));
    const written = Promise.all(writes);
    if (fault?.kind === 'unplug_mid_frame') {
      written.catch(() => {});
      // Let the partial frame reach the host first, then pull the cable.
      this.clock.setTimeout(() => {
        if (this.link) this.unplug();
        else this.options.onUnplugRequest?.();
      }, 0);
      return;
    }
    written.then(
      () => this.onResponseSent?.(command, bytes.length),
      () => {}, // the line went away meanwhile: nothing was delivered
    );
  }
}

/** A deterministic 1024-byte stand-in for a WLT photo (real WLT bytes begin with "WLf" on many cards). */
export function defaultPhoto(): Uint8Array {
  const p = new Uint8Array(1024);
  p.set([0x57, 0x4c, 0x66], 0);
  for (let i = 3; i < p.length; i++) p[i] = (i * 31 + 7) & 0xff;
  return p;
}
