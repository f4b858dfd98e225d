import { describe, expect, it } from 'vitest';
import { classifyBarcode } from '../../domain/barcodes';
import { DeviceStatusSchema, KNOWN_DEVICE_MODELS } from '../../domain/devices';
import { ManualClock } from '../clock';
import { RecordingSink } from '../events';
import { LineDecoder } from '../scanner/driver';
import { createDeviceManager } from './create';
import { createSimulatedBackend, SIMULATED_MODELS } from './simulated';

describe('createDeviceManager', () => {
  it('built-in + configured models (each once), plus the simulated ones when training', () => {
    const sink = new RecordingSink();
    const configured = { name: 'COM reader', kind: 'id_reader' as const, transport: 'serial' as const, path: '/dev/ttyUSB3' };
    const plain = createDeviceManager({ sink, models: [...KNOWN_DEVICE_MODELS, configured], buses: [] });
    expect(plain.models).toEqual([...KNOWN_DEVICE_MODELS, configured]);
    expect(plain.simulator).toBeUndefined();
    const training = createDeviceManager({ sink, models: [configured], buses: [], training: true });
    expect(training.models).toEqual([...KNOWN_DEVICE_MODELS, configured, ...SIMULATED_MODELS]);
    expect(typeof training.simulator?.tapCard).toBe('function');
  });

  it('training goes through the manager: the simulated devices are found, driven, unplugged, re-attached; the list agrees', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const devices = createDeviceManager({ sink, buses: [], training: { heldCard: 'found' }, clock, pollMs: 1000, reconnectMs: 500, patterns: [{ kind: 'wristband', pattern: '^ZY' }] });
    devices.start();
    await clock.advance(10);
    expect(devices.list().map((s) => [s.deviceId, s.kind, s.model, s.transport, s.state, s.address])).toEqual([
      ['sim-reader', 'id_reader', 'Simulated ID reader', 'simulated', 'connected', 'sim-reader'],
      ['sim-scanner', 'scanner', 'Simulated scanner', 'simulated', 'connected', 'sim-scanner'],
    ]);
    const t = devices.training!;
    const tapped = t.tapCard('mother');
    const scanned = t.scan('ZY2025030101');
    await clock.advance(1000);
    expect([await tapped, await scanned]).toEqual([true, true]);
    expect(sink.events.flatMap((e) => (e.event === 'barcodeScanned' ? [e.payload.kind] : e.event === 'idCardRead' ? [e.payload.parent.name] : []))).toEqual(['wristband', '林晓燕']);

    // detach: disconnected (the inventory still lists it, gone); re-attach: connected, no restart; the card is read
    t.reader.unplug();
    await clock.advance(1500);
    const gone = await devices.inventory();
    expect(gone.find((d) => d.id === 'sim-reader')).toMatchObject({ present: false, status: { state: 'disconnected', reason: 'not_found' } });
    t.reader.replug();
    await clock.advance(1500);
    expect(devices.list()[0]).toMatchObject({ state: 'connected', lastError: { reason: 'unplugged' } });
    expect((await devices.inventory()).map((d) => [d.id, d.present, d.status?.state])).toEqual([
      ['sim-reader', true, 'connected'],
      ['sim-scanner', true, 'connected'],
    ]);
    expect(sink.events.filter((e) => e.event === 'idCardRead')).toHaveLength(2); // the card still on it, read after the replug
    for (const e of sink.events) if (e.event === 'deviceStatus') expect(DeviceStatusSchema.safeParse(e.payload).success).toBe(true);
    await devices.stop();
    expect(clock.pending).toBe(0);
  });

  it('a device that appears after the start gets its driver at the next enumeration (hot-plug)', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const sim = createSimulatedBackend({ clock });
    sim.scanner.unplug();
    const devices = createDeviceManager({ sink, builtInModels: false, models: SIMULATED_MODELS, buses: [sim], clock, pollMs: 1000 });
    devices.start();
    await clock.advance(10);
    expect(devices.list().map((s) => s.deviceId)).toEqual(['sim-reader']);
    sim.scanner.replug();
    await clock.advance(1100);
    expect(devices.list().map((s) => [s.deviceId, s.state])).toEqual([
      ['sim-reader', 'connected'],
      ['sim-scanner', 'connected'],
    ]);
    await devices.stop();
  });
});

describe('barcodes', () => {
  it('one pure classification for every scanner kind (domain/barcodes.ts), first match wins', () => {
    expect(classifyBarcode('ZY2025030101')).toBe('wristband');
    expect(classifyBarcode('X320101001')).toBe('birth_certificate');
    expect(classifyBarcode('hello')).toBe('unknown');
    expect(classifyBarcode('ZY1', [{ kind: 'vaccine_batch', pattern: '^ZY' }, { kind: 'wristband', pattern: '^ZY' }])).toBe('vaccine_batch');
    expect(() => classifyBarcode('x', [{ kind: 'wristband', pattern: '(' }])).toThrow(/pattern #1 \(wristband\) is not a valid regular expression/);
  });

  it('serial scanners: one value per line, CR, LF or CR LF, split anywhere', () => {
    const d = new LineDecoder();
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(d.push(enc('ZY20250'))).toEqual([]);
    expect(d.push(enc('30101\r'))).toEqual(['ZY2025030101']);
    expect(d.push(enc('\nB12345\nX32'))).toEqual(['B12345']);
    expect(d.push(enc('0101001\r\n'))).toEqual(['X320101001']);
    const zh = enc('批号\n');
    expect([...d.push(zh.subarray(0, 2)), ...d.push(zh.subarray(2))]).toEqual(['批号']); // a character split across chunks
  });
});
