/**
 * `npm run config:schema`: writes `build/config.schema.json`, the JSON Schema of IT's config file, generated from
 * the one zod schema (`core/config/schema.ts`) so the two can never disagree. `--check` exits 1 when the shipped
 * file is stale (a test checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DeskConfigSchema } from '../core/config/schema';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'config.schema.json');

/** Plain-words descriptions for IT (English · Chinese), by dotted key; shown by editors that read the schema. */
export const DESCRIPTIONS: Record<string, string> = {
  hospitalCode: "Hospital code from the city's list of the 37 maternity hospitals, e.g. WZ01 · 医院代码（如 WZ01）",
  deskId: 'This desk’s id, unique within the hospital: letters, digits, - or _ · 本机窗口编号（院内唯一）',
  cityApi: 'The city API. Leave it out (or null) for TRAINING mode with the embedded simulator · 市级接口；不填则为培训模式',
  'cityApi.url':
    'Base address of the city API: https:// (http:// only for this machine: 127.0.0.1, ::1, localhost); no user name or password in it · 市级接口地址：须 https://（仅本机地址可用 http://），不得含用户名或密码',
  'cityApi.caFile':
    'PEM file of the CA that signed the city API’s certificate (a hospital or city CA); when set, only this CA is trusted. Relative to this file · 市级接口证书的 CA（PEM）；设置后只信任此 CA',
  'cityApi.clientSecret':
    'The desk’s client secret. Moved out of this file and stored encrypted on the desk on first start · 本机密钥；首次启动后加密保存并从本文件移除',
  'cityApi.clientSecretEncrypted': 'Written by the desk: where the encrypted secret is. Do not set by hand · 由程序写入，请勿手工填写',
  'cityApi.timeoutMs': 'Timeout of one request to the city API, in milliseconds · 单次请求超时（毫秒）',
  devices: 'ID-card readers and barcode scanners · 读卡器与扫码枪',
  'devices.models': 'How to find each reader or scanner: USB vendor/product id, HID usage, or serial path · 设备型号与识别方式',
  'devices.barcodePatterns': 'Which barcode is what (wristband, vaccine batch, birth certificate), as regular expressions · 条码类型规则',
  'devices.simulated': 'Use the simulated reader and scanner (training always does) · 使用模拟设备',
  printer: 'Receipt printer. Open to the desk user unless set here · 回执打印机（未设置时用户可自选）',
  'printer.name': 'System printer name; leave out for the system default · 打印机名称；不填为系统默认',
  'printer.paper': 'Paper size · 纸张',
  'printer.copies': 'Copies of each receipt · 打印份数',
  idleLockMinutes: 'Minutes without input before the screen locks (the draft is kept). Open to the desk user unless set here · 无操作自动锁屏（分钟）',
  kiosk: 'Fullscreen kiosk window · 全屏自助模式',
  language: 'UI language. Open to the desk user unless set here · 界面语言',
  sync: 'How often and how much the desk sends to the city API · 同步频率与批量',
  'sync.intervalSec': 'Seconds between sync runs · 同步间隔（秒）',
  'sync.batchMaxItems': 'Requests per batch at most · 每批最多请求数',
  'sync.batchMaxBytes': 'Bytes per batch at most · 每批最大字节数',
  updates: 'Automatic updates from the hospital’s internal update server · 自动更新（院内更新服务器）',
  'updates.url':
    'Address of the internal update server (electron-updater generic provider), https:// (http:// only for this machine); leave out to turn updates off · 更新服务器地址（须 https://）；不填则不自动更新',
  'updates.channel': 'Update channel · 更新通道',
  logLevel: 'How much the desk logs (no personal data at any level) · 日志级别（任何级别都不记录个人信息）',
  allowConfigOverride:
    'Installed desks: honour --config=<file> and NEWBORN_DESK_CONFIG (default false: this file is the only machine config). Set only on a test bench · 允许命令行或环境变量指定其他配置文件（默认否）',
  setupCode: 'One-time code for creating the first admin on a desk with no admin (IT-GUIDE.md); remove it afterwards · 首次创建管理员用的一次性设置码（见 IT 指南），用后删除',
};

type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[] };

function describeProperties(node: JsonSchema, prefix: string, missing: string[]): void {
  const props = node.properties ?? node.anyOf?.find((s) => s.properties)?.properties;
  if (!props) return;
  for (const [key, child] of Object.entries(props)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    const text = DESCRIPTIONS[dotted];
    if (text) props[key] = { description: text, ...child };
    else if (!prefix) missing.push(dotted);
    describeProperties(props[key]!, dotted, missing);
  }
}

export function generateConfigSchema(): string {
  // `input`: what IT writes — keys with defaults are optional.
  const schema = z.toJSONSchema(DeskConfigSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const missing: string[] = [];
  describeProperties(schema as JsonSchema, '', missing);
  if (missing.length) console.warn(`config schema: no description for ${missing.join(', ')} (scripts/config-schema.ts DESCRIPTIONS)`);
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const out = {
    $schema: schema.$schema,
    $id: 'https://newborn-desk.invalid/config.schema.json',
    title: 'Newborn Desk — machine configuration (set by hospital IT)',
    description:
      'One file per desk PC: Windows %ProgramData%\\NewbornDesk\\config.json, Linux /etc/newborn-desk/config.json ' +
      '(or the path in NEWBORN_DESK_CONFIG / --config=<path>). Every key set here is locked for the desk user. ' +
      'Without cityApi the desk runs in TRAINING mode against its embedded simulator.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    // Editors put a `$schema` reference in the file; the desk ignores it.
    properties: { $schema: { type: 'string' }, ...properties },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const fresh = generateConfigSchema();
  if (process.argv.includes('--check')) {
    let shipped = '';
    try {
      shipped = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      /* missing */
    }
    if (shipped !== fresh) {
      console.error(`${path.relative(process.cwd(), SCHEMA_FILE)} is stale: run npm run config:schema`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), SCHEMA_FILE)} is up to date`);
  } else {
    writeFileSync(SCHEMA_FILE, fresh);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  }
}
