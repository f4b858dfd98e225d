/** Today at this desk: counts by request state, recent registrations, unfinished drafts. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Draft, MethodResult } from '../../core/api/contract';
import { REQUEST_STATES } from '../../domain/codes';
import { ErrorBanner } from '../components/ErrorBanner';
import { RegistrationTable } from '../components/RegistrationTable';
import { formatMinute, formatTime, useDesk } from '../lib/desk';
import type { ApiError } from '../../core/api/result';

export function Home() {
  const { client, navigate, session } = useDesk();
  const { t, i18n } = useTranslation();
  const [today, setToday] = useState<MethodResult<'todaySummary'> | null>(null);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () => {
      void client.todaySummary({}).then((r) => alive && (r.ok ? setToday(r.value) : setError(r.error)));
    };
    load();
    void client.listDrafts({}).then((r) => alive && r.ok && setDrafts(r.value));
    const off = client.on('requestStatusChanged', load);
    const timer = setInterval(load, 10_000);
    return () => {
      alive = false;
      off();
      clearInterval(timer);
    };
  }, [client]);

  return (
    <section aria-labelledby="home-title" className="home">
      <h1 id="home-title" tabIndex={-1}>
        {t('home.title')}
      </h1>
      {error && <ErrorBanner error={error} />}
      <div className="home-grid">
        <div className="card start">
          <p className="big">{t('home.tapToStart')}</p>
          <button type="button" className="primary" data-autofocus onClick={() => navigate({ name: 'new' })}>
            {t('nav.new')} <kbd>Alt+N</kbd>
          </button>
        </div>
        <div className="card" aria-labelledby="home-count">
          <h2 id="home-count">{today ? t('home.count', { count: today.registrations }) : t('common.loading')}</h2>
          {today && (
            <dl className="counts" aria-label={t('home.byState')}>
              {REQUEST_STATES.map((s) => (
                <div key={s} className={`count state-${s}`}>
                  <dt>{t(`state.${s}`)}</dt>
                  <dd data-testid={`count-${s}`}>{today.countsByState[s] ?? 0}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </div>
      {drafts.length > 0 && (
        <div className="card">
          <h2>{t('home.drafts')}</h2>
          <ul className="plain">
            {drafts.map((d) => {
              const mother = (d.data.mother as { name?: string } | undefined)?.name;
              // drafts for the same mother are told apart by the child's birth time (issue 12)
              const birth = formatMinute((d.data.child as { birthDateTime?: string } | undefined)?.birthDateTime);
              const name = birth ? `${mother || t('home.unnamed')} · ${t('friction.draftBirth', { time: birth })}` : mother || t('home.unnamed');
              return (
                <li key={d.id}>
                  <button type="button" className="link" onClick={() => navigate({ name: 'new', draftId: d.id })}>
                    {t('home.resume')}: {t('home.draftOf', { name, time: formatTime(d.updatedAt, i18n.language) })}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="card">
        <h2>{t('home.recent')}</h2>
        {today && today.recent.length === 0 && <p>{t('home.none')}</p>}
        {today && today.recent.length > 0 && (
          <RegistrationTable items={today.recent} />
        )}
      </div>
      {session.training && <p className="hint">{t('signIn.trainingHint')}</p>}
    </section>
  );
}
