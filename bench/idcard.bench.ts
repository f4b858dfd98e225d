/**
 * ID card decode latency: from the moment the last input chunk of the read response reaches the driver (the
 * 21st 64-byte chunk of 1295 bytes) to the `idCardRead` event leaving it — frame reassembly, checksum, text
 * block decode, Parent mapping and schema check. The simulator drives the real driver over the real bytes; the
 * clock is manual so the 300 ms poll period costs no wall time. Also: the HID POS scan path (last report →
 * `barcodeScanned`). Goal: p99 ≤ 1 ms.
 *
 *   npx tsx bench/idcard.bench.ts [iterations]
 */
import { ManualClock } from '../hardware/clock';
import type { HardwareSink } from '../hardware/events';
import { IdReaderDriver } from '../hardware/idcard/driver';
import { ScannerDriver } from '../hardware/scanner/driver';
import { FIXTURES } from '../hardware/sim/fixtures';
import { IdReaderSimulator } from '../hardware/sim/idreader';
import { ScannerSimulator } from '../hardware/sim/scanner';
import type { ByteTransport } from '../hardware/transport/types';
import { percentile, recordResults } from './results';

const N = Number(process.argv[2] ?? 3000);
const WARMUP = 200;

/** Wrap a transport so the time each chunk arrives is known. */
function timed(t: ByteTransport, onChunk: () => void): ByteTransport {
  return {
    kind: t.kind,
    id: t.id,
    get closed() {
      return t.closed;
    },
    write: (d) => t.write(d),
    onData: (l) =>
      t.onData((c) => {
        onChunk();
        l(c);
      }),
    onClose: (l) => t.onClose(l),
    close: () => t.close(),
  };
}

/**
 * Latencies from the last chunk a device delivered to each `event` leaving the driver: a sink that times them,
 * and the opener that wraps the simulator's transport to see its chunks arrive.
 */
function probe(event: 'idCardRead' | 'barcodeScanned', sim: { open(): Promise<ByteTransport> }) {
  let lastChunkAt = 0;
  const latencies: number[] = [];
  const sink: HardwareSink = {
    emit: (e: string) => {
      if (e === event) latencies.push(performance.now() - lastChunkAt);
    },
  };
  const open = async () => timed(await sim.open(), () => (lastChunkAt = performance.now()));
  return { latencies, driver: { open, sink, model: 'bench', transport: 'simulated' as const } };
}

async function readerLatencies(): Promise<number[]> {
  const clock = new ManualClock();
  const sim = new IdReaderSimulator({ clock, heldCard: 'no_card' });
  const { latencies, driver: options } = probe('idCardRead', sim);
  const driver = new IdReaderDriver({ ...options, clock, deviceId: 'bench-reader', readSamId: false });
  driver.start();
  const cards = Object.values(FIXTURES);
  for (let i = 0; latencies.length < N + WARMUP; i++) {
    sim.tapCard(cards[i % cards.length]!); // a different card each time: lift, tap
    await clock.advance(700);
    if (i > (N + WARMUP) * 3) throw new Error('reader bench is not producing reads');
  }
  await driver.stop();
  return latencies.slice(WARMUP);
}

async function scannerLatencies(): Promise<number[]> {
  const clock = new ManualClock();
  const sim = new ScannerSimulator({ clock, mode: 'hidpos' });
  const { latencies, driver: options } = probe('barcodeScanned', sim);
  const driver = new ScannerDriver({ ...options, clock, deviceId: 'bench-scanner', mode: 'hidpos' });
  driver.start();
  await clock.advance(1);
  for (let i = 0; i < N + WARMUP; i++) {
    sim.scan(i % 2 ? `ZY2025${String(i).padStart(4, '0')}` : `X32010${String(i).padStart(4, '0')}`);
    await clock.advance(1);
  }
  await driver.stop();
  return latencies.slice(WARMUP);
}

const fmt = (x: number) => x.toFixed(3);
const reader = await readerLatencies();
const scanner = await scannerLatencies();
const figures = {
  idcard_decode_p50_ms: percentile(reader, 50),
  idcard_decode_p99_ms: percentile(reader, 99),
  scanner_decode_p99_ms: percentile(scanner, 99),
};
console.log(`ID card read, last 64-byte chunk → idCardRead (${reader.length} reads): p50 ${fmt(figures.idcard_decode_p50_ms)} ms, p99 ${fmt(figures.idcard_decode_p99_ms)} ms, max ${fmt(Math.max(...reader))} ms (goal p99 ≤ 1 ms: ${figures.idcard_decode_p99_ms <= 1 ? 'met' : 'NOT met'})`);
console.log(`HID POS scan, last report → barcodeScanned (${scanner.length} scans): p50 ${fmt(percentile(scanner, 50))} ms, p99 ${fmt(figures.scanner_decode_p99_ms)} ms`);
recordResults(figures);
