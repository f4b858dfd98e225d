/**
 * Printing a receipt from the page: the button asks the desk (`printReceipt`) — the desk's queue prints on the
 * configured printer, never a dialog, never the page's own print. The job's state (waiting, printing, done,
 * failed with its reason) follows live from `printJob` events; a printer that is not ready says so with its name
 * ("打印机未就绪：<name>"), and the waiting job prints by itself when the printer is back.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodResult } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { loc } from '../i18n';
import { useDesk } from '../lib/desk';
import { ErrorBanner } from './ErrorBanner';

export type PrintJob = MethodResult<'printReceipt'>;
export type PrintStatus = MethodResult<'printStatus'>;
export type PrinterStatus = PrintStatus['printer'];

/** The printer and the desk's recent jobs: asked on mount and every few seconds, updated by every `printJob` event. */
export function usePrintStatus(everyMs = 5000) {
  const { client } = useDesk();
  const [status, setStatus] = useState<PrintStatus | null>(null);
  const load = useCallback(() => {
    void client.printStatus({}).then((r) => r.ok && setStatus(r.value));
  }, [client]);
  useEffect(() => {
    load();
    const off = client.on('printJob', (e) =>
      setStatus((s) => ({ printer: e.printer, jobs: [e.job, ...(s?.jobs ?? []).filter((j) => j.id !== e.job.id)] })),
    );
    const timer = setInterval(load, everyMs);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [client, load, everyMs]);
  return { status, reload: load };
}

export function PrinterLine({ printer }: { printer: PrinterStatus }) {
  const { t, i18n } = useTranslation();
  const { session } = useDesk();
  // no printer at all on a training desk: practice does not need one (said before the clerk presses print)
  const practice = session.training && printer.problem === 'no_default';
  return (
    <p className={`banner ${printer.ready || practice ? 'ok' : 'warn'}`} data-testid="printer-state" data-ready={printer.ready} data-problem={printer.problem ?? ''}>
      {practice ? t('print.trainingNoPrinter') : loc(printer.words, i18n.language)}
    </p>
  );
}

export function PrintJobLine({ job }: { job: PrintJob }) {
  const { t, i18n } = useTranslation();
  const chip = { waiting: 'state-queued', printing: 'state-sending', done: 'state-issued', failed: 'state-rejected' }[job.state];
  return (
    <p data-testid="print-job" data-state={job.state} data-job={job.id} data-system-job={job.systemJobId ?? ''}>
      {t('print.job')}: <span className={`chip ${chip}`}>{t(`print.state_${job.state}`)}</span>
      {job.words && <span className="hint print-words"> {loc(job.words, i18n.language)}</span>}
    </p>
  );
}

/** The print button and, once pressed, the job's state; `label` is the button's words (print, or reprint). */
export function PrintReceipt({ registrationId, label, primary = true }: { registrationId: string; label: string; primary?: boolean }) {
  const { client, announce } = useDesk();
  const { t } = useTranslation();
  const { status } = usePrintStatus();
  const [result, setResult] = useState<PrintJob | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  // The job as last heard of: the method's result or a later `printJob` event (they may come in either order).
  const live = result ? status?.jobs.find((j) => j.id === result.id) : undefined;
  const job = result && live && live.updatedAt >= result.updatedAt ? live : result;
  useEffect(() => {
    if (job) announce(t(`print.state_${job.state}`));
  }, [job?.id, job?.state]);

  const run = (call: Promise<{ ok: true; value: PrintJob } | { ok: false; error: ApiError }>) => {
    setSending(true);
    void call.then((r) => {
      setSending(false);
      setError(r.ok ? null : r.error);
      if (r.ok) setResult(r.value);
    });
  };

  return (
    <div className="print-receipt">
      <div className="row">
        <button type="button" className={primary ? 'primary' : undefined} onClick={() => run(client.printReceipt({ registrationId }))} disabled={sending}>
          {job && job.state !== 'failed' ? t('print.printAgain') : label}
        </button>
        {job?.state === 'failed' && job.retryable && status?.printer.problem !== 'no_default' && (
          <button type="button" onClick={() => run(client.printRetry({ jobId: job.id }))} disabled={sending}>
            {t('print.retry')}
          </button>
        )}
      </div>
      <div aria-live="polite">
        {status && <PrinterLine printer={status.printer} />}
        {sending && <p className="hint">{t('print.sending')}</p>}
        {job && <PrintJobLine job={job} />}
      </div>
      {error && <ErrorBanner error={error} />}
    </div>
  );
}

/** Diagnostics' printer block: the printer's name, its state, the jobs waiting, how documents reach it. */
export function PrinterBlock() {
  const { t, i18n } = useTranslation();
  const { status } = usePrintStatus();
  if (!status) return null;
  const p = status.printer;
  const waiting = status.jobs.filter((j) => j.state === 'waiting' || j.state === 'printing');
  return (
    <div className="card" data-testid="printer-block">
      <h2>{t('print.printer')}</h2>
      <dl className="review-list">
        <dt>{t('print.name')}</dt>
        <dd>
          {p.name ? <code>{p.name}</code> : p.problem === 'no_default' ? t('print.noneNoDefault') : t('print.none')}
        </dd>
        <dt>{t('print.state')}</dt>
        <dd>
          <span className={`chip ${p.ready ? 'dev-connected' : 'dev-error'}`} data-ready={p.ready}>
            {p.ready ? t('print.ready') : t('print.notReady')}
          </span>
          <p className="hint">{loc(p.words, i18n.language)}</p>
          {p.detail && <p className="hint">{p.detail}</p>}
        </dd>
        <dt>{t('print.jobsWaiting')}</dt>
        <dd data-testid="printer-jobs-waiting">{p.jobsWaiting}</dd>
        <dt>{t('print.via')}</dt>
        <dd>{t(`print.via_${p.via}`)}</dd>
      </dl>
      {waiting.length > 0 && (
        <>
          <h3>{t('print.recent')}</h3>
          {waiting.slice(0, 5).map((j) => (
            <PrintJobLine key={j.id} job={j} />
          ))}
        </>
      )}
    </div>
  );
}
