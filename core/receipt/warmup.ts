/**
 * Start-up warm-up: the first receipt of a process costs ~10× the next ones (font files read and parsed,
 * OpenType tables decoded, pdfkit and fontkit compiled by the JIT). Call `warmUpReceipts()` once the window
 * is up and the desk idle; it renders one sample receipt and throws it away. Never required: without it
 * the first receipt is just slower.
 */
import { preloadReceiptFonts } from './fonts';
import { fixtureReceiptInput, midFlight } from './fixture';
import { renderReceipt } from './receipt';

export async function warmUpReceipts(): Promise<void> {
  preloadReceiptFonts();
  await renderReceipt(fixtureReceiptInput({ requests: midFlight, clerkName: '预热', training: true }));
}
