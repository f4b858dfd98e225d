/**
 * Training's reader and scanner as one more backend of the device manager: `enumerate()` lists the simulators
 * that are plugged in, `open()` hands out their byte transports, and the manager drives them with the same
 * drivers, over the same bytes, as a production desk's devices. Beside it, the training helpers: tap a card,
 * scan a code, and wait for the event they produce.
 */
import type { DeviceModel } from '../../domain/devices';
import type { Parent } from '../../domain/types';
import { systemClock, type Clock } from '../clock';
import type { RecordedEvent, RecordingSink } from '../events';
import { IdCardError } from '../idcard/errors';
import type { CardText } from '../idcard/text';
import type { ScannerReportMode } from '../scanner/driver';
import { HID_POS_SCANNER_USAGE, HID_POS_USAGE_PAGE } from '../scanner/hidpos';
import { FIXTURES, parentToCard, type FixtureName } from '../sim/fixtures';
import { IdReaderSimulator, defaultPhoto, type SimulatedCard } from '../sim/idreader';
import { ScannerSimulator } from '../sim/scanner';
import type { DeviceBackend, FoundDevice } from './found';

export const SIM_READER = 'sim-reader';
export const SIM_SCANNER = 'sim-scanner';

/** The models the simulated devices are recognised as (added to the manager's models in training). */
export const SIMULATED_MODELS: DeviceModel[] = [
  { name: 'Simulated ID reader', kind: 'id_reader', transport: 'simulated', path: SIM_READER },
  { name: 'Simulated scanner', kind: 'scanner', transport: 'simulated', path: SIM_SCANNER },
];

export interface SimulatedBackendOptions {
  clock?: Clock;
  /** What the simulated reader answers for a card already read (default `no_card`). */
  heldCard?: 'found' | 'no_card';
  scannerMode?: ScannerReportMode;
}

export interface SimulatedBackend extends DeviceBackend {
  readonly reader: IdReaderSimulator;
  readonly scanner: ScannerSimulator;
}

export function createSimulatedBackend(options: SimulatedBackendOptions = {}): SimulatedBackend {
  const clock = options.clock ?? systemClock;
  const reader = new IdReaderSimulator({ clock, heldCard: options.heldCard ?? 'no_card', id: SIM_READER });
  const scanner = new ScannerSimulator({ clock, mode: options.scannerMode ?? 'hidpos', id: SIM_SCANNER });
  const readerFound: FoundDevice = { transport: 'simulated', path: SIM_READER, product: 'Simulated ID reader' };
  const scannerFound: FoundDevice =
    scanner.mode === 'hidpos'
      ? { transport: 'simulated', path: SIM_SCANNER, product: 'Simulated scanner', usagePage: HID_POS_USAGE_PAGE, usage: HID_POS_SCANNER_USAGE }
      : { transport: 'simulated', path: SIM_SCANNER, product: 'Simulated scanner' };
  return {
    transport: 'simulated',
    reader,
    scanner,
    async enumerate() {
      return [...(reader.isPlugged ? [readerFound] : []), ...(scanner.isPlugged ? [scannerFound] : [])];
    },
    async open(found) {
      if (found.path === SIM_READER) return reader.open();
      if (found.path === SIM_SCANNER) return scanner.open();
      throw new IdCardError('unplugged', `no simulated device ${found.path ?? ''}`);
    },
  };
}

export type CardInput = FixtureName | CardText | SimulatedCard | Omit<Parent, 'chip'>;

export function toSimulatedCard(card: CardInput): SimulatedCard {
  if (typeof card === 'string') return { text: FIXTURES[card], photo: defaultPhoto() };
  if ('text' in card) return card;
  if ('cardType' in card) return { text: card, photo: defaultPhoto() };
  return { text: parentToCard(card), photo: defaultPhoto() };
}

export interface TrainingHelpers {
  reader: IdReaderSimulator;
  scanner: ScannerSimulator;
  /** Put a card on the reader; resolves true once the reader emitted `idCardRead` for it (false after `timeoutMs`). */
  tapCard(card: CardInput, timeoutMs?: number): Promise<boolean>;
  removeCard(): void;
  /** Scan a value; resolves true once `barcodeScanned` was emitted for it. */
  scan(value: string, symbology?: string, timeoutMs?: number): Promise<boolean>;
  /** What core's DevicePort.simulator takes. */
  simulator: { tapCard(parent: Omit<Parent, 'chip'>): Promise<boolean>; scan(value: string): Promise<boolean>; tapSample(name: string): Promise<boolean> };
}

/** The helpers over a simulated backend; `events` is the sink the manager emits into (it serves `next()`). */
export function trainingHelpers(backend: SimulatedBackend, events: RecordingSink, clock: Clock = systemClock): TrainingHelpers {
  const { reader, scanner } = backend;
  const waitFor = (test: (e: RecordedEvent) => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = clock.setTimeout(() => resolve(false), timeoutMs);
      void events.next(test).then(() => {
        clock.clearTimeout(timer);
        resolve(true);
      });
    });

  const tapCard = async (card: CardInput, timeoutMs = 3000): Promise<boolean> => {
    let sim: SimulatedCard;
    try {
      sim = toSimulatedCard(card);
    } catch {
      return false; // a passport has no chip
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

  return { reader, scanner, tapCard, removeCard: () => reader.removeCard(), scan, simulator: {
      tapCard: (parent) => tapCard(parent),
      scan: (value) => scan(value),
      // a sample card by its fixture name (issue 12: the training panel taps any of them); unknown name: false
      tapSample: (name) => (Object.hasOwn(FIXTURES, name) ? tapCard(name as FixtureName) : Promise.resolve(false)),
    },
  };
}
