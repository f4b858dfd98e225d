/**
 * The clerk's application: sign-in and lock, the header (navigation, sync indicator, language, TRAINING
 * banner), keyboard shortcuts, and the screens. Heavy screens are lazy-loaded so the first paint carries only
 * sign-in, home and the registration form.
 */
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskClient } from '../core/api/client';
import type { SessionInfo } from '../core/api/contract';
import type { ApiError } from '../core/api/result';
import { Desk, type DeskContext, type DeviceConsumer, type Route } from './lib/desk';
import { nextFormKey, type FormKey } from './lib/form-key';
import { installWedge } from './lib/wedge';
import { ReaderStatus } from './components/ReaderStatus';
import { flushDrafts, type FlushOutcome } from './lib/drafts';
import { lazyWithReload, useDeskReconnect } from './lib/reconnect';
import type { BarcodeScanned } from '../domain/devices';
import { SignIn, LockScreen } from './screens/SignIn';
import { Home } from './screens/Home';
import { Registration } from './form/Registration';
import { SyncIndicator } from './components/SyncIndicator';
import { ErrorBanner } from './components/ErrorBanner';
import { ShortcutsDialog } from './components/Shortcuts';
import { TrainingPanel } from './components/TrainingPanel';

const Registrations = lazyWithReload(() => import('./screens/Registrations'));
const Detail = lazyWithReload(() => import('./screens/Detail'));
const Diagnostics = lazyWithReload(() => import('./screens/Diagnostics'));
const Settings = lazyWithReload(() => import('./screens/Settings'));
const Receipt = lazyWithReload(() => import('./screens/Receipt'));

export function App({ client }: { client: KioskClient }) {
  const { t, i18n } = useTranslation();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const [route, setRoute] = useState<Route>({ name: 'home' });
  const [error, setError] = useState<ApiError | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [help, setHelp] = useState(false);
  const [currentDraftId, setCurrentDraftId] = useState<string | null>(null);
  // drafts area (clerk walk): the open form stays mounted when the route names its own draft (renderer/lib/form-key.ts)
  const [formKey, setFormKey] = useState<FormKey>({ route: null, key: 'new' });
  if (formKey.route !== route) setFormKey(nextFormKey(formKey, route, currentDraftId));
  const consumer = useRef<DeviceConsumer | null>(null);
  const submitRef = useRef<(() => void) | null>(null);
  const mainRef = useRef<HTMLElement>(null);

  const applySession = useCallback(
    (s: SessionInfo) => {
      setSession(s);
      if (s.language !== i18n.language) void i18n.changeLanguage(s.language);
    },
    [i18n],
  );

  useEffect(() => {
    document.documentElement.lang = i18n.language === 'en' ? 'en' : 'zh-CN';
    document.title = t('app.title');
  }, [i18n.language, t]);

  useEffect(() => {
    let alive = true;
    void client.getSession({}).then((r) => {
      if (!alive) return;
      if (r.ok) applySession(r.value);
      else setBootError(r.error);
    });
    const off = client.on('sessionChanged', (s) => applySession(s));
    return () => {
      alive = false;
      off();
    };
  }, [client, applySession]);

  // Browser mode: the desk process restarted (issue 12 item 8): take its session as it now is.
  useDeskReconnect(client, applySession);

  // A message read out in one language is not left behind for the other (a walk found the old language there).
  useEffect(() => {
    const clear = () => setAnnouncement('');
    i18n.on('languageChanged', clear);
    return () => i18n.off('languageChanged', clear);
  }, [i18n]);

  const announce = useCallback((m: string) => {
    // Clearing first makes screen readers repeat an identical message.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(m));
  }, []);

  const navigate = useCallback((r: Route) => {
    setRoute(r);
    setError(null);
    requestAnimationFrame(() => {
      const h = mainRef.current?.querySelector<HTMLElement>('[data-autofocus]') ?? mainRef.current?.querySelector<HTMLElement>('h1');
      h?.focus();
    });
  }, []);

  const setLanguage = useCallback(
    (lang: 'zh-CN' | 'en') => {
      void i18n.changeLanguage(lang);
      void client.setLanguage({ language: lang }).then((r) => r.ok && setSession(r.value));
    },
    [client, i18n],
  );

  const active = !!session?.signedIn && !session.locked;

  // Card reader and scanner: the screen that asked gets them; otherwise a card tap starts a registration.
  useEffect(() => {
    if (!active) return;
    const offCard = client.on('idCardRead', (e) => {
      const at = performance.now();
      if (consumer.current?.onCard) consumer.current.onCard(e, at);
      else navigate({ name: 'new', ...(currentDraftId ? { draftId: currentDraftId } : {}), pending: { kind: 'card', event: e, at } });
    });
    const routeScan = (e: BarcodeScanned) => {
      const at = performance.now();
      if (consumer.current?.onScan?.(e, at)) return;
      if (consumer.current) return;
      if (e.kind === 'birth_certificate') navigate({ name: 'registrations', text: e.value });
      else if (e.kind === 'wristband' || e.kind === 'vaccine_batch') navigate({ name: 'new', ...(currentDraftId ? { draftId: currentDraftId } : {}), pending: { kind: 'scan', event: e, at } });
    };
    const offScan = client.on('barcodeScanned', routeScan);
    // Keyboard-wedge scanners type into the window: told from typing by timing.
    const offWedge = installWedge(routeScan, session?.barcodePatterns); // devices area: the config's patterns
    return () => {
      offCard();
      offScan();
      offWedge();
    };
  }, [client, active, navigate, currentDraftId, session?.barcodePatterns]);

  // Nothing typed is lost (issue 12 item 3): the open draft is saved before the screen locks, and the lock screen
  // says it is kept only when that save succeeded.
  const [lockDraft, setLockDraft] = useState<FlushOutcome | null>(null);
  // Only the lock that flushed may claim the draft is kept: any other lock (from elsewhere) says nothing.
  const lockedNow = !!session?.locked;
  useEffect(() => {
    if (!lockedNow) setLockDraft(null);
  }, [lockedNow]);
  const lockAfterFlush = useCallback(async () => {
    const outcome = await flushDrafts();
    setLockDraft(outcome);
    const r = await client.lock({});
    if (r.ok) applySession(r.value);
  }, [client, applySession]);

  // Idle lock: no key, click or scroll for `idleLockMinutes` locks the screen (the draft stays).
  useEffect(() => {
    if (!active || !session) return;
    const ms = session.idleLockMinutes * 60_000;
    let timer = setTimeout(fire, ms);
    function fire() {
      void lockAfterFlush();
    }
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(fire, ms);
    };
    const evs = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of evs) window.addEventListener(e, reset, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      for (const e of evs) window.removeEventListener(e, reset, { capture: true });
    };
  }, [active, session, lockAfterFlush]);

  const lockNow = useCallback(() => {
    void lockAfterFlush();
  }, [lockAfterFlush]);
  const signOut = useCallback(() => {
    // Nothing typed is lost: the open draft is saved before the form goes away (when locked it was saved at the lock).
    void (session?.locked ? Promise.resolve() : flushDrafts()).then(() => client.signOut({})).then((r) => {
      if (r.ok) {
        applySession(r.value);
        setRoute({ name: 'home' });
      }
    });
  }, [client, applySession, session?.locked]);

  // Keyboard shortcuts (layout-independent: by physical key).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const alt = e.altKey && !e.ctrlKey && !e.metaKey;
      let handled = true;
      // Language works everywhere (sign-in and lock too); the rest only when signed in and unlocked.
      if (alt && e.code === 'KeyE') setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en');
      else if (!active) handled = false;
      else if (e.key === 'F2') navigate({ name: 'registrations' });
      else if (e.key === 'F1') setHelp((h) => !h);
      else if (alt && e.code === 'KeyN') navigate({ name: 'new', ...(currentDraftId ? { draftId: currentDraftId } : {}) });
      else if (alt && e.code === 'KeyS') {
        if (submitRef.current) submitRef.current();
        else handled = false;
      } else if (alt && e.code === 'KeyH') navigate({ name: 'home' });
      else if (alt && e.code === 'KeyL') lockNow();
      else if (alt && e.code === 'KeyY') void client.syncNow({});
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [active, navigate, currentDraftId, lockNow, client, setLanguage, i18n.language]);

  const ctx = useMemo<DeskContext | null>(
    () =>
      session && {
        client,
        session,
        route,
        navigate,
        announce,
        showError: setError,
        consumer,
        submitRef,
        currentDraftId,
        setCurrentDraftId,
        setLanguage,
      },
    [client, session, route, navigate, announce, currentDraftId, setLanguage],
  );

  if (!session || !ctx) {
    return (
      <main className="boot" aria-busy={!bootError}>
        {bootError ? <ErrorBanner error={bootError} onDismiss={() => location.reload()} /> : <p>{t('common.loading')}</p>}
      </main>
    );
  }

  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const isAdmin = session.staff?.role === 'admin';
  const nav: { route: Route; label: string; key: string; current: boolean }[] = [
    { route: { name: 'home' }, label: t('nav.home'), key: 'Alt+H', current: route.name === 'home' },
    { route: { name: 'new', ...(currentDraftId ? { draftId: currentDraftId } : {}) }, label: t('nav.new'), key: 'Alt+N', current: route.name === 'new' || route.name === 'amend' },
    { route: { name: 'registrations' }, label: t('nav.registrations'), key: 'F2', current: route.name === 'registrations' || route.name === 'detail' },
    { route: { name: 'diagnostics' }, label: t('nav.diagnostics'), key: '', current: route.name === 'diagnostics' },
    ...(isAdmin ? [{ route: { name: 'settings' } as Route, label: t('nav.settings'), key: '', current: route.name === 'settings' }] : []),
  ];

  return (
    <Desk.Provider value={ctx}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      {session.training && (
        <div className="training-banner" role="note">
          TRAINING · {t('app.training')}
        </div>
      )}
      <header className="top">
        <div className="brand">
          <strong>{t('app.title')}</strong>
          <span className="muted">
            {i18n.language === 'en' ? session.hospital.nameEn : session.hospital.name} · {session.deskId}
          </span>
        </div>
        {active && (
          <nav aria-label={t('nav.main')} className="mainnav">
            {nav.map((n) => (
              <button key={n.label} type="button" aria-current={n.current ? 'page' : undefined} onClick={() => navigate(n.route)}>
                {n.label}
                {n.key && <kbd>{n.key}</kbd>}
              </button>
            ))}
          </nav>
        )}
        <div className="top-right">
          {session.signedIn && <SyncIndicator />}
          {session.signedIn && <ReaderStatus /> /* devices area */}
          <button type="button" className="link" lang={lang === 'en' ? 'zh-CN' : 'en'} title={t('nav.languageLabel')} onClick={() => setLanguage(lang === 'en' ? 'zh-CN' : 'en')}>
            {t('nav.language')} <kbd>Alt+E</kbd>
          </button>
          {active && (
            <>
              <button type="button" className="link" onClick={() => setHelp(true)}>
                {t('nav.shortcuts')} <kbd>F1</kbd>
              </button>
              <span className="who">{session.staff?.displayName}</span>
              <button type="button" className="link" onClick={lockNow}>
                {t('nav.lock')} <kbd>Alt+L</kbd>
              </button>
              <button type="button" className="link" onClick={signOut}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <div aria-live="polite" role="status" className="announcer">
        {announcement}
      </div>
      {!session.signedIn ? (
        <SignIn onSession={applySession} />
      ) : (
        <>
          {session.locked && <LockScreen onSession={applySession} onSignOut={signOut} draft={lockDraft} />}
          <div className="app-body" hidden={session.locked}>
            <main id="main" ref={mainRef} tabIndex={-1}>
              {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
              <Suspense fallback={<p>{t('common.loading')}</p>}>
                {route.name === 'home' && <Home />}
                {(route.name === 'new' || route.name === 'amend') && (
                  <Registration
                    key={formKey.route === route ? formKey.key : nextFormKey(formKey, route, currentDraftId).key}
                    draftId={route.name === 'new' ? route.draftId : undefined}
                    pending={route.name === 'new' ? route.pending : undefined}
                    amend={route.name === 'amend' ? { registrationId: route.registrationId, requestId: route.requestId } : undefined}
                  />
                )}
                {route.name === 'receipt' && <Receipt registrationId={route.registrationId} requests={route.requests} />}
                {route.name === 'registrations' && <Registrations initialText={route.text} />}
                {route.name === 'detail' && <Detail id={route.id} />}
                {route.name === 'diagnostics' && <Diagnostics />}
                {route.name === 'settings' && <Settings />}
              </Suspense>
            </main>
            {session.training && active && <TrainingPanel />}
          </div>
        </>
      )}
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </Desk.Provider>
  );
}
