/**
 * The simulated desk for training mode, browser mode and demos: the device manager (`createDeviceManager`)
 * with training's simulated reader and scanner as its only backend, so every tap and scan goes through the
 * production path (enumeration, model match, the real drivers over the real bytes).
 *
 *   const desk = createSimulatedDesk({ sink: hub }); desk.start();
 *   await desk.tapCard('mother');            // or a CardText, or a Parent typed in the UI
 *   await desk.scan('ZY2025030101');
 *
 * The object also fits core's `DevicePort` (`list()` and `simulator.tapCard / scan`).
 */
import type { BarcodePattern, DeviceStatus } from '../../domain/devices';
import type { Clock } from '../clock';
import type { HardwareSink } from '../events';
import { createDeviceManager } from '../devices/create';
import type { TrainingHelpers } from '../devices/simulated';
import type { ScannerReportMode } from '../scanner/driver';

export { toSimulatedCard, type CardInput } from '../devices/simulated';

export interface SimulatedDeskOptions {
  sink: HardwareSink;
  clock?: Clock;
  patterns?: BarcodePattern[];
  scannerMode?: ScannerReportMode;
  heldCard?: 'found' | 'no_card';
  pollMs?: number;
}

export interface SimulatedDesk extends TrainingHelpers {
  start(): void;
  stop(): Promise<void>;
  list(): DeviceStatus[];
}

export function createSimulatedDesk(options: SimulatedDeskOptions): SimulatedDesk {
  const devices = createDeviceManager({
    sink: options.sink,
    builtInModels: false,
    buses: [],
    training: { heldCard: options.heldCard ?? 'no_card', scannerMode: options.scannerMode ?? 'hidpos' },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.patterns ? { patterns: options.patterns } : {}),
    reader: { pollMs: options.pollMs ?? 300 },
  });
  return { ...devices.training!, start: devices.start, stop: devices.stop, list: devices.list };
}
