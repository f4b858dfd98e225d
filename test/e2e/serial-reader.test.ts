/**
 * Devices through the operating system, in a production desk (devices area): browser mode with the city simulator
 * on loopback as its city API (not training), `devices.models` naming a serial reader and a serial scanner at the
 * desk's ends of socat pty pairs, the emulators in separate processes on the other ends, and Debian's Chromium
 * driven by roles and labels. A tapped card fills the mother's section with verified fields; left on the reader it
 * is not read again; the pty closed shows the reader disconnected, a new pty at the same path reconnects without a
 * restart; a bad checksum shows a reader error and changes no field. The serial scanner and a keyboard-wedge
 * scanner (typed at scanner speed) both land the wristband number in its field, classified by the configured
 * pattern. Screenshots of each reader state in both languages: test-results/screenshots/devices-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEVICE_REASON_TEXT } from '../../domain/devices';
import { FIXTURES } from '../../hardware/sim/fixtures';
import { hasSocat } from '../devices/pty';
import { chromiumMissing, launchBrowser, screenshot, setLanguage, signIn, newRegistration } from './harness';
import { READER_MODEL, SERIAL_CLERK, startSerialDesk, type SerialDesk } from './serial-desk';

const skip = chromiumMissing ?? (hasSocat ? null : 'socat is not installed');
if (skip) console.log(`[serial-reader.test] SKIPPED: ${skip}`);

let desk: SerialDesk;
let browser: Browser;
let page: Page;

const readerStatus = () => page.getByRole('status', { name: /读卡器状态|Card reader status/ });
const motherSection = () => page.getByRole('region', { name: /母亲|Mother/ });
const textbox = (scope: Locator, label: RegExp) => scope.getByRole('textbox', { name: label, exact: false });
const readerState = (state: string) => page.waitForSelector(`[data-testid=reader-status][data-state=${state}]`, { timeout: 20_000 });

/** The accessible description of a control (the "verified from the card" badge is part of it). */
const description = (l: Locator) =>
  l.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );

/** Every value of the parents' sections, to see that nothing changed (services follow the server's suggestions). */
const formValues = () =>
  page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('[data-parent] input, [data-parent] select, [data-parent] textarea')].map((e) => `${e.id}=${e.type === 'checkbox' ? e.checked : e.value}`));

const readsSent = () => desk.reader.lines.filter((l) => l.event === 'sent' && l.command === 'readTextPhoto' && !l.fault).length;

async function bothLanguages(name: string, fullPage = false) {
  await screenshot(page, name, 'zh-CN', fullPage);
  await setLanguage(page, 'en');
  await screenshot(page, name, 'en', fullPage);
  await setLanguage(page, 'zh-CN');
}

describe.skipIf(skip !== null)('serial reader and scanners in a production desk (browser mode, socat ptys)', () => {
  beforeAll(async () => {
    desk = await startSerialDesk('serial');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.error('page error', e.message));
    await page.goto(desk.mode.url);
    await signIn(page, SERIAL_CLERK.staffId, SERIAL_CLERK.pin);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.close();
  });

  it('is a production desk; Diagnostics lists the serial reader with its path and state', async () => {
    expect(desk.mode.desk.info).toMatchObject({ training: false, cityApiUrl: desk.city.url });
    await readerState('connected');
    await expect(readerStatus().innerText()).resolves.toMatch(/读卡器已连接/);
    await page.getByRole('button', { name: /设备与诊断/ }).click();
    const row = page.getByRole('row', { name: new RegExp(READER_MODEL.replace(/[()]/g, '\\$&')) });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('串口');
    expect(text).toContain(desk.readerPty.desk);
    expect(text).toContain('已连接');
    const scannerRow = page.getByRole('row', { name: /Serial scanner/ });
    expect(await scannerRow.innerText()).toContain(desk.scannerPty.desk);
    await bothLanguages('devices-connected', true);
  }, 60_000);

  it('a tapped card fills the mother’s section with verified fields, and is read once while it stays on the reader', async () => {
    await newRegistration(page);
    const before = readsSent();
    desk.reader.send('tap mother');
    const name = textbox(motherSection(), /^姓名/);
    await page.waitForFunction((v) => (document.getElementById('f-mother-docNumber') as HTMLInputElement | null)?.value === v, FIXTURES.mother.idNumber, { timeout: 10_000 });
    expect(await name.inputValue()).toBe('林晓燕');
    for (const l of [name, textbox(motherSection(), /^证件号码/)]) {
      expect(await l.getAttribute('readonly')).not.toBeNull();
      expect(await description(l)).toContain('已读卡核验');
    }
    expect(await page.locator('#f-father-docNumber').count().then((n) => (n ? page.locator('#f-father-docNumber').inputValue() : ''))).toBe('');
    // Left on the reader: not read again (the reader polls several times a second meanwhile).
    const values = await formValues();
    await page.waitForTimeout(2500);
    expect(readsSent() - before).toBe(1);
    expect(await formValues()).toEqual(values);
  }, 60_000);

  it('shows "reading" while the card is read (the emulator holds its answer)', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      await setLanguage(page, lang);
      desk.reader.send('remove');
      await readerState('connected');
      await page.waitForTimeout(600);
      desk.reader.send('hold 2500');
      desk.reader.send('tap mother');
      await readerState('reading');
      await expect(readerStatus().innerText()).resolves.toMatch(lang === 'en' ? /keep it on the reader/ : /正在读卡/);
      await screenshot(page, 'devices-reading', lang, false);
      await readerState('connected');
    }
    // The same card tapped again refreshed the mother's section, not the empty father's.
    expect(await page.locator('#f-father-docNumber').count().then((n) => (n ? page.locator('#f-father-docNumber').inputValue() : ''))).toBe('');
    await setLanguage(page, 'zh-CN');
  }, 60_000);

  it('a frame with a bad checksum shows a reader error with its reason and changes no field', async () => {
    desk.reader.send('remove');
    await page.waitForTimeout(600);
    const values = await formValues();
    desk.reader.send('badframe');
    desk.reader.send('tap father');
    await readerState('error');
    await expect(readerStatus().innerText()).resolves.toMatch(/读卡失败.*卡片无法读取，请拿开后重新放卡/s);
    await page.waitForTimeout(1000);
    expect(await formValues()).toEqual(values);
    await bothLanguages('devices-error');
    // Lifted and tapped again: read, into the father's section.
    desk.reader.send('remove');
    await page.waitForTimeout(600);
    desk.reader.send('tap father');
    await page.waitForFunction((v) => (document.getElementById('f-father-docNumber') as HTMLInputElement | null)?.value === v, FIXTURES.father.idNumber, { timeout: 10_000 });
    await readerState('connected');
  }, 60_000);

  it('the pty closed shows the reader disconnected; a new pty at the same path reconnects without a restart', async () => {
    await desk.unplugReader();
    await readerState('disconnected');
    await expect(readerStatus().innerText()).resolves.toMatch(/读卡器未连接/);
    await bothLanguages('devices-disconnected');
    await desk.replugReader();
    await readerState('connected');
    // It reads again: the mother's card tapped after a remove is read once and her fields stay verified.
    desk.reader.send('remove');
    await page.waitForTimeout(600);
    const before = readsSent();
    desk.reader.send('tap mother');
    await expect.poll(() => readsSent() - before, { timeout: 10_000 }).toBe(1);
    expect(await description(textbox(motherSection(), /^姓名/))).toContain('已读卡核验');
  }, 60_000);

  it('a serial (USB-CDC) scanner and a keyboard-wedge scanner both land the wristband number in its field', async () => {
    const wristband = textbox(motherSection(), /^住院号/);
    desk.scanner.send('scan WB123456');
    await expect.poll(() => wristband.inputValue(), { timeout: 10_000 }).toBe('WB123456');

    // The wedge: typed at scanner speed into another field, ended by Enter; classified by the configured pattern.
    const childName = page.getByRole('textbox', { name: /^新生儿姓名/ });
    // page.keyboard awaits one devtools round trip a key: on a loaded machine (CI, two cores, two test files at once)
    // the gaps exceeded the 30 ms a scanner never does and every burst read as typing. So the burst's trusted key
    // events are sent down one devtools session without waiting between them, as a scanner's OS events arrive.
    // Up to three bursts; each miss is printed with its widest gap.
    const cdp = await page.context().newCDPSession(page);
    const scannerBurst = async (text: string) => {
      const sent: Promise<unknown>[] = [];
      for (const ch of text) {
        sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch }));
        sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch }));
      }
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }));
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 }));
      await Promise.all(sent);
    };
    for (let attempt = 1; attempt <= 3; attempt++) {
      await childName.fill('');
      await childName.click();
      await page.waitForTimeout(300); // the click's re-render settled: the keys then come as fast as a scanner's
      await page.evaluate(() => {
        const w = window as unknown as { __keyAt?: number[] };
        if (!w.__keyAt) window.addEventListener('keydown', (e) => w.__keyAt!.push(e.timeStamp), { capture: true });
        w.__keyAt = [];
      });
      await scannerBurst('WB654321');
      await page.waitForTimeout(300);
      if ((await wristband.inputValue()) === 'WB654321') break;
      const gaps = await page.evaluate(() => {
        const t = (window as unknown as { __keyAt: number[] }).__keyAt;
        return t.slice(1).map((x, i) => x - t[i]!);
      });
      console.log(`[serial-reader.test] wedge burst ${attempt} read as typing: widest key gap ${Math.max(...gaps).toFixed(1)} ms (a scan is < 30 ms)`);
    }
    await expect.poll(() => wristband.inputValue(), { timeout: 5000 }).toBe('WB654321');
    await expect.poll(() => childName.inputValue(), { timeout: 5000 }).toBe('');
    await cdp.detach();
  }, 60_000);

  it('Diagnostics afterwards: the reader connected again, with its last error kept in plain words', async () => {
    await page.getByRole('button', { name: /设备与诊断/ }).click();
    const row = page.getByRole('row', { name: new RegExp(READER_MODEL.replace(/[()]/g, '\\$&')) });
    await row.waitFor();
    const cells = row.getByRole('cell');
    expect(await cells.nth(2).innerText()).toContain('已连接');
    const lastError = await cells.nth(3).innerText();
    expect(Object.values(DEVICE_REASON_TEXT).some((r) => lastError.includes(r['zh-CN']))).toBe(true);
    await bothLanguages('devices-diagnostics', true);
  }, 60_000);
});
