/**
 * Submitting: local checks and the desk's `validateDraft` in `submit` mode (problems listed in a focused summary),
 * then — for an amendment — `amendRequest`, or the duplicate-birth check (a dialog to acknowledge) and `submit`
 * → the receipt. The draft is discarded once submitted; Alt+S submits wherever focus is.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch } from '../../core/api/contract';
import type { Localized } from '../../domain/idnumber';
import type { RegistrationInput } from '../../domain/types';
import { useDesk } from '../lib/desk';
import { memory } from '../lib/memory';
import { localIssues } from './checks';
import { formPathOf, toInput, type FormValues } from './model';
import type { Autosave } from './useAutosave';

export interface Amend {
  registrationId: string;
  requestId: string;
}

export function useSubmit(methods: UseFormReturn<FormValues>, autosave: Autosave, amend: Amend | undefined) {
  const desk = useDesk();
  const { client, announce, showError, navigate, setCurrentDraftId } = desk;
  const { t } = useTranslation();
  const { getValues, trigger } = methods;
  const { done, finish, markAttempted, setReport, setSubmitIssues } = autosave;
  const [summary, setSummary] = useState<{ path: string; message: Localized }[] | null>(null);
  const [dupes, setDupes] = useState<{ matches: DuplicateMatch[]; input: RegistrationInput } | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  const finishSubmit = useCallback(
    async (input: RegistrationInput, ack: boolean, override?: { reason: string }) => {
      const r = await client.submit({ registration: input, acknowledgeDuplicates: ack, ...(override ? { overrideDuplicate: override } : {}), confirmedAt: new Date().toISOString() });
      if (!r.ok) {
        if (r.error.code === 'duplicate_birth' || (r.error.code === 'forbidden' && r.error.detail?.matches)) {
          const matches = (r.error.detail?.matches as DuplicateMatch[] | undefined) ?? [];
          setDupes({ matches, input });
          if (r.error.code === 'forbidden') showError(r.error);
          return;
        }
        if (r.error.fields?.length) {
          setSubmitIssues(r.error.fields);
          setSummary(r.error.fields.map((f) => ({ path: f.path, message: f.message })));
          focusSummary();
        }
        showError(r.error);
        return;
      }
      finish();
      memory.setAttendant(input.child.attendant);
      for (const d of input.vaccinations) memory.setDose(d.vaccine, { manufacturer: d.manufacturer, site: d.site, nurse: d.nurse });
      void client.discardDraft({ id: input.id });
      setCurrentDraftId(null);
      navigate({ name: 'receipt', registrationId: r.value.registration.id, requests: r.value.requests.length });
    },
    [client, navigate, setCurrentDraftId, showError, finish, setSubmitIssues],
  );

  const submit = useCallback(async () => {
    if (busy || done.current) return;
    setBusy(true);
    markAttempted();
    try {
      await trigger();
      const v = getValues();
      const local = localIssues(v);
      // One input, computed now from the form's data: what is checked is what is sent (issue 12).
      const input = toInput(v);
      const r = await client.validateDraft({ draft: input as unknown as Record<string, unknown>, mode: 'submit' });
      if (!r.ok) {
        showError(r.error);
        return;
      }
      setReport(r.value);
      setSubmitIssues(r.value.issues);
      const seen = new Set(local.map((i) => i.path));
      const all = [...local, ...r.value.issues.filter((i) => !seen.has(formPathOf(i.path, v))).map((i) => ({ path: i.path, message: i.message }))];
      if (all.length > 0 || !r.value.ok) {
        setSummary(all);
        focusSummary();
        return;
      }
      setSummary(null);
      if (amend) {
        const a = await client.amendRequest({ requestId: amend.requestId, registration: input, confirmedAt: new Date().toISOString() });
        if (!a.ok) {
          if (a.error.fields?.length) setSubmitIssues(a.error.fields);
          showError(a.error);
          return;
        }
        finish();
        announce(t('detail.amended'));
        navigate({ name: 'detail', id: amend.registrationId });
        return;
      }
      const d = await client.checkDuplicates({
        motherDocType: input.mother.docType,
        motherDocNumber: input.mother.docNumber,
        childBirthDateTime: input.child.birthDateTime,
        plurality: typeof input.child.plurality === 'number' ? input.child.plurality : 1,
        birthOrder: typeof input.child.birthOrder === 'number' ? input.child.birthOrder : 1,
      });
      if (d.ok && d.value.length > 0) {
        setDupes({ matches: d.value, input });
        return;
      }
      await finishSubmit(input, false);
    } finally {
      setBusy(false);
    }
  }, [busy, done, markAttempted, trigger, getValues, client, showError, setReport, setSubmitIssues, amend, finish, finishSubmit, announce, navigate, t]);

  useEffect(() => {
    desk.submitRef.current = () => void submit();
    return () => {
      desk.submitRef.current = null;
    };
  }, [desk.submitRef, submit]);

  /** "Checked: not a duplicate" (a possible duplicate), or a supervisor's override with a reason (the same birth). */
  const acknowledgeDuplicates = (override?: { reason: string }) => {
    if (!dupes) return;
    const { input } = dupes;
    setDupes(null);
    setBusy(true);
    void finishSubmit(input, true, override).finally(() => setBusy(false));
  };

  const discard = async () => {
    if (!window.confirm(t('form.discardConfirm'))) return;
    finish();
    await client.discardDraft({ id: getValues('id') });
    setCurrentDraftId(null);
    navigate({ name: 'home' });
  };

  return { submit, busy, summary, summaryRef, dupes: dupes?.matches ?? null, cancelDuplicates: () => setDupes(null), acknowledgeDuplicates, discard };
}
