/**
 * After submit: the receipt. Print asks the desk to print it (`printReceipt`: the configured printer, no dialog,
 * the job's state shown live); `receiptPdf` gives the same PDF to save or preview; when it is `unavailable`, a
 * warning says so. The requests' progress is live below.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner } from '../components/ErrorBanner';
import { PrintReceipt } from '../components/Printing';
import { ReceiptStatus } from '../components/ReceiptStatus';
import { useDesk } from '../lib/desk';
import { RequestTimeline } from './Timeline';

export function usePdf(registrationId: string) {
  const { client } = useDesk();
  const [pdf, setPdf] = useState<{ url: string; fileName: string } | null>(null);
  const [pdfError, setPdfError] = useState<ApiError | null>(null);
  const load = () => {
    setPdfError(null);
    void client.receiptPdf({ registrationId }).then((r) => {
      if (!r.ok) {
        setPdfError(r.error);
        return;
      }
      const bytes = Uint8Array.from(atob(r.value.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      setPdf((old) => {
        if (old) URL.revokeObjectURL(old.url);
        return { url, fileName: r.value.fileName };
      });
    });
  };
  useEffect(() => {
    load();
  }, [registrationId]);
  useEffect(() => () => {
    if (pdf) URL.revokeObjectURL(pdf.url);
  }, [pdf]);
  return { pdf, pdfError, reload: load };
}

/** Save and preview of the receipt PDF (printing is the desk's: `PrintReceipt`). */
export function PdfActions({ pdf }: { pdf: { url: string; fileName: string } }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState(false);
  return (
    <div className="pdf">
      <div className="row">
        <a className="button" href={pdf.url} download={pdf.fileName}>
          {t('receipt.save')}
        </a>
        <button type="button" aria-expanded={preview} onClick={() => setPreview(!preview)}>
          {t('receipt.preview')}
        </button>
      </div>
      {preview && <iframe src={pdf.url} title={t('receipt.pdfTitle')} className="pdf-frame" />}
    </div>
  );
}

export default function Receipt({ registrationId, requests }: { registrationId: string; requests: number }) {
  const { client, navigate, showError } = useDesk();
  const { t } = useTranslation();
  const [detail, setDetail] = useState<RegistrationDetail | null>(null);
  const { pdf, pdfError } = usePdf(registrationId);

  useEffect(() => {
    let alive = true;
    const load = () =>
      void client.getRegistration({ id: registrationId }).then((r) => {
        if (!alive) return;
        if (r.ok) setDetail(r.value);
        else showError(r.error);
      });
    load();
    const off = client.on('requestStatusChanged', (e) => e.registrationId === registrationId && load());
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      off();
      clearInterval(timer);
    };
  }, [client, registrationId, showError]);

  return (
    <section aria-labelledby="receipt-title" className="receipt" data-testid="receipt">
      <h1 id="receipt-title" tabIndex={-1} data-autofocus>
        {t('receipt.title')}
      </h1>
      <ReceiptStatus requests={detail ? detail.requests : null} submitted={requests} />
      <p>
        {t('receipt.bundle')}: <code data-testid="bundle-id">{registrationId}</code>
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => navigate({ name: 'new' })}>
          {t('receipt.next')} <kbd>Alt+N</kbd>
        </button>
        <button type="button" onClick={() => navigate({ name: 'detail', id: registrationId })}>
          {t('receipt.detail')}
        </button>
      </div>
      {pdfError && (
        <>
          <p className="banner warn">{t('receipt.unavailable')}</p>
          <ErrorBanner error={pdfError} />
        </>
      )}
      <PrintReceipt registrationId={registrationId} label={t('receipt.print')} />
      {pdf && <PdfActions pdf={pdf} />}
      {detail && <RequestTimeline detail={detail} compact />}
    </section>
  );
}
