/**
 * A PRODUCTION desk in browser mode with serial devices (devices area; used by serial-reader.test.ts and
 * bench/devices.bench.ts): the city simulator on loopback as its city API (not training mode), `devices.models`
 * naming a serial ID reader and a serial (USB-CDC) scanner, each at the desk's end of a socat pty pair, and the
 * reader and scanner emulators in separate processes on the other ends. The staff account a production desk
 * needs is created through the desk's store (first-account set-up is not what is under test here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCitySimulator, type CitySimulator } from '../../city-api/index';
import { DEFAULT_BARCODE_PATTERNS } from '../../domain/devices';
import { startBrowserMode, type BrowserMode } from '../../electron/browser-mode/index';
import { startPtyPair, startReaderEmulator, startScannerEmulator, type Emulator, type PtyPair } from '../devices/pty';

export const SERIAL_CLERK = { staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' } as const;
/** A hospital's own wristband format, configured: the serial scanner and the keyboard wedge both classify by it. */
export const WRISTBAND_PATTERN = { kind: 'wristband', pattern: '^WB\\d{6}$' } as const;
export const READER_MODEL = 'Serial ID reader (test pty)';

export interface SerialDesk {
  dir: string;
  city: CitySimulator;
  mode: BrowserMode;
  readerPty: PtyPair;
  scannerPty: PtyPair;
  reader: Emulator;
  scanner: Emulator;
  /** Pull the reader's "cable" (kill socat) / plug a new pty in at the same path. */
  unplugReader(): Promise<void>;
  replugReader(): Promise<void>;
  close(): Promise<void>;
}

export async function startSerialDesk(name: string): Promise<SerialDesk> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `desk-serial-${name}-`));
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const city = await startCitySimulator({ port: 0, host: '127.0.0.1', dataFile: path.join(dir, 'city.db'), credentials: 'any' });
    cleanup.push(() => city.close());
    let readerPty = await startPtyPair(path.join(dir, 'pty'), 'reader');
    const scannerPty = await startPtyPair(path.join(dir, 'pty'), 'scanner');
    cleanup.push(() => readerPty.stop(), () => scannerPty.stop());
    const reader = await startReaderEmulator({ path: readerPty.device });
    const scanner = await startScannerEmulator({ path: scannerPty.device });
    cleanup.push(() => reader.stop(), () => scanner.stop());

    const dataDir = path.join(dir, 'desk');
    const configFile = path.join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        hospitalCode: 'WZ01',
        deskId: `e2e-${name}`,
        idleLockMinutes: 30,
        cityApi: { url: city.url, clientSecret: 'serial-desk-secret' },
        devices: {
          models: [
            { name: READER_MODEL, kind: 'id_reader', transport: 'serial', path: readerPty.desk, baudRate: 115200 },
            { name: 'Serial scanner (test pty)', kind: 'scanner', transport: 'serial', path: scannerPty.desk, baudRate: 9600 },
          ],
          barcodePatterns: [WRISTBAND_PATTERN, ...DEFAULT_BARCODE_PATTERNS],
        },
      }),
    );
    const mode = await startBrowserMode({ dataDir, configFile, env: {} });
    cleanup.push(() => mode.close());
    if (mode.desk.info.training) throw new Error('the serial desk came up in training mode');
    await mode.desk.desk.store.staff.create({ ...SERIAL_CLERK }, { actor: 'system' });

    const desk: SerialDesk = {
      dir,
      city,
      mode,
      get readerPty() {
        return readerPty;
      },
      scannerPty,
      reader,
      scanner,
      unplugReader: () => readerPty.stop(),
      async replugReader() {
        readerPty = await startPtyPair(path.join(dir, 'pty'), 'reader');
      },
      async close() {
        for (const c of cleanup.reverse()) await c().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return desk;
  } catch (e) {
    for (const c of cleanup.reverse()) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
