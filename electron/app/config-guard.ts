/**
 * setup area (issue 13): the loader's guards. In an installed build IT's file at the platform's place is the only
 * machine config (`--config` / NEWBORN_DESK_CONFIG only when that file says `"allowConfigOverride": true`), and
 * `cityApi.caFile` must name a readable PEM certificate. Kept apart from config.ts (which calls them).
 */
import path from 'node:path';
import type { DeskConfig } from '../../core/config/schema';

/** The shapes of config.ts's `ConfigProblem` and `ResolvePathOptions` (structural: no import cycle). */
interface ConfigProblem {
  key: string;
  expected: string;
  expectedZh: string;
  got: string;
}
interface ResolvePathOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export const CONFIG_ENV_NAME = 'NEWBORN_DESK_CONFIG';
type Located = { file: string; via: 'argument' | 'env' | 'default' };

/** setup area: where IT's file is in an installed build (the platform's place, unless it allows an override). */
export function locateInstalled(
  opts: ResolvePathOptions,
  deps: {
    readMachine: (file: string) => { ok: true; raw: Record<string, unknown> | null } | { ok: false; problems: ConfigProblem[] };
    defaultConfigPath: (platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv) => string;
    resolveConfigPath: (opts: ResolvePathOptions) => Located;
  },
  warnings: string[],
): { ok: true; located: Located } | { ok: false; result: { ok: false; file: string; problems: ConfigProblem[] } } {
  const env = opts.env ?? process.env;
  const requested = deps.resolveConfigPath(opts);
  const platformFile = deps.defaultConfigPath(opts.platform, env);
  if (requested.via === 'default') return { ok: true, located: requested };
  const machine = deps.readMachine(platformFile);
  if (!machine.ok) return { ok: false, result: { ok: false, file: platformFile, problems: machine.problems } };
  if (machine.raw?.allowConfigOverride === true) {
    warnings.push(`IT's file allows another config file: using ${requested.file} (${requested.via === 'argument' ? '--config' : CONFIG_ENV_NAME})`);
    return { ok: true, located: requested };
  }
  warnings.push(`${requested.via === 'argument' ? '--config' : CONFIG_ENV_NAME} is ignored in an installed build: IT's file is ${platformFile}`);
  return { ok: true, located: { file: platformFile, via: 'default' } };
}

/** setup area: `cityApi.caFile` must be a readable PEM certificate (relative paths: beside IT's file). */
export function checkCaFile(
  config: DeskConfig,
  file: string,
  readText: (f: string) => string | null,
  describe: (value: unknown, key: string) => string,
): ConfigProblem | null {
  const caFile = config.cityApi?.caFile;
  if (!caFile) return null;
  const key = 'cityApi.caFile';
  let text: string | null;
  try {
    text = readText(path.resolve(path.dirname(file), caFile));
  } catch {
    text = null;
  }
  if (text === null) return { key, expected: 'a PEM certificate file the desk can read', expectedZh: '本机可读取的 PEM 证书文件', got: `${describe(caFile, key)} (no such file)` };
  if (!/-----BEGIN CERTIFICATE-----/.test(text)) return { key, expected: 'a PEM certificate (-----BEGIN CERTIFICATE-----)', expectedZh: 'PEM 格式证书（-----BEGIN CERTIFICATE-----）', got: `${describe(caFile, key)} (not a PEM certificate)` };
  return null;
}
