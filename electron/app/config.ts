/**
 * The desk's configuration, in three layers (Mattermost's habit):
 *   1. built-in defaults (`BUILT_IN_DEFAULTS` + the schema's defaults): a training desk;
 *   2. ONE machine-wide JSON file set by hospital IT — every key it sets is locked for the desk user;
 *   3. the desk user's own preferences (`<userData>/preferences.json`), only for `USER_SETTABLE_KEYS` that IT left open.
 *
 * Where IT's file is: `--config=<path>`, else `NEWBORN_DESK_CONFIG`, else the platform's place
 * (Windows `%ProgramData%\NewbornDesk\config.json`, Linux `/etc/newborn-desk/config.json`). A file named
 * explicitly must exist; the platform's file may be absent (training defaults).
 * In a packaged build every other environment override is ignored (Signal's habit); `NEWBORN_DESK_OVERRIDES`
 * (JSON, development and tests only) is applied as if IT had written it.
 *
 * Pure Node, no `electron` import: the Electron shell and browser mode both load the config through here.
 * A broken file is never half-applied: the result lists every bad key with what it expects and what it got,
 * and the shell shows that list and nothing else (`config-error.ts`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BUILT_IN_DEFAULTS, DeskConfigSchema, USER_SETTABLE_KEYS, type DeskConfig } from '../../core/config/schema';
import { checkCaFile, CONFIG_ENV_NAME, locateInstalled } from './config-guard';

export const CONFIG_ENV = CONFIG_ENV_NAME;
export const OVERRIDES_ENV = 'NEWBORN_DESK_OVERRIDES';
export const USER_PREFERENCES_FILE = 'preferences.json';

export type ConfigKey = keyof DeskConfig;
export type UserSettableKey = (typeof USER_SETTABLE_KEYS)[number];
export type ConfigLayer = 'default' | 'machine' | 'user';

export interface ConfigProblem {
  /** Dotted path of the bad key in IT's file (`cityApi.url`), or `(file)` for the file as a whole. */
  key: string;
  /** What the key expects, in plain words (English). */
  expected: string;
  /** The same in Chinese. */
  expectedZh: string;
  /** What the file holds there (secrets hidden, long values cut). */
  got: string;
}

export type LoadConfigResult =
  | {
      ok: true;
      config: DeskConfig;
      /** Whether an IT file was read (`machine`) or the built-in defaults alone apply. */
      source: 'built-in' | 'machine';
      /** IT's file that was read, or the place it was looked for. */
      file: string;
      /** Which layer each top-level key comes from. */
      layers: Record<ConfigKey, ConfigLayer>;
      /** Keys IT set: the desk user cannot change them. */
      lockedKeys: ConfigKey[];
      /** Things worth a log line (a user preference that was dropped, an override that was ignored). */
      warnings: string[];
    }
  | { ok: false; file: string; problems: ConfigProblem[] };

export interface ResolvePathOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface LoadConfigOptions extends ResolvePathOptions {
  /** A packaged (installed) build: environment overrides other than the config path are ignored. */
  packaged?: boolean;
  /** IT's file, named explicitly (wins over argv and env). */
  file?: string | null;
  /** The desk user's preferences file (`<userData>/preferences.json`); null = none. */
  userFile?: string | null;
  /** Injected for tests: reads a file, or returns null when it does not exist. */
  readText?: (file: string) => string | null;
}

/** The platform's place for IT's file. */
export function defaultConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') {
    const programData = env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData';
    return path.win32.join(programData, 'NewbornDesk', 'config.json');
  }
  return '/etc/newborn-desk/config.json';
}

/** `--config=<path>` or `--config <path>` from a command line; null when absent. */
export function configArgument(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a.startsWith('--config=')) return a.slice('--config='.length) || null;
    if (a === '--config' && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return argv[i + 1]!;
  }
  return null;
}

export function resolveConfigPath(opts: ResolvePathOptions = {}): { file: string; via: 'argument' | 'env' | 'default' } {
  const env = opts.env ?? process.env;
  const arg = configArgument(opts.argv ?? []);
  if (arg) return { file: path.resolve(arg), via: 'argument' };
  const fromEnv = env[CONFIG_ENV]?.trim();
  if (fromEnv) return { file: path.resolve(fromEnv), via: 'env' };
  return { file: defaultConfigPath(opts.platform, env), via: 'default' };
}

function defaultReadText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads IT's file; a problem list when it is unreadable or not a JSON object. */
function readMachineFile(
  file: string,
  mustExist: boolean,
  readText: (f: string) => string | null,
): { ok: true; raw: Record<string, unknown> | null } | { ok: false; problems: ConfigProblem[] } {
  let text: string | null;
  try {
    text = readText(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      problems: [{ key: '(file)', expected: 'a file the desk can read', expectedZh: '本机可读取的文件', got: `cannot be read (${code})` }],
    };
  }
  if (text === null) {
    if (!mustExist) return { ok: true, raw: null };
    return { ok: false, problems: [{ key: '(file)', expected: 'an existing JSON file', expectedZh: '存在的 JSON 文件', got: 'no such file' }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')); // Windows Notepad writes a BOM
  } catch (e) {
    return {
      ok: false,
      problems: [{ key: '(file)', expected: 'valid JSON', expectedZh: '有效的 JSON 格式', got: `not JSON: ${(e as Error).message.slice(0, 160)}` }],
    };
  }
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      problems: [{ key: '(file)', expected: 'a JSON object { … }', expectedZh: 'JSON 对象 { … }', got: describe(raw, '') }],
    };
  }
  const { $schema: _schema, ...rest } = raw; // editors' schema reference, not a setting
  return { ok: true, raw: rest };
}

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

/** A short, safe rendering of what the file holds: secrets are never shown, long values are cut. */
export function describe(value: unknown, key: string): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (/secret|password|token/i.test(key)) return '(hidden)';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  s = s.replace(/(\/\/[^/@\s:]*:)[^@/\s]*@/g, '$1(hidden)@'); // setup area: a password in an address is never shown
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

const TYPE_ZH: Record<string, string> = {
  number: '数字',
  string: '文本',
  boolean: '布尔值（true 或 false）',
  object: '对象 { … }',
  array: '列表 [ … ]',
  int: '整数',
  nonoptional: '必填值',
};
const UNIT = { string: ['characters', '个字符'], array: ['items', '项'] } as const;

function expectedOf(issue: z.core.$ZodIssue): { en: string; zh: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const t = String(issue.expected);
      return { en: `a ${t}`, zh: TYPE_ZH[t] ?? t };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const origin = issue.origin as string;
      const [unitEn, unitZh] = origin === 'string' || origin === 'array' ? UNIT[origin] : ['', ''];
      const inclusive = issue.inclusive !== false;
      const en = issue.code === 'too_small' ? `${inclusive ? 'at least' : 'more than'} ${bound}` : `${inclusive ? 'at most' : 'less than'} ${bound}`;
      const zh = issue.code === 'too_small' ? `${inclusive ? '不少于' : '大于'} ${bound}` : `${inclusive ? '不超过' : '小于'} ${bound}`;
      return { en: `${en}${unitEn ? ` ${unitEn}` : ''}`, zh: `${zh}${unitZh}` };
    }
    case 'invalid_value': {
      const list = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return { en: `one of ${list}`, zh: `以下之一：${list}` };
    }
    case 'invalid_format': {
      if (issue.format === 'url') return { en: 'a web address starting with http:// or https://', zh: '以 http:// 或 https:// 开头的网址' };
      return { en: issue.message, zh: `格式：${issue.message}` };
    }
    case 'custom': {
      const zh = (issue as { params?: { zh?: unknown } }).params?.zh;
      return { en: issue.message, zh: typeof zh === 'string' ? zh : issue.message };
    }
    case 'not_multiple_of':
      return { en: `a multiple of ${String(issue.divisor)}`, zh: `${String(issue.divisor)} 的倍数` };
    default:
      return { en: issue.message, zh: issue.message };
  }
}

/** zod's issues as one problem per bad key, each with what it expects and what the file holds there. */
export function issuesToProblems(error: z.ZodError, raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const parent = valueAt(raw, issue.path);
      for (const k of issue.keys) {
        const key = [...base, k].join('.');
        problems.push({ key, expected: 'no such setting: remove it or check its spelling', expectedZh: '没有这项设置：请删除或检查拼写', got: describe((parent as Record<string, unknown>)?.[k], key) });
      }
      continue;
    }
    const key = base.join('.') || '(file)';
    const { en, zh } = expectedOf(issue);
    problems.push({ key, expected: en, expectedZh: zh, got: describe(valueAt(raw, issue.path), key) });
  }
  return problems;
}

function readUserPreferences(userFile: string | null | undefined, readText: (f: string) => string | null, warnings: string[]): Record<string, unknown> {
  if (!userFile) return {};
  try {
    const text = readText(userFile);
    if (text === null) return {};
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) return parsed;
    warnings.push(`user preferences ${userFile} are not a JSON object: ignored`);
  } catch (e) {
    warnings.push(`user preferences ${userFile} could not be read (${(e as Error).name}): ignored`);
  }
  return {};
}

/** Loads the layered configuration. Pure: reads files, never writes. */
export function loadConfig(opts: LoadConfigOptions = {}): LoadConfigResult {
  const env = opts.env ?? process.env;
  const readText = opts.readText ?? defaultReadText;
  const warnings: string[] = [];
  // setup area (issue 13): in an installed build IT's file at the platform's place is the only machine config;
  // --config / NEWBORN_DESK_CONFIG are honoured only when that file sets "allowConfigOverride": true.
  const guarded = opts.packaged && !opts.file ? locateInstalled(opts, { readMachine: (f) => readMachineFile(f, false, readText), defaultConfigPath, resolveConfigPath }, warnings) : null;
  if (guarded && !guarded.ok) return guarded.result;
  const located = guarded ? guarded.located : opts.file ? { file: path.resolve(opts.file), via: 'argument' as const } : resolveConfigPath(opts);
  const file = located.file;

  const machine = readMachineFile(file, located.via !== 'default', readText);
  if (!machine.ok) return { ok: false, file, problems: machine.problems };
  const it: Record<string, unknown> = { ...(machine.raw ?? {}) };
  // setup area: an IT file must name its hospital (it used to become WZ01 without a word).
  if (machine.raw && !('hospitalCode' in it)) {
    return {
      ok: false,
      file,
      problems: [{ key: 'hospitalCode', expected: "the hospital's code (e.g. WZ07): required in IT's file", expectedZh: '本院代码（如 WZ07）：配置文件必须填写', got: describe(undefined, 'hospitalCode') }],
    };
  }

  const overridesText = env[OVERRIDES_ENV];
  if (overridesText) {
    if (opts.packaged) {
      warnings.push(`${OVERRIDES_ENV} is ignored in an installed build`);
    } else {
      let overrides: unknown;
      try {
        overrides = JSON.parse(overridesText);
      } catch {
        overrides = null;
      }
      if (!isPlainObject(overrides)) {
        return { ok: false, file, problems: [{ key: `(${OVERRIDES_ENV})`, expected: 'a JSON object', expectedZh: 'JSON 对象', got: describe(overridesText, '') }] };
      }
      Object.assign(it, overrides);
    }
  }

  const machineLayer = { ...BUILT_IN_DEFAULTS, ...it };
  const parsed = DeskConfigSchema.safeParse(machineLayer);
  if (!parsed.success) return { ok: false, file, problems: issuesToProblems(parsed.error, machineLayer) };
  const caProblem = checkCaFile(parsed.data, file, readText, describe);
  if (caProblem) return { ok: false, file, problems: [caProblem] };

  // The user's layer: only keys IT left open; a bad preference is dropped with a warning, never fatal.
  const prefs = readUserPreferences(opts.userFile, readText, warnings);
  let merged: Record<string, unknown> = machineLayer;
  let config: DeskConfig = parsed.data;
  const userKeys: ConfigKey[] = [];
  for (const key of Object.keys(prefs)) {
    if (!(USER_SETTABLE_KEYS as readonly string[]).includes(key)) {
      warnings.push(`user preference "${key}" is not a user setting: ignored`);
      continue;
    }
    if (key in it) {
      warnings.push(`user preference "${key}" is set by IT: ignored`);
      continue;
    }
    const candidate = { ...merged, [key]: prefs[key] };
    const r = DeskConfigSchema.safeParse(candidate);
    if (!r.success) {
      warnings.push(`user preference "${key}" is not valid: ignored`);
      continue;
    }
    merged = candidate;
    config = r.data;
    userKeys.push(key as ConfigKey);
  }

  const layers = Object.fromEntries(
    (Object.keys(config) as ConfigKey[]).map((k) => [k, k in it ? 'machine' : userKeys.includes(k) ? 'user' : 'default']),
  ) as Record<ConfigKey, ConfigLayer>;
  return {
    ok: true,
    config,
    source: machine.raw ? 'machine' : 'built-in',
    file,
    layers,
    lockedKeys: (Object.keys(it) as ConfigKey[]).filter((k) => k in config),
    warnings,
  };
}

export type SavePreferenceResult = { ok: true } | { ok: false; reason: 'not_user_settable' | 'locked_by_it' | 'invalid'; message: string };

/**
 * Saves one of the desk user's preferences (`language`, `idleLockMinutes`, `printer`) — refused for keys IT set
 * and for values the schema rejects. Written atomically (temp file + rename).
 */
export function saveUserPreference(
  userFile: string,
  key: string,
  value: unknown,
  lockedKeys: readonly string[],
): SavePreferenceResult {
  if (!(USER_SETTABLE_KEYS as readonly string[]).includes(key)) {
    return { ok: false, reason: 'not_user_settable', message: `"${key}" is not a setting the desk user can change` };
  }
  if (lockedKeys.includes(key)) return { ok: false, reason: 'locked_by_it', message: `"${key}" is set by hospital IT` };
  const shape = DeskConfigSchema.shape[key as UserSettableKey];
  const check = shape.safeParse(value);
  if (!check.success) return { ok: false, reason: 'invalid', message: `"${key}": ${check.error.issues[0]?.message ?? 'invalid'}` };
  let prefs: Record<string, unknown> = {};
  try {
    const parsed: unknown = existsSync(userFile) ? JSON.parse(readFileSync(userFile, 'utf8')) : {};
    if (isPlainObject(parsed)) prefs = parsed;
  } catch {
    prefs = {}; // a damaged preferences file is replaced
  }
  prefs[key] = value;
  mkdirSync(path.dirname(userFile), { recursive: true });
  const tmp = `${userFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(prefs, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, userFile);
  return { ok: true };
}
