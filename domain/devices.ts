/**
 * What the desk's devices report: the payloads of the `idCardRead`, `barcodeScanned` and `deviceStatus`
 * events. Defined here (domain) so that `hardware/` produces them and `core/api` pushes them unchanged.
 */
import { z } from 'zod';
import { IsoInstant, ParentSchema } from './types';

export const DeviceKindSchema = z.enum(['id_reader', 'scanner']);
export const TransportKindSchema = z.enum(['usb', 'serial', 'hid', 'keyboard', 'simulated']);
/** `reading`: a card was found and is being read (the clerk keeps it on the reader). */
export const DeviceStateSchema = z.enum(['connected', 'reading', 'disconnected', 'error']);
export type DeviceKind = z.infer<typeof DeviceKindSchema>;
export type TransportKind = z.infer<typeof TransportKindSchema>;
export type DeviceState = z.infer<typeof DeviceStateSchema>;

/**
 * Why a device is disconnected or in error, as a code the UI translates (`DEVICE_REASON_TEXT` has the plain words
 * in both languages); `detail` beside it keeps the technical English for IT.
 */
export const DEVICE_REASONS = [
  'not_found', // not on the bus (or the path does not exist)
  'unplugged', // went away while in use, or stopped answering on its port
  'port_in_use', // another program holds the port
  'no_permission', // the OS refused to open it (udev rule, group)
  'cannot_open', // present, but opening failed for another reason
  'module_missing', // the native module for this bus did not load
  'no_card', // the card moved away before it was read
  'card_unreadable', // the answer was garbled (checksum, length, text) or the reader could not read the card
  'reader_busy', // the reader did not answer in time
  'reader_fault', // the reader reported an error of its own (SAM, command)
  'bad_scan', // the scanner sent data that could not be decoded
  'scan_too_long', // a barcode longer than a desk field can hold
] as const;
export const DeviceReasonSchema = z.enum(DEVICE_REASONS);
export type DeviceReason = z.infer<typeof DeviceReasonSchema>;

/** What the clerk reads for each reason (the renderer's i18n may take these as they are). */
export const DEVICE_REASON_TEXT: Readonly<Record<DeviceReason, { 'zh-CN': string; en: string }>> = {
  not_found: { 'zh-CN': '未检测到设备，请检查连接线', en: 'Device not found: check the cable' },
  unplugged: { 'zh-CN': '设备已断开或无响应', en: 'Device unplugged or not answering' },
  port_in_use: { 'zh-CN': '端口被其他程序占用', en: 'The port is in use by another program' },
  no_permission: { 'zh-CN': '没有打开设备的权限，请联系信息科', en: 'No permission to open the device: call IT' },
  cannot_open: { 'zh-CN': '无法打开设备', en: 'The device could not be opened' },
  module_missing: { 'zh-CN': '设备驱动组件缺失，请联系信息科', en: 'The device driver component is missing: call IT' },
  no_card: { 'zh-CN': '未读到卡片，请将证件放稳后重新放卡', en: 'No card read: hold the card still and tap again' },
  card_unreadable: { 'zh-CN': '卡片无法读取，请拿开后重新放卡', en: 'The card could not be read: lift it and tap again' },
  reader_busy: { 'zh-CN': '读卡器忙或无响应，请稍后重新放卡', en: 'The reader is busy or did not answer: tap again shortly' },
  reader_fault: { 'zh-CN': '读卡器故障，请联系信息科', en: 'The reader reported a fault: call IT' },
  bad_scan: { 'zh-CN': '扫码数据无法识别，请重新扫码', en: 'The scan could not be decoded: scan again' },
  scan_too_long: { 'zh-CN': '条码过长，无法使用', en: 'The barcode is too long to use' },
};

export const DeviceErrorSchema = z.object({ reason: DeviceReasonSchema, detail: z.string().optional(), at: IsoInstant });
export type DeviceError = z.infer<typeof DeviceErrorSchema>;

export const DeviceStatusSchema = z.object({
  deviceId: z.string(),
  kind: DeviceKindSchema,
  /** Configured model name, e.g. "CVR-100U". */
  model: z.string(),
  transport: TransportKindSchema,
  state: DeviceStateSchema,
  /** Where it is: "VID:PID" (USB, HID) or the port path (serial), for the diagnostics screen. */
  address: z.string().optional(),
  /** Why it is disconnected or in error (absent when connected or reading). */
  reason: DeviceReasonSchema.optional(),
  /** Plain-words technical detail for the diagnostics screen (English, never personal data). */
  detail: z.string().optional(),
  /** The last error this device had, kept after it recovered (diagnostics: "last error"). */
  lastError: DeviceErrorSchema.optional(),
  at: IsoInstant,
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/** A card read: the parent's data with `chip` provenance set (fields read from the chip are verified). */
export const IdCardReadSchema = z.object({
  readerId: z.string(),
  parent: ParentSchema,
  at: IsoInstant,
});
export type IdCardRead = z.infer<typeof IdCardReadSchema>;

export const BarcodeKindSchema = z.enum(['wristband', 'birth_certificate', 'vaccine_batch', 'unknown']);
export type BarcodeKind = z.infer<typeof BarcodeKindSchema>;

export const BarcodeScannedSchema = z.object({
  scannerId: z.string(),
  kind: BarcodeKindSchema,
  /** The decoded value (a wristband's inpatient number, a certificate number, a vaccine batch). */
  value: z.string().max(512),
  /** AIM symbology identifier where the scanner reports one, e.g. "]C0" for Code 128. */
  symbology: z.string().optional(),
  at: IsoInstant,
});
export type BarcodeScanned = z.infer<typeof BarcodeScannedSchema>;

/** Configurable patterns that classify what was scanned (first match wins; `domain/barcodes.ts` applies them). */
export const BarcodePatternSchema = z.object({ kind: BarcodeKindSchema, pattern: z.string() });
export type BarcodePattern = z.infer<typeof BarcodePatternSchema>;
export const DEFAULT_BARCODE_PATTERNS: BarcodePattern[] = [
  { kind: 'birth_certificate', pattern: '^[A-Z]\\d{9}$' },
  { kind: 'wristband', pattern: '^ZY\\d{8,10}$' },
  { kind: 'vaccine_batch', pattern: '^(?:B|H)[0-9A-Z]{6,15}$' },
];

/** Configured device models: how to find a reader or scanner on the bus. */
export const DeviceModelSchema = z.object({
  name: z.string(),
  kind: DeviceKindSchema,
  /** `simulated`: training's reader and scanner (`path` names which: `sim-reader`, `sim-scanner`). */
  transport: z.enum(['usb', 'serial', 'hid', 'keyboard', 'simulated']),
  vendorId: z.number().int().min(0).max(0xffff).optional(),
  productId: z.number().int().min(0).max(0xffff).optional(),
  /** HID usage page / usage filter (scanners in HID POS mode: 0x8C / 0x02). */
  usagePage: z.number().int().optional(),
  usage: z.number().int().optional(),
  /** Serial readers: a fixed path (COM3, /dev/ttyUSB0) or auto-detect by VID/PID. */
  path: z.string().optional(),
  baudRate: z.number().int().optional(),
});
export type DeviceModel = z.infer<typeof DeviceModelSchema>;

/** The readers and scanners the desk knows without configuration (the config's `devices.models` adds to them). */
export const KNOWN_DEVICE_MODELS: DeviceModel[] = [
  { name: 'CVR-100U / SS628 / iDR2xx (USB bulk)', kind: 'id_reader', transport: 'usb', vendorId: 0x0400, productId: 0xc35a },
  { name: 'ID reader (USB bulk, alternate id)', kind: 'id_reader', transport: 'usb', vendorId: 0x0483, productId: 0x5652 },
  { name: 'Honeywell scanner (HID POS)', kind: 'scanner', transport: 'hid', vendorId: 0x0c2e, usagePage: 0x8c, usage: 0x02 },
];
