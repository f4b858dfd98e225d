/**
 * What the desk's devices report: the payloads of the `idCardRead`, `barcodeScanned` and `deviceStatus`
 * events. Defined here (domain) so that `hardware/` produces them and `core/api` pushes them unchanged.
 */
import { z } from 'zod';
import { IsoInstant, ParentSchema } from './types';

export const DeviceKindSchema = z.enum(['id_reader', 'scanner']);
export const TransportKindSchema = z.enum(['usb', 'serial', 'hid', 'keyboard', 'simulated']);
export const DeviceStateSchema = z.enum(['connected', 'disconnected', 'error']);
export type DeviceKind = z.infer<typeof DeviceKindSchema>;
export type TransportKind = z.infer<typeof TransportKindSchema>;
export type DeviceState = z.infer<typeof DeviceStateSchema>;

export const DeviceStatusSchema = z.object({
  deviceId: z.string(),
  kind: DeviceKindSchema,
  /** Configured model name, e.g. "CVR-100U". */
  model: z.string(),
  transport: TransportKindSchema,
  state: DeviceStateSchema,
  /** Plain-words detail for the diagnostics screen (never personal data). */
  detail: z.string().optional(),
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

/** Configurable patterns that classify what was scanned (first match wins). */
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
  transport: z.enum(['usb', 'serial', 'hid', 'keyboard']),
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
