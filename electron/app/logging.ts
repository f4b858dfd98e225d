/**
 * Logs: what goes in them never shows a person in clear.
 *
 * - `redact(value)`: deep copy with every ID-number shape (18- and 15-digit resident IDs, HK/Macau/Taiwan residence
 *   permits, foreigners' permanent residence cards, HK/Macau travel permits, passports) and every mainland mobile
 *   number masked wherever it appears in text, and the whole value of fields named like a person's name, phone or
 *   document number masked. Used by electron-log's hook in the main process and by the Node logger below.
 * - `configureDeskLog(log, ...)`: the one log setup of both shells, on electron-log 5 (the main process passes
 *   `electron-log/main`, browser mode an instance of `electron-log/node`): one file, mode 0600, rotated by size
 *   into numbered old files (`desk.1.log` newest … `desk.<maxFiles>.log`), every call redacted by a hook.
 *
 * Pure Node, no `electron` import (electron-log's types only).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { NodeLogger } from 'electron-log';
import { maskIdNumber } from '../../domain/idnumber';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

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

/** A UUID (registration, request and event ids): an id, never personal data, so never starred (issue 13). */
const UUID = /(?<![0-9A-Za-z])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z])/g;

/** Masks ID numbers and phone numbers wherever they appear in a text; UUIDs are left whole. */
export function redactText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(UUID)) {
    out += redactPlain(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + redactPlain(text.slice(last));
}

function redactPlain(text: string): string {
  if (text === '') return text;
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

/** Renames `desk.log` → `desk.1.log` → … dropping the oldest beyond `maxFiles` (electron-log's `archiveLogFn`). */
export function rotate(file: string, maxFiles: number): void {
  const ext = path.extname(file);
  const base = file.slice(0, file.length - ext.length);
  const nth = (n: number) => `${base}.${n}${ext}`;
  if (existsSync(nth(maxFiles))) rmSync(nth(maxFiles), { force: true });
  for (let n = maxFiles - 1; n >= 1; n -= 1) if (existsSync(nth(n))) renameSync(nth(n), nth(n + 1));
  if (maxFiles >= 1 && existsSync(file)) renameSync(file, nth(1));
  else rmSync(file, { force: true });
}

export type ElectronLogLike = Pick<NodeLogger, 'hooks' | 'transports' | 'error' | 'warn' | 'info' | 'debug'>;

export interface DeskLogOptions {
  /** The log file (`<dir>/main.log`, `<dir>/desk.log`); its folder is created 0700. */
  file: string;
  level: LogLevel;
  /** Echo to the console as well (development). */
  console: boolean;
  /** Size past which the file is rotated (default 5 MiB). */
  maxBytes?: number;
  /** Old files kept (default 5). */
  maxFiles?: number;
}

/** Points an electron-log instance at the desk's file with rotation and redaction; the desk's `Logger` over it. */
export function configureDeskLog(log: ElectronLogLike, opts: DeskLogOptions): DeskLogger {
  const maxFiles = opts.maxFiles ?? 5;
  mkdirSync(path.dirname(opts.file), { recursive: true, mode: 0o700 });
  const file = log.transports.file;
  file.resolvePathFn = () => opts.file;
  file.maxSize = opts.maxBytes ?? 5 * 1024 * 1024;
  file.level = opts.level;
  file.format = '[{iso}] [{level}] {text}'; // UTC ISO instants, as the desk's other records
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.archiveLogFn = (old) => rotate(old.toString(), maxFiles);
  log.transports.console.level = opts.console ? opts.level : false;
  log.hooks.push((message) => ({ ...message, data: redactArgs(message.data) }));
  const call = (fn: (...a: unknown[]) => void) => (message: string, meta?: Record<string, unknown>) =>
    meta === undefined ? fn(redactText(message)) : fn(redactText(message), meta);
  return { error: call(log.error), warn: call(log.warn), info: call(log.info), debug: call(log.debug) };
}
