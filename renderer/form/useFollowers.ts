/**
 * Defaults that follow what the clerk types or a card gave: the household and residence districts from a
 * parent's address or ID number, the guardian from the mother, the child's relationship to the householder from
 * its sex, birth date (and sex) from a typed ID number, and the time of birth shown as on the certificate.
 */
import { useCallback, useMemo } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../lib/desk';
import { districtFromParent, factsFromNumber, normaliseDateTime, relationshipFor, type FormValues, type ParentForm } from './model';

export type Who = 'mother' | 'father';

export function useFollowers(methods: UseFormReturn<FormValues>) {
  const { announce } = useDesk();
  const { t } = useTranslation();
  const { getValues, setValue } = methods;

  const applyDistrictDefaults = useCallback(
    (p: ParentForm) => {
      const v = getValues();
      // 落户地址 follows the card's or the typed 户籍地址, whether or not the district was already set (issue 12).
      if (!v.touched.householdAddress && !v.declaration.householdAddress.trim() && p.address.trim()) setValue('declaration.householdAddress', p.address.trim());
      if (v.touched.district || v.declaration.householdDistrict) return;
      const district = districtFromParent({ address: p.address, docNumber: p.docNumber });
      if (!district) return;
      setValue('declaration.householdDistrict', district);
      if (!v.declaration.residenceDistrict) setValue('declaration.residenceDistrict', district);
      if (!v.mother.insurance.insuredDistrict) setValue('mother.insurance.insuredDistrict', district);
    },
    [getValues, setValue],
  );

  const followers = useMemo(
    () => ({
      motherName(name: string) {
        if (!getValues('touched.guardian')) setValue('declaration.guardianName', name);
      },
      motherPhone(phone: string) {
        if (!getValues('touched.guardian')) setValue('declaration.guardianPhone', phone);
      },
      /** The mother's 户籍地址 typed by hand: 落户地址 (and the district) follow it until the clerk edits them (issue 12). */
      motherAddress(address: string) {
        const v = getValues();
        if (!v.touched.householdAddress) setValue('declaration.householdAddress', address.trim());
        applyDistrictDefaults({ ...v.mother, address });
      },
      householdAddressEdited() {
        setValue('touched.householdAddress', true);
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
        if (f.docType && f.docType !== p.docType && p.docType === 'resident_id') {
          setValue(`${who}.docType`, f.docType);
          // the desk switched the type itself: the "choose that document type" message is answered (issue 12)
          void methods.trigger(`${who}.docNumber`);
        }
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

  return { followers, applyDistrictDefaults };
}
