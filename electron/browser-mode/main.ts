/**
 * Browser mode's entry, shipped as the bundle `out/browser/main.cjs` (scripts/build-electron.mjs builds it with the
 * Electron shell; `npm start` runs `node out/browser/main.cjs …` where Electron is absent, or with `--browser`):
 *
 *   node out/browser/main.cjs [--port N] [--data DIR] [--config FILE] [--training]
 *
 * runs the desk in browser mode and prints the URL to open (it carries the per-run token). It runs the files built
 * beside it (sync-thread.cjs, city-thread.cjs) and the renderer build in out/renderer/; it builds nothing and needs
 * no TypeScript loader. Ctrl+C closes the store cleanly.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, runBrowserMode } from './desk-mode';

async function main(): Promise<void> {
  // The bundle is CommonJS: it sits in out/browser/, its threads beside it, the renderer in out/renderer/.
  if (typeof __dirname !== 'string') {
    console.error('Run the built bundle: node out/browser/main.cjs (npm start -- --browser builds it).');
    process.exit(2);
  }
  const here = __dirname;
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
    mode = await runBrowserMode(
      {
        port,
        dataDir: values.data!,
        configFile: values.config ? values.config : null,
        ...(values.training ? { training: true } : {}),
        log: (line) => console.log(line),
      },
      { staticDir: path.join(here, '..', 'renderer'), syncThread: path.join(here, 'sync-thread.cjs'), cityThread: path.join(here, 'city-thread.cjs') },
    );
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
}

void main();
