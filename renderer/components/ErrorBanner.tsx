/** An error in plain words (the contract's bilingual message already says what to do next), focusable and announced. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../core/api/result';
import { loc } from '../i18n';

/** The message, in the clerk's language, of the error's issue at one field (`path`), if it has one. */
export function fieldError(error: ApiError | null, path: string, language: string): string | null {
  const f = error?.fields?.find((x) => x.path === path);
  return f ? loc(f.message, language) : null;
}

export function ErrorBanner({ error, onDismiss }: { error: ApiError; onDismiss?: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  const message = i18n.language === 'en' ? error.message : error.messageZh;
  return (
    <div className="banner error" role="alert" tabIndex={-1} ref={ref} data-error-code={error.code}>
      <p>{message}</p>
      {error.fields && error.fields.length > 0 && (
        <ul>
          {error.fields.slice(0, 8).map((f) => (
            <li key={f.path + f.code}>{loc(f.message, i18n.language)}</li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          {t('err.dismiss')}
        </button>
      )}
    </div>
  );
}
