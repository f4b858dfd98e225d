/**
 * The main process's log: electron-log 5 writing `<userData>/logs/main.log`, rotated by size (5 MB, five old
 * files `main.1.log` … `main.5.log`), every line passed through the redaction filter of `electron/app/logging.ts`
 * (ID numbers, phones, names never in clear). The electron-log instance is injected, so this is tested with a fake.
 */
import path from 'node:path';
import type { MainLogger } from 'electron-log';
import type { Logger } from '../../core/api/ports';
import { redactArgs, redactText, rotate, type LogLevel } from '../app/logging';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_MAX_FILES = 5;

export type ElectronLogLike = Pick<MainLogger, 'hooks' | 'transports' | 'error' | 'warn' | 'info' | 'debug'>;

export function setupMainLog(log: ElectronLogLike, opts: { dir: string; level: LogLevel; console: boolean }): Logger {
  const file = log.transports.file;
  file.resolvePathFn = () => path.join(opts.dir, 'main.log');
  file.maxSize = LOG_MAX_BYTES;
  file.level = opts.level;
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.archiveLogFn = (old) => rotate(old.toString(), LOG_MAX_FILES);
  log.transports.console.level = opts.console ? opts.level : false;
  log.hooks.push((message) => ({ ...message, data: redactArgs(message.data) }));
  const call = (fn: (...a: unknown[]) => void) => (message: string, meta?: Record<string, unknown>) =>
    meta === undefined ? fn(redactText(message)) : fn(redactText(message), meta);
  return { error: call(log.error), warn: call(log.warn), info: call(log.info), debug: call(log.debug) };
}
