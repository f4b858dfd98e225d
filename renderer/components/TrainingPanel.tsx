/**
 * Training mode only: drive the simulated reader and scanner through the contract (`simulateCardTap`,
 * `simulateScan`), so a trainee can practise the real flow — the events come back exactly as a device's would.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../core/api/result';
import { useDesk } from '../lib/desk';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND, SAMPLE_BATCH_HEPB, SAMPLE_BATCH_BCG } from './samples';

export function TrainingPanel() {
  const { client, showError } = useDesk();
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  const run = (p: Promise<Result<unknown>>) =>
    void p.then((r) => {
      if (!r.ok) showError(r.error);
    });
  return (
    <aside className="training-panel" aria-labelledby="training-title">
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
        </div>
      )}
    </aside>
  );
}
