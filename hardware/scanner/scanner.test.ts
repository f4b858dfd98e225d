import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarcodeScannedSchema, DEFAULT_BARCODE_PATTERNS } from '../../domain/devices';
import { ManualClock } from '../clock';
import { RecordingSink } from '../events';
import { ScannerSimulator } from '../sim/scanner';
import { createClassifier } from './classify';
import { ScannerDriver } from './driver';
import { ScannerError } from './errors';
import { HidPosAssembler, encodeHoneywellReports, parseHoneywellReport } from './hidpos';
import { KEY_ENTER, KEY_TAB, KeyboardReportDecoder, keyboardReportsFor, usageToChar } from './keyboard';
import { WedgeDetector } from '../../domain/wedge';

describe('HID POS (Honeywell report 0x02)', () => {
  it('parses a hand-built 64-byte report', () => {
    const r = new Uint8Array(64);
    r[0] = 0x02;
    r[1] = 10;
    r.set([0x5d, 0x43, 0x30], 2); // ]C0
    r.set(Array.from('X320101001', (c) => c.charCodeAt(0)), 5);
    r[61] = 0x6a;
    const p = parseHoneywellReport(r);
    expect(p).toEqual({ symbology: ']C0', data: new TextEncoder().encode('X320101001'), vendorSymbology: 0x6a, more: false });
    expect(new HidPosAssembler().push(r)).toEqual({ value: 'X320101001', symbology: ']C0' });
  });

  it('joins multi-packet reads (byte 63 = 1), UTF-8 split across packets included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), (value) => {
        const reports = encodeHoneywellReports(value, ']Q1');
        const a = new HidPosAssembler();
        const results = reports.map((r) => a.push(r));
        expect(results.slice(0, -1).every((x) => x === null)).toBe(true);
        expect(results.at(-1)).toEqual({ value: value.replace(/[\r\n]+$/, ''), symbology: ']Q1' });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed reports with typed errors', () => {
    expect(() => parseHoneywellReport(new Uint8Array(10))).toThrow(ScannerError);
    const wrongId = new Uint8Array(64);
    wrongId[0] = 0x05;
    expect(() => parseHoneywellReport(wrongId)).toThrow(/report id 0x5/);
    const tooMany = encodeHoneywellReports('x')[0]!;
    tooMany[1] = 57;
    expect(() => parseHoneywellReport(tooMany)).toThrow(/57 data bytes/);
  });
});

describe('keyboard boot reports', () => {
  it('maps usage ids with shift, like the reference table', () => {
    expect(usageToChar(0x04, false)).toBe('a');
    expect(usageToChar(0x04, true)).toBe('A');
    expect(usageToChar(0x1e, false)).toBe('1');
    expect(usageToChar(0x27, false)).toBe('0');
    expect(usageToChar(0x2d, true)).toBe('_');
    expect(usageToChar(0x38, false)).toBe('/');
    expect(usageToChar(0x28, false)).toBeNull();
  });

  it('decodes press/release bursts, repeated characters and Enter/Tab terminators', () => {
    const d = new KeyboardReportDecoder();
    const out = [...keyboardReportsFor('ZY20250301'), ...keyboardReportsFor('B202503X11', KEY_TAB)].flatMap((r) => d.push(r));
    expect(out).toEqual(['ZY20250301', 'B202503X11']);
    // shift held over several keys (right shift), key held down across reports counts once
    const held = [
      [0x20, 0, 0x0b, 0, 0, 0, 0, 0],
      [0x20, 0, 0x0b, 0, 0, 0, 0, 0],
      [0x20, 0, 0x0b, 0x0c, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, KEY_ENTER, 0, 0, 0, 0, 0],
    ].map((r) => Uint8Array.from(r));
    expect(held.flatMap((r) => new KeyboardReportDecoder().push(r))).toEqual([]);
    const d2 = new KeyboardReportDecoder();
    expect(held.flatMap((r) => d2.push(r))).toEqual(['HI']);
  });

  it('round trip for any typeable string', () => {
    const typeable = fc.string({ unit: fc.constantFrom(...'abcXYZ0123456789-_=+[]{};:\'",.<>/?`~!@#$%^&*() '), minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(typeable, (v) => {
        const d = new KeyboardReportDecoder();
        expect(keyboardReportsFor(v).flatMap((r) => d.push(r))).toEqual([v]);
      }),
    );
  });

  it('ignores phantom (rollover) reports and rejects odd sizes', () => {
    const d = new KeyboardReportDecoder();
    expect(d.push(Uint8Array.of(0, 0, 1, 1, 1, 1, 1, 1))).toEqual([]);
    expect(() => d.push(new Uint8Array(5))).toThrow(ScannerError);
  });
});

describe('keyboard-wedge detector (timing)', () => {
  const feed = (w: WedgeDetector, keys: string[], gaps: number | number[], t0 = 1000) => {
    let t = t0;
    const out = [];
    for (let i = 0; i < keys.length; i++) {
      out.push(w.key(keys[i]!, t));
      t += Array.isArray(gaps) ? (gaps[i] ?? 0) : gaps;
    }
    return out.filter(Boolean);
  };

  it('a scanner burst (keys 1–19 ms apart) ended by Enter is a scan', () => {
    const w = new WedgeDetector();
    expect(feed(w, [...'ZY2025030101', 'Enter'], 8)).toEqual([{ value: 'ZY2025030101', durationMs: 96 }]);
    expect(feed(w, [...'X320101001', 'Tab'], [3, 19, 1, 5, 12, 7, 2, 18, 9, 4])).toEqual([{ value: 'X320101001', durationMs: 80 }]);
  });

  it('typing (keys 80–200 ms apart) is not a scan, nor are two fast keys', () => {
    const w = new WedgeDetector();
    expect(feed(w, [...'123456', 'Enter'], 120)).toEqual([]);
    expect(feed(w, [...'12', 'Enter'], 5)).toEqual([]);
    // one slow gap inside an otherwise fast burst (25–40 ms: burst goes on but is not scanner-fast)
    expect(feed(w, [...'ABCDEF', 'Enter'], [5, 5, 35, 5, 5, 5])).toEqual([]);
  });

  it('a pause over 40 ms starts over, Shift keys are ignored', () => {
    const w = new WedgeDetector();
    const t = [0, 5, 10, 200, 205, 210, 215];
    const keys = ['a', 'b', 'c', 'X', 'Shift', 'Y', 'Enter'];
    const out = keys.map((k, i) => w.key(k, t[i]!)).filter(Boolean);
    expect(out).toEqual([]); // the pause dropped "abc"; "XY" alone is too short for a scan
    expect(feed(w, ['Shift', 'Z', 'Shift', 'Y', '1', '2', 'Enter'], 4)).toEqual([{ value: 'ZY12', durationMs: 20 }]);
  });

  it('optional acceptance without terminator after idle', () => {
    const w = new WedgeDetector({ idleAcceptMs: 100 });
    feed(w, [...'B202503X11'], 6);
    expect(w.inBurst).toBe(true);
    expect(w.idle(1100)).toBeNull();
    expect(w.idle(1160)).toEqual({ value: 'B202503X11', durationMs: 54 });
  });

  it('imports nothing (domain code the renderer loads as is)', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(new URL('../../domain/wedge.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/^\s*import\s/m);
    expect(src).not.toMatch(/require\(|process\.|Buffer|node:/);
  });
});

describe('classification by configurable patterns', () => {
  it('defaults: certificate, wristband, vaccine batch, unknown', () => {
    const c = createClassifier();
    expect(['X320101001', 'ZY2025030101', 'B202503X11', 'hello'].map((v) => c.classify(v))).toEqual(['birth_certificate', 'wristband', 'vaccine_batch', 'unknown']);
  });
  it('first match wins; a bad pattern is a clear error', () => {
    const c = createClassifier([{ kind: 'wristband', pattern: '^\\d{8}$' }, ...DEFAULT_BARCODE_PATTERNS]);
    expect(c.classify('12345678')).toBe('wristband');
    expect(() => createClassifier([{ kind: 'wristband', pattern: '([' }])).toThrow(/pattern #1 \(wristband\) is not a valid regular expression/);
  });
});

describe('ScannerDriver over the simulated scanner', () => {
  it.each(['hidpos', 'keyboard'] as const)('%s: scans, unplug, replug, scans again', async (mode) => {
    const clock = new ManualClock();
    const sim = new ScannerSimulator({ clock, mode });
    const sink = new RecordingSink();
    const driver = new ScannerDriver({ open: sim.open, sink, clock, deviceId: 'scan-1', model: 'Honeywell 1950g', transport: 'hid', mode });
    driver.start();
    await clock.advance(10);
    expect(sim.scan('ZY2025030101')).toBe(true);
    await clock.advance(500);
    sim.unplug();
    await clock.advance(10);
    expect(sim.scan('X320101001')).toBe(false);
    sim.replug();
    await clock.advance(1500);
    sim.scan('X320101001');
    await clock.advance(500);
    const sym = mode === 'hidpos' ? { symbology: ']C0' } : {};
    expect(sink.events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ state: 'connected' }),
      { scannerId: 'scan-1', kind: 'wristband', value: 'ZY2025030101', at: expect.any(String), ...sym },
      expect.objectContaining({ state: 'disconnected', detail: 'scanner unplugged' }),
      expect.objectContaining({ state: 'connected' }),
      { scannerId: 'scan-1', kind: 'birth_certificate', value: 'X320101001', at: expect.any(String), ...sym },
    ]);
    for (const e of sink.events) if (e.event === 'barcodeScanned') expect(BarcodeScannedSchema.safeParse(e.payload).success).toBe(true);
    await driver.stop();
    expect(clock.pending).toBe(0);
  });

  it('a garbled report is an error status, the next good scan clears it', async () => {
    const clock = new ManualClock();
    const sim = new ScannerSimulator({ clock });
    const sink = new RecordingSink();
    const driver = new ScannerDriver({ open: sim.open, sink, clock, deviceId: 's', model: 'm', transport: 'hid', mode: 'hidpos' });
    driver.start();
    await clock.advance(1);
    const bad = new Uint8Array(64);
    bad[0] = 0x07;
    expect(sim.sendRaw(bad)).toBe(true);
    await clock.advance(1);
    sim.scan('B202503X11');
    await clock.advance(1);
    expect(sink.events.map((e) => (e.event === 'deviceStatus' ? `${e.payload.state}:${e.payload.detail}` : e.event === 'barcodeScanned' ? e.payload.value : e.event))).toEqual([
      'connected:HID POS',
      'error:bad_report: HID POS report id 0x7, expected 0x02',
      'connected:scanner ready',
      'B202503X11',
    ]);
    await driver.stop();
  });
});
