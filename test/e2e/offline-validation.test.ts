/**
 * In a real browser: (1) offline — the city simulator stops, bundles are queued and shown as such, it returns,
 * the queue drains; (2) a wrong ID number, an impossible birth date and a missing required field each show the
 * right message at the right field (in both languages), and nothing is submitted.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withCheckChar } from '../../domain/idnumber';
import { SAMPLE_FATHER, SAMPLE_MOTHER } from '../../renderer/components/samples';
import { chromiumMissing, field, pageErrors, registerSample, screenshot, setLanguage, waitFor, type TestDesk, useDesk, newRegistration } from './harness';

if (chromiumMissing) console.log(`e2e offline/validation skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('offline queue and field validation in Chromium', () => {
  let desk: TestDesk, page: Page;
  useDesk('offline', (s) => ({ desk, page } = s), { acceptDialogs: true, signIn: true });

  it('a wrong ID number, an impossible birth date and a missing required field show at their fields, and nothing is submitted', async () => {
    await newRegistration(page);
    const good = SAMPLE_MOTHER.docNumber;
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0'); // same number, wrong check character
    await field(page, 'mother.docNumber').fill(wrong);
    await field(page, 'mother.docNumber').blur();
    await field(page, 'child.birthDateTime').fill('2026-02-30 10:00');
    await field(page, 'child.birthDateTime').blur();

    const errorAt = (path: string) => page.locator(`[data-field-error="${path}"]`);
    await expect.poll(() => errorAt('mother.docNumber').innerText()).toMatch(/校验/);
    await expect.poll(() => errorAt('child.birthDateTime').innerText()).toMatch(/不是真实的日期/);
    // The message is tied to its input.
    const describedBy = await field(page, 'mother.docNumber').getAttribute('aria-describedby');
    expect(describedBy).toContain('f-mother-docNumber-err');
    expect(await field(page, 'mother.docNumber').getAttribute('aria-invalid')).toBe('true');

    // Submit with the child's sex missing: the summary lists it and the field says so; nothing is queued.
    await page.keyboard.press('Alt+S');
    await page.locator('[data-testid=error-summary]').waitFor();
    await expect.poll(() => errorAt('child.sex').innerText()).toMatch(/性别/);
    await screenshot(page, 'validation-errors', 'zh-CN');

    await setLanguage(page, 'en');
    await expect.poll(() => errorAt('mother.docNumber').innerText()).toMatch(/check/i);
    await expect.poll(() => errorAt('child.birthDateTime').innerText()).toMatch(/not a real date/i);
    await expect.poll(() => errorAt('child.sex').innerText()).toMatch(/sex/i);
    await screenshot(page, 'validation-errors', 'en');
    await setLanguage(page, 'zh-CN');

    const listed = await desk.call('listRegistrations', {});
    expect(listed.ok && listed.value.items.length).toBe(0);
    const sync = await desk.call('getSyncStatus', {});
    expect(sync.ok && sync.value.queueDepth).toBe(0);

    // A keyboard-wedge scanner typing a wristband into the focused name field: told from typing by its speed,
    // taken back out of the name field and put where it belongs.
    // Playwright's keys travel one CDP round trip each: on a loaded machine they arrive slower than a scanner
    // types. So the scanner is played in the page: each key-down followed by the character landing in the input,
    // at scanner speed (as a wedge scanner's OS key events do).
    await field(page, 'child.name').focus();
    await page.evaluate((code) => {
      const el = document.activeElement as HTMLInputElement;
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      for (const ch of code) {
        const ev = new KeyboardEvent('keydown', { key: ch, bubbles: true, cancelable: true });
        if (el.dispatchEvent(ev)) {
          set.call(el, el.value + ch);
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    }, 'ZY2026031409');
    // Polled up to 10 s: on a loaded CI run the scan's route (form re-render) took longer than expect.poll's 1 s.
    await expect.poll(() => field(page, 'mother.inpatientNumber').inputValue(), { timeout: 10_000 }).toBe('ZY2026031409');
    await expect.poll(() => field(page, 'child.name').inputValue(), { timeout: 10_000 }).toBe('');

    // Correcting the number clears its message.
    await field(page, 'mother.docNumber').fill(good);
    await field(page, 'mother.docNumber').blur();
    await expect.poll(() => errorAt('mother.docNumber').count()).toBe(0);
    await page.getByRole('button', { name: '放弃草稿' }).click();
    await page.locator('#home-title').waitFor();
  }, 120_000);

  it('queues bundles while the city is unreachable, shows them as queued, and drains when it returns', async () => {
    const city = desk.mode.desk.trainingCity;
    expect(city).not.toBeNull();
    await city!.admin.stopAccepting();

    const second = { ...SAMPLE_MOTHER, name: '周晓雯', docNumber: withCheckChar('33030419960521004')!, birthDate: '1996-05-21', address: '浙江省温州市瓯海区娄桥街道古岸头路1号' };
    const father2 = { ...SAMPLE_FATHER, name: '吴建华', docNumber: withCheckChar('33030419940311003')!, birthDate: '1994-03-11' };
    const id = await registerSample(page, desk, { mother: second, father: father2, wristband: 'ZY2026031402' }, '吴悦');
    await page.keyboard.press('Alt+Y');

    const indicator = page.locator('[data-testid=sync-indicator]');
    await expect.poll(() => indicator.getAttribute('data-online'), { timeout: 30_000 }).toBe('false');
    await expect.poll(() => indicator.getAttribute('data-queue'), { timeout: 10_000 }).toBe('5');
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    await expect.poll(() => page.locator('[data-testid=count-queued]').innerText(), { timeout: 15_000 }).toBe('5');
    await screenshot(page, 'offline-queued', 'zh-CN');
    const detail = await desk.call('getRegistration', { id });
    expect(detail.ok && detail.value.requests.every((r) => r.state === 'queued' || r.state === 'sending')).toBe(true);

    await city!.admin.startAccepting();
    await page.keyboard.press('Alt+Y');
    await expect.poll(() => indicator.getAttribute('data-online'), { timeout: 30_000 }).toBe('true');
    await waitFor(
      async () => {
        const s = await desk.call('getSyncStatus', {});
        return s.ok && s.value.queueDepth === 0;
      },
      90_000,
      'the queue to drain',
    );
    await expect.poll(() => indicator.getAttribute('data-queue'), { timeout: 15_000 }).toBe('0');
    await screenshot(page, 'online-drained', 'zh-CN');
    expect(pageErrors(page)).toEqual([]);
  }, 240_000);
});
