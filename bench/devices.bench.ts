/**
 * `npm run bench -- devices`: a card on a serial reader to the verified fields in the page, in a PRODUCTION desk
 * in browser mode with its own settings (the city simulator on loopback as its city API, the serial reader at one
 * end of a socat pty pair, the reader emulator in a separate process on the other end; test/e2e/serial-desk.ts),
 * driven in Debian's Chromium.
 *
 *  - `card_to_fields_ms`: p95 over ≥ 20 taps, from the emulator's `sent` line (the last byte of the card-read
 *    response written on the pty) to the page's layout effect after React committed the mother's filled, verified
 *    fields (renderer/form/useDeviceFill.ts). One clock: CLOCK_MONOTONIC. The emulator stamps `sent` with monoNs
 *    (process.hrtime.bigint(), the same clock as this process's); the page's instant (performance.timeOrigin +
 *    now()) is mapped onto it by an offset measured around each tap the NTP way (the page's clock read between two
 *    hrtime readings, the narrowest of 7 round trips; error ≤ half of it, printed). Epoch ms straight from both
 *    processes was tried first and gave negative samples (each process's timeOrigin is its own estimate of the
 *    wall clock, several ms apart). Also `card_to_fields_p50_ms`. A sample can still come out below zero: the
 *    emulator stamps `sent` when its write's callback runs, which on a loaded machine may be after the desk read
 *    the bytes; the bench prints how many and by how much.
 *  - `card_wire_ms`: the response's wire time at 115,200 baud, COMPUTED from its byte count (10 bits a byte, 8N1):
 *    a pty does not pace bytes at a baud rate, so first-to-last byte on it would say nothing; on a real UART these
 *    milliseconds come before `card_to_fields_ms` starts.
 *
 * Each tap: `remove`, a pause for the reader's poll to see the field empty, then `tap mother`.
 */
import type { Page } from 'playwright-core';
import { chromiumMissing, launchBrowser } from '../test/e2e/harness';
import { SERIAL_CLERK, startSerialDesk } from '../test/e2e/serial-desk';
import { hasSocat } from '../test/devices/pty';
import { percentile, recordResults } from './results';

const TAPS = Number(process.env.DEVICES_BENCH_TAPS ?? 24);
const BAUD = 115_200;

if (chromiumMissing || !hasSocat) {
  console.log(`devices bench SKIPPED: ${chromiumMissing ?? 'socat is not installed'}`);
  process.exit(0);
}

const filledCount = (page: Page) => page.evaluate(() => (window as unknown as { __deskMetrics: { cardFilledAtEpochMs: number[] } }).__deskMetrics.cardFilledAtEpochMs.length);
const filledAt = (page: Page, i: number) => page.evaluate((n) => (window as unknown as { __deskMetrics: { cardFilledAtEpochMs: number[] } }).__deskMetrics.cardFilledAtEpochMs[n]!, i);

/** page clock (epoch ms) − this process's CLOCK_MONOTONIC (ms), from the narrowest of 7 round trips. */
async function pageOffset(page: Page): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Infinity };
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    const pageMs = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = process.hrtime.bigint();
    const rttMs = Number(t1 - t0) / 1e6;
    if (rttMs < best.rttMs) best = { offsetMs: pageMs - Number((t0 + t1) / 2n) / 1e6, rttMs };
  }
  return best;
}

const desk = await startSerialDesk('bench');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(desk.mode.url);
  await page.locator('#signin-staff').fill(SERIAL_CLERK.staffId);
  await page.locator('#signin-pin').fill(SERIAL_CLERK.pin);
  await page.keyboard.press('Enter');
  await page.locator('#home-title').waitFor();
  await page.waitForSelector('[data-testid=reader-status][data-state=connected]', { timeout: 20_000 });
  await page.keyboard.press('Alt+N');
  await page.locator('#form-title').waitFor();

  const samples: number[] = [];
  const rtts: number[] = [];
  let bytes = 0;
  for (let i = 0; i < TAPS + 1; i++) {
    desk.reader.send('remove');
    await new Promise((r) => setTimeout(r, 700));
    const before = await filledCount(page);
    const from = desk.reader.lines.length;
    desk.reader.send('tap mother');
    const sent = await desk.reader.next((l) => l.event === 'sent' && l.command === 'readTextPhoto', 10_000, from);
    await page.waitForFunction((n) => (window as unknown as { __deskMetrics: { cardFilledAtEpochMs: number[] } }).__deskMetrics.cardFilledAtEpochMs.length > n, before, { timeout: 10_000 });
    const filled = await filledAt(page, before);
    const { offsetMs, rttMs } = await pageOffset(page);
    bytes = Number(sent.bytes);
    const sentMonoMs = Number(BigInt(sent.monoNs)) / 1e6;
    if (i > 0) {
      // the first tap warms the page's code paths up
      samples.push(filled - offsetMs - sentMonoMs);
      rtts.push(rttMs);
    }
  }
  const wireMs = (bytes * 10 * 1000) / BAUD;
  const figures = {
    card_to_fields_ms: percentile(samples, 95),
    card_to_fields_p50_ms: percentile(samples, 50),
    card_wire_ms: wireMs,
  };
  console.log(`card_to_fields_ms   p95 ${figures.card_to_fields_ms.toFixed(1)} ms  p50 ${figures.card_to_fields_p50_ms.toFixed(1)} ms  over ${samples.length} taps (goal ≤ 50 ms)`);
  console.log(`card_wire_ms        ${wireMs.toFixed(1)} ms  (${bytes} bytes at ${BAUD} baud, 8N1, computed from the byte count)`);
  console.log(`samples (ms): ${samples.map((s) => s.toFixed(1)).join(' ')}`);
  const early = samples.filter((x) => x < 0);
  if (early.length) console.log(`${early.length} tap(s) filled before the emulator's \`sent\` stamp (min ${Math.min(...early).toFixed(1)} ms): its stamp is taken when the write's callback runs, which on a loaded machine can come after the desk already read the bytes`);
  console.log(`clock mapping: round trip ≤ ${Math.max(...rtts).toFixed(2)} ms (error ≤ half of it)`);
  recordResults(figures);
} finally {
  await browser.close();
  await desk.close();
}
