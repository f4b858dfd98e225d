/**
 * Diagnostics' device block (devices area): each reader and scanner with its model, transport, where it is
 * (VID:PID or the port path), its state with the reason in plain words, and its last error (kept after it
 * recovered). The same list `npm run devices -- --probe` prints.
 */
import { useTranslation } from 'react-i18next';
import { formatTime } from '../lib/desk';
import { reasonText } from './ReaderStatus';
import { useDevices } from './useDevices';

/** A device's model or detail as the hardware names it, in the clerk's language where known (diagnostics.json). */
function said(t: (k: string, o: { defaultValue: string }) => string, text: string, lang: string): string {
  const whole = t(`deviceText.${text}`, { defaultValue: '' });
  if (whole) return whole;
  // "reader ready, SAM 05.01-…": the words before the first comma, the identifiers after it as they are
  const cut = text.indexOf(', ');
  const head = cut > 0 ? t(`deviceText.${text.slice(0, cut)}`, { defaultValue: '' }) : '';
  return head ? `${head}${lang === 'en' ? ', ' : '，'}${text.slice(cut + 2)}` : text;
}

export function DeviceList() {
  const { t, i18n } = useTranslation();
  const devices = useDevices();
  return (
    <div className="card device-card" data-testid="device-list">
      <h2 id="diag-devices">{t('diag.devices')}</h2>
      {devices.length === 0 ? (
        <p className="warn-text">{t('diag.noDevices')}</p>
      ) : (
        <table aria-labelledby="diag-devices" className="device-table">
          <thead>
            <tr>
              <th scope="col">{t('devices.col_device')}</th>
              <th scope="col">{t('devices.col_transport')}</th>
              <th scope="col">{t('devices.col_address')}</th>
              <th scope="col">{t('devices.col_state')}</th>
              <th scope="col">{t('devices.col_lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.deviceId} data-device={d.kind} data-state={d.state}>
                <th scope="row">
                  {t(`diag.kind_${d.kind}`)}
                  <div className="hint">{said(t, d.model, i18n.language)}</div>
                </th>
                <td>{t(`devices.transport_${d.transport}`)}</td>
                <td>
                  <code>{d.address ?? '—'}</code>
                </td>
                <td>
                  <span className={`chip dev-${d.state}`}>{t(`devices.state_${d.state}`)}</span>
                  {d.reason && <div>{reasonText(d.reason, i18n.language)}</div>}
                  {d.detail && <div className="hint">{said(t, d.detail, i18n.language)}</div>}
                </td>
                <td>
                  {d.lastError ? (
                    <>
                      {reasonText(d.lastError.reason, i18n.language)} <span className="hint">{formatTime(d.lastError.at, i18n.language)}</span>
                      {d.lastError.detail && <div className="hint">{d.lastError.detail}</div>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
