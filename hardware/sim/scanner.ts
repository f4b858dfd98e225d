/** A simulated barcode scanner: HID POS (Honeywell layout) reports or keyboard boot-report bursts. */
import { systemClock, type Clock } from '../clock';
import { IdCardError } from '../idcard/errors';
import { encodeHoneywellReports } from '../scanner/hidpos';
import { KEY_ENTER, keyboardReportsFor } from '../scanner/keyboard';
import type { ScannerReportMode } from '../scanner/driver';
import { createMemoryLink, type MemoryLink } from '../transport/memory';
import type { ByteTransport } from '../transport/types';

export interface ScannerSimulatorOptions {
  clock?: Clock;
  mode?: ScannerReportMode;
  id?: string;
  /** Time between two keyboard reports (scanners: 1–19 ms; default 4). */
  keyGapMs?: number;
}

export class ScannerSimulator {
  private readonly clock: Clock;
  private link: MemoryLink | null = null;
  private plugged = true;
  readonly mode: ScannerReportMode;

  constructor(private readonly options: ScannerSimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.mode = options.mode ?? 'hidpos';
  }

  get id(): string {
    return this.options.id ?? 'sim-scanner';
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  open = async (): Promise<ByteTransport> => {
    if (!this.plugged) throw new IdCardError('unplugged', `${this.id} is not plugged in`);
    this.link?.unplug();
    this.link = createMemoryLink({ clock: this.clock, id: this.id, kind: 'simulated' });
    return this.link.host;
  };

  unplug(): void {
    this.plugged = false;
    this.link?.unplug();
    this.link = null;
  }

  replug(): void {
    this.plugged = true;
  }

  /** The reports for `value`, in the simulator's mode. */
  reportsFor(value: string, symbology = ']C0'): Uint8Array[] {
    return this.mode === 'hidpos' ? encodeHoneywellReports(value, symbology) : keyboardReportsFor(value, KEY_ENTER);
  }

  /** Send one raw report as is (garbled reports for tests). */
  sendRaw(report: Uint8Array): boolean {
    const device = this.link?.device;
    if (!device || device.closed) return false;
    void device.write(report).catch(() => {});
    return true;
  }

  /** Send a scan. Returns false when no host is connected. */
  scan(value: string, symbology = ']C0'): boolean {
    const device = this.link?.device;
    if (!device || device.closed) return false;
    const reports = this.reportsFor(value, symbology);
    if (this.mode === 'hidpos') {
      for (const r of reports) void device.write(r).catch(() => {});
    } else {
      const gap = this.options.keyGapMs ?? 4;
      reports.forEach((r, i) => this.clock.setTimeout(() => void device.write(r).catch(() => {}), i * gap));
    }
    return true;
  }
}
