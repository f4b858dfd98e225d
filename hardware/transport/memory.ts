/**
 * An in-memory cable: two connected ByteTransport ends (host and device). The device end is what a simulator
 * talks to; the host end is what a driver uses. Delivery is asynchronous through the injected clock (a real
 * device never answers inside `write`), `unplug()` closes both ends as a yanked cable would.
 */
import type { TransportKind } from '../../domain/devices';
import { systemClock, type Clock } from '../clock';
import { IdCardError } from '../idcard/errors';
import { TransportBase, type ByteTransport } from './types';

export interface MemoryLinkOptions {
  clock?: Clock;
  /** Delay of each delivery in ms (default 0: next timer turn). */
  latencyMs?: number;
  kind?: TransportKind;
  id?: string;
}

class MemoryEnd extends TransportBase {
  peer!: MemoryEnd;

  constructor(
    readonly kind: TransportKind,
    id: string,
    private readonly clock: Clock,
    private readonly latencyMs: number,
  ) {
    super(id);
  }

  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    const copy = data.slice();
    const peer = this.peer;
    this.clock.setTimeout(() => peer.events.data(copy), this.latencyMs);
  }

  async close(): Promise<void> {
    this.events.close();
    this.peer.events.close(new IdCardError('unplugged', 'the other end closed'));
  }
}

export interface MemoryLink {
  host: ByteTransport;
  device: ByteTransport;
  /** Close both ends with an `unplugged` error, as pulling the cable would. */
  unplug(): void;
}

export function createMemoryLink(options: MemoryLinkOptions = {}): MemoryLink {
  const clock = options.clock ?? systemClock;
  const kind = options.kind ?? 'simulated';
  const id = options.id ?? 'sim';
  const host = new MemoryEnd(kind, id, clock, options.latencyMs ?? 0);
  const device = new MemoryEnd(kind, `${id}#device`, clock, options.latencyMs ?? 0);
  host.peer = device;
  device.peer = host;
  return {
    host,
    device,
    unplug() {
      const err = new IdCardError('unplugged', `${id} was unplugged`);
      host.events.close(err);
      device.events.close(err);
    },
  };
}
