/**
 * `tsx electron/browser-mode/main.ts [--port N] [--data DIR] [--config FILE] [--training]`: runs the desk in
 * browser mode and prints the URL to open (it carries the per-run token). Ctrl+C closes the store cleanly.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, startBrowserMode } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DESK_PORT ?? '0' },
    data: { type: 'string', default: process.env.DESK_DATA_DIR ?? path.join(os.homedir(), '.newborn-desk') },
    config: { type: 'string', default: process.env.DESK_CONFIG ?? '' },
    training: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535 (got "${values.port}").`);
  process.exit(2);
}

let mode;
try {
  mode = await startBrowserMode({
  port,
  dataDir: values.data!,
  configFile: values.config ? values.config : null,
  ...(values.training ? { training: true } : {}),
  log: (line) => console.log(line),
  });
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `The desk could not start: ${(err as Error).message}`);
  process.exit(1);
}
const training = mode.desk.info.training;
console.log(`Newborn Desk (browser mode${training ? ', TRAINING' : ''}) on 127.0.0.1 only.`);
console.log(`Open in Chromium:\n  ${mode.url}`);
if (training) console.log('Training sign-in: staff id "trainer", PIN 123456.');

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await mode.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
