/** The sections of the registration page. Each is a labelled region with a focusable heading (Alt+1 … Alt+6). */
import { memo } from 'react';
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ValidationReport } from '../../core/api/contract';
import {
  CAPTURE_METHODS,
  DELIVERY_MODES,
  DISTRICTS,
  DISTRICT_CODES,
  DOC_TYPES,
  ETHNICITIES,
  ETHNICITY_CODES,
  EVIDENCE_KINDS,
  EVIDENCE_LABELS,
  HEALTH_STATUSES,
  SERVICES,
  SERVICE_LABELS,
  type Service,
  type SexCode,
} from '../../domain/codes';
import { VaccineDoseSchema } from '../../domain/types';
import { maskIdNumber } from '../../domain/idnumber';
import { listOf, loc } from '../i18n';
import { ReviewProblems, ReviewServices } from './BundleReview';
import { CheckField, GroupMessages, SelectField, TextField } from './fields';
import type { FormValues } from './model';
import { normaliseDateTime } from './model';

/** The sex codes in the order a clerk picks them (male, female first); the codes themselves are the domain's. */
const SEX_ORDER: readonly SexCode[] = ['1', '2', '0', '9'];
const VACCINES = VaccineDoseSchema.shape.vaccine.options;

type Followers = {
  motherName(v: string): void;
  motherPhone(v: string): void;
  guardianEdited(): void;
  motherAddress(v: string): void;
  householdAddressEdited(): void;
  childSex(v: string): void;
  districtEdited(v: string): void;
  servicesEdited(): void;
  docNumberTyped(who: 'mother' | 'father'): void;
  birthDateTimeBlur(): void;
};

function useOptions() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return {
    t,
    lang,
    districts: DISTRICT_CODES.map((c) => ({ value: c, label: `${loc(DISTRICTS[c], lang)} (${c})` })),
    docTypes: DOC_TYPES.map((d) => ({ value: d, label: t(`opt.doc_${d}`) })),
    ethnicities: ETHNICITY_CODES.map((code) => ({ value: code, label: `${code} ${ETHNICITIES[code]}` })),
    sexes: SEX_ORDER.map((s) => ({ value: s, label: `${s} ${t(`opt.sex_${s}`)}` })),
  };
}

function SectionHeading({ id, title }: { id: string; title: string }) {
  return (
    <h2 id={id} tabIndex={-1} className="section-title">
      {title}
    </h2>
  );
}

export const ParentSection = memo(function ParentSection({ who, followers }: { who: 'mother' | 'father'; followers: Followers }) {
  const { t, districts, docTypes, ethnicities, sexes } = useOptions();
  const { control } = useFormContext<FormValues>();
  const hasFather = useWatch({ control, name: 'hasFather' });
  const insured = useWatch({ control, name: 'mother.insurance.insured' });
  const docType = useWatch({ control, name: `${who}.docType` });
  const show = who === 'mother' || hasFather;
  const p = who;
  return (
    <section className="form-section" aria-labelledby={`sec-${who}`} data-parent={who}>
      <SectionHeading id={`sec-${who}`} title={t(`form.${who}`)} />
      {who === 'father' && <CheckField path="hasFather" label={t('form.hasFather')} hint={t('form.noFather')} />}
      {show && (
        <div className="grid">
          <TextField path={`${p}.name`} label={t('f.name')} required onValueChange={who === 'mother' ? followers.motherName : undefined} />
          <SelectField path={`${p}.docType`} label={t('f.docType')} required options={docTypes} />
          <TextField path={`${p}.docNumber`} label={t('f.docNumber')} required className="wide" inputMode="text" onBlur={() => followers.docNumberTyped(who)} />
          <TextField path={`${p}.birthDate`} label={t('f.birthDate')} required hint={t('form.dateHint')} inputMode="numeric" />
          {who === 'father' && <SelectField path={`${p}.sex`} label={t('f.sex')} options={sexes} placeholder={t('form.choose')} />}
          <TextField path={`${p}.nationality`} label={t('f.nationality')} required maxLength={3} />
          <SelectField path={`${p}.ethnicity`} label={t('f.ethnicity')} required={docType === 'resident_id'} options={ethnicities} placeholder={t('form.choose')} />
          <TextField path={`${p}.address`} label={t('f.address')} className="wide" onValueChange={who === 'mother' ? followers.motherAddress : undefined} />
          <TextField path={`${p}.phone`} label={t('f.phone')} required={who === 'mother'} type="tel" inputMode="tel" onValueChange={who === 'mother' ? followers.motherPhone : undefined} />
          {who === 'mother' && (
            <>
              <TextField path="mother.inpatientNumber" label={t('f.inpatientNumber')} />
              <div className="wide subgrid">
                <CheckField path="mother.insurance.insured" label={t('form.insured')} />
                {insured && (
                  <>
                    <SelectField path="mother.insurance.insuredDistrict" label={t('f.insuredDistrict')} options={districts} placeholder={t('form.choose')} />
                    <TextField path="mother.insurance.bankAccount" label={t('f.bankAccount')} inputMode="numeric" />
                  </>
                )}
              </div>
            </>
          )}
          <details className="wide">
            <summary>{t('form.moreDoc')}</summary>
            <div className="grid">
              <TextField path={`${p}.issuingAuthority`} label={t('f.issuingAuthority')} />
              <TextField path={`${p}.validFrom`} label={t('f.validFrom')} hint={t('form.dateHint')} />
              <TextField path={`${p}.validTo`} label={t('f.validTo')} hint={t('friction.validToHint')} />
            </div>
          </details>
        </div>
      )}
    </section>
  );
});

export const ChildSection = memo(function ChildSection({ followers }: { followers: Followers }) {
  const { t, sexes } = useOptions();
  return (
    <section className="form-section" aria-labelledby="sec-child">
      <SectionHeading id="sec-child" title={t('form.child')} />
      <div className="grid">
        <TextField path="child.name" label={t('f.childName')} />
        <SelectField path="child.sex" label={t('f.sex')} required options={sexes} placeholder={t('form.choose')} onValueChange={followers.childSex} />
        <TextField path="child.birthDateTime" label={t('f.birthDateTime')} required hint={t('form.dateTimeHint')} inputMode="numeric" onBlur={followers.birthDateTimeBlur} />
        <TextField path="child.gestationalWeeks" label={t('f.gestationalWeeks')} required inputMode="decimal" />
        <TextField path="child.weightG" label={t('f.weightG')} required inputMode="numeric" />
        <TextField path="child.lengthCm" label={t('f.lengthCm')} required inputMode="decimal" />
        <SelectField path="child.healthStatus" label={t('f.healthStatus')} required options={HEALTH_STATUSES.map((h) => ({ value: h, label: t(`opt.health_${h}`) }))} />
        <SelectField path="child.deliveryMode" label={t('f.deliveryMode')} required options={DELIVERY_MODES.map((h) => ({ value: h, label: t(`opt.delivery_${h}`) }))} />
        <TextField path="child.attendant" label={t('f.attendant')} required />
        <TextField path="child.plurality" label={t('f.plurality')} required inputMode="numeric" />
        <TextField path="child.birthOrder" label={t('f.birthOrder')} required inputMode="numeric" />
      </div>
    </section>
  );
});

export const DeclarationSection = memo(function DeclarationSection({
  followers,
  report,
}: {
  followers: Followers;
  report: ValidationReport | null;
}) {
  const { t, lang, districts } = useOptions();
  const { control } = useFormContext<FormValues>();
  const method = useWatch({ control, name: 'declaration.cardDelivery.method' });
  const vaccinations = useFieldArray({ control, name: 'vaccinations' });
  const doses = useWatch({ control, name: 'vaccinations' });
  const explain = new Map((report?.services ?? []).map((s) => [s.service, s]));
  const serviceName = (s: Service) => loc(SERVICE_LABELS[s], lang);
  return (
    <section className="form-section" aria-labelledby="sec-declaration">
      <SectionHeading id="sec-declaration" title={t('form.declaration')} />
      <div className="grid">
        <SelectField path="declaration.householdDistrict" label={t('f.householdDistrict')} options={districts} placeholder={t('form.choose')} onValueChange={followers.districtEdited} />
        <TextField path="declaration.householdAddress" label={t('f.householdAddress')} className="wide" onValueChange={followers.householdAddressEdited} />
        <TextField path="declaration.relationshipToHouseholder" label={t('f.relationshipToHouseholder')} />
        <SelectField path="declaration.residenceDistrict" label={t('f.residenceDistrict')} options={districts} placeholder={t('form.choose')} />
        <TextField path="declaration.guardianName" label={t('f.guardianName')} required hint={t('form.guardianFollows')} onValueChange={followers.guardianEdited} />
        <TextField path="declaration.guardianPhone" label={t('f.guardianPhone')} required type="tel" inputMode="tel" onValueChange={followers.guardianEdited} />
        <SelectField
          path="declaration.cardDelivery.method"
          label={t('f.cardDelivery')}
          options={[
            { value: 'pickup', label: t('f.pickup') },
            { value: 'post', label: t('f.post') },
          ]}
        />
        {method === 'post' ? (
          <TextField path="declaration.cardDelivery.address" label={t('f.postAddress')} required className="wide" />
        ) : (
          <TextField path="declaration.cardDelivery.pickupPoint" label={t('f.pickupPoint')} required />
        )}
      </div>

      <fieldset className="subsection" data-path="vaccinations">
        <legend>{t('form.vaccinations')}</legend>
        <p className="hint">{t('form.scanBatchHint')}</p>
        {vaccinations.fields.map((f, i) => (
          <div key={f.id} className="dose grid" role="group" aria-label={t(`opt.vaccine_${f.vaccine}`)}>
            <p className="dose-name">{t(`opt.vaccine_${f.vaccine}`)}</p>
            <TextField path={`vaccinations.${i}.batch`} label={t('f.batch')} required />
            <TextField path={`vaccinations.${i}.manufacturer`} label={t('f.manufacturer')} required />
            <TextField path={`vaccinations.${i}.givenAt`} label={t('f.givenAt')} required hint={t('form.dateTimeHint')} />
            <TextField path={`vaccinations.${i}.site`} label={t('f.site')} required />
            <TextField path={`vaccinations.${i}.nurse`} label={t('f.nurse')} required />
            <button type="button" className="link small" onClick={() => vaccinations.remove(i)}>
              {t('form.removeDose', { vaccine: t(`opt.vaccine_${f.vaccine}`) })}
            </button>
          </div>
        ))}
        <div className="row">
          {VACCINES.filter((v) => !(doses ?? []).some((d) => d.vaccine === v)).map((v) => (
            <button key={v} type="button" onClick={() => vaccinations.append({ vaccine: v, batch: '', manufacturer: '', givenAt: '', site: '', nurse: '' })}>
              {t('form.addDose', { vaccine: t(`opt.vaccine_${v}`) })}
            </button>
          ))}
        </div>
        <GroupMessages path="vaccinations" />
      </fieldset>

      <fieldset className="subsection services" data-path="services" aria-describedby="services-help">
        <legend>{t('form.services')}</legend>
        <GroupMessages path="services" />
        <ul className="plain" id="services-help">
          {SERVICES.map((s) => {
            const e = explain.get(s);
            const deps = e?.dependsOn ?? [];
            return (
              <li key={s} className={e && !e.applicable ? 'na' : ''} data-service={s}>
                <CheckField path={`services.${s}`} label={serviceName(s)} onValueChange={followers.servicesEdited} />
                <span className="explain">
                  {e?.jurisdiction && <span>{t('form.routedTo', { district: DISTRICTS[e.jurisdiction as keyof typeof DISTRICTS] ? loc(DISTRICTS[e.jurisdiction as keyof typeof DISTRICTS], lang) : e.jurisdiction })}</span>}
                  <span>{deps.length ? t('form.waitsFor', { deps: listOf(deps.map(serviceName), lang) }) : t('form.noWait')}</span>
                  {e && !e.applicable && e.reasonIfNot && <span className="warn-text">{t('form.notApplicable', { reason: loc(e.reasonIfNot, lang) })}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      </fieldset>
    </section>
  );
});

export const EvidenceSection = memo(function EvidenceSection() {
  const { t, lang } = useOptions();
  const { control } = useFormContext<FormValues>();
  const ev = useWatch({ control, name: 'evidences' });
  return (
    <section className="form-section" aria-labelledby="sec-evidences">
      <SectionHeading id="sec-evidences" title={t('form.evidences')} />
      <GroupMessages path="evidences" />
      <ul className="plain evidences">
        {EVIDENCE_KINDS.map((k) => (
          <li key={k} data-path={`evidences.${k}`} data-evidence={k} data-present={ev?.[k]?.present ? 'true' : 'false'}>
            <CheckField path={`evidences.${k}.present`} label={loc(EVIDENCE_LABELS[k], lang)} />
            {ev?.[k]?.present && (
              <div className="evidence-detail">
                <SelectField
                  path={`evidences.${k}.capture`}
                  label={t('form.evidenceCapture')}
                  options={CAPTURE_METHODS.map((c) => ({ value: c, label: t(`form.capture_${c}`) }))}
                />
                {k === 'mother_wristband' && <TextField path={`evidences.${k}.ref`} label={t('f.ref')} />}
              </div>
            )}
            <GroupMessages path={`evidences.${k}`} />
          </li>
        ))}
      </ul>
    </section>
  );
});

export const ReviewSection = memo(function ReviewSection({ report, busy, amend }: { report: ValidationReport | null; busy: boolean; amend: boolean }) {
  const { t, lang } = useOptions();
  const { control } = useFormContext<FormValues>();
  const v = useWatch({ control }) as FormValues;
  const district = v.declaration?.householdDistrict as keyof typeof DISTRICTS | '';
  const warnings = report?.warnings ?? [];
  return (
    <section className="form-section review" aria-labelledby="sec-review">
      <SectionHeading id="sec-review" title={t('form.review')} />
      <p>{t('form.reviewHint')}</p>
      <dl className="review-list">
        <dt>{t('form.mother')}</dt>
        <dd>
          {v.mother?.name || '—'} · {maskIdNumber(v.mother?.docNumber ?? '') || '—'} · {v.mother?.phone || '—'}
        </dd>
        <dt>{t('form.father')}</dt>
        <dd>{v.hasFather ? `${v.father?.name || '—'} · ${maskIdNumber(v.father?.docNumber ?? '') || '—'}` : t('common.no')}</dd>
        <dt>{t('form.child')}</dt>
        <dd>
          {v.child?.name || '—'} · {v.child?.sex ? t(`opt.sex_${v.child.sex}`) : '—'} · {normaliseDateTime(v.child?.birthDateTime ?? '').replace('T', ' ') || '—'} · {v.child?.weightG || '—'} g ·{' '}
          {v.child?.lengthCm || '—'} cm · {t('form.weeks', { n: v.child?.gestationalWeeks || '—', count: Number(v.child?.gestationalWeeks) || 0 })}
        </dd>
        <dt>{t('f.householdDistrict')}</dt>
        <dd>{district && DISTRICTS[district] ? loc(DISTRICTS[district], lang) : '—'}</dd>
        <dt>{t('form.services')}</dt>
        <dd>
          <ReviewServices v={v} />
        </dd>
        <dt>{t('form.evidences')}</dt>
        <dd>
          {listOf(
            EVIDENCE_KINDS.filter((k) => v.evidences?.[k]?.present).map((k) => loc(EVIDENCE_LABELS[k], lang)),
            lang,
          ) || '—'}
        </dd>
      </dl>
      <ReviewProblems v={v} />
      {warnings.length > 0 && (
        <div className="banner warn">
          <h3>{t('form.warnings')}</h3>
          <ul>
            {warnings.map((w) => (
              <li key={w.path + w.code}>{loc(w.message, lang)}</li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="primary big" disabled={busy} data-testid="submit">
        {busy ? t('form.submitting') : amend ? t('detail.amend') : t('form.submit')} <kbd>Alt+S</kbd>
      </button>
    </section>
  );
});
