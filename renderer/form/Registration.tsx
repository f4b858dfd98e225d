/**
 * New registration: one page in sections (mother, father, child, declaration and services, evidences, review).
 * A card tap fills the parent section that has focus (or the next empty one) and says so; chip-read fields are
 * verified and read-only until unlocked; a scanned wristband or vaccine batch lands in its field; defaults follow
 * from what was read (district, guardian, evidences, services). Instant local checks while typing, the desk's
 * `validateDraft` report at each field, the duplicate-birth warning, then submit → receipt. The draft is saved
 * as the clerk types (debounced) and survives lock, crash and restart.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { FormProvider, useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { v7 as uuidv7 } from 'uuid';
import type { DuplicateMatch, ValidationReport } from '../../core/api/contract';
import type { BarcodeScanned, IdCardRead } from '../../domain/devices';
import type { FieldIssue } from '../../domain/types';
import type { Localized } from '../../domain/idnumber';
import { ErrorBanner } from '../components/ErrorBanner';
import { loc } from '../i18n';
import { formatMinute, formatTime, metrics, useDesk, type PendingDeviceEvent } from '../lib/desk';
import { memory } from '../lib/memory';
import { formResolver, localIssues } from './checks';
import { FormUiContext, fieldId, type FormUi } from './fields';
import {
  districtFromParent,
  emptyForm,
  factsFromNumber,
  formPathOf,
  fromInput,
  isParentEmpty,
  normaliseDateTime,
  normaliseDraft,
  nowMinute,
  parentFromCard,
  relationshipFor,
  toInput,
  vaccineOfBatch,
  type FormValues,
  type ParentForm,
} from './model';
import { ChildSection, DeclarationSection, EvidenceSection, ParentSection, ReviewSection } from './sections';
import type { ApiError } from '../../core/api/result';

interface Props {
  draftId?: string | undefined;
  pending?: PendingDeviceEvent | undefined;
  amend?: { registrationId: string; requestId: string } | undefined;
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
      const id = uuidv7();
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

type Who = 'mother' | 'father';
const PARENT_KEYS: (keyof ParentForm)[] = ['name', 'sex', 'docType', 'docNumber', 'nationality', 'ethnicity', 'birthDate', 'address', 'issuingAuthority', 'validFrom', 'validTo'];

function issuesByPath(list: { path: string; message: Localized }[], v: FormValues): Map<string, Localized[]> {
  const m = new Map<string, Localized[]>();
  for (const i of list) {
    const p = formPathOf(i.path, v);
    m.set(p, [...(m.get(p) ?? []), i.message]);
  }
  return m;
}

function RegistrationForm({ initial, pending, amend }: { initial: FormValues; pending: PendingDeviceEvent | undefined; amend: Props['amend'] }) {
  const desk = useDesk();
  const { client, session, announce, showError, navigate, setCurrentDraftId } = desk;
  const { t, i18n } = useTranslation();
  const methods = useForm<FormValues>({ defaultValues: initial, resolver: formResolver, mode: 'onBlur', reValidateMode: 'onChange' });
  const { getValues, setValue, watch, trigger, clearErrors } = methods;
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [submitIssues, setSubmitIssues] = useState<FieldIssue[]>([]);
  const [summary, setSummary] = useState<{ path: string; message: Localized }[] | null>(null);
  const [dupes, setDupes] = useState<DuplicateMatch[] | null>(null);
  const [saved, setSaved] = useState<{ saving: boolean; at: string | null }>({ saving: false, at: null });
  const [busy, setBusy] = useState(false);
  const [fillSeq, setFillSeq] = useState(0);
  const pendingMetric = useRef<number | null>(null);
  const done = useRef(false);
  const attemptedRef = useRef(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const validateTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const validateSeq = useRef(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  // — saving and validating as the clerk types —
  const saveNow = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    if (amend || done.current) return;
    setSaved((s) => ({ ...s, saving: true }));
    void client.saveDraft({ id: getValues('id'), data: getValues() as unknown as Record<string, unknown> }).then((r) => {
      setSaved({ saving: false, at: r.ok ? r.value.updatedAt : null });
      if (!r.ok && r.error.code !== 'locked') showError(r.error);
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

  // A draft is worth keeping once the clerk typed something or a device filled something (not for defaults alone).
  const touchedRef = useRef(!!amend || initial.mother.docNumber !== '' || initial.mother.name !== '');
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
      for (const s of report.services) {
        if (v.services[s.service] !== s.applicable) setValue(`services.${s.service}`, s.applicable);
      }
    }
  }, [report, getValues, setValue]);

  // — the card reader and the scanner —
  const applyDistrictDefaults = useCallback(
    (p: ParentForm) => {
      const v = getValues();
      if (v.touched.district || v.declaration.householdDistrict) return;
      const district = districtFromParent({ address: p.address, docNumber: p.docNumber });
      if (!district) return;
      setValue('declaration.householdDistrict', district);
      if (!v.declaration.residenceDistrict) setValue('declaration.residenceDistrict', district);
      if (!v.declaration.householdAddress && p.address) setValue('declaration.householdAddress', p.address);
      if (!v.mother.insurance.insuredDistrict) setValue('mother.insurance.insuredDistrict', district);
    },
    [getValues, setValue],
  );

  const onCard = useCallback(
    (e: IdCardRead, at: number) => {
      touchedRef.current = true;
      const v = getValues();
      const card = parentFromCard(e.parent);
      const focused = (document.activeElement?.closest('[data-parent]')?.getAttribute('data-parent') ?? null) as Who | null;
      const eligible = (w: Who) => {
        const p = v[w];
        return isParentEmpty(p) || !p.chip || p.docNumber.trim().toUpperCase() === card.docNumber.toUpperCase();
      };
      let who: Who;
      if (focused && (focused === 'mother' || v.hasFather) && eligible(focused)) who = focused;
      else if (isParentEmpty(v.mother)) who = 'mother';
      else if (!v.hasFather || isParentEmpty(v.father)) who = 'father';
      else if (focused) who = focused;
      else if (card.docNumber === v.father.docNumber) who = 'father';
      else who = card.sex === '1' ? 'father' : 'mother';

      if (who === 'father' && !v.hasFather) setValue('hasFather', true);
      for (const k of PARENT_KEYS) {
        const val = card[k] as string;
        if (k === 'sex' && who === 'mother' && !val) continue;
        setValue(`${who}.${k}` as Path<FormValues>, val as never);
      }
      if (card.phone) setValue(`${who}.phone`, card.phone);
      setValue(`${who}.chip`, card.chip);
      if (methods.formState.errors[who]) clearErrors(who);
      setValue(`evidences.${who}_id`, { present: true, capture: 'id_reader', ref: '' });
      if (who === 'mother' && !v.touched.guardian) setValue('declaration.guardianName', card.name);
      applyDistrictDefaults(card);
      pendingMetric.current = at;
      setFillSeq((n) => n + 1);
      announce(t('form.cardFilled', { who: t(`form.who_${who}`) }));
    },
    [getValues, setValue, clearErrors, methods.formState, applyDistrictDefaults, announce, t],
  );

  const onScan = useCallback(
    (e: BarcodeScanned) => {
      touchedRef.current = true;
      if (e.kind === 'wristband') {
        setValue('mother.inpatientNumber', e.value, { shouldValidate: true });
        setValue('evidences.mother_wristband', { present: true, capture: 'scan', ref: e.value });
        announce(t('form.wristband', { value: e.value }));
        return true;
      }
      if (e.kind === 'vaccine_batch') {
        const vaccine = vaccineOfBatch(e.value);
        if (!vaccine) {
          announce(t('form.unknownScan', { value: e.value }));
          return true;
        }
        const list = getValues('vaccinations');
        const idx = list.findIndex((d) => d.vaccine === vaccine);
        const defaults = memory.dose(vaccine, session.training);
        const next = [...list];
        if (idx >= 0) {
          const d = list[idx]!;
          next[idx] = { ...d, batch: e.value, manufacturer: d.manufacturer || defaults.manufacturer, site: d.site || defaults.site, nurse: d.nurse || defaults.nurse, givenAt: d.givenAt || nowMinute() };
        } else next.push({ vaccine, batch: e.value, ...defaults, givenAt: nowMinute() });
        setValue('vaccinations', next);
        announce(t('form.batchScanned', { value: e.value }));
        return true;
      }
      if (e.kind === 'birth_certificate') {
        announce(t('form.certScanned', { value: e.value }));
        return true;
      }
      announce(t('form.unknownScan', { value: e.value }));
      return true;
    },
    [setValue, getValues, announce, t, session.training],
  );

  useEffect(() => {
    desk.consumer.current = { onCard, onScan };
    return () => {
      desk.consumer.current = null;
    };
  }, [desk.consumer, onCard, onScan]);

  // The event that opened this form (a tap on the home screen).
  const pendingDone = useRef(false);
  useEffect(() => {
    if (!pending || pendingDone.current) return;
    pendingDone.current = true;
    if (pending.kind === 'card') onCard(pending.event, pending.at);
    else onScan(pending.event);
  }, [pending, onCard, onScan]);

  // Card event → fields filled (the DOM committed), and → the next frame painted, measured for the e2e figures.
  useLayoutEffect(() => {
    const at = pendingMetric.current;
    if (at === null) return;
    pendingMetric.current = null;
    metrics.cardToFields.push(performance.now() - at);
    requestAnimationFrame(() => setTimeout(() => metrics.cardToPaint.push(performance.now() - at), 0));
  }, [fillSeq]);

  // — followers of what the clerk types —
  const followers = useMemo(
    () => ({
      motherName(name: string) {
        if (!getValues('touched.guardian')) setValue('declaration.guardianName', name);
      },
      motherPhone(phone: string) {
        if (!getValues('touched.guardian')) setValue('declaration.guardianPhone', phone);
      },
      guardianEdited() {
        setValue('touched.guardian', true);
      },
      childSex(sex: string) {
        const cur = getValues('declaration.relationshipToHouseholder');
        if (cur === '' || cur === '子' || cur === '女') setValue('declaration.relationshipToHouseholder', relationshipFor(sex));
      },
      districtEdited(district: string) {
        setValue('touched.district', true);
        const v = getValues();
        if (!v.declaration.residenceDistrict) setValue('declaration.residenceDistrict', district);
      },
      servicesEdited() {
        setValue('touched.services', true);
      },
      docNumberTyped(who: Who) {
        const p = getValues(who);
        if (p.chip || p.docNumber.trim() === '') return;
        const f = factsFromNumber(p.docNumber);
        let filled = false;
        if (f.docType && f.docType !== p.docType && p.docType === 'resident_id') setValue(`${who}.docType`, f.docType);
        if (f.birthDate && !p.birthDate) {
          setValue(`${who}.birthDate`, f.birthDate);
          filled = true;
        }
        if (f.sex && who === 'father' && !p.sex) setValue(`${who}.sex`, f.sex);
        if (filled) announce(t('form.idFromNumber'));
        const district = districtFromParent({ address: p.address, docNumber: p.docNumber });
        if (district) applyDistrictDefaults({ ...p });
      },
      birthDateTimeBlur() {
        const raw = getValues('child.birthDateTime');
        const norm = normaliseDateTime(raw);
        // Shown as typed on the certificate, `YYYY-MM-DD HH:mm`; the `T` form is only what is sent.
        const n = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(norm) ? norm.replace('T', ' ') : raw;
        if (n !== raw) setValue('child.birthDateTime', n, { shouldValidate: true });
      },
    }),
    [getValues, setValue, announce, t, applyDistrictDefaults],
  );

  // — verified fields —
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

  // — submit —
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  const finishSubmit = useCallback(
    async (ack: boolean) => {
      const input = toInput(getValues());
      const r = await client.submit({ registration: input, acknowledgeDuplicates: ack, confirmedAt: new Date().toISOString() });
      if (!r.ok) {
        if (r.error.code === 'duplicate_birth') {
          const matches = (r.error.detail?.matches as DuplicateMatch[] | undefined) ?? [];
          setDupes(matches);
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
      done.current = true;
      if (saveTimer.current) clearTimeout(saveTimer.current);
      if (validateTimer.current) clearTimeout(validateTimer.current);
      memory.setAttendant(input.child.attendant);
      for (const d of input.vaccinations) memory.setDose(d.vaccine, { manufacturer: d.manufacturer, site: d.site, nurse: d.nurse });
      void client.discardDraft({ id: input.id });
      setCurrentDraftId(null);
      navigate({ name: 'receipt', registrationId: r.value.registration.id, requests: r.value.requests.length });
    },
    [client, getValues, navigate, setCurrentDraftId, showError],
  );

  const submit = useCallback(async () => {
    if (busy || done.current) return;
    setBusy(true);
    attemptedRef.current = true;
    setAttempted(true);
    try {
      await trigger();
      const v = getValues();
      const local = localIssues(v);
      const r = await client.validateDraft({ draft: toInput(v) as unknown as Record<string, unknown>, mode: 'submit' });
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
      const input = toInput(v);
      if (amend) {
        const a = await client.amendRequest({ requestId: amend.requestId, registration: input, confirmedAt: new Date().toISOString() });
        if (!a.ok) {
          if (a.error.fields?.length) setSubmitIssues(a.error.fields);
          showError(a.error);
          return;
        }
        done.current = true;
        announce(t('detail.amended'));
        navigate({ name: 'detail', id: amend.registrationId });
        return;
      }
      const d = await client.checkDuplicates({
        motherDocType: input.mother.docType,
        motherDocNumber: input.mother.docNumber,
        childBirthDateTime: input.child.birthDateTime,
        plurality: typeof input.child.plurality === 'number' ? input.child.plurality : 1,
      });
      if (d.ok && d.value.length > 0) {
        setDupes(d.value);
        return;
      }
      await finishSubmit(false);
    } finally {
      setBusy(false);
    }
  }, [busy, trigger, getValues, client, showError, amend, finishSubmit, announce, navigate, t]);

  useEffect(() => {
    desk.submitRef.current = () => void submit();
    return () => {
      desk.submitRef.current = null;
    };
  }, [desk.submitRef, submit]);

  // Alt+1 … Alt+6: jump to a section.
  useEffect(() => {
    const ids = ['sec-mother', 'sec-father', 'sec-child', 'sec-declaration', 'sec-evidences', 'sec-review'];
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-6])$/.exec(e.code);
      if (!m) return;
      e.preventDefault();
      document.getElementById(ids[Number(m[1]) - 1]!)?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const discard = async () => {
    if (!window.confirm(t('form.discardConfirm'))) return;
    done.current = true;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    await client.discardDraft({ id: getValues('id') });
    setCurrentDraftId(null);
    navigate({ name: 'home' });
  };

  const goTo = (path: string) => {
    const fp = formPathOf(path, getValues());
    const el =
      document.getElementById(fieldId(fp)) ??
      document.querySelector<HTMLElement>(`[data-path^="${fp}"] input, [data-path^="${fp}"] select`) ??
      document.querySelector<HTMLElement>(`[data-path^="${fp.split('.')[0]}"] input`);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  };

  const sections = [
    ['sec-mother', t('form.mother')],
    ['sec-father', t('form.father')],
    ['sec-child', t('form.child')],
    ['sec-declaration', t('form.declaration')],
    ['sec-evidences', t('form.evidences')],
    ['sec-review', t('form.review')],
  ] as const;

  return (
    <FormProvider {...methods}>
      <FormUiContext.Provider value={ui}>
        <div className="form-layout">
          <nav className="form-nav" aria-label={t('form.sections')}>
            <ol>
              {sections.map(([id, label], i) => (
                <li key={id}>
                  <a href={`#${id}`} onClick={(e) => (e.preventDefault(), document.getElementById(id)?.focus())}>
                    {label} <kbd>Alt+{i + 1}</kbd>
                  </a>
                </li>
              ))}
            </ol>
            <p className="hint" aria-live="off">
              {saved.saving ? t('form.saving') : saved.at ? t('form.saved', { time: formatTime(saved.at, i18n.language) }) : ''}
            </p>
            {!amend && (
              <button type="button" className="link small" onClick={() => void discard()}>
                {t('form.discard')}
              </button>
            )}
          </nav>
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
        {dupes && (
          <DuplicateDialog
            matches={dupes}
            onCancel={() => setDupes(null)}
            onAcknowledge={() => {
              setDupes(null);
              setBusy(true);
              void finishSubmit(true).finally(() => setBusy(false));
            }}
          />
        )}
      </FormUiContext.Provider>
    </FormProvider>
  );
}

function DuplicateDialog({ matches, onCancel, onAcknowledge }: { matches: DuplicateMatch[]; onCancel: () => void; onAcknowledge: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog warn" aria-labelledby="dup-title" aria-describedby="dup-body" onCancel={onCancel} data-testid="duplicate-dialog">
      <h2 id="dup-title">{t('form.duplicateTitle')}</h2>
      <p id="dup-body">{t('form.duplicateBody')}</p>
      <ul>
        {matches.map((m) => (
          <li key={m.registrationId}>{t('form.duplicateItem', { birth: formatMinute(m.childBirthDateTime), created: formatTime(m.createdAt, i18n.language) })}</li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={onCancel} autoFocus>
          {t('form.duplicateCancel')}
        </button>
        <button type="button" className="primary" onClick={onAcknowledge}>
          {t('form.duplicateAck')}
        </button>
      </div>
    </dialog>
  );
}
