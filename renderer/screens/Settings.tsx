/** Admin settings: staff accounts (`listStaff` / `saveStaff`) and the desk's language. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RoleSchema, type Role, type Staff } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner, fieldError } from '../components/ErrorBanner';
import { DataTable } from '../components/DataTable';
import { useDesk } from '../lib/desk';

const ROLES = RoleSchema.options;

export default function Settings() {
  const { client, session, setLanguage, announce } = useDesk();
  const { t, i18n } = useTranslation();
  const [staff, setStaff] = useState<Staff[]>([]);
  const [form, setForm] = useState({ staffId: '', displayName: '', role: 'clerk' as Role, pin: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const isAdmin = session.staff?.role === 'admin';
  const load = useCallback(() => {
    if (isAdmin) void client.listStaff({}).then((r) => (r.ok ? setStaff(r.value) : setError(r.error)));
  }, [client, isAdmin]);
  useEffect(load, [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.saveStaff({ ...form, staffId: form.staffId.trim(), displayName: form.displayName.trim() });
    if (r.ok) {
      setError(null);
      announce(t('settings.saved', { id: r.value.staffId }));
      setForm({ staffId: '', displayName: '', role: 'clerk', pin: '' });
      load();
    } else setError(r.error);
  };
  const err = (p: string) => fieldError(error, p, i18n.language);
  const input = (name: 'staffId' | 'displayName' | 'pin', label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`st-${name}`}>{label}</label>
      <input
        id={`st-${name}`}
        type={type}
        value={form[name]}
        autoComplete={name === 'pin' ? 'new-password' : 'off'}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        aria-invalid={!!err(name)}
        aria-describedby={err(name) ? `st-${name}-err` : undefined}
      />
      {err(name) && (
        <p className="field-error" id={`st-${name}-err`}>
          {err(name)}
        </p>
      )}
    </div>
  );

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      <div className="card">
        <h2 id="lang-title">{t('settings.language')}</h2>
        <div className="row" role="radiogroup" aria-labelledby="lang-title">
          {(['zh-CN', 'en'] as const).map((l) => (
            <label key={l} className="check">
              <input type="radio" name="lang" checked={i18n.language === l} onChange={() => setLanguage(l)} />
              {l === 'en' ? 'English' : '中文（简体）'}
            </label>
          ))}
        </div>
      </div>
      <div className="card">
        <h2>{t('settings.staff')}</h2>
        {!isAdmin ? (
          <p>{t('settings.adminOnly')}</p>
        ) : (
          <>
            <DataTable
              rows={staff}
              rowKey={(s) => s.staffId}
              columns={[
                { header: t('settings.staffId'), cell: (s) => s.staffId },
                { header: t('settings.displayName'), cell: (s) => s.displayName },
                { header: t('settings.role'), cell: (s) => t(`settings.role_${s.role}`) },
              ]}
            />
            {error && !error.fields?.length && <ErrorBanner error={error} />}
            <form className="grid" onSubmit={save} noValidate>
              {input('staffId', t('settings.staffId'))}
              {input('displayName', t('settings.displayName'))}
              <div className="field">
                <label htmlFor="st-role">{t('settings.role')}</label>
                <select id="st-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`settings.role_${r}`)}
                    </option>
                  ))}
                </select>
              </div>
              {input('pin', t('settings.pin'), 'password')}
              <button type="submit" className="primary">
                {t('settings.save')}
              </button>
            </form>
          </>
        )}
      </div>
    </section>
  );
}
