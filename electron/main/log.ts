/**
 * The main process's log: electron-log 5 (`electron-log/main`) writing `<userData>/logs/main.log`, set up by the
 * one desk log setup both shells share (electron/app/logging.ts: rotated by size, 5 MB and five old files
 * `main.1.log` … `main.5.log`, every line redacted). The electron-log instance is injected, so this is tested with a fake.
 */
import path from 'node:path';
import type { Logger } from '../../core/api/ports';
import { configureDeskLog, type ElectronLogLike, type LogLevel } from '../app/logging';

export type { ElectronLogLike };

export function setupMainLog(log: ElectronLogLike, opts: { dir: string; level: LogLevel; console: boolean }): Logger {
  return configureDeskLog(log, { file: path.join(opts.dir, 'main.log'), level: opts.level, console: opts.console });
}
