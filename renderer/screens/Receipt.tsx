/**
 * After submit: the receipt. `receiptPdf` gives a base64 PDF, shown in a frame with Print and Save; when it is
 * `unavailable`, the receipt's content is shown on screen instead. The requests' progress is live below.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationDetail } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import { ErrorBanner } from '../components/ErrorBanner';
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

export function PdfActions({ pdf }: { pdf: { url: string; fileName: string } }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const [preview, setPreview] = useState(false);
  return (
    <div className="pdf">
      <div className="row">
        <button type="button" className="primary" onClick={() => frame.current?.contentWindow?.print()}>
          {t('receipt.print')}
        </button>
        <a className="button" href={pdf.url} download={pdf.fileName}>
          {t('receipt.save')}
        </a>
        <button type="button" aria-expanded={preview} onClick={() => setPreview(!preview)}>
          {t('receipt.preview')}
        </button>
      </div>
      {/* The PDF is loaded once; hidden until previewed, it still prints. */}
      <iframe ref={frame} src={pdf.url} title={t('receipt.pdfTitle')} className={preview ? 'pdf-frame' : 'pdf-print'} tabIndex={preview ? 0 : -1} aria-hidden={preview ? undefined : true} />
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
      <ReceiptStatus states={detail ? detail.requests.map((r) => r.state) : null} submitted={requests} />
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
      {pdf && <PdfActions pdf={pdf} />}
      {detail && <RequestTimeline detail={detail} compact />}
    </section>
  );
}
