/** Search registrations: free text (ID number, name, phone, bundle id, certificate number), dates, state. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodResult, SearchQuery } from '../../core/api/contract';
import { REQUEST_STATES, type RequestState } from '../../domain/codes';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner } from '../components/ErrorBanner';
import { RegistrationTable } from '../components/RegistrationTable';
import { useDesk } from '../lib/desk';

export default function Registrations({ initialText }: { initialText?: string | undefined }) {
  const { client, consumer } = useDesk();
  const { t } = useTranslation();
  const [text, setText] = useState(initialText ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [state, setState] = useState<RequestState | ''>('');
  const [result, setResult] = useState<MethodResult<'listRegistrations'> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const limit = 25;
  const searchRef = useRef<HTMLInputElement>(null);

  const run = (q: { text: string; from: string; to: string; state: RequestState | ''; limit: number }, cursor?: string) => {
    const query: SearchQuery = { limit: q.limit };
    if (cursor) query.cursor = cursor;
    if (q.text.trim()) query.text = q.text.trim();
    if (q.from) query.from = q.from;
    if (q.to) query.to = q.to;
    if (q.state) query.state = q.state;
    void client.listRegistrations(query).then((r) => {
      if (r.ok) {
        setResult((old) => (cursor && old ? { items: [...old.items, ...r.value.items], nextCursor: r.value.nextCursor } : r.value));
        setError(null);
      } else setError(r.error);
    });
  };

  useEffect(() => {
    searchRef.current?.focus();
    run({ text, from, to, state, limit });
    // A scanned certificate number or a tapped card lands in the search box.
    consumer.current = {
      onCard: (e) => {
        setText(e.parent.docNumber);
        run({ text: e.parent.docNumber, from, to, state, limit });
      },
      onScan: (e) => {
        setText(e.value);
        run({ text: e.value, from, to, state, limit });
        return true;
      },
    };
    return () => {
      consumer.current = null;
    };
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run({ text, from, to, state, limit });
  };

  const fieldErr = (p: string) => error?.fields?.find((f) => f.path === p);
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title" tabIndex={-1}>
        {t('list.title')}
      </h1>
      <form className="search card" onSubmit={submit} role="search">
        <div className="field wide">
          <label htmlFor="q-text">
            {t('list.search')} <kbd>F2</kbd>
          </label>
          <input id="q-text" ref={searchRef} type="search" value={text} onChange={(e) => setText(e.target.value)} data-autofocus />
        </div>
        <div className="field">
          <label htmlFor="q-from">{t('list.from')}</label>
          <input id="q-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={!!fieldErr('from')} />
        </div>
        <div className="field">
          <label htmlFor="q-to">{t('list.to')}</label>
          <input id="q-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={!!fieldErr('to')} />
        </div>
        <div className="field">
          <label htmlFor="q-state">{t('list.state')}</label>
          <select
            id="q-state"
            value={state}
            onChange={(e) => {
              const s = e.target.value as RequestState | '';
              setState(s);
              run({ text, from, to, state: s, limit });
            }}
          >
            <option value="">{t('list.any')}</option>
            {REQUEST_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          {t('list.go')}
        </button>
      </form>
      {error && <ErrorBanner error={error} />}
      {result && (
        <>
          <p role="status">{t('list.results', { count: result.items.length })}</p>
          {result.items.length === 0 ? (
            <p>{t('list.empty')}</p>
          ) : (
            <RegistrationTable items={result.items} />
          )}
          {result.nextCursor && (
            <button type="button" onClick={() => run({ text, from, to, state, limit }, result.nextCursor ?? undefined)}>
              {t('list.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
