/**
 * The card reader and the scanner while the form is open. A card tap fills the parent section that fits the
 * holder's sex (parentForCard) and says so, or, when that section holds another person's document, changes nothing
 * and says how to replace it; a scanned wristband or vaccine batch lands in its field. The event that
 * opened the form (a tap on the home screen) is applied once. Card event → fields filled and → next frame painted
 * are measured for the e2e figures.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type MutableRefObject } from 'react';
import type { Path, UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { BarcodeScanned, IdCardRead } from '../../domain/devices';
import { formatDeskTime } from '../../domain/dates';
import { metrics, useDesk, type PendingDeviceEvent } from '../lib/desk';
import { memory } from '../lib/memory';
import { nowMinute, parentFromCard, vaccineOfBatch, type FormValues, type ParentForm } from './model';
import { parentForCard } from './parentForCard';
import type { Who } from './useFollowers';

const PARENT_KEYS: (keyof ParentForm)[] = ['name', 'sex', 'docType', 'docNumber', 'nationality', 'ethnicity', 'birthDate', 'address', 'issuingAuthority', 'validFrom', 'validTo'];

export function useDeviceFill(
  methods: UseFormReturn<FormValues>,
  { pending, touchedRef, applyDistrictDefaults }: { pending: PendingDeviceEvent | undefined; touchedRef: MutableRefObject<boolean>; applyDistrictDefaults: (p: ParentForm) => void },
) {
  const desk = useDesk();
  const { session, announce } = desk;
  const { t, i18n } = useTranslation();
  const { getValues, setValue, clearErrors } = methods;
  const [fillSeq, setFillSeq] = useState(0);
  const pendingMetric = useRef<number | null>(null);
  /** The section a refused card fitted (shown on the form until a card fills a section). */
  const [cardRefused, setCardRefused] = useState<Who | null>(null);

  const onCard = useCallback(
    (e: IdCardRead, at: number) => {
      const v = getValues();
      const card = parentFromCard(e.parent, i18n.language === 'en' ? 'permanent' : '长期');
      const focused = (document.activeElement?.closest('[data-parent]')?.getAttribute('data-parent') ?? null) as Who | null;
      const target = parentForCard(v, card, focused);
      if ('occupied' in target) {
        // The section that fits this card holds another person's document: change nothing, say why and what to do.
        setCardRefused(target.occupied);
        announce(t(`devices.cardSectionTaken_${target.occupied}`));
        return;
      }
      const who = target.fill;
      touchedRef.current = true;
      setCardRefused(null);

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
    [touchedRef, getValues, setValue, clearErrors, methods.formState, applyDistrictDefaults, announce, t, i18n],
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
          next[idx] = { ...d, batch: e.value, manufacturer: d.manufacturer || defaults.manufacturer, site: d.site || defaults.site, nurse: d.nurse || defaults.nurse, givenAt: d.givenAt || formatDeskTime(nowMinute()) };
        } else next.push({ vaccine, batch: e.value, ...defaults, givenAt: formatDeskTime(nowMinute()) });
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
    [touchedRef, setValue, getValues, announce, t, session.training],
  );

  useEffect(() => {
    desk.consumer.current = { onCard, onScan };
    return () => {
      desk.consumer.current = null;
    };
  }, [desk.consumer, onCard, onScan]);

  // The event that opened this form (a tap on the home screen).
  // (each event once; the form stays mounted when a later event names its own draft: renderer/lib/form-key.ts)
  const pendingDone = useRef<PendingDeviceEvent | null>(null);
  useEffect(() => {
    if (!pending || pendingDone.current === pending) return;
    pendingDone.current = pending;
    if (pending.kind === 'card') onCard(pending.event, pending.at);
    else onScan(pending.event);
  }, [pending, onCard, onScan]);

  // Card event → fields filled (the DOM committed), and → the next frame painted, measured for the e2e figures.
  useLayoutEffect(() => {
    const at = pendingMetric.current;
    if (at === null) return;
    pendingMetric.current = null;
    const filled = performance.now();
    metrics.cardToFields.push(filled - at);
    metrics.cardFilledAtEpochMs.push(performance.timeOrigin + filled);
    requestAnimationFrame(() => setTimeout(() => metrics.cardToPaint.push(performance.now() - at), 0));
  }, [fillSeq]);

  return { cardRefused };
}
