/**
 * The one way a desk gets its devices: `createDeviceManager` builds the device manager from the configuration
 * (the built-in known readers and scanners plus `devices.models`, `devices.barcodePatterns`), on the real buses,
 * plus training's simulated reader and scanner as one more backend when `training` is set. The composition root
 * calls it for every desk and hands the result to the desk as its DevicePort (`list`, `simulator`), `start()`
 * and `stop()` included.
 */
import { KNOWN_DEVICE_MODELS, type BarcodePattern, type DeviceModel, type DeviceStatus } from '../../domain/devices';
import { systemClock, type Clock } from '../clock';
import { RecordingSink, type HardwareSink } from '../events';
import type { DeviceBackend } from './found';
import { DeviceManager, defaultBackends, type DeviceEntry, type DeviceManagerOptions } from './manager';
import { createSimulatedBackend, SIMULATED_MODELS, trainingHelpers, type SimulatedBackendOptions, type TrainingHelpers } from './simulated';

export interface CreateDeviceManagerOptions {
  /** Where the events go (core's EventHub fits). */
  sink: HardwareSink;
  /** The config's `devices.models`, added to the built-in ones (`KNOWN_DEVICE_MODELS`). */
  models?: DeviceModel[];
  /** Leave out the built-in models (default: included). */
  builtInModels?: boolean;
  /** The config's `devices.barcodePatterns` (default: `DEFAULT_BARCODE_PATTERNS`). */
  patterns?: BarcodePattern[];
  /** Training mode or `devices.simulated`: add the simulated reader and scanner (true, or their options). */
  training?: boolean | SimulatedBackendOptions;
  /** The real buses (default: USB, serial, HID); `[]` for a desk with simulated devices only. Tests inject fakes. */
  buses?: DeviceBackend[];
  clock?: Clock;
  /** Enumeration interval (default 3000 ms) and a driver's reopen interval (default 2000 ms). */
  pollMs?: number;
  reconnectMs?: number;
  reader?: DeviceManagerOptions['reader'];
  hidReaderAdapter?: DeviceManagerOptions['hidReaderAdapter'];
}

export interface DeskDevices {
  manager: DeviceManager;
  /** The models in force (built-in + configured + simulated), first match wins. */
  models: DeviceModel[];
  start(): void;
  stop(): Promise<void>;
  /** Every recognised device's status (DevicePort.list, pushed meanwhile as `deviceStatus` events). */
  list(): DeviceStatus[];
  /** The full device list for diagnostics and `npm run devices` (the same function). */
  inventory(): Promise<DeviceEntry[]>;
  problems(): string[];
  /** Training only: tap a card, scan a code (DevicePort.simulator), and the simulators themselves. */
  simulator?: TrainingHelpers['simulator'];
  training?: TrainingHelpers;
}

/** Models in order, each once (the config's defaults repeat the built-in ones). */
function uniqueModels(lists: DeviceModel[][]): DeviceModel[] {
  const seen = new Set<string>();
  return lists.flat().filter((m) => {
    const key = JSON.stringify([m.kind, m.transport, m.vendorId, m.productId, m.usagePage, m.usage, m.path]);
    return !seen.has(key) && (seen.add(key), true);
  });
}

export function createDeviceManager(options: CreateDeviceManagerOptions): DeskDevices {
  const clock = options.clock ?? systemClock;
  const training = options.training ? createSimulatedBackend({ clock, ...(typeof options.training === 'object' ? options.training : {}) }) : null;
  const models = uniqueModels([options.builtInModels === false ? [] : KNOWN_DEVICE_MODELS, options.models ?? [], training ? SIMULATED_MODELS : []]);
  const serialPaths = models.flatMap((m) => (m.transport === 'serial' && m.path ? [m.path] : []));
  const buses = options.buses ?? defaultBackends({ hidReaderAdapter: options.hidReaderAdapter, serialPaths });
  // Forwards every event and lets the training helpers wait for the one a tap or a scan produces; keeps none.
  const events = new RecordingSink(options.sink, { keep: false });
  const manager = new DeviceManager({
    models,
    sink: events,
    backends: training ? [...buses, training] : buses,
    clock,
    ...(options.patterns ? { patterns: options.patterns } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.reconnectMs !== undefined ? { reconnectMs: options.reconnectMs } : {}),
    ...(options.reader ? { reader: options.reader } : {}),
  });
  const helpers = training ? trainingHelpers(training, events, clock) : null;
  return {
    manager,
    models,
    start: () => manager.start(),
    stop: () => manager.stop(),
    list: () => manager.list(),
    inventory: () => manager.inventory(),
    problems: () => manager.problems(),
    ...(helpers ? { simulator: helpers.simulator, training: helpers } : {}),
  };
}
