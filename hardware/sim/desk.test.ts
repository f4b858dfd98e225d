import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { HardwareSink, RecordedEvent } from '../events';
import { createSimulatedDesk } from './desk';
import { FIXTURES } from './fixtures';

describe('createSimulatedDesk (training / browser mode)', () => {
  it('tapCard / removeCard / scan drive the real drivers over the real bytes', async () => {
    const clock = new ManualClock();
    const events: RecordedEvent[] = [];
    const sink: HardwareSink = { emit: (event: string, payload: unknown) => void events.push({ event, payload } as RecordedEvent) };
    const desk = createSimulatedDesk({ sink, clock });
    desk.start();
    await clock.advance(10);
    expect(desk.list().map((s) => [s.deviceId, s.kind, s.state])).toEqual([
      ['sim-reader', 'id_reader', 'connected'],
      ['sim-scanner', 'scanner', 'connected'],
    ]);

    const tapped = desk.tapCard('mother');
    await clock.advance(1000);
    expect(await tapped).toBe(true);
    // the same card again (lifted and tapped): read again
    const again = desk.tapCard('mother');
    await clock.advance(1000);
    expect(await again).toBe(true);
    desk.removeCard();

    // a parent typed in the UI (training): tapped as a card, comes back verified
    const typed = { name: '周小红', sex: '2' as const, docType: 'resident_id' as const, docNumber: FIXTURES.sheMother.idNumber, nationality: 'CHN', ethnicity: '22', birthDate: '1995-11-03' };
    const t3 = desk.simulator.tapCard(typed);
    await clock.advance(1000);
    expect(await t3).toBe(true);
    // a passport has no chip
    expect(await desk.tapCard({ ...typed, docType: 'passport', docNumber: 'E12345678' })).toBe(false);

    const s = desk.scan('ZY2025030101');
    await clock.advance(100);
    expect(await s).toBe(true);

    const reads = events.filter((e) => e.event === 'idCardRead').map((e) => e.event === 'idCardRead' && [e.payload.parent.name, e.payload.parent.chip?.verifiedFields.includes('name')]);
    expect(reads).toEqual([
      ['林晓燕', true],
      ['林晓燕', true],
      ['周小红', true],
    ]);
    expect(events.filter((e) => e.event === 'barcodeScanned').map((e) => e.payload)).toEqual([
      { scannerId: 'sim-scanner', kind: 'wristband', value: 'ZY2025030101', symbology: ']C0', at: expect.any(String) },
    ]);
    await desk.stop();
    expect(clock.pending).toBe(0);
  });
});
