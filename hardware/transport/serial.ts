/** Serial / USB-CDC readers through `serialport`: 115200 8N1 by default. */
import { IdCardError } from '../idcard/errors';
import { loadSerial, type SerialModule } from './native';
import { TransportBase, type ByteTransport } from './types';

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  /** Inject the module (tests); default: the lazily loaded `serialport`. */
  module?: SerialModule;
}

type Port = InstanceType<SerialModule['SerialPort']>;

class SerialTransport extends TransportBase {
  readonly kind = 'serial' as const;

  constructor(
    id: string,
    private readonly port: Port,
  ) {
    super(id);
    port.on('data', (buf: Buffer) => this.events.data(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice()));
    port.on('close', (err?: Error | null) => this.events.close(err ? new IdCardError('unplugged', `${id} closed: ${err.message}`, { cause: err }) : undefined));
    port.on('error', (err: Error) => {
      // An I/O error on an open port means the device (or the far end of a pty) went away.
      this.events.close(new IdCardError('unplugged', `${id}: ${err.message}`, { cause: err }));
      if (port.isOpen) port.close(() => {});
    });
  }

  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data), (err) => {
        if (err) return reject(new IdCardError('unplugged', `${this.id}: write failed: ${err.message}`, { cause: err }));
        this.port.drain((e) => (e ? reject(new IdCardError('unplugged', `${this.id}: drain failed: ${e.message}`, { cause: e })) : resolve()));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.port.isOpen) {
        this.events.close();
        return resolve();
      }
      this.port.close(() => {
        this.events.close();
        resolve();
      });
    });
  }
}

export async function openSerial(options: SerialTransportOptions): Promise<ByteTransport> {
  let mod = options.module;
  if (!mod) {
    const loaded = await loadSerial();
    if (!loaded.ok) throw new IdCardError('unplugged', loaded.error);
    mod = loaded.module;
  }
  const port = new mod.SerialPort({ path: options.path, baudRate: options.baudRate ?? 115200, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new IdCardError('unplugged', `cannot open ${options.path}: ${err.message}`, { cause: err })) : resolve())),
  );
  return new SerialTransport(`serial:${options.path}`, port);
}
