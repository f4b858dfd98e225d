/**
 * For hospital IT: list the USB, serial and HID devices this desk sees and mark the ones Newborn Desk recognises
 * (configured models, matched by VID/PID, HID usage page or serial path).
 *
 *   npm run devices                          # built-in models
 *   npm run devices -- --config desk.json    # the models of a desk config file (devices.models)
 *   npm run devices -- --probe               # also start the desk's device manager for a few seconds: each recognised
 *                                            # device's state as the desk (and its Diagnostics screen) sees it
 *   npm run devices -- --json
 *
 * The list is the device manager's own (`inventory()`), the one Diagnostics shows: the two always agree.
 */
import { readFileSync } from 'node:fs';
import { DEVICE_REASON_TEXT, DeviceModelSchema, type DeviceModel } from '../domain/devices';
import { createDeviceManager } from '../hardware/devices/create';
import type { DeviceEntry } from '../hardware/devices/manager';
import { RecordingSink } from '../hardware/events';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** The config's `devices.models` (the built-in models are always added, as on the desk). */
function loadModels(): DeviceModel[] {
  const file = value('--config');
  if (!file) return [];
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { devices?: { models?: unknown } };
  const models = raw.devices?.models;
  if (models === undefined) return [];
  const parsed = DeviceModelSchema.array().safeParse(models);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`${file}: devices.models.${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}

const hex = (n: number | undefined) => (n === undefined ? '    ' : n.toString(16).padStart(4, '0'));

function state(d: DeviceEntry): string {
  const st = d.status;
  if (!st) return '';
  const why = st.reason ? ` (${DEVICE_REASON_TEXT[st.reason].en})` : '';
  return `  [${st.state}${why}${st.detail ? `: ${st.detail}` : ''}]`;
}

function line(d: DeviceEntry): string {
  const ids = `${hex(d.vendorId)}:${hex(d.productId)}`;
  const usage = d.usagePage !== undefined ? ` usage ${d.usagePage.toString(16)}/${(d.usage ?? 0).toString(16)}` : '';
  const where = d.path ?? d.location ?? '';
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ');
  const mark = d.model ? `  ✔ ${d.model.name} (${d.model.kind === 'id_reader' ? 'ID card reader' : 'scanner'})` : '';
  return `  ${d.model ? '*' : ' '} ${d.transport.padEnd(6)} ${ids}${usage}  ${where}  ${name}${mark}${d.present ? '' : '  (gone)'}${state(d)}`;
}

const models = loadModels();
const devices = createDeviceManager({ sink: new RecordingSink(undefined, { keep: false }), models });

/** --probe: run the manager until every recognised device reported a state past its first (or 5 s passed). */
async function probe(): Promise<void> {
  devices.start();
  const end = Date.now() + 5000;
  for (;;) {
    const known = (await devices.inventory()).filter((d) => d.model);
    const settled = known.every((d) => d.status && d.status.state !== 'reading');
    if ((settled && Date.now() > end - 3500) || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (flag('--probe')) await probe();
const list = await devices.inventory();
await devices.stop();

if (flag('--json')) {
  console.log(JSON.stringify({ devices: list, problems: devices.problems() }, null, 2));
} else {
  console.log(`Newborn Desk — devices (${devices.models.length} models: built-in and configured; * = recognised)\n`);
  for (const bus of ['usb', 'serial', 'hid'] as const) {
    const onBus = list.filter((d) => d.transport === bus);
    console.log(`${bus.toUpperCase()} (${onBus.length})`);
    for (const d of onBus) console.log(line(d));
    if (onBus.length === 0) console.log('    (none)');
  }
  for (const p of devices.problems()) console.log(`\n! ${p}`);
  const known = list.filter((d) => d.model);
  console.log(`\n${known.length} recognised device(s).`);
  if (known.length === 0) {
    console.log('No configured reader or scanner found. Check the cable, then `lsusb`; on Linux also the udev rule (build/linux/70-newborn-desk.rules).');
    console.log('Keyboard-mode scanners are not listed here: they type into the window like a keyboard.');
  }
}
