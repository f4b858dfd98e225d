import { describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../domain/devices';
import { ManualClock } from '../clock';
import { RecordingSink } from '../events';
import { IdCardError } from '../idcard/errors';
import { FIXTURES } from '../sim/fixtures';
import { IdReaderSimulator } from '../sim/idreader';
import { ScannerSimulator } from '../sim/scanner';
import { DeviceManager, defaultBackends, deviceId, matchModel, type DeviceBackend, type FoundDevice } from './manager';

const MODELS: DeviceModel[] = [
  { name: 'CVR-100U', kind: 'id_reader', transport: 'usb', vendorId: 0x0400, productId: 0xc35a },
  { name: 'Honeywell (HID POS)', kind: 'scanner', transport: 'hid', vendorId: 0x0c2e, usagePage: 0x8c, usage: 0x02 },
  { name: 'COM reader', kind: 'id_reader', transport: 'serial', path: '/dev/ttyUSB7' },
  { name: 'no ids at all', kind: 'scanner', transport: 'hid' },
];

describe('matching configured models', () => {
  it('by VID/PID, usage page, path; a model without ids matches nothing', () => {
    const f = (x: Partial<FoundDevice>): FoundDevice => ({ transport: 'usb', ...x });
    expect(matchModel(f({ vendorId: 0x0400, productId: 0xc35a }), MODELS)?.name).toBe('CVR-100U');
    expect(matchModel(f({ vendorId: 0x0400, productId: 0xc35b }), MODELS)).toBeUndefined();
    expect(matchModel(f({ transport: 'hid', vendorId: 0x0400, productId: 0xc35a }), MODELS)).toBeUndefined();
    expect(matchModel(f({ transport: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 2 }), MODELS)?.name).toBe('Honeywell (HID POS)');
    // the same scanner's keyboard interface is not the HID POS one
    expect(matchModel(f({ transport: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, usage: 6 }), MODELS)).toBeUndefined();
    expect(matchModel(f({ transport: 'serial', path: '/dev/ttyUSB7' }), MODELS)?.name).toBe('COM reader');
    expect(matchModel(f({ transport: 'hid', vendorId: 1, productId: 2 }), MODELS)).toBeUndefined();
    expect(deviceId({ transport: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, path: '/dev/hidraw3' })).toBe('hid:0c2e:0b61:8c');
  });
});

/** A bus whose devices come and go, each backed by a simulator. */
class FakeBus implements DeviceBackend {
  devices: Array<{ found: FoundDevice; open: () => Promise<import('../transport/types').ByteTransport>; plugged: () => boolean }> = [];
  enumerations = 0;
  constructor(readonly transport: 'usb' | 'hid' | 'serial') {}
  async enumerate() {
    this.enumerations++;
    return this.devices.filter((d) => d.plugged()).map((d) => d.found);
  }
  async open(found: FoundDevice) {
    const d = this.devices.find((x) => x.found === found || deviceId(x.found) === deviceId(found));
    if (!d || !d.plugged()) throw new IdCardError('unplugged', 'gone');
    return d.open();
  }
}

describe('DeviceManager', () => {
  it('finds recognised devices, starts their drivers, follows unplug/replug, lists statuses', async () => {
    const clock = new ManualClock();
    const reader = new IdReaderSimulator({ clock, heldCard: 'no_card' });
    const scanner = new ScannerSimulator({ clock });
    const usb = new FakeBus('usb');
    const hid = new FakeBus('hid');
    usb.devices.push(
      { found: { transport: 'usb', vendorId: 0x0400, productId: 0xc35a, location: '1-2' }, open: reader.open, plugged: () => reader.isPlugged },
      { found: { transport: 'usb', vendorId: 0x046d, productId: 0xc077, product: 'a mouse' }, open: reader.open, plugged: () => true },
    );
    hid.devices.push({ found: { transport: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 2, path: '/dev/hidraw1' }, open: scanner.open, plugged: () => true });
    const sink = new RecordingSink();
    const manager = new DeviceManager({ models: MODELS, sink, backends: [usb, hid], clock, pollMs: 3000 });

    const listed = await manager.scan();
    expect(listed.map((d) => [d.id, d.model?.name ?? null])).toEqual([
      ['usb:0400:c35a', 'CVR-100U'],
      ['usb:046d:c077', null],
      ['hid:0c2e:0b61:8c', 'Honeywell (HID POS)'],
    ]);

    manager.start();
    await clock.advance(50);
    expect(manager.list().map((s) => [s.deviceId, s.kind, s.model, s.transport, s.state])).toEqual([
      ['usb:0400:c35a', 'id_reader', 'CVR-100U', 'usb', 'connected'],
      ['hid:0c2e:0b61:8c', 'scanner', 'Honeywell (HID POS)', 'hid', 'connected'],
    ]);
    reader.tapCard(FIXTURES.father);
    scanner.scan('ZY2025030101');
    await clock.advance(500);
    expect(sink.events.filter((e) => e.event !== 'deviceStatus').map((e) => e.event)).toEqual(['barcodeScanned', 'idCardRead']);

    reader.unplug();
    await clock.advance(2500);
    expect(manager.list()[0]).toMatchObject({ state: 'disconnected', detail: 'reader not connected' });
    reader.replug();
    await clock.advance(2500);
    expect(manager.list()[0]).toMatchObject({ state: 'connected' });
    // enumeration stays gentle: the manager polls every 3 s, a disconnected driver re-enumerates every 2 s
    expect(usb.enumerations).toBeLessThan(10);
    await manager.stop();
    expect(clock.pending).toBe(0);
  });

  it('the real backends load lazily and enumerate without throwing where no bus exists', async () => {
    const backends = defaultBackends();
    for (const b of backends) {
      const found = await b.enumerate();
      expect(Array.isArray(found)).toBe(true);
      const problem = b.problem?.() ?? null;
      if (problem) console.log(`[manager.test] ${b.transport}: ${problem}`);
    }
  });
});
