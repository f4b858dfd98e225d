/**
 * Training mode only: drive the simulated reader and scanner through the contract (`simulateCardTap`,
 * `simulateScan`), so a trainee can practise the real flow — the events come back exactly as a device's would.
 * Issue 12: any of the sample cards (She, a middle-dot name, permanent validity, HK/Macau/Taiwan permit,
 * foreigners 2017 and 2023), a card the trainer types, the training hospital (one of the 37), and the simulated
 * city down, slow, answering 5xx or 429, and back.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TRAINING_CITY_MODES, TRAINING_SAMPLES, type TrainingCityMode } from '../../core/api/contract';
import type { Result } from '../../core/api/result';
import { HOSPITALS } from '../../domain/hospitals';
import { useDesk } from '../lib/desk';
import { loc } from '../i18n';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND, SAMPLE_BATCH_HEPB, SAMPLE_BATCH_BCG } from './samples';
import { TrainingCardForm } from './TrainingCardForm';

export function TrainingPanel() {
  const { client, showError, session, announce } = useDesk();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [open, setOpen] = useState(true);
  const [city, setCity] = useState<TrainingCityMode>('normal');
  const run = (p: Promise<Result<unknown>>, done?: () => void) =>
    void p.then((r) => {
      if (!r.ok) showError(r.error);
      else done?.();
    });
  return (
    <aside className="training-panel" aria-labelledby="training-title" data-testid="training-panel">
      <h2 id="training-title">
        <button type="button" aria-expanded={open} className="link" onClick={() => setOpen(!open)}>
          {t('training.title')}
        </button>
      </h2>
      {open && (
        <div className="training-actions">
          <button type="button" data-testid="tap-mother" onClick={() => run(client.simulateCardTap({ parent: SAMPLE_MOTHER }))}>
            {t('training.tapMother')}
          </button>
          <button type="button" data-testid="tap-father" onClick={() => run(client.simulateCardTap({ parent: SAMPLE_FATHER }))}>
            {t('training.tapFather')}
          </button>
          <button type="button" data-testid="scan-wristband" onClick={() => run(client.simulateScan({ value: SAMPLE_WRISTBAND }))}>
            {t('training.scanWristband')}
          </button>
          <button type="button" onClick={() => run(client.simulateScan({ value: SAMPLE_BATCH_HEPB }))}>
            {t('training.scanHepB')}
          </button>
          <button type="button" onClick={() => run(client.simulateScan({ value: SAMPLE_BATCH_BCG }))}>
            {t('training.scanBcg')}
          </button>

          <details>
            <summary>{t('training.samples')}</summary>
            <ul className="plain training-samples" aria-label={t('training.samples')}>
              {TRAINING_SAMPLES.map((s) => (
                <li key={s}>
                  <button type="button" data-sample={s} onClick={() => run(client.trainingTapSample({ sample: s }))}>
                    <span className="card-name">{t(`training.sample_${s}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </details>

          <details>
            <summary>{t('training.customCard')}</summary>
            <TrainingCardForm />
          </details>

          <div className="field">
            <label htmlFor="training-hospital">{t('training.hospital')}</label>
            <select
              id="training-hospital"
              value={session.hospital.code}
              onChange={(e) => run(client.trainingSetHospital({ hospitalCode: e.target.value }), () => announce(t('training.hospitalSet')))}
            >
              {HOSPITALS.map((h) => (
                <option key={h.code} value={h.code}>
                  {h.code} {loc(h, lang)}
                </option>
              ))}
            </select>
          </div>

          <fieldset className="training-city">
            <legend>{t('training.city')}</legend>
            {TRAINING_CITY_MODES.map((m) => (
              <label key={m} className="check">
                <input
                  type="radio"
                  name="training-city"
                  value={m}
                  checked={city === m}
                  onChange={() => {
                    const before = city;
                    setCity(m); // shown at once; put back if the desk refuses
                    void client.trainingSetCity({ mode: m }).then((r) => {
                      if (r.ok) announce(t(`training.city_${m}`));
                      else {
                        setCity(before);
                        showError(r.error);
                      }
                    });
                  }}
                />{' '}
                {t(`training.city_${m}`)}
              </label>
            ))}
          </fieldset>
        </div>
      )}
    </aside>
  );
}
