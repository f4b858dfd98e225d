/** The desk's readers and scanners, live (devices area): `listDevices` once, then each `deviceStatus` event. */
import { useEffect, useState } from 'react';
import type { DeviceStatus } from '../../domain/devices';
import { useDesk } from '../lib/desk';

export function useDevices(): DeviceStatus[] {
  const { client } = useDesk();
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  useEffect(() => {
    let alive = true;
    void client.listDevices({}).then((r) => {
      if (alive && r.ok) setDevices((now) => merge(r.value, now));
    });
    const off = client.on('deviceStatus', (s) => setDevices((now) => merge(now, [s])));
    return () => {
      alive = false;
      off();
    };
  }, [client]);
  return devices;
}

/** `base` updated by `newer`, one entry per device, newest `at` wins. */
function merge(base: DeviceStatus[], newer: DeviceStatus[]): DeviceStatus[] {
  const out = new Map(base.map((d) => [d.deviceId, d]));
  for (const d of newer) {
    const had = out.get(d.deviceId);
    if (!had || had.at <= d.at) out.set(d.deviceId, d);
  }
  return [...out.values()];
}
