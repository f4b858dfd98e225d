import { afterEach, describe, expect, it } from 'vitest';
import { DeviceStatusSchema, IdCardReadSchema } from '../../domain/devices';
import { ManualClock } from '../clock';
import { RecordingSink, type RecordedEvent } from '../events';
import { IdReaderSimulator, SERVED_KEPT } from '../sim/idreader';
import { FIXTURES } from '../sim/fixtures';
import { IdReaderDriver, MIN_POLL_MS } from './driver';

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const SAM = 'reader ready, SAM 05.01-20250301-3300000001-1234567890';

/** The exact event a read of `fixture` by reader-1 must produce. */
export function expectedRead(name: keyof typeof FIXTURES, readerId = 'reader-1') {
  const parents = {
    mother: {
      name: '林晓燕', sex: '2', docType: 'resident_id', docNumber: FIXTURES.mother.idNumber, nationality: 'CHN', ethnicity: '01',
      birthDate: '1993-04-15', address: '浙江省温州市鹿城区五马街道解放街128号', issuingAuthority: '温州市公安局鹿城分局',
      validFrom: '2015-06-10', validTo: '2035-06-10',
    },
    father: {
      name: '陈志强', sex: '1', docType: 'resident_id', docNumber: FIXTURES.father.idNumber, nationality: 'CHN', ethnicity: '01',
      birthDate: '1990-08-22', address: '浙江省温州市瓯海区娄桥街道古岸头村三组45号', issuingAuthority: '温州市公安局瓯海分局',
      validFrom: '2012-03-01', validTo: '2032-03-01',
    },
    hkMother: {
      name: '黄嘉欣', sex: '2', docType: 'hmt_permit', docNumber: '810000199207080020', nationality: 'CHN',
      birthDate: '1992-07-08', address: '香港特别行政区', issuingAuthority: '温州市公安局', validFrom: '2021-03-15', validTo: '2026-03-14',
    },
    foreignMother: {
      name: '安娜', sex: '2', docType: 'foreign_permanent', docNumber: '961633199003120223', nationality: 'POL',
      birthDate: '1990-03-12', validFrom: '2024-01-05', validTo: '2034-01-04',
    },
    foreignFather: {
      name: '史密斯', sex: '1', docType: 'foreign_permanent', docNumber: 'USA330388010110', nationality: 'USA',
      birthDate: '1988-01-01', validFrom: '2019-07-08', validTo: '2029-07-07',
    },
    olderFather: {
      name: '郑建国', sex: '1', docType: 'resident_id', docNumber: FIXTURES.olderFather.idNumber, nationality: 'CHN', ethnicity: '01',
      birthDate: '1978-09-10', address: '浙江省温州市乐清市柳市镇长虹路88号', issuingAuthority: '乐清市公安局', validFrom: '2024-09-11', validTo: 'permanent',
    },
  } as const;
  const p = parents[name as keyof typeof parents];
  const cardType = { resident_id: 'resident', hmt_permit: 'hmt', foreign_permanent: name === 'foreignFather' ? 'foreign_2017' : 'foreign_2023' }[p.docType];
  return {
    event: 'idCardRead',
    payload: {
      readerId,
      at: ISO,
      parent: { ...p, chip: { cardType, readAt: ISO, readerId, verifiedFields: expect.arrayContaining(Object.keys(p)), photoPresent: true } },
    },
  };
}

/** A status event of reader-1; `reason` is checked when given, absent otherwise (lastError is not compared here). */
export function status(state: string, detail: string, reason?: string) {
  const payload = { deviceId: 'reader-1', kind: 'id_reader', model: 'CVR-100U', transport: 'simulated', state, detail, at: ISO };
  return { event: 'deviceStatus', payload: reason ? expect.objectContaining({ ...payload, reason }) : expect.objectContaining(payload) };
}
const READING = status('reading', 'reading the card');
const CARD_READ = status('connected', 'card read');
const READY = status('connected', 'reader ready');
const read = (name: keyof typeof FIXTURES) => [READING, CARD_READ, expectedRead(name)];

function setup(heldCard: 'found' | 'no_card') {
  const clock = new ManualClock();
  const sim = new IdReaderSimulator({ clock, heldCard });
  const sink = new RecordingSink();
  const driver = new IdReaderDriver({ open: sim.open, sink, clock, deviceId: 'reader-1', model: 'CVR-100U', transport: 'simulated' });
  let seen = 0;
  const take = (): RecordedEvent[] => {
    const out = sink.events.slice(seen);
    seen = sink.events.length;
    return out;
  };
  /** Tap a card, let `ms` pass, and return the events meanwhile. */
  const tap = async (name: keyof typeof FIXTURES, ms = 1000): Promise<RecordedEvent[]> => {
    sim.tapCard(FIXTURES[name]);
    await clock.advance(ms);
    return take();
  };
  return { clock, sim, sink, driver, take, tap };
}

/** A driver started and connected (its first status taken), stopped after the test. */
async function started(heldCard: 'found' | 'no_card') {
  const rig = setup(heldCard);
  stopAll.push(() => rig.driver.stop());
  rig.driver.start();
  await rig.clock.advance(100);
  rig.take();
  return rig;
}

let stopAll: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stopAll) await s();
  stopAll = [];
});

describe('IdReaderDriver over the simulated reader', () => {
  it.each(['found', 'no_card'] as const)('plug, read once, same card held, second card, lift and retap, bad checksum, unplug mid-frame, replug (held card answers %s)', async (heldCard) => {
    const { clock, sim, sink, driver, take, tap } = setup(heldCard);
    stopAll.push(() => driver.stop());
    sim.unplug();
    driver.start();
    await clock.advance(10);
    expect(take()).toEqual([status('disconnected', 'reader not connected', 'not_found')]);
    await clock.advance(5000);
    expect(take()).toEqual([]); // retrying quietly

    // plug
    sim.replug();
    await clock.advance(1000);
    expect(take()).toEqual([status('connected', SAM)]);

    // read: reading, ready again, the card
    expect(await tap('mother')).toEqual(read('mother'));

    // the same card left on the reader: read once, nothing more
    await clock.advance(10_000);
    expect(take()).toEqual([]);
    expect(sim.served.filter((c) => c.command === 'readTextPhoto')).toHaveLength(1);

    // a second card
    expect(await tap('father')).toEqual(read('father'));

    // the same card lifted and tapped again: read again
    sim.removeCard();
    await clock.advance(1000);
    expect(take()).toEqual([]);
    expect(await tap('father')).toEqual(read('father'));

    // bad checksum on the read: an error saying why, no card, and no retry while the card stays
    sim.injectFault({ kind: 'bad_checksum' });
    const checksumError = status('error', expect.stringMatching(/^bad_checksum: checksum 0x[0-9A-F]{2} does not match the computed 0x[0-9A-F]{2}$/) as unknown as string, 'card_unreadable');
    const afterFault = await tap('hkMother', 3000);
    if (heldCard === 'found') {
      expect(afterFault).toEqual([READING, checksumError]);
      expect(await tap('hkMother')).toEqual([READY, ...read('hkMother')]); // lift and tap: the field empty once, then the read
    } else {
      // this reader counts the card as read (the frame broke on the wire) and answers "no card": ready again
      expect(afterFault).toEqual([READING, checksumError, READY]);
      expect(await tap('hkMother')).toEqual(read('hkMother'));
    }
    expect(sink.events.filter((e) => e.event === 'idCardRead').map((e) => e.event === 'idCardRead' && e.payload.parent.name)).toEqual(['林晓燕', '陈志强', '陈志强', '黄嘉欣']);

    // unplug in the middle of the read response
    sim.injectFault({ kind: 'unplug_mid_frame' });
    expect(await tap('foreignMother')).toEqual([READING, status('disconnected', 'reader unplugged or not answering on its port', 'unplugged')]);
    expect(sim.served.at(-1)).toMatchObject({ command: 'readTextPhoto', fault: 'unplug_mid_frame' });
    await clock.advance(5000);
    expect(take()).toEqual([status('disconnected', 'reader not connected', 'not_found')]);

    // replug: the card is still on the reader, which forgot it read it
    sim.replug();
    await clock.advance(1500);
    expect(take()).toEqual([status('connected', SAM), ...read('foreignMother')]);

    sim.removeCard();
    await clock.advance(2000);
    expect(take()).toEqual([]);

    // every event fits the domain schemas the KioskApi pushes unchanged; the last error is kept after recovery
    for (const e of sink.events) {
      if (e.event === 'idCardRead') expect(IdCardReadSchema.safeParse(e.payload).success).toBe(true);
      else expect(DeviceStatusSchema.safeParse(e.payload).success).toBe(true);
    }
    expect(driver.deviceStatus).toMatchObject({ state: 'connected', lastError: { reason: 'unplugged', detail: 'reader unplugged or not answering on its port', at: ISO } });
    // never faster than every 300 ms
    const finds = sim.served.filter((s) => s.command === 'findCard').map((s) => s.at);
    expect(finds.length).toBeGreaterThan(20);
    for (let i = 1; i < finds.length; i++) expect(finds[i]! - finds[i - 1]!).toBeGreaterThanOrEqual(300);

    await driver.stop();
    expect(clock.pending).toBe(0);
  });

  it('a card that moves away between find and read: error no_card, retried on the next tap', async () => {
    const { sim, tap } = await started('found');
    sim.injectFault({ kind: 'status', sw3: 0x81 }, 'selectCard');
    expect(await tap('mother', 2000)).toEqual([READING, status('error', 'no_card: select card: the card moved away before it was read', 'no_card')]);
    expect(sim.served.filter((c) => c.command === 'readTextPhoto')).toHaveLength(0);
    expect(await tap('mother')).toEqual([READY, ...read('mother')]);
  });

  it('a reader that does not answer the read in time: error reader_busy, retried on the next tap', async () => {
    const { sim, tap } = await started('found');
    sim.injectFault({ kind: 'silence' });
    expect(await tap('father', 5000)).toEqual([READING, status('error', 'timeout: readTextPhoto: no answer within 3000 ms', 'reader_busy')]);
    expect(await tap('father')).toEqual([READY, ...read('father')]);
  });

  it('reports silence and a truncated frame as timeouts, then recovers', async () => {
    const { clock, sim, driver, take, tap } = setup('found');
    stopAll.push(() => driver.stop());
    driver.start();
    await clock.advance(100);
    expect(take()).toEqual([status('connected', SAM)]);
    sim.injectFault({ kind: 'silence' }, 'findCard');
    await clock.advance(1500);
    // the poll after a timeout starts at once (the 300 ms since the last start are long gone)
    expect(take()).toEqual([status('error', 'timeout: findCard: no answer within 1000 ms', 'reader_busy'), READY]);
    sim.injectFault({ kind: 'truncated' });
    expect(await tap('foreignFather', 4000)).toEqual([READING, status('error', expect.stringMatching(/^timeout: readTextPhoto: frame incomplete after 3000 ms \(\d+ bytes\)$/) as unknown as string, 'reader_busy')]);
    expect(await tap('foreignFather')).toEqual([READY, ...read('foreignFather')]);
  });

  it('reports an error status from the reader (the card unreadable), and reads the card on the next tap', async () => {
    const { clock, sim, take, tap } = await started('no_card');
    sim.injectFault({ kind: 'status', sw3: 0x41 });
    expect(await tap('olderFather', 400)).toEqual([READING, status('error', 'bad_status: read card: reader answered 0x41 read failed', 'card_unreadable')]);
    await clock.advance(3000);
    expect(take()).toEqual([]); // the card still on the reader: the error stays, no retry
    expect(await tap('olderFather')).toEqual([READY, ...read('olderFather')]);
  });

  it('hands the photo bytes to onCard without putting them in the event', async () => {
    const clock = new ManualClock();
    const sim = new IdReaderSimulator({ clock });
    const sink = new RecordingSink();
    const photos: Uint8Array[] = [];
    const driver = new IdReaderDriver({ open: sim.open, sink, clock, deviceId: 'r', model: 'm', transport: 'simulated', readSamId: false, onCard: (c) => photos.push(c.photo) });
    stopAll.push(() => driver.stop());
    driver.start();
    sim.tapCard(FIXTURES.sheMother);
    await clock.advance(400);
    expect(photos).toHaveLength(1);
    expect(photos[0]).toHaveLength(1024);
    expect(JSON.stringify(sink.events)).not.toContain('photo"');
    expect(sink.events.map((e) => e.event)).toEqual(['deviceStatus', 'deviceStatus', 'deviceStatus', 'idCardRead']);
  });

  it('the simulated reader keeps only its last SERVED_KEPT answers (a training desk polls all day)', async () => {
    const { clock, sim } = await started('found');
    await clock.advance(MIN_POLL_MS * (SERVED_KEPT + 200));
    expect(sim.served.length).toBe(SERVED_KEPT);
    expect(sim.served.at(-1)!.at).toBeGreaterThan(clock.now() - 2 * MIN_POLL_MS); // the newest are the ones kept
  });
});
