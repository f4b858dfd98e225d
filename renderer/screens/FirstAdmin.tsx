/**
 * First account (issue 12 item 7): the sign-in screen's variant on a production desk without an admin. IT types
 * the set-up code from the config file and the first admin's id, name and PIN; the desk creates the account
 * (audited), signs it in, and the set-up is gone. There is no default PIN.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner, fieldError } from '../components/ErrorBanner';
import { useDesk } from '../lib/desk';

export function FirstAdmin({ codeConfigured, onSession }: { codeConfigured: boolean; onSession: (s: SessionInfo) => void }) {
  const { client } = useDesk();
  const { t, i18n } = useTranslation();
  const [v, setV] = useState({ setupCode: '', staffId: '', displayName: '', pin: '', pin2: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (v.pin !== v.pin2) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    const r = await client.setUpFirstAdmin({ setupCode: v.setupCode.trim(), staffId: v.staffId.trim(), displayName: v.displayName.trim(), pin: v.pin });
    setBusy(false);
    if (r.ok) onSession(r.value);
    else setError(r.error);
  };
  const err = (path: string) => fieldError(error, path, i18n.language);
  const fields: { key: keyof typeof v; label: string; type?: string; path: string }[] = [
    { key: 'setupCode', label: t('firstAdmin.code'), type: 'password', path: 'setupCode' },
    { key: 'staffId', label: t('firstAdmin.staffId'), path: 'staffId' },
    { key: 'displayName', label: t('firstAdmin.name'), path: 'displayName' },
    { key: 'pin', label: t('firstAdmin.pin'), type: 'password', path: 'pin' },
    { key: 'pin2', label: t('firstAdmin.pin2'), type: 'password', path: 'pin2' },
  ];
  const shownAtField = fields.some((f) => err(f.path));
  return (
    <main id="main" className="signin" tabIndex={-1}>
      <form onSubmit={submit} className="card narrow" aria-labelledby="first-admin-title" noValidate>
        <h1 id="first-admin-title">{t('firstAdmin.title')}</h1>
        <p>{t('firstAdmin.intro')}</p>
        {!codeConfigured && (
          <p className="warn-text" role="alert">
            {t('firstAdmin.noCode')}
          </p>
        )}
        {error && !shownAtField && <ErrorBanner error={error} />}
        {fields.map((f) => {
          const message = f.key === 'pin2' && mismatch ? t('firstAdmin.pinMismatch') : err(f.path);
          const id = `first-admin-${f.key}`;
          return (
            <div className="field" key={f.key}>
              <label htmlFor={id}>{f.label}</label>
              <input id={id} type={f.type ?? 'text'} value={v[f.key]} onChange={set(f.key)} aria-invalid={!!message} aria-describedby={message ? `${id}-err` : undefined} autoComplete="off" required />
              {message && (
                <p id={`${id}-err`} className="field-error">
                  {message}
                </p>
              )}
            </div>
          );
        })}
        <button type="submit" className="primary" disabled={busy || !codeConfigured}>
          {t('firstAdmin.submit')}
        </button>
      </form>
    </main>
  );
}
