/**
 * The three native packages, loaded lazily (dynamic import) and at most once: a desk whose platform lacks one
 * of them (a wrong-platform prebuild, a stripped bundle) still starts, and says which one is missing.
 */
export type UsbModule = typeof import('usb');
export type SerialModule = typeof import('serialport');
export type HidModule = typeof import('node-hid');

export type Loaded<T> = { ok: true; module: T } | { ok: false; error: string };

const cache = new Map<string, Promise<Loaded<unknown>>>();

function load<T>(name: string, importer: () => Promise<T>): Promise<Loaded<T>> {
  let p = cache.get(name);
  if (!p) {
    p = importer().then(
      (module) => ({ ok: true as const, module }),
      (e: unknown) => ({ ok: false as const, error: `${name} could not be loaded: ${e instanceof Error ? e.message : String(e)}` }),
    );
    cache.set(name, p);
  }
  return p as Promise<Loaded<T>>;
}

export const loadUsb = (): Promise<Loaded<UsbModule>> => load('usb', () => import('usb'));
export const loadSerial = (): Promise<Loaded<SerialModule>> => load('serialport', () => import('serialport'));
export const loadHid = (): Promise<Loaded<HidModule>> => load('node-hid', () => import('node-hid'));
