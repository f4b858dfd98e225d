/**
 * The review's services (issue 12): exactly what submit will file, computed from the form's data now (the same
 * `toInput` submit sends, the same rule table the desk derives from). A chosen service that cannot be filed shows
 * why, a link to the field to fill, and "不办理此项" (decline, with a reason the receipt prints); a declined one
 * shows its reason and can be filed after all.
 */
import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { bundleLines, type BundleLine } from '../../domain/bundle-plan';
import { SERVICE_LABELS, type Service } from '../../domain/codes';
import { listOf, loc } from '../i18n';
import { fieldId } from './fields';
import { toInput, type FormValues } from './model';

export function ReviewServices({ v }: { v: FormValues }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const lines = bundleLines(toInput(v));
  const listed = lines.filter((l) => l.state !== 'declined');
  return <span className="wrap" data-testid="review-services">{listOf(listed.map((l) => loc(SERVICE_LABELS[l.service], lang)), lang) || '—'}</span>;
}

export function ReviewProblems({ v }: { v: FormValues }) {
  const { t } = useTranslation();
  const lines = bundleLines(toInput(v)).filter((l) => l.state !== 'filed');
  if (lines.length === 0) return null;
  return (
    <div className="banner warn" data-testid="review-problems">
      <h3>{t(lines.some((l) => l.state === 'blocked') ? 'bundle.review.toResolve' : 'bundle.review.notFiled')}</h3>
      <ul className="plain">
        {lines.map((l) => (
          <ProblemLine key={l.service} line={l} />
        ))}
      </ul>
    </div>
  );
}

function ProblemLine({ line }: { line: BundleLine }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { setValue, getValues } = useFormContext<FormValues>();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const name = loc(SERVICE_LABELS[line.service], lang);
  const setDeclined = (s: Service, r: string | undefined) => {
    const cur = { ...(getValues('declined') ?? {}) };
    if (r === undefined) delete cur[s];
    else cur[s] = r;
    setValue('declined', cur, { shouldDirty: true });
  };
  if (line.state === 'declined') {
    return (
      <li data-bundle-line={line.service} data-state="declined">
        <strong>{name}</strong> — {t('bundle.review.declined', { reason: line.declinedReason })}{' '}
        <button type="button" className="link small" onClick={() => setDeclined(line.service, undefined)}>
          {t('bundle.review.undoDecline')}
        </button>
      </li>
    );
  }
  const inputId = `decline-${line.service}`;
  return (
    <li data-bundle-line={line.service} data-state="blocked">
      <strong>{name}</strong> — {t('bundle.review.blocked', { reason: line.reason ? loc(line.reason, lang) : '' })}{' '}
      {line.field && line.field !== 'services' && (
        <a className="small" href={`#${fieldId(line.field)}`} onClick={(e) => { e.preventDefault(); document.getElementById(fieldId(line.field!))?.focus(); }}>
          {t('bundle.review.goTo')}
        </a>
      )}{' '}
      {!open ? (
        <button type="button" className="link small" onClick={() => setOpen(true)}>
          {t('bundle.review.decline')}
        </button>
      ) : (
        <span className="row">
          <label htmlFor={inputId}>{t('bundle.review.declineReason', { service: name })}</label>
          <input id={inputId} type="text" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" disabled={reason.trim().length < 2} onClick={() => setDeclined(line.service, reason.trim())}>
            {t('bundle.review.declineConfirm')}
          </button>
        </span>
      )}
    </li>
  );
}
