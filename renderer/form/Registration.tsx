/**
 * New registration: one page in sections (mother, father, child, declaration and services, evidences, review).
 * A card tap fills the parent section that has focus (or the next empty one) and says so; chip-read fields are
 * verified and read-only until unlocked; a scanned wristband or vaccine batch lands in its field; defaults follow
 * from what was read (district, guardian, evidences, services). Instant local checks while typing, the desk's
 * `validateDraft` report at each field, the duplicate-birth warning, then submit → receipt. The draft is saved
 * as the clerk types (debounced) and survives lock, crash and restart.
 *
 * This file loads the form and lays it out; the concerns live in hooks: `useAutosave` (saving and checking as the
 * clerk types), `useFollowers` (defaults that follow), `useDeviceFill` (card reader and scanner), `useSubmit`
 * (submit, amend, duplicates, discard).
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { v7 as uuidv7 } from 'uuid';
import type { Localized } from '../../domain/idnumber';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner } from '../components/ErrorBanner';
import { loc } from '../i18n';
import { useDesk, type PendingDeviceEvent } from '../lib/desk';
import { memory } from '../lib/memory';
import { formResolver } from './checks';
import { DuplicateDialog } from './DuplicateDialog';
import { FormUiContext, fieldId, type FormUi } from './fields';
import { FormNav } from './FormNav';
import { emptyForm, formPathOf, fromInput, normaliseDraft, type FormValues } from './model';
import { ChildSection, DeclarationSection, EvidenceSection, ParentSection, ReviewSection } from './sections';
import { useAutosave } from './useAutosave';
import { useDeviceFill } from './useDeviceFill';
import { useFollowers, type Who } from './useFollowers';
import { useSubmit, type Amend } from './useSubmit';

interface Props {
  draftId?: string | undefined;
  pending?: PendingDeviceEvent | undefined;
  amend?: Amend | undefined;
}

export const Registration = memo(function Registration({ draftId, pending, amend }: Props) {
  const { client, session, setCurrentDraftId } = useDesk();
  const { t } = useTranslation();
  const [initial, setInitial] = useState<FormValues | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let alive = true;
    const defaults = { pickupPoint: `${session.hospital.name}`, attendant: memory.attendant() };
    void (async () => {
      if (amend) {
        const r = await client.getRegistration({ id: amend.registrationId });
        if (!alive) return;
        if (r.ok) setInitial(fromInput(r.value.registration));
        else setError(r.error);
        return;
      }
      if (draftId) {
        const r = await client.getDraft({ id: draftId });
        if (!alive) return;
        if (r.ok && r.value) {
          setInitial(normaliseDraft(r.value.id, r.value.data, defaults));
          setCurrentDraftId(r.value.id);
          return;
        }
      }
      // drafts area (clerk walk): a draft named by the route but not stored yet (its first save still on its way)
      // keeps its id: a new id would leave that save behind as a second, resumable draft of the same child.
      const id = draftId ?? uuidv7();
      setCurrentDraftId(id);
      setInitial(emptyForm(id, defaults));
    })();
    return () => {
      alive = false;
    };
    // Loaded once per mount (the key changes when another draft is opened).
  }, []);
  if (error) return <ErrorBanner error={error} />;
  if (!initial) return <p>{t('common.loading')}</p>;
  return <RegistrationForm initial={initial} pending={pending} amend={amend} />;
});

function issuesByPath(list: { path: string; message: Localized }[], v: FormValues): Map<string, Localized[]> {
  const m = new Map<string, Localized[]>();
  for (const i of list) {
    const p = formPathOf(i.path, v);
    m.set(p, [...(m.get(p) ?? []), i.message]);
  }
  return m;
}

function RegistrationForm({ initial, pending, amend }: { initial: FormValues; pending: PendingDeviceEvent | undefined; amend: Amend | undefined }) {
  const { announce } = useDesk();
  const { t, i18n } = useTranslation();
  const methods = useForm<FormValues>({ defaultValues: initial, resolver: formResolver, mode: 'onBlur', reValidateMode: 'onChange' });
  const { getValues, setValue } = methods;
  const autosave = useAutosave(methods, initial, !!amend);
  const { report, attempted, submitIssues, saved, touchedRef } = autosave;
  const { followers, applyDistrictDefaults } = useFollowers(methods);
  const { cardRefused } = useDeviceFill(methods, { pending, touchedRef, applyDistrictDefaults });
  const { submit, busy, summary, summaryRef, dupes, cancelDuplicates, acknowledgeDuplicates, discard } = useSubmit(methods, autosave, amend);

  // — the desk's issues at their fields, and verified fields unlocked on request —
  const ui = useMemo<FormUi>(() => {
    const v = getValues();
    const shown = attempted ? submitIssues : (report?.issues ?? []);
    return {
      issues: issuesByPath(shown, v),
      warnings: issuesByPath(report?.warnings ?? [], v),
      unlock(path) {
        const [who, field] = path.split('.') as [Who, string];
        const chip = getValues(`${who}.chip`);
        if (!chip) return;
        setValue(`${who}.chip`, { ...chip, verifiedFields: chip.verifiedFields.filter((f) => f !== field) });
        announce(t('form.unlocked'));
        requestAnimationFrame(() => document.getElementById(fieldId(path))?.focus());
      },
    };
  }, [attempted, submitIssues, report, getValues, setValue, announce, t]);

  const goTo = (path: string) => {
    const fp = formPathOf(path, getValues());
    const el =
      document.getElementById(fieldId(fp)) ??
      document.querySelector<HTMLElement>(`[data-path^="${fp}"] input, [data-path^="${fp}"] select`) ??
      document.querySelector<HTMLElement>(`[data-path^="${fp.split('.')[0]}"] input`);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  };

  return (
    <FormProvider {...methods}>
      <FormUiContext.Provider value={ui}>
        <div className="form-layout">
          <FormNav saved={saved} onDiscard={amend ? null : () => void discard()} />
          <form
            className="reg-form"
            noValidate
            aria-labelledby="form-title"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <h1 id="form-title" tabIndex={-1} data-autofocus>
              {t('form.title')}
            </h1>
            {amend && <p className="banner info">{t('detail.amending')}</p>}
            {/* devices: a card refused because the section that fits its holder holds another document */}
            {cardRefused && <p className="banner warn" role="alert" data-testid="card-refused">{t(`devices.cardSectionTaken_${cardRefused}`)}</p>}
            {summary && summary.length > 0 && (
              <div className="banner error summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="summary-title" data-testid="error-summary">
                <h2 id="summary-title">{t('form.problems', { count: summary.length })}</h2>
                <p>{t('form.problemsHint')}</p>
                <ul>
                  {summary.map((s) => (
                    <li key={s.path + s.message.en}>
                      <button type="button" className="link" onClick={() => goTo(s.path)}>
                        {loc(s.message, i18n.language)}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <ParentSection who="mother" followers={followers} />
            <ParentSection who="father" followers={followers} />
            <ChildSection followers={followers} />
            <DeclarationSection followers={followers} report={report} />
            <EvidenceSection />
            <ReviewSection report={report} busy={busy} amend={!!amend} />
          </form>
        </div>
        {dupes && <DuplicateDialog matches={dupes} onCancel={cancelDuplicates} onAcknowledge={acknowledgeDuplicates} />}
      </FormUiContext.Provider>
    </FormProvider>
  );
}
