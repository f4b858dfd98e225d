/**
 * The barcode scanner driver: reads HID POS or keyboard boot reports from a transport (one chunk per report),
 * classifies each read by the configured patterns and emits `barcodeScanned`; reconnects after an unplug.
 */
import type { BarcodePattern, DeviceStatus, TransportKind } from '../../domain/devices';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { StatusReporter, type HardwareSink } from '../events';
import type { ByteTransport, TransportOpener } from '../transport/types';
import { createClassifier, type BarcodeClassifier } from './classify';
import { ScannerError } from './errors';
import { HidPosAssembler, type ScanRead } from './hidpos';
import { KeyboardReportDecoder } from './keyboard';

export type ScannerReportMode = 'hidpos' | 'keyboard';
export const MAX_VALUE_LENGTH = 512;

export interface ScannerDriverOptions {
  open: TransportOpener;
  sink: HardwareSink;
  deviceId: string;
  model: string;
  transport: TransportKind;
  mode: ScannerReportMode;
  patterns?: BarcodePattern[];
  clock?: Clock;
  reconnectMs?: number;
}

export class ScannerDriver {
  private readonly clock: Clock;
  private readonly classifier: BarcodeClassifier;
  private readonly status: StatusReporter;
  private readonly hidpos = new HidPosAssembler();
  private readonly keyboard = new KeyboardReportDecoder({ maxLength: MAX_VALUE_LENGTH });
  private transport: ByteTransport | null = null;
  private unsubscribe: Array<() => void> = [];
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(private readonly options: ScannerDriverOptions) {
    this.clock = options.clock ?? systemClock;
    this.classifier = createClassifier(options.patterns);
    this.status = new StatusReporter(
      options.sink,
      { deviceId: options.deviceId, kind: 'scanner', model: options.model, transport: options.transport },
      () => this.clock.date(),
    );
  }

  get deviceStatus(): DeviceStatus | null {
    return this.status.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const t = this.transport;
    this.detach();
    if (t && !t.closed) await t.close().catch(() => {});
  }

  private schedule(delay: number): void {
    if (!this.running || this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    let t: ByteTransport;
    try {
      t = await this.options.open();
    } catch (e) {
      this.status.report('disconnected', (e as { code?: string }).code === 'unplugged' ? 'scanner not connected' : `cannot open the scanner: ${(e as Error).message}`);
      this.schedule(this.options.reconnectMs ?? 1000);
      return;
    }
    if (!this.running) {
      await t.close().catch(() => {});
      return;
    }
    this.transport = t;
    this.hidpos.reset();
    this.keyboard.reset();
    this.unsubscribe = [
      t.onData((report) => this.onReport(report)),
      t.onClose(() => {
        if (this.transport !== t) return;
        this.detach();
        if (!this.running) return;
        this.status.report('disconnected', 'scanner unplugged');
        this.schedule(this.options.reconnectMs ?? 1000);
      }),
    ];
    this.status.report('connected', this.options.mode === 'hidpos' ? 'HID POS' : 'keyboard reports');
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.transport = null;
  }

  private onReport(report: Uint8Array): void {
    const now = this.clock.now();
    let reads: ScanRead[];
    try {
      if (this.options.mode === 'hidpos') {
        const r = this.hidpos.push(report, now);
        reads = r ? [r] : [];
      } else {
        reads = this.keyboard.push(report, now).map((value) => ({ value }));
      }
    } catch (e) {
      const err = e instanceof ScannerError ? e : new ScannerError('bad_report', (e as Error).message);
      this.status.report('error', `${err.code}: ${err.message}`);
      return;
    }
    for (const read of reads) this.deliver(read);
  }

  private deliver(read: ScanRead): void {
    if (read.value.length === 0) return;
    if (read.value.length > MAX_VALUE_LENGTH) {
      this.status.report('error', `too_long: barcode of ${read.value.length} characters, at most ${MAX_VALUE_LENGTH}`);
      return;
    }
    if (this.status.current?.state === 'error') this.status.report('connected', 'scanner ready');
    const at = this.clock.date().toISOString();
    const payload = { scannerId: this.options.deviceId, kind: this.classifier.classify(read.value), value: read.value, at };
    this.options.sink.emit('barcodeScanned', read.symbology ? { ...payload, symbology: read.symbology } : payload);
  }
}
