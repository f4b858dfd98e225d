import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventHub } from '../core/api/events';
import type { DevicePort } from '../core/api/ports';
import { DEFAULT_DEVICE_MODELS } from '../core/config/schema';
import { KNOWN_DEVICE_MODELS } from '../domain/devices';
import { ManualClock } from '../hardware/clock';
import { createSimulatedDesk } from '../hardware/sim/desk';
import { hasSocat, startPtyPair, startReaderEmulator } from '../test/devices/pty';

const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/devices.ts', ...args], { encoding: 'utf8' });

describe('npm run devices', () => {
  it('lists what the buses hold and marks a configured model as recognised', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nd-devices-'));
    const config = path.join(dir, 'desk.json');
    // a serial reader configured by path: any serial port this machine has stands in for it
    const plain = JSON.parse(run('--json')) as { devices: Array<{ transport: string; path?: string; model?: unknown }>; problems: string[] };
    expect(Array.isArray(plain.devices)).toBe(true);
    const port = plain.devices.find((d) => d.transport === 'serial');
    if (!port) {
      console.log('[devices.test] this machine has no serial port to stand in for a configured reader; only the listing was checked');
      return;
    }
    writeFileSync(config, JSON.stringify({ devices: { models: [{ name: 'Test COM reader', kind: 'id_reader', transport: 'serial', path: port.path }] } }));
    const marked = JSON.parse(run('--json', '--config', config)) as { devices: Array<{ path?: string; model?: { name: string } }> };
    expect(marked.devices.find((d) => d.path === port.path)?.model?.name).toBe('Test COM reader');
    const text = run('--config', config);
    expect(text).toContain('✔ Test COM reader (ID card reader)');
    expect(text).toMatch(/1 recognised device/);
  });

  it.skipIf(!hasSocat)('--probe runs the device manager: the reader on a pty shows the state the desk sees (same list as Diagnostics)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nd-devices-'));
    const pty = await startPtyPair(dir, 'probe');
    const reader = await startReaderEmulator({ path: pty.device });
    try {
      const config = path.join(dir, 'desk.json');
      writeFileSync(config, JSON.stringify({ devices: { models: [{ name: 'Pty reader', kind: 'id_reader', transport: 'serial', path: pty.desk }] } }));
      const probed = JSON.parse(run('--json', '--probe', '--config', config)) as { devices: Array<{ id: string; present: boolean; model?: { name: string }; status?: { state: string; detail?: string } }> };
      expect(probed.devices.find((d) => d.id === `serial:${pty.desk}`)).toMatchObject({
        present: true,
        model: { name: 'Pty reader' },
        status: { state: 'connected', detail: 'reader ready, SAM 05.01-20250301-3300000001-1234567890' },
      });
      expect(run('--probe', '--config', config)).toContain('✔ Pty reader (ID card reader)  [connected: reader ready, SAM');
    } finally {
      await reader.stop();
      await pty.stop();
    }
  }, 30_000);

  it('rejects a broken model list with the field that is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nd-devices-'));
    const config = path.join(dir, 'desk.json');
    writeFileSync(config, JSON.stringify({ devices: { models: [{ name: 'x', kind: 'printer', transport: 'usb' }] } }));
    let err = '';
    try {
      run('--config', config);
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
    }
    expect(err).toMatch(/devices\.models\.0\.kind/);
  });
});

/** The udev rule file IT installs must cover every built-in model and keep to the access policy. */
const rules = readFileSync(new URL('../build/linux/70-newborn-desk.rules', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'));

describe('build/linux/70-newborn-desk.rules', () => {
  it('every rule: MODE 0660, group plugdev, uaccess, usb or hidraw node, lower-case 4-digit hex ids', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const r of rules) {
      expect(r).toContain('MODE="0660"');
      expect(r).toContain('GROUP="plugdev"');
      expect(r).toContain('TAG+="uaccess"');
      expect(r).toMatch(/SUBSYSTEM=="usb"|KERNEL=="hidraw\*"/);
      for (const m of r.matchAll(/id(?:Vendor|Product)}=="([^"]*)"/g)) expect(m[1]).toMatch(/^[0-9a-f]{4}$/);
    }
  });

  it('grants access to every built-in reader and scanner', () => {
    // the config's default model list is the built-in one (core should take domain's list; until then: equal)
    expect(DEFAULT_DEVICE_MODELS).toEqual(KNOWN_DEVICE_MODELS);
    for (const m of KNOWN_DEVICE_MODELS) {
      const vid = m.vendorId!.toString(16).padStart(4, '0');
      const node = m.transport === 'usb' ? 'SUBSYSTEM=="usb"' : 'KERNEL=="hidraw*"';
      const covering = rules.filter((r) => r.includes(node) && r.includes(`{idVendor}=="${vid}"`));
      const pid = m.productId?.toString(16).padStart(4, '0');
      expect(covering.some((r) => !pid || !r.includes('idProduct') || r.includes(`{idProduct}=="${pid}"`)), m.name).toBe(true);
    }
  });
});

describe('hardware wiring into core (hardware/ itself may not import core/api)', () => {
  it("plugs into core's EventHub (payloads pass the contract's schemas) and fits DevicePort", async () => {
    const hub = createEventHub((e) => {
      throw new Error(`invalid ${e}`);
    });
    const got: string[] = [];
    hub.subscribe((event) => got.push(event));
    const clock = new ManualClock();
    const desk = createSimulatedDesk({ sink: hub, clock });
    const port: DevicePort = desk;
    desk.start();
    await clock.advance(10);
    const p = port.simulator!.scan('X320101001');
    const t = desk.tapCard('foreignFather');
    await clock.advance(1000);
    expect([await p, await t]).toEqual([true, true]);
    // reader and scanner connected, the scan, then the reader reading, ready again, and the card
    expect(got).toEqual(['deviceStatus', 'deviceStatus', 'barcodeScanned', 'deviceStatus', 'deviceStatus', 'idCardRead']);
    await desk.stop();
  });
});
