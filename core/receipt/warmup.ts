/**
 * Start-up warm-up: the first receipt of a process costs ~10× the next ones (font files read and parsed,
 * OpenType tables decoded, pdfkit and fontkit compiled by the JIT). Call `warmUpReceipts()` once the window
 * is up and the desk idle; it renders one sample receipt and throws it away. Never required: without it
 * the first receipt is just slower.
 */
import { preloadReceiptFonts } from './fonts';
import { hospitalName, midFlight, receiptRegistration } from './fixture';
import { renderReceipt } from './receipt';

export async function warmUpReceipts(): Promise<void> {
  preloadReceiptFonts();
  const registration = receiptRegistration();
  await renderReceipt({
    registration,
    requests: midFlight(registration),
    hospitalName: hospitalName(),
    clerkName: '预热',
    training: true,
    now: new Date(),
  });
}
