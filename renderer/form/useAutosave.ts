/**
 * The draft as the clerk types: saved (debounced, 600 ms) once something was typed or read from a device, and
 * checked by the desk's `validateDraft` (debounced, 300 ms; in `submit` mode once a submit was tried). The
 * report's suggested defaults and applicable services are applied while the clerk has not chosen otherwise.
 * Leaving the form saves what is pending.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Path, UseFormReturn } from 'react-hook-form';
import type { ValidationReport } from '../../core/api/contract';
import { SERVICES } from '../../domain/codes';
import type { FieldIssue } from '../../domain/types';
import { useDesk } from '../lib/desk';
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

  const saveNow = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    if (amend || done.current) return;
    setSaved((s) => ({ ...s, saving: true }));
    void client.saveDraft({ id: getValues('id'), data: getValues() as unknown as Record<string, unknown> }).then((r) => {
      setSaved({ saving: false, at: r.ok ? r.value.updatedAt : null });
      // A save that was on its way while the clerk submitted lands after the submit: the draft is moot, not an error.
      const moot = !r.ok && (r.error.fields ?? []).some((f) => f.code === 'already_submitted');
      if (!r.ok && r.error.code !== 'locked' && !moot) showError(r.error);
    });
  }, [amend, client, getValues, showError]);

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
      schedule();
    });
    validateNow();
    return () => {
      sub.unsubscribe();
      // Leaving the form: what is pending is saved now.
      if (saveTimer.current) saveNow();
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
    if (validateTimer.current) clearTimeout(validateTimer.current);
  }, []);

  return { report, setReport, attempted, markAttempted, submitIssues, setSubmitIssues, saved, touchedRef, done, finish };
}

export type Autosave = ReturnType<typeof useAutosave>;
