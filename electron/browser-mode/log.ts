/**
 * Browser mode's log: the same electron-log 5 setup as the Electron main process (electron/app/logging.ts), on
 * `electron-log/node`, which runs without Electron. One instance per desk (`create`), so two desks in one process
 * (tests) never write into each other's file.
 */
import path from 'node:path';
import electronLog from 'electron-log/node';
import { configureDeskLog, type DeskLogger, type LogLevel } from '../app/logging';

export interface FileLoggerOptions {
  dir: string;
  /** File name of the current log (`desk.log`); old ones are `desk.1.log` (newest) … `desk.<maxFiles>.log`. */
  fileName?: string;
  maxBytes?: number;
  maxFiles?: number;
  level?: LogLevel;
  /** Echo to the console as well (development). */
  echo?: boolean;
}

export interface FileLogger extends DeskLogger {
  readonly file: string;
  setLevel(level: LogLevel): void;
}

let instances = 0;

export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  const file = path.join(opts.dir, opts.fileName ?? 'desk.log');
  const log = electronLog.create({ logId: `desk-${(instances += 1)}` });
  const logger = configureDeskLog(log, {
    file,
    level: opts.level ?? 'info',
    console: opts.echo ?? false,
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    ...(opts.maxFiles !== undefined ? { maxFiles: opts.maxFiles } : {}),
  });
  return {
    ...logger,
    file,
    setLevel(level) {
      log.transports.file.level = level;
      if (opts.echo) log.transports.console.level = level;
    },
  };
}
