/**
 * Logs: what goes in them never shows a person in clear.
 *
 * - `redact(value)`: deep copy with every ID-number shape (18- and 15-digit resident IDs, HK/Macau/Taiwan residence
 *   permits, foreigners' permanent residence cards, HK/Macau travel permits, passports) and every mainland mobile
 *   number masked wherever it appears in text, and the whole value of fields named like a person's name, phone or
 *   document number masked. Used by electron-log's hook in the main process and by the Node logger below.
 * - `createFileLogger(...)`: a small Node logger for browser mode (and for the main process before electron-log is
 *   ready): one file, rotated by size, a fixed number of old files kept.
 *
 * Pure Node, no `electron` import.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { maskIdNumber } from '../../domain/idnumber';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const LEVEL_RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

// Letters or digits on either side mean it is part of something longer (a UUID, a hash): not a document number.
const B = '(?<![0-9A-Za-z])';
const E = '(?![0-9A-Za-z])';
/** Document-number shapes, longest first. */
const ID_PATTERNS: RegExp[] = [
  new RegExp(`${B}\\d{17}[\\dXx]${E}`, 'g'), // resident ID, HMT residence permit (81/82/83…), 2023 foreigner card (9…)
  new RegExp(`${B}[A-Z]{3}\\d{12}${E}`, 'g'), // 2017 foreigner permanent residence card
  new RegExp(`${B}\\d{15}${E}`, 'g'), // 1989 resident ID
  new RegExp(`${B}[HMhm]\\d{8}(?:\\d{2})?${E}`, 'g'), // HK/Macau travel permit (回乡证)
  new RegExp(`${B}[A-Z]{1,2}\\d{7,8}${E}`, 'g'), // passports (E12345678, EA1234567, G…, P…) and the like
];
/** Mainland mobile numbers, with or without +86 and separators. */
const PHONE = new RegExp(`(?<![0-9])(?:\\+?86[- ]?)?1[3-9]\\d[- ]?\\d{4}[- ]?\\d{4}(?![0-9])`, 'g');

const LONG_DIGITS = /\d{11,}[\dXx]?/g;

/** Fields whose whole value is personal: names, phones, document numbers (`name`, `motherName`, `docNumber`…). */
const SENSITIVE_KEY = /(?:^|[a-z_])(?:name|phone|mobile|idnumber|docnumber|id_number|doc_number)$/i;
/** Technical names that merely end in "name". */
const NOT_PERSONAL = new Set(['filename', 'hostname', 'pathname', 'eventname', 'methodname', 'devicename', 'printername', 'channelname', 'username']);

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !NOT_PERSONAL.has(key.toLowerCase());
}

function maskPhone(s: string): string {
  const digits = s.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Masks ID numbers and phone numbers wherever they appear in a text. */
export function redactText(text: string): string {
  let out = text;
  for (const re of ID_PATTERNS) out = out.replace(re, (m) => maskIdNumber(m));
  out = out.replace(PHONE, maskPhone);
  // Whatever long run of digits is left (an ID glued to a phone number, a number in an unknown layout): masked too.
  return out.replace(LONG_DIGITS, (m) => maskIdNumber(m));
}

/** The whole value of a personal field: first character kept (a surname, a phone prefix), the rest starred. */
export function maskPersonalValue(key: string, value: string): string {
  const chars = [...value.trim()];
  if (chars.length === 0) return '';
  if (/phone|mobile/i.test(key)) return maskPhone(value);
  if (/number$/i.test(key)) return maskIdNumber(value);
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** A deep copy of anything about to be logged, with personal data masked. */
export function redact(value: unknown, key = '', depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return key && isSensitiveKey(key) ? maskPersonalValue(key, value) : redactText(value);
  if ((typeof value === 'number' || typeof value === 'bigint') && key && isSensitiveKey(key)) return maskPersonalValue(key, String(value));
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[deep]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    return out;
  }
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redact(v, key, depth + 1, seen));
  if (value instanceof Map) return redact(Object.fromEntries(value), key, depth + 1, seen);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redact(v, k, depth + 1, seen);
  return out;
}

/** electron-log hook body: masks every argument of a log call. */
export function redactArgs(data: readonly unknown[]): unknown[] {
  return data.map((d) => redact(d));
}

export interface DeskLogger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

export interface FileLoggerOptions {
  dir: string;
  /** File name of the current log (`desk.log`); old ones are `desk.1.log` (newest) … `desk.<maxFiles>.log`. */
  fileName?: string;
  maxBytes?: number;
  maxFiles?: number;
  level?: LogLevel;
  /** Echo to the console as well (development). */
  echo?: boolean;
  now?: () => Date;
}

export interface FileLogger extends DeskLogger {
  readonly file: string;
  setLevel(level: LogLevel): void;
}

/** Renames `desk.log` → `desk.1.log` → … dropping the oldest beyond `maxFiles`. */
export function rotate(file: string, maxFiles: number): void {
  const ext = path.extname(file);
  const base = file.slice(0, file.length - ext.length);
  const nth = (n: number) => `${base}.${n}${ext}`;
  if (existsSync(nth(maxFiles))) rmSync(nth(maxFiles), { force: true });
  for (let n = maxFiles - 1; n >= 1; n -= 1) if (existsSync(nth(n))) renameSync(nth(n), nth(n + 1));
  if (maxFiles >= 1 && existsSync(file)) renameSync(file, nth(1));
  else rmSync(file, { force: true });
}

export function formatLine(at: Date, level: LogLevel, message: string, meta?: Record<string, unknown>): string {
  const m = meta === undefined ? '' : ` ${JSON.stringify(redact(meta))}`;
  return `[${at.toISOString()}] [${level}] ${redactText(message)}${m}\n`;
}

export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  const file = path.join(opts.dir, opts.fileName ?? 'desk.log');
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = opts.maxFiles ?? 5;
  const now = opts.now ?? (() => new Date());
  let level: LogLevel = opts.level ?? 'info';
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  let size = existsSync(file) ? statSync(file).size : 0;

  const write = (lvl: LogLevel, message: string, meta?: Record<string, unknown>) => {
    if (LEVEL_RANK[lvl] > LEVEL_RANK[level]) return;
    const line = formatLine(now(), lvl, message, meta);
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > maxBytes) {
        rotate(file, maxFiles);
        size = 0;
      }
      appendFileSync(file, line, { mode: 0o600 });
      size += bytes;
    } catch {
      // A full disk must not take the desk down with it; the console still gets the line.
    }
    if (opts.echo) (lvl === 'error' ? console.error : console.log)(line.trimEnd());
  };
  return {
    file,
    setLevel(l) {
      level = l;
    },
    error: (m, meta) => write('error', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    info: (m, meta) => write('info', m, meta),
    debug: (m, meta) => write('debug', m, meta),
  };
}
