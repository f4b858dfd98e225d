/**
 * IPC channel names, in one place for both sides (Mattermost's habit). No imports but types, so the
 * sandboxed preload bundle stays small.
 */
import type { MethodName } from '../../core/api/methods';

export const CHANNELS = {
  /** One channel per KioskApi method: `kiosk:<method>`. */
  method: (name: MethodName) => `kiosk:${name}`,
  /** Every pushed event: `(eventName, payload)`. */
  event: 'kiosk:event',
  /** The shell's own: save a registration's receipt PDF (printing is KioskApi's `printReceipt`). */
  saveReceipt: 'desk:save-receipt',
} as const;
