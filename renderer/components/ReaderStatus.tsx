/**
 * The card reader's state in plain words, always in the header (devices area): connected, reading (keep the card
 * on the reader), error with its reason, or disconnected with its reason. Kept current by the desk's
 * `deviceStatus` events; a live region, so the clerk hears a change without looking.
 */
import { useTranslation } from 'react-i18next';
import { DEVICE_REASON_TEXT, type DeviceStatus } from '../../domain/devices';
import { useDevices } from './useDevices';

const RANK: Record<DeviceStatus['state'], number> = { reading: 0, connected: 1, error: 2, disconnected: 3 };

/** The reason in the clerk's language (the domain's plain words). */
export function reasonText(reason: DeviceStatus['reason'], language: string): string {
  return reason ? DEVICE_REASON_TEXT[reason][language === 'en' ? 'en' : 'zh-CN'] : '';
}

export function ReaderStatus() {
  const { t, i18n } = useTranslation();
  const devices = useDevices();
  const reader = devices.filter((d) => d.kind === 'id_reader').sort((a, b) => RANK[a.state] - RANK[b.state])[0];
  const state = reader?.state ?? 'none';
  const reason = reader && (reader.state === 'error' || reader.state === 'disconnected') ? reasonText(reader.reason, i18n.language) : '';
  return (
    <div className={`reader-status chip dev-${state}`} role="status" aria-label={t('devices.readerLabel')} data-testid="reader-status" data-state={state}>
      <span>{t(`devices.reader_${state}`)}</span>
      {reason && <span data-testid="reader-reason"> · {reason}</span>}
    </div>
  );
}
