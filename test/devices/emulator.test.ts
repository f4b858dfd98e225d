/**
 * The device manager (the desk's factory, real serial backend) against emulators in separate processes over
 * socat pseudo-terminals: the reader answering in GA/T 467 bytes, a serial (USB-CDC) scanner sending lines.
 * Real time, real ptys, real `serialport`; "unplugging" is killing socat.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../domain/devices';
import { createDeviceManager, type DeskDevices } from '../../hardware/devices/create';
import { RecordingSink, type RecordedEvent } from '../../hardware/events';
import { FIXTURES } from '../../hardware/sim/fixtures';
import { hasSocat, startPtyPair, startReaderEmulator, startScannerEmulator, until, type Emulator, type PtyPair } from './pty';

if (!hasSocat) console.log('[emulator.test] SKIPPED: socat is not installed (apt-get install socat): no pseudo-terminal pair to run the emulators on');

const dir = mkdtempSync(path.join(tmpdir(), 'nd-emu-'));
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('DeviceManager against emulators on socat ptys', () => {
  it.skipIf(!hasSocat)('reads a tapped card once, follows the pty going and coming back, reports a bad frame, classifies a serial scan', { timeout: 60_000 }, async () => {
    let readerPty: PtyPair = await startPtyPair(dir, 'reader');
    const scannerPty = await startPtyPair(dir, 'scanner');
    cleanup.push(() => readerPty.stop(), () => scannerPty.stop());
    const reader: Emulator = await startReaderEmulator({ path: readerPty.device });
    const scanner: Emulator = await startScannerEmulator({ path: scannerPty.device });
    cleanup.push(() => reader.stop(), () => scanner.stop());

    const models: DeviceModel[] = [
      { name: 'Serial ID reader', kind: 'id_reader', transport: 'serial', path: readerPty.desk },
      { name: 'Serial scanner', kind: 'scanner', transport: 'serial', path: scannerPty.desk, baudRate: 9600 },
    ];
    const sink = new RecordingSink();
    const devices: DeskDevices = createDeviceManager({
      sink,
      models,
      patterns: [{ kind: 'wristband', pattern: '^WB\\d{6}$' }],
      pollMs: 500,
      reconnectMs: 300,
    });
    cleanup.push(() => devices.stop());
    const readerId = `serial:${readerPty.desk}`;
    let seen = 0;
    const take = (): RecordedEvent[] => sink.events.slice(seen, (seen = sink.events.length));
    const readerStates = (es: RecordedEvent[]) => es.flatMap((e) => (e.event === 'deviceStatus' && e.payload.deviceId === readerId ? [e.payload.state + (e.payload.reason ? ` ${e.payload.reason}` : '')] : []));
    const reads = (es: RecordedEvent[]) => es.filter((e) => e.event === 'idCardRead');
    const waitForEvent = (test: (e: RecordedEvent) => boolean, what: string) => until(() => sink.events.slice(seen).some(test), 10_000, what);
    const readerState = (state: string) => (e: RecordedEvent) => e.event === 'deviceStatus' && e.payload.deviceId === readerId && e.payload.state === state;

    devices.start();
    await waitForEvent(readerState('connected'), 'reader connected');
    expect(devices.list().find((s) => s.deviceId === readerId)).toMatchObject({ kind: 'id_reader', model: 'Serial ID reader', transport: 'serial', state: 'connected', address: readerPty.desk });
    take();

    // a tap: one idCardRead with the card's fields, verified from the chip
    const from = reader.lines.length;
    reader.send('tap mother');
    await waitForEvent((e) => e.event === 'idCardRead', 'the card');
    const sent = await reader.next((l) => l.event === 'sent' && l.command === 'readTextPhoto', 5000, from);
    expect(sent.bytes).toBe(1295);
    const [read] = reads(take());
    expect(read).toMatchObject({
      event: 'idCardRead',
      payload: { readerId, parent: { name: '林晓燕', docNumber: FIXTURES.mother.idNumber, birthDate: '1993-04-15', chip: { cardType: 'resident', readerId, photoPresent: true, verifiedFields: expect.arrayContaining(['name', 'docNumber']) } } },
    });

    // left on the reader: not read again
    await new Promise((r) => setTimeout(r, 1500));
    expect(reads(take())).toEqual([]);
    expect(reader.lines.slice(from).filter((l) => l.event === 'sent' && l.command === 'readTextPhoto')).toHaveLength(1);

    // the pty closes: disconnected; a new pty at the same path: connected again, the manager not restarted
    await readerPty.stop();
    await waitForEvent(readerState('disconnected'), 'reader disconnected');
    expect(readerStates(take())[0]).toBe('disconnected unplugged');
    expect((await devices.inventory()).find((d) => d.id === readerId)).toMatchObject({ present: false, status: { state: 'disconnected' } });
    readerPty = await startPtyPair(dir, 'reader');
    await waitForEvent(readerState('connected'), 'reader reconnected');
    // Connected again; the card still lying on the reader may be read once more at once (a replug is a new session).
    expect(readerStates(take()).some((s) => s.startsWith('connected'))).toBe(true);
    const back = (await devices.inventory()).find((d) => d.id === readerId);
    expect(back).toMatchObject({ present: true, model: { name: 'Serial ID reader' } });
    expect(['connected', 'reading']).toContain(back?.status?.state);
    // Let any re-read of that card finish before the next step counts states.
    await until(() => devices.list().find((st) => st.deviceId === readerId)?.state === 'connected', 10_000, 'reader settled');
    await new Promise((r) => setTimeout(r, 300));
    take();

    // a bad checksum: an error state with its reason, and no card event
    reader.send('badframe');
    reader.send('tap father');
    await waitForEvent(readerState('error'), 'reader error');
    await new Promise((r) => setTimeout(r, 1000));
    const afterBad = take();
    expect(readerStates(afterBad)).toEqual(['reading', 'error card_unreadable']);
    expect(reads(afterBad)).toEqual([]);
    expect(devices.list().find((s) => s.deviceId === readerId)).toMatchObject({ state: 'error', reason: 'card_unreadable', detail: expect.stringMatching(/^bad_checksum/) });

    // lifted and tapped again: read
    reader.send('remove');
    await new Promise((r) => setTimeout(r, 700));
    reader.send('tap father');
    await waitForEvent((e) => e.event === 'idCardRead', 'the retapped card');
    expect(reads(take()).map((e) => e.event === 'idCardRead' && e.payload.parent.name)).toEqual(['陈志强']);

    // the serial scanner: its line lands as a barcode event, classified by the configured patterns
    scanner.send('scan WB123456');
    scanner.send('scan 12345');
    await waitForEvent((e) => e.event === 'barcodeScanned' && e.payload.value === '12345', 'two scans');
    expect(take().flatMap((e) => (e.event === 'barcodeScanned' ? [[e.payload.scannerId, e.payload.kind, e.payload.value]] : []))).toEqual([
      [`serial:${scannerPty.desk}`, 'wristband', 'WB123456'],
      [`serial:${scannerPty.desk}`, 'unknown', '12345'],
    ]);
  });
});
