/**
 * The desk's configuration: built-in defaults, then one machine-wide JSON file set by hospital IT (whose keys
 * the desk user cannot override), then the user's own preferences for the keys IT left open.
 * The JSON Schema shipped in `build/` for IT is generated from this zod schema (`npm run config:schema`).
 */
import { z } from 'zod';
import { BarcodePatternSchema, DEFAULT_BARCODE_PATTERNS, DeviceModelSchema } from '../../domain/devices';
import { transportProblem } from './transport';

/** setup area (issue 13): https except loopback, no credentials in the address; the problem in both languages. */
const TransportUrl = z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
  const p = transportProblem(url);
  if (p) ctx.addIssue({ code: 'custom', message: p.en, params: { zh: p.zh } });
});

export const LanguageSchema = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

export const DEFAULT_DEVICE_MODELS: z.infer<typeof DeviceModelSchema>[] = [
  { name: 'CVR-100U / SS628 / iDR2xx (USB bulk)', kind: 'id_reader', transport: 'usb', vendorId: 0x0400, productId: 0xc35a },
  { name: 'ID reader (USB bulk, alternate id)', kind: 'id_reader', transport: 'usb', vendorId: 0x0483, productId: 0x5652 },
  { name: 'Honeywell scanner (HID POS)', kind: 'scanner', transport: 'hid', vendorId: 0x0c2e, usagePage: 0x8c, usage: 0x02 },
];

export const DeskConfigSchema = z
  .object({
    /** Hospital code from the city's list of the 37 maternity hospitals (e.g. WZ01). */
    hospitalCode: z.string().regex(/^WZ\d{2}$/, 'a hospital code like WZ01'),
    /** This desk's id, unique within the hospital. */
    deskId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _ (at most 32)'),
    /** The city API; absent = training mode with the embedded simulator. */
    cityApi: z
      .object({
        url: TransportUrl,
        /** PEM file of the CA that signed the city's certificate (hospital networks often use their own): only it is trusted. */
        caFile: z.string().min(1).max(1024).optional(),
        /** The desk's client secret. Encrypted on the desk (safeStorage) after first use. */
        clientSecret: z.string().min(8).optional(),
        /** Where the secret was moved after first use (written by the app, not by IT). */
        clientSecretEncrypted: z.string().optional(),
        timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
      })
      .strict()
      .nullable()
      .default(null),
    devices: z
      .object({
        models: z.array(DeviceModelSchema).default(DEFAULT_DEVICE_MODELS),
        barcodePatterns: z.array(BarcodePatternSchema).default(DEFAULT_BARCODE_PATTERNS),
        /** Use the simulated reader and scanner (training mode always does). */
        simulated: z.boolean().default(false),
      })
      .strict()
      .default({ models: DEFAULT_DEVICE_MODELS, barcodePatterns: DEFAULT_BARCODE_PATTERNS, simulated: false }),
    printer: z
      .object({
        /** System printer name; absent = the system default. */
        name: z.string().max(120).optional(),
        paper: z.enum(['A4', 'A5']).default('A4'),
        copies: z.number().int().min(1).max(5).default(1),
      })
      .strict()
      .default({ paper: 'A4', copies: 1 }),
    /** Minutes without input before the screen locks (the draft is kept). */
    idleLockMinutes: z.number().int().min(1).max(60).default(5),
    /** Fullscreen kiosk window with no way out but sign-out by an admin. */
    kiosk: z.boolean().default(false),
    language: LanguageSchema.default('zh-CN'),
    sync: z
      .object({
        intervalSec: z.number().int().min(5).max(3600).default(30),
        batchMaxItems: z.number().int().min(1).max(100).default(50),
        batchMaxBytes: z.number().int().min(4096).max(1_048_576).default(256 * 1024),
      })
      .strict()
      .default({ intervalSec: 30, batchMaxItems: 50, batchMaxBytes: 256 * 1024 }),
    updates: z
      .object({ url: TransportUrl.optional(), channel: z.enum(['latest', 'beta']).default('latest') })
      .strict()
      .default({ channel: 'latest' }),
    logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    /** setup area: in an installed build, honour --config / NEWBORN_DESK_CONFIG (only when IT's own file says so). */
    allowConfigOverride: z.boolean().default(false),
    /**
     * first account (issue 12 item 7): the one-time code IT types on a production desk that has no admin yet, to
     * create the first admin (build/IT-GUIDE.md). Useless once an admin exists; remove it from the file then.
     */
    setupCode: z.string().min(12, 'a set-up code of at least 12 characters').max(200).optional(),
  })
  .strict();

export type DeskConfig = z.infer<typeof DeskConfigSchema>;
export type DeskConfigInput = z.input<typeof DeskConfigSchema>;

/** Built-in defaults: a training desk at the first hospital. */
export const BUILT_IN_DEFAULTS: DeskConfigInput = { hospitalCode: 'WZ01', deskId: 'training-1' };

/** Keys a desk user may set for themselves when IT's file leaves them open. */
export const USER_SETTABLE_KEYS = ['language', 'idleLockMinutes', 'printer'] as const;

export function isTrainingMode(config: DeskConfig): boolean {
  return config.cityApi === null;
}
