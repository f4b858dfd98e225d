/**
 * The barcode scanner driver: reads HID POS or keyboard boot reports from a transport (one chunk per report),
 * or text lines from a serial (USB-CDC) scanner (the code, then CR and/or LF), classifies each read by the
 * configured patterns (domain/barcodes.ts, as the page's keyboard wedge does) and emits `barcodeScanned`;
 * reconnects after an unplug.
 */
import type { BarcodePattern } from '../../domain/devices';
import { DeviceDriver, type DriverOptions } from '../driver';
import { createClassifier, type BarcodeClassifier } from './classify';
import { ScannerError } from './errors';
import { HidPosAssembler, type ScanRead } from './hidpos';
import { KeyboardReportDecoder } from './keyboard';

export type ScannerReportMode = 'hidpos' | 'keyboard' | 'serial';
export const MAX_VALUE_LENGTH = 512;

export interface ScannerDriverOptions extends DriverOptions {
  mode: ScannerReportMode;
  patterns?: BarcodePattern[];
}

export class ScannerDriver extends DeviceDriver<ScannerDriverOptions> {
  private readonly classifier: BarcodeClassifier;
  private readonly hidpos = new HidPosAssembler();
  private readonly keyboard = new KeyboardReportDecoder({ maxLength: MAX_VALUE_LENGTH });
  private readonly lines = new LineDecoder();

  constructor(options: ScannerDriverOptions) {
    super(options, 'scanner', 'scanner');
    this.classifier = createClassifier(options.patterns);
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await this.release();
  }

  protected step(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    const t = await this.openTransport();
    if (!t) {
      this.loop.after(this.options.reconnectMs ?? 1000);
      return;
    }
    this.hidpos.reset();
    this.keyboard.reset();
    this.lines.reset();
    this.attach(
      t,
      (report) => this.onReport(report),
      () => {
        this.detach();
        if (!this.loop.running) return;
        this.status.report('disconnected', 'scanner unplugged', 'unplugged');
        this.loop.after(this.options.reconnectMs ?? 1000);
      },
    );
    this.status.report('connected', { hidpos: 'HID POS', keyboard: 'keyboard reports', serial: 'serial lines' }[this.options.mode]);
  }

  private onReport(report: Uint8Array): void {
    const now = this.clock.now();
    let reads: ScanRead[];
    try {
      if (this.options.mode === 'hidpos') {
        const r = this.hidpos.push(report, now);
        reads = r ? [r] : [];
      } else if (this.options.mode === 'serial') {
        reads = this.lines.push(report).map((value) => ({ value }));
      } else {
        reads = this.keyboard.push(report, now).map((value) => ({ value }));
      }
    } catch (e) {
      const err = e instanceof ScannerError ? e : new ScannerError('bad_report', (e as Error).message);
      this.status.report('error', `${err.code}: ${err.message}`, 'bad_scan');
      return;
    }
    for (const read of reads) this.deliver(read);
  }

  private deliver(read: ScanRead): void {
    if (read.value.length === 0) return;
    if (read.value.length > MAX_VALUE_LENGTH) {
      this.status.report('error', `too_long: barcode of ${read.value.length} characters, at most ${MAX_VALUE_LENGTH}`, 'scan_too_long');
      return;
    }
    if (this.status.current?.state === 'error') this.status.report('connected', 'scanner ready');
    const at = this.clock.date().toISOString();
    const payload = { scannerId: this.options.deviceId, kind: this.classifier.classify(read.value), value: read.value, at };
    this.options.sink.emit('barcodeScanned', read.symbology ? { ...payload, symbology: read.symbology } : payload);
  }
}

/**
 * Serial scanners send the code and a CR, an LF or both: one value per line, empty lines (the LF of a CR LF)
 * dropped. A line that grows past the longest value is delivered whole at its end (the driver refuses it).
 */
export class LineDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private text = '';

  push(chunk: Uint8Array): string[] {
    this.text += this.decoder.decode(chunk, { stream: true });
    const parts = this.text.split(/\r\n|\r|\n/);
    this.text = parts.pop()!;
    if (this.text.length > MAX_VALUE_LENGTH * 2) this.text = this.text.slice(-MAX_VALUE_LENGTH - 1);
    return parts.filter((p) => p.length > 0);
  }

  reset(): void {
    this.text = '';
    this.decoder.decode();
  }
}
