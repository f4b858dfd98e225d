/**
 * For hospital IT: list the USB, serial and HID devices this desk sees and mark the ones Newborn Desk recognises
 * (configured models, matched by VID/PID, HID usage page or serial path).
 *
 *   npm run devices                          # built-in models
 *   npm run devices -- --config desk.json    # the models of a desk config file (devices.models)
 *   npm run devices -- --probe               # also open each recognised ID reader and ask for its SAM id
 *   npm run devices -- --json
 */
import { readFileSync } from 'node:fs';
import { DeviceModelSchema, type DeviceModel } from '../domain/devices';
import { DEFAULT_DEVICE_MODELS } from '../core/config/schema';
import { RecordingSink } from '../hardware/events';
import { IdReaderDriver } from '../hardware/idcard/driver';
import { DeviceManager, defaultBackends, type ListedDevice } from '../hardware/devices/manager';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function loadModels(): DeviceModel[] {
  const file = value('--config');
  if (!file) return DEFAULT_DEVICE_MODELS;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { devices?: { models?: unknown } };
  const models = raw.devices?.models;
  if (models === undefined) return DEFAULT_DEVICE_MODELS;
  const parsed = DeviceModelSchema.array().safeParse(models);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`${file}: devices.models.${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}

const hex = (n: number | undefined) => (n === undefined ? '    ' : n.toString(16).padStart(4, '0'));

function line(d: ListedDevice): string {
  const ids = `${hex(d.vendorId)}:${hex(d.productId)}`;
  const usage = d.usagePage !== undefined ? ` usage ${d.usagePage.toString(16)}/${(d.usage ?? 0).toString(16)}` : '';
  const where = d.path ?? d.location ?? '';
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ');
  const mark = d.model ? `  ✔ ${d.model.name} (${d.model.kind === 'id_reader' ? 'ID card reader' : 'scanner'})` : '';
  return `  ${d.model ? '*' : ' '} ${d.transport.padEnd(6)} ${ids}${usage}  ${where}  ${name}${mark}`;
}

async function probe(d: ListedDevice): Promise<string> {
  const backend = defaultBackends().find((b) => b.transport === d.transport)!;
  const sink = new RecordingSink();
  const driver = new IdReaderDriver({
    open: () => backend.open(d, d.model!),
    sink,
    deviceId: d.id,
    model: d.model!.name,
    transport: d.transport,
  });
  const first = sink.next((e) => e.event === 'deviceStatus');
  driver.start();
  const e = await Promise.race([first, new Promise<null>((r) => setTimeout(() => r(null), 4000))]);
  await driver.stop();
  if (!e || e.event !== 'deviceStatus') return 'no answer within 4 s';
  return `${e.payload.state}: ${e.payload.detail ?? ''}`;
}

const models = loadModels();
const manager = new DeviceManager({ models, sink: new RecordingSink() });
const devices = await manager.scan();

if (flag('--json')) {
  console.log(JSON.stringify({ devices, problems: manager.problems() }, null, 2));
} else {
  console.log(`Newborn Desk — devices (${models.length} configured models; * = recognised)\n`);
  for (const bus of ['usb', 'serial', 'hid'] as const) {
    const list = devices.filter((d) => d.transport === bus);
    console.log(`${bus.toUpperCase()} (${list.length})`);
    for (const d of list) console.log(line(d));
    if (list.length === 0) console.log('    (none)');
  }
  for (const p of manager.problems()) console.log(`\n! ${p}`);
  const known = devices.filter((d) => d.model);
  console.log(`\n${known.length} recognised device(s).`);
  if (known.length === 0) {
    console.log('No configured reader or scanner found. Check the cable, then `lsusb`; on Linux also the udev rule (build/linux/70-newborn-desk.rules).');
    console.log('Keyboard-mode scanners are not listed here: they type into the window like a keyboard.');
  }
  if (flag('--probe')) {
    for (const d of known.filter((k) => k.model!.kind === 'id_reader')) console.log(`probe ${d.id}: ${await probe(d)}`);
  }
}
