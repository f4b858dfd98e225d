/**
 * The draft as the clerk types: saved (debounced, 600 ms) once something was typed or read from a device, and
 * checked by the desk's `validateDraft` (debounced, 300 ms; in `submit` mode once a submit was tried). The
 * report's suggested defaults and applicable services are applied while the clerk has not chosen otherwise.
 * Leaving the form saves what is pending; a save that fails is retried, and a lock or sign-out flushes first.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Path, UseFormReturn } from 'react-hook-form';
import type { ValidationReport } from '../../core/api/contract';
import { SERVICES } from '../../domain/codes';
import type { FieldIssue } from '../../domain/types';
import { useDesk } from '../lib/desk';
import { registerDraftFlusher, type FlushOutcome } from '../lib/drafts';
import { toInput, type FormValues } from './model';

type Timer = ReturnType<typeof setTimeout>;

export function useAutosave(methods: UseFormReturn<FormValues>, initial: FormValues, amend: boolean) {
  const { client, showError } = useDesk();
  const { getValues, setValue, watch } = methods;
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [submitIssues, setSubmitIssues] = useState<FieldIssue[]>([]);
  const [saved, setSaved] = useState<{ saving: boolean; at: string | null }>({ saving: false, at: null });
  const done = useRef(false);
  const attemptedRef = useRef(false);
  const saveTimer = useRef<Timer | null>(null);
  const validateTimer = useRef<Timer | null>(null);
  const validateSeq = useRef(0);
  // A draft is worth keeping once the clerk typed something or a device filled something (not for defaults alone).
  const touchedRef = useRef(amend || initial.mother.docNumber !== '' || initial.mother.name !== '');

  // Nothing typed is lost (issue 12 item 3): saves run one after the other; a failed save is retried (every 2 s,
  // up to 15 s apart) until one succeeds; `flush` (before a lock or sign-out) saves now and says whether it worked.
  const editSeq = useRef(0);
  const savedSeq = useRef(0);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const retryTimer = useRef<Timer | null>(null);
  const retryMs = useRef(2000);
  const errorShown = useRef(false);

  const saveNow = useCallback((): Promise<FlushOutcome> => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    if (retryTimer.current) clearTimeout(retryTimer.current);
    retryTimer.current = null;
    if (amend || done.current || !touchedRef.current) return Promise.resolve('none');
    const next = chain.current.then(async (): Promise<FlushOutcome> => {
      if (done.current) return 'none';
      if (savedSeq.current === editSeq.current && savedSeq.current > 0) return 'saved';
      const seq = editSeq.current;
      setSaved((x) => ({ ...x, saving: true }));
      const r = await client.saveDraft({ id: getValues('id'), data: getValues() as unknown as Record<string, unknown> });
      if (r.ok) {
        savedSeq.current = Math.max(savedSeq.current, seq);
        retryMs.current = 2000;
        errorShown.current = false;
        setSaved({ saving: false, at: r.value.updatedAt });
        return 'saved';
      }
      setSaved((x) => ({ saving: false, at: x.at }));
      // A save that was on its way while the clerk submitted lands after the submit: the draft is moot, not an error.
      if ((r.error.fields ?? []).some((f) => f.code === 'already_submitted')) return 'none';
      const quiet = r.error.code === 'locked' || r.error.code === 'unauthenticated';
      if (!quiet && !errorShown.current) {
        errorShown.current = true;
        showError(r.error);
      }
      if (!done.current && !retryTimer.current) {
        retryTimer.current = setTimeout(() => void saveNow(), retryMs.current);
        retryMs.current = Math.min(15_000, retryMs.current * 2);
      }
      return 'failed';
    });
    chain.current = next.catch(() => undefined);
    return next;
  }, [amend, client, getValues, showError]);

  useEffect(() => registerDraftFlusher(saveNow), [saveNow]);

  const validateNow = useCallback(() => {
    if (validateTimer.current) clearTimeout(validateTimer.current);
    validateTimer.current = null;
    if (done.current) return;
    const seq = ++validateSeq.current;
    const v = getValues();
    void client.validateDraft({ draft: toInput(v) as unknown as Record<string, unknown>, mode: attemptedRef.current ? 'submit' : 'draft' }).then((r) => {
      if (seq !== validateSeq.current || !r.ok) return;
      setReport(r.value);
      if (attemptedRef.current) setSubmitIssues(r.value.issues);
    });
  }, [client, getValues]);

  const schedule = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    if (touchedRef.current) saveTimer.current = setTimeout(saveNow, 600);
    if (validateTimer.current) clearTimeout(validateTimer.current);
    validateTimer.current = setTimeout(validateNow, 300);
  }, [saveNow, validateNow]);

  useEffect(() => {
    const sub = watch((_v, info) => {
      if (info.type === 'change') touchedRef.current = true;
      editSeq.current += 1;
      schedule();
    });
    validateNow();
    return () => {
      sub.unsubscribe();
      // Leaving the form: what is pending is saved now.
      if (saveTimer.current || editSeq.current !== savedSeq.current) void saveNow();
      if (validateTimer.current) clearTimeout(validateTimer.current);
    };
  }, [watch, schedule, validateNow, saveNow]);

  // Defaults the desk service suggests, and services that apply, while the clerk has not chosen otherwise.
  useEffect(() => {
    if (!report) return;
    const v = getValues();
    for (const [path, value] of Object.entries(report.suggestions)) {
      if (path.startsWith('services') || path.startsWith('evidences') || path.startsWith('vaccinations')) continue;
      const current = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
      if (typeof current === 'string' && current.trim() === '' && (typeof value === 'string' || typeof value === 'number')) {
        setValue(path as Path<FormValues>, String(value) as never);
      }
    }
    if (!v.touched.services) {
      // The ticks show what submit will file: computed from the data, as submit computes it (issue 12).
      const filed = new Set(toInput(v).services);
      for (const s of SERVICES) if (v.services[s] !== filed.has(s)) setValue(`services.${s}`, filed.has(s));
    }
  }, [report, getValues, setValue]);

  /** From the first submit on, the desk checks in `submit` mode and its issues are shown at every field. */
  const markAttempted = useCallback(() => {
    attemptedRef.current = true;
    setAttempted(true);
  }, []);

  /** Submitted, resubmitted or discarded: nothing more is saved or checked. */
  const finish = useCallback(() => {
    done.current = true;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    if (retryTimer.current) clearTimeout(retryTimer.current);
    if (validateTimer.current) clearTimeout(validateTimer.current);
  }, []);

  return { report, setReport, attempted, markAttempted, submitIssues, setSubmitIssues, saved, touchedRef, done, finish };
}

export type Autosave = ReturnType<typeof useAutosave>;
