/**
 * Training (issue 12): a card the trainer types — name, sex, ethnicity, birth date, address, ID number, validity —
 * checked by the domain's parent rules before it is "tapped" on the simulated reader.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ETHNICITIES, ETHNICITY_CODES } from '../../domain/codes';
import { isPermanentValidity } from '../../domain/dates';
import { detectDocType } from '../../domain/idnumber';
import type { Parent } from '../../domain/types';
import { validateParent } from '../../domain/validate';
import { useDesk } from '../lib/desk';
import { loc } from '../i18n';

const FIELDS = ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'docNumber', 'validTo'] as const;
type Field = (typeof FIELDS)[number];
const EMPTY: Record<Field, string> = { name: '', sex: '2', ethnicity: '01', birthDate: '', address: '', docNumber: '', validTo: '' };

/** The card as the reader would hand it over: `YYYYMMDD` and `1990/3/15` dates are accepted, 长期 means permanent. */
export function cardFromForm(v: Record<Field, string>): Omit<Parent, 'chip'> {
  const date = (s: string) => {
    const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/.exec(s.trim());
    return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s.trim();
  };
  const docNumber = v.docNumber.trim().toUpperCase();
  const docType = detectDocType(docNumber);
  const card: Record<string, unknown> = {
    name: v.name.trim(),
    sex: v.sex,
    docType: docType === 'hmt_permit' || docType === 'foreign_permanent' ? docType : 'resident_id',
    docNumber,
    nationality: 'CHN',
    ethnicity: v.ethnicity,
    birthDate: date(v.birthDate),
    address: v.address.trim(),
    validFrom: '2020-01-01',
    validTo: isPermanentValidity(v.validTo) ? 'permanent' : date(v.validTo),
  };
  return card as Omit<Parent, 'chip'>;
}

export function TrainingCardForm() {
  const { client, showError, announce } = useDesk();
  const { t, i18n } = useTranslation();
  const [v, setV] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const card = cardFromForm(v);
    const r = validateParent({ ...card, phone: undefined }, 'father', { now: new Date(), mode: 'submit' });
    const found: Partial<Record<Field, string>> = {};
    for (const i of r.issues) {
      const f = i.path.split('.')[1] as Field | undefined;
      if (f && (FIELDS as readonly string[]).includes(f) && !found[f]) found[f] = loc(i.message, i18n.language);
    }
    for (const f of ['name', 'docNumber', 'birthDate', 'validTo'] as const) if (!v[f].trim() && !found[f]) found[f] = t('training.required');
    setErrors(found);
    if (Object.keys(found).length) return;
    void client.simulateCardTap({ parent: card }).then((x) => {
      if (!x.ok) showError(x.error);
      else announce(t('training.tapped'));
    });
  };

  const field = (f: Field, control: React.ReactNode) => (
    <div className="field" key={f}>
      <label htmlFor={`tc-${f}`}>{t(`training.card_${f}`)}</label>
      {control}
      {errors[f] && (
        <p id={`tc-${f}-err`} className="field-error">
          {errors[f]}
        </p>
      )}
    </div>
  );
  const a11y = (f: Field) => ({ id: `tc-${f}`, 'aria-invalid': !!errors[f], 'aria-describedby': errors[f] ? `tc-${f}-err` : undefined });
  const text = (f: Field) => field(f, <input {...a11y(f)} value={v[f]} onChange={(e) => setV({ ...v, [f]: e.target.value })} />);

  return (
    <form className="training-card" onSubmit={submit} noValidate aria-label={t('training.customCard')}>
      {text('name')}
      {field(
        'sex',
        <select {...a11y('sex')} value={v.sex} onChange={(e) => setV({ ...v, sex: e.target.value })}>
          <option value="1">{t('opt.sex_1')}</option>
          <option value="2">{t('opt.sex_2')}</option>
        </select>,
      )}
      {field(
        'ethnicity',
        <select {...a11y('ethnicity')} value={v.ethnicity} onChange={(e) => setV({ ...v, ethnicity: e.target.value })}>
          {ETHNICITY_CODES.map((c) => (
            <option key={c} value={c}>{`${c} ${ETHNICITIES[c]}`}</option>
          ))}
        </select>,
      )}
      {text('birthDate')}
      {text('address')}
      {text('docNumber')}
      {text('validTo')}
      <button type="submit">{t('training.tapCustom')}</button>
    </form>
  );
}
