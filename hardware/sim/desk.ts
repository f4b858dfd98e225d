/**
 * The simulated desk for training mode, browser mode and demos: a simulated reader and scanner, each driven by
 * the real driver over the real bytes, emitting the same events a production desk does.
 *
 *   const desk = createSimulatedDesk({ sink: hub }); desk.start();
 *   await desk.tapCard('mother');            // or a CardText, or a Parent typed in the UI
 *   await desk.scan('ZY2025030101');
 *
 * The object also fits core's `DevicePort` (`list()` and `simulator.tapCard / scan`).
 */
import type { BarcodePattern, DeviceStatus } from '../../domain/devices';
import type { Parent } from '../../domain/types';
import { systemClock, type Clock } from '../clock';
import { RecordingSink, type HardwareSink, type RecordedEvent } from '../events';
import { IdReaderDriver } from '../idcard/driver';
import type { CardText } from '../idcard/text';
import { ScannerDriver, type ScannerReportMode } from '../scanner/driver';
import { FIXTURES, parentToCard, type FixtureName } from './fixtures';
import { IdReaderSimulator, defaultPhoto, type SimulatedCard } from './idreader';
import { ScannerSimulator } from './scanner';

export interface SimulatedDeskOptions {
  sink: HardwareSink;
  clock?: Clock;
  patterns?: BarcodePattern[];
  scannerMode?: ScannerReportMode;
  heldCard?: 'found' | 'no_card';
  pollMs?: number;
}

export type CardInput = FixtureName | CardText | SimulatedCard | Omit<Parent, 'chip'>;

export interface SimulatedDesk {
  reader: IdReaderSimulator;
  scanner: ScannerSimulator;
  readerDriver: IdReaderDriver;
  scannerDriver: ScannerDriver;
  start(): void;
  stop(): Promise<void>;
  /** Put a card on the reader; resolves true once the reader emitted `idCardRead` for it (false after `timeoutMs`). */
  tapCard(card: CardInput, timeoutMs?: number): Promise<boolean>;
  removeCard(): void;
  /** Scan a value; resolves true once `barcodeScanned` was emitted for it. */
  scan(value: string, symbology?: string, timeoutMs?: number): Promise<boolean>;
  list(): DeviceStatus[];
  simulator: { tapCard(parent: Omit<Parent, 'chip'>): Promise<boolean>; scan(value: string): Promise<boolean> };
}

export function toSimulatedCard(card: CardInput): SimulatedCard {
  if (typeof card === 'string') return { text: FIXTURES[card], photo: defaultPhoto() };
  if ('text' in card) return card;
  if ('cardType' in card) return { text: card, photo: defaultPhoto() };
  return { text: parentToCard(card), photo: defaultPhoto() };
}

export function createSimulatedDesk(options: SimulatedDeskOptions): SimulatedDesk {
  const clock = options.clock ?? systemClock;
  const sink = new RecordingSink(options.sink);
  const reader = new IdReaderSimulator({ clock, heldCard: options.heldCard ?? 'no_card', id: 'sim-reader' });
  const scanner = new ScannerSimulator({ clock, mode: options.scannerMode ?? 'hidpos', id: 'sim-scanner' });
  const readerDriver = new IdReaderDriver({
    open: reader.open,
    sink,
    clock,
    deviceId: 'sim-reader',
    model: 'Simulated ID reader',
    transport: 'simulated',
    pollMs: options.pollMs ?? 300,
  });
  const scannerDriver = new ScannerDriver({
    open: scanner.open,
    sink,
    clock,
    deviceId: 'sim-scanner',
    model: 'Simulated scanner',
    transport: 'simulated',
    mode: scanner.mode,
    ...(options.patterns ? { patterns: options.patterns } : {}),
  });

  const waitFor = (test: (e: RecordedEvent) => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = clock.setTimeout(() => resolve(false), timeoutMs);
      void sink.next(test).then(() => {
        clock.clearTimeout(timer);
        resolve(true);
      });
    });

  const tapCard = async (card: CardInput, timeoutMs = 3000): Promise<boolean> => {
    let sim: SimulatedCard;
    try {
      sim = toSimulatedCard(card);
    } catch {
      return false;
    }
    const docNumber = sim.text.idNumber;
    const read = waitFor((e) => e.event === 'idCardRead' && e.payload.parent.docNumber === docNumber, timeoutMs);
    try {
      reader.tapCard(sim);
    } catch {
      return false;
    }
    return read;
  };

  const scan = async (value: string, symbology?: string, timeoutMs = 2000): Promise<boolean> => {
    const seen = waitFor((e) => e.event === 'barcodeScanned' && e.payload.value === value, timeoutMs);
    let sent: boolean;
    try {
      sent = scanner.scan(value, symbology);
    } catch {
      sent = false; // a character a keyboard-mode scanner cannot type
    }
    return sent ? seen : false;
  };

  return {
    reader,
    scanner,
    readerDriver,
    scannerDriver,
    start() {
      readerDriver.start();
      scannerDriver.start();
    },
    async stop() {
      await Promise.all([readerDriver.stop(), scannerDriver.stop()]);
    },
    tapCard,
    removeCard: () => reader.removeCard(),
    scan,
    list: () => [readerDriver.deviceStatus, scannerDriver.deviceStatus].filter((s): s is DeviceStatus => s !== null),
    simulator: { tapCard: (parent) => tapCard(parent), scan: (value) => scan(value) },
  };
}
