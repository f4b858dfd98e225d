/**
 * USB bulk and HID at the byte level, through the real `usb` (WebUSB-style device) and `node-hid` (HIDAsync)
 * interfaces with injected handles. This is as far as a test can go on these machines: there is no USB bus
 * (/sys/bus/usb is absent) and no /dev/uhid to make a virtual HID device, so the kernel side of libusb and
 * hidraw is not exercised here; manager.test.ts prints what the real backends report when they enumerate.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { RecordingSink } from '../events';
import { IdReaderDriver } from '../idcard/driver';
import { encodeCommand } from '../idcard/frame';
import { ScannerDriver } from '../scanner/driver';
import { encodeHoneywellReports } from '../scanner/hidpos';
import { FIXTURES } from '../sim/fixtures';
import { IdReaderSimulator } from '../sim/idreader';
import { lengthPrefixedReports, paddedReports, passThroughReports, wrapHid } from './hid';
import { FakeHidHandle, FakeUsbDevice } from './testing';
import { openUsbBulk } from './usb';

describe('USB bulk transport (injected device handle)', () => {
  it('claims the bulk interface, writes whole commands to OUT and reads IN in 64-byte chunks until 7 + Len bytes', async () => {
    const clock = new ManualClock();
    const dev = new FakeUsbDevice();
    const sim = new IdReaderSimulator({ clock, heldCard: 'no_card' });
    sim.attach(dev.device);
    const sink = new RecordingSink();
    const driver = new IdReaderDriver({ open: () => openUsbBulk(dev, { id: 'usb:0400:c35a' }), sink, clock, deviceId: 'usb:0400:c35a', model: 'CVR-100U', transport: 'usb', reconnectMs: 1000 });
    driver.start();
    sim.tapCard(FIXTURES.mother);
    await clock.advance(400);
    expect(dev.calls.slice(0, 3)).toEqual(['open', 'selectConfiguration 1', 'claimInterface 1']);
    // connected, reading, connected (ready again), the card
    expect(sink.events.map((e) => (e.event === 'deviceStatus' ? e.payload.state : e.event))).toEqual(['connected', 'reading', 'connected', 'idCardRead']);

    // the exact transfers: each command whole on OUT endpoint 2, each answer in ≤64-byte IN transfers on endpoint 1
    const outs = dev.transfers.filter((t) => t.dir === 'out');
    expect(outs.slice(0, 5).map((t) => t.bytes)).toEqual(
      [encodeCommand('readSamId'), encodeCommand('findCard'), encodeCommand('selectCard'), encodeCommand('readTextPhoto'), encodeCommand('findCard')].map((c) => Array.from(c)),
    );
    expect(outs.every((t) => t.endpoint === 2)).toBe(true);
    const ins = dev.transfers.filter((t) => t.dir === 'in');
    expect(ins.every((t) => t.dir === 'in' && t.endpoint === 1 && t.length === 64 && t.bytes.length <= 64)).toBe(true);
    // after the read command: 1295 bytes = 21 transfers, and no 22nd (the transport stops at 7 + Len)
    const readAt = dev.transfers.findIndex((t) => t.dir === 'out' && t.bytes[7] === 0x30);
    const nextOut = dev.transfers.findIndex((t, i) => i > readAt && t.dir === 'out');
    const readIns = dev.transfers.slice(readAt + 1, nextOut).filter((t) => t.dir === 'in');
    expect(readIns).toHaveLength(21);
    expect(readIns.reduce((n, t) => n + t.bytes.length, 0)).toBe(1295);

    // unplug: the pending IN transfer fails like libusb does → disconnected; reopening fails until replugged
    dev.unplug();
    await clock.advance(1500);
    expect(sink.events.slice(4).map((e) => e.event === 'deviceStatus' && `${e.payload.state} ${e.payload.detail}`)).toEqual([
      'disconnected reader unplugged or not answering on its port',
      'disconnected reader not connected',
    ]);
    await driver.stop();
  });
});

describe('HID transport (injected node-hid handle)', () => {
  it('an HID-class reader through the zero-padded 64-byte report adapter', async () => {
    const clock = new ManualClock();
    const handle = new FakeHidHandle(64);
    const sim = new IdReaderSimulator({ clock, heldCard: 'no_card' });
    sim.attach(handle.device);
    const sink = new RecordingSink();
    const driver = new IdReaderDriver({ open: async () => wrapHid(handle, { id: 'hid:1234:5678', adapter: paddedReports({ reportSize: 64 }) }), sink, clock, deviceId: 'hid:1234:5678', model: 'HID reader', transport: 'hid' });
    driver.start();
    sim.tapCard(FIXTURES.hkMother);
    await clock.advance(400);
    // connected, reading, connected (ready again), the card
    expect(sink.events.map((e) => (e.event === 'deviceStatus' ? e.payload.state : e.event))).toEqual(['connected', 'reading', 'connected', 'idCardRead']);
    // every output report: report id 0 + 64 bytes, the command zero-padded
    expect(handle.written[0]).toEqual([0, ...encodeCommand('readSamId'), ...new Array(54).fill(0)]);
    expect(handle.written.every((r) => r.length === 65 && r[0] === 0)).toBe(true);
    // an HID error (device gone) closes the transport
    handle.emit('error', new Error('could not read from HID device'));
    await clock.advance(10);
    expect(sink.events.at(-1)).toMatchObject({ event: 'deviceStatus', payload: { state: 'disconnected' } });
    await driver.stop();
  });

  it('length-prefixed report adapter round trip', () => {
    const a = lengthPrefixedReports({ reportId: 2, reportSize: 32 });
    const frame = encodeCommand('readTextPhoto');
    const reports = a.wrap(frame);
    expect(reports).toHaveLength(1);
    expect(Array.from(reports[0]!.subarray(0, 12))).toEqual([2, 10, ...frame]);
    expect(Array.from(a.unwrap(reports[0]!))).toEqual(Array.from(frame));
  });

  it('a HID POS scanner: reports pass through, multi-packet reads join', async () => {
    const clock = new ManualClock();
    const handle = new FakeHidHandle(64);
    const sink = new RecordingSink();
    const driver = new ScannerDriver({ open: async () => wrapHid(handle, { id: 'hid:0c2e:0b61:8c', adapter: passThroughReports }), sink, clock, deviceId: 'hid:0c2e:0b61:8c', model: 'Honeywell', transport: 'hid', mode: 'hidpos' });
    driver.start();
    await clock.advance(1);
    const long = `X320101001${'A'.repeat(100)}`;
    for (const r of [...encodeHoneywellReports('X320101001'), ...encodeHoneywellReports(long, ']Q1')]) handle.emit('data', Buffer.from(r));
    await clock.advance(1);
    expect(sink.events.map((e) => (e.event === 'barcodeScanned' ? [e.payload.kind, e.payload.value, e.payload.symbology] : e.event === 'deviceStatus' ? e.payload.state : e.event))).toEqual([
      'connected',
      ['birth_certificate', 'X320101001', ']C0'],
      ['unknown', long, ']Q1'],
    ]);
    await driver.stop();
    expect(handle.closedCount).toBe(1);
  });
});
