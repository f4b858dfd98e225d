/** Staff sign-in (staff id + PIN) and the lock screen (PIN only; the draft behind it is kept). */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PIN_PATTERN, STAFF_ID_PATTERN, type SessionInfo } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner, fieldError } from '../components/ErrorBanner';
import { useDesk } from '../lib/desk';
import type { FlushOutcome } from '../lib/drafts';
import { FirstAdmin } from './FirstAdmin';

export function SignIn({ onSession }: { onSession: (s: SessionInfo) => void }) {
  const { client, session } = useDesk();
  const { t, i18n } = useTranslation();
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const idRef = useRef<HTMLInputElement>(null);
  useEffect(() => idRef.current?.focus(), []);
  // first account (issue 12 item 7): a production desk without an admin shows IT's set-up instead.
  const [firstAdmin, setFirstAdmin] = useState<{ available: boolean; codeConfigured: boolean } | null>(null);
  useEffect(() => {
    void client.firstAdminStatus({}).then((r) => r.ok && setFirstAdmin(r.value));
  }, [client]);

  // A field left empty or mistyped is named in the page's language before anything is sent.
  const [local, setLocal] = useState<{ staffId?: string; pin?: string }>({});
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = staffId.trim();
    const found = {
      ...(id === '' ? { staffId: t('signIn.staffIdEmpty') } : !STAFF_ID_PATTERN.test(id) ? { staffId: t('signIn.staffIdInvalid') } : {}),
      ...(pin === '' ? { pin: t('signIn.pinEmpty') } : !PIN_PATTERN.test(pin) ? { pin: t('signIn.pinInvalid') } : {}),
    };
    setLocal(found);
    if (found.staffId || found.pin) {
      setError(null);
      (found.staffId ? idRef.current : document.getElementById('signin-pin'))?.focus();
      return;
    }
    setBusy(true);
    const r = await client.signIn({ staffId: id, pin });
    setBusy(false);
    if (r.ok) {
      setError(null);
      onSession(r.value);
    } else {
      setError(r.error);
      setPin('');
    }
  };
  if (firstAdmin?.available) return <FirstAdmin codeConfigured={firstAdmin.codeConfigured} onSession={onSession} />;
  const idErr = local.staffId ?? fieldError(error, 'staffId', i18n.language);
  const pinErr = local.pin ?? fieldError(error, 'pin', i18n.language);
  return (
    <main id="main" className="signin" tabIndex={-1}>
      <form onSubmit={submit} className="card narrow" aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.desk', { hospital: i18n.language === 'en' ? session.hospital.nameEn : session.hospital.name, desk: session.deskId })}</p>
        {error && !idErr && !pinErr && <ErrorBanner error={error} />}
        <div className="field">
          <label htmlFor="signin-staff">{t('signIn.staffId')}</label>
          <input id="signin-staff" ref={idRef} name="staffId" autoComplete="username" value={staffId} onChange={(e) => setStaffId(e.target.value)} aria-invalid={!!idErr} aria-describedby={idErr ? 'signin-staff-err' : undefined} required />
          {idErr && <p id="signin-staff-err" className="field-error">{idErr}</p>}
        </div>
        <div className="field">
          <label htmlFor="signin-pin">{t('signIn.pin')}</label>
          <input id="signin-pin" name="pin" type="password" inputMode="numeric" autoComplete="current-password" value={pin} onChange={(e) => setPin(e.target.value)} aria-invalid={!!pinErr} aria-describedby={pinErr ? 'signin-pin-err' : undefined} required />
          {pinErr && <p id="signin-pin-err" className="field-error">{pinErr}</p>}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
        {session.training && <p className="hint">{t('signIn.trainingHint')}</p>}
      </form>
    </main>
  );
}

export function LockScreen({ onSession, onSignOut, draft = null }: { onSession: (s: SessionInfo) => void; onSignOut: () => void; draft?: FlushOutcome | null }) {
  const { client, session } = useDesk();
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.unlock({ pin });
    setPin('');
    if (r.ok) {
      setError(null);
      onSession(r.value);
    } else setError(r.error);
  };
  return (
    <main id="main" className="signin" tabIndex={-1}>
      <form onSubmit={submit} className="card narrow" aria-labelledby="lock-title" noValidate>
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p>{t('lockDraft.who', { name: session.staff?.displayName ?? '' })}</p>
        {draft === 'saved' && <p data-testid="lock-draft">{t('lockDraft.saved')}</p>}
        {draft === 'failed' && (
          <p data-testid="lock-draft" className="warn-text" role="alert">
            {t('lockDraft.failed')}
          </p>
        )}
        {error && <ErrorBanner error={error} />}
        <div className="field">
          <label htmlFor="lock-pin">{t('signIn.pin')}</label>
          <input id="lock-pin" ref={ref} type="password" inputMode="numeric" autoComplete="current-password" value={pin} onChange={(e) => setPin(e.target.value)} />
        </div>
        <div className="row">
          <button type="submit" className="primary">
            {t('lock.unlock')}
          </button>
          <button type="button" onClick={onSignOut}>
            {t('lock.signOut')}
          </button>
        </div>
      </form>
    </main>
  );
}
