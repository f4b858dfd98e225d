/**
 * The ID card reader driver: polls find → select → read over any ByteTransport (never faster than every 300 ms),
 * debounces a card left on the reader, reconnects after an unplug, and emits `idCardRead` / `deviceStatus`.
 *
 * Debounce: after a read attempt, good or failed, the card must leave the field (find answers "no card")
 * before another find may lead to a read: a card left on the reader is read once, and a failed read is retried
 * on the next tap (not every 300 ms, and never behind the clerk's back). Many readers answer "no card" by
 * themselves for a card already read; for those that keep answering "found", the driver's own latch does it.
 * States: `connected` (ready), `reading` (a card was found), `error` with a reason (no_card, card_unreadable,
 * reader_busy, reader_fault: kept while the failed card stays on the reader), `disconnected` (with a reason).
 */
import type { DeviceReason } from '../../domain/devices';
import type { Parent } from '../../domain/types';
import type { TimerHandle } from '../clock';
import { DeviceDriver, type DriverOptions } from '../driver';
import { IdCardError, isIdCardError } from './errors';
import {
  FrameAssembler,
  MIN_RESPONSE_LEN,
  SW_FIND_OK,
  SW_NO_CARD,
  SW_SELECT_FAILED,
  SW_SUCCESS,
  decodeReadData,
  decodeSamId,
  encodeCommand,
  expectStatus,
  parseResponse,
  type CommandName,
  type ResponseFrame,
} from './frame';
import { cardToParent, hasPhoto } from './parent';
import { decodeText, type CardText } from './text';

export const MIN_POLL_MS = 300;

export interface DecodedCard {
  card: CardText;
  parent: Parent;
  /** WLT-compressed photo bytes as read (not decoded). Personal data: never log. */
  photo: Uint8Array;
  fingerprint: Uint8Array;
}

/** `reconnectMs` is raised to `pollMs` if lower. */
export interface IdReaderDriverOptions extends DriverOptions {
  /** Time between the starts of two polls; raised to 300 ms if lower. */
  pollMs?: number;
  /** Answer timeout for find/select/SAM (default 1000 ms) and for the long read (default 3000 ms). */
  commandTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Use 30 10 (text + photo + fingerprint) instead of 30 01. */
  withFingerprint?: boolean;
  /** Ask the reader for its SAM id on connect and show it in the status detail (default true). */
  readSamId?: boolean;
  /** Gets the whole decoded card, photo bytes included, right before the event is emitted. */
  onCard?: (card: DecodedCard) => void;
}

interface Pending {
  resolve: (r: ResponseFrame) => void;
  reject: (e: IdCardError) => void;
  timer: TimerHandle;
}

export class IdReaderDriver extends DeviceDriver<IdReaderDriverOptions> {
  private readonly pollMs: number;
  private readonly reconnectMs: number;
  private readonly commandTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly assembler: FrameAssembler;
  private pending: Pending | null = null;
  private cycle: Promise<void> | null = null;
  /** A card was read and has not left the field yet. */
  private latched = false;

  constructor(options: IdReaderDriverOptions) {
    super(options, 'id_reader', 'reader');
    this.pollMs = Math.max(MIN_POLL_MS, options.pollMs ?? MIN_POLL_MS);
    this.reconnectMs = Math.max(this.pollMs, options.reconnectMs ?? 1000);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.readTimeoutMs = options.readTimeoutMs ?? 3000;
    this.assembler = new FrameAssembler({ minLen: MIN_RESPONSE_LEN, timeoutMs: this.readTimeoutMs });
  }

  async stop(): Promise<void> {
    this.loop.stop();
    this.failPending(new IdCardError('unplugged', 'driver stopped'));
    await this.cycle?.catch(() => {});
    await this.dropTransport();
  }

  protected step(): void {
    const started = this.clock.now();
    this.cycle = this.runCycle().then((next) => {
      this.cycle = null;
      const wait = next === 'reconnect' ? this.reconnectMs : this.pollMs;
      this.loop.after(Math.max(0, wait - (this.clock.now() - started)));
    });
  }

  private async runCycle(): Promise<'poll' | 'reconnect'> {
    if (!this.transport) {
      const connected = await this.connect();
      if (!connected) return 'reconnect';
    }
    try {
      await this.poll();
      return 'poll';
    } catch (e) {
      const err = asIdCardError(e);
      if (err.code === 'unplugged' || !this.transport) {
        await this.dropTransport();
        if (this.loop.running) this.status.report('disconnected', UNPLUGGED, 'unplugged');
        return 'reconnect';
      }
      this.status.report('error', `${err.code}: ${err.message}`, readFailureReason(err));
      return 'poll';
    }
  }

  private async connect(): Promise<boolean> {
    const t = await this.openTransport();
    if (!t) return false;
    this.latched = false;
    this.assembler.reset();
    this.attach(
      t,
      (chunk) => this.onData(chunk),
      (error) => this.onClose(error),
    );
    let detail = 'reader ready';
    if (this.options.readSamId !== false) {
      try {
        const r = expectStatus(await this.transact('readSamId', this.commandTimeoutMs), 'read SAM id', SW_SUCCESS);
        detail = `reader ready, SAM ${decodeSamId(r.data)}`;
      } catch (e) {
        const err = asIdCardError(e);
        if (err.code === 'unplugged') {
          await this.dropTransport();
          this.status.report('disconnected', UNPLUGGED, 'unplugged');
          return false;
        }
        detail = `reader ready, SAM id not read (${err.code})`;
      }
    }
    this.status.report('connected', detail);
    return true;
  }

  private async poll(): Promise<void> {
    const find = await this.transact('findCard', this.commandTimeoutMs);
    if (find.sw3 === SW_NO_CARD) {
      this.latched = false;
      this.ready('reader ready');
      return;
    }
    expectStatus(find, 'find card', SW_FIND_OK);
    if (this.latched) return;
    this.latched = true; // from here on this card counts as tried, whatever happens
    this.status.report('reading', 'reading the card');
    const select = await this.transact('selectCard', this.commandTimeoutMs);
    if (select.sw3 === SW_SELECT_FAILED || select.sw3 === SW_NO_CARD) {
      throw new IdCardError('no_card', 'select card: the card moved away before it was read', { status: select.sw3 });
    }
    expectStatus(select, 'select card', SW_SUCCESS);
    const withFp = this.options.withFingerprint === true;
    const read = expectStatus(await this.transact(withFp ? 'readTextPhotoFingerprint' : 'readTextPhoto', this.readTimeoutMs), 'read card', SW_SUCCESS);
    const payload = decodeReadData(read, withFp);
    const card = decodeText(payload.text);
    const at = this.clock.date();
    const parent = cardToParent(card, { readerId: this.options.deviceId, readAt: at, photoPresent: hasPhoto(payload.photo) });
    this.ready('card read');
    this.options.onCard?.({ card, parent, photo: payload.photo, fingerprint: payload.fingerprint });
    this.options.sink.emit('idCardRead', { readerId: this.options.deviceId, parent, at: at.toISOString() });
  }

  /** A read done, or the field empty after an error: the reader is ready for the next card. */
  private ready(detail: 'reader ready' | 'card read'): void {
    const state = this.status.current?.state;
    if (state === 'error' || state === 'reading') this.status.report('connected', detail);
  }

  private transact(command: CommandName, timeoutMs: number): Promise<ResponseFrame> {
    const t = this.transport;
    if (!t || t.closed) return Promise.reject(new IdCardError('unplugged', 'reader is not connected'));
    this.assembler.reset(); // late bytes of an earlier, failed exchange must not answer this one
    return new Promise<ResponseFrame>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        if (this.pending?.timer !== timer) return;
        this.pending = null;
        const partial = this.assembler.partial();
        this.assembler.reset();
        reject(
          partial.length > 0
            ? new IdCardError('timeout', `${command}: frame incomplete after ${timeoutMs} ms (${partial.length} bytes)`, { bytes: partial })
            : new IdCardError('timeout', `${command}: no answer within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending = { resolve, reject, timer };
      t.write(encodeCommand(command)).catch((e) => this.failPending(asIdCardError(e, 'unplugged')));
    });
  }

  private onData(chunk: Uint8Array): void {
    for (const out of this.assembler.push(chunk, this.clock.now())) {
      const p = this.pending;
      if (!p) continue; // nothing asked: stray bytes
      this.pending = null;
      this.clock.clearTimeout(p.timer);
      if (out.error) {
        p.reject(out.error);
        continue;
      }
      try {
        p.resolve(parseResponse(out.frame));
      } catch (e) {
        p.reject(asIdCardError(e));
      }
    }
  }

  private onClose(error?: Error): void {
    this.failPending(new IdCardError('unplugged', 'reader went away', { cause: error }));
    this.detach();
    if (this.loop.running) this.status.report('disconnected', UNPLUGGED, 'unplugged');
  }

  private failPending(err: IdCardError): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.clock.clearTimeout(p.timer);
    p.reject(err);
  }

  private async dropTransport(): Promise<void> {
    this.assembler.reset();
    await this.release();
  }
}

const UNPLUGGED = 'reader unplugged or not answering on its port';

/** What the clerk is told about a failed exchange (the code's plain words are in domain's DEVICE_REASON_TEXT). */
export function readFailureReason(err: IdCardError): DeviceReason {
  switch (err.code) {
    case 'no_card':
      return 'no_card';
    case 'timeout':
      return 'reader_busy';
    case 'unplugged':
      return 'unplugged';
    case 'bad_status':
      // read failed, unknown card type, card/SAM authentication: the card; anything else: the reader itself
      return err.status !== undefined && [0x31, 0x32, 0x33, 0x40, 0x41].includes(err.status) ? 'card_unreadable' : 'reader_fault';
    default:
      return 'card_unreadable'; // bad_checksum, bad_length, bad_text
  }
}

export function asIdCardError(e: unknown, fallback: IdCardError['code'] = 'timeout'): IdCardError {
  if (isIdCardError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new IdCardError(fallback, message, { cause: e });
}
