/**
 * Timeline area (clerk walk): once the birth certificate has its number, 生育保险待遇申领 and 出生户口登记 no
 * longer say "等待 出生医学证明" but name it as in hand with its number; steps carry their time where known;
 * the target line of a finished request says how long it took in words, not "已办结 (0:00)". Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FINAL_STATES } from '../../domain/codes';
import { chromiumMissing, pageErrors, registerSample, screenshot, setLanguage, useDesk, waitFor, type TestDesk } from './harness';

if (chromiumMissing) console.log(`e2e timeline skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('request timeline in Chromium', () => {
  let desk: TestDesk;
  let page: Page;

  useDesk('timeline', (s) => ({ desk, page } = s), { acceptDialogs: true, signIn: true });

  it('drops "waits for" once the certificate is issued, shows step times and a sensible target line', async () => {
    const id = await registerSample(page, desk);
    const detail = await waitFor(
      async () => {
        const r = await desk.call('getRegistration', { id });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        return r.value.requests.every((q) => FINAL_STATES.includes(q.state)) ? r.value : null;
      },
      150_000,
      'every request final',
      1000,
    );
    const cert = detail.requests.find((q) => q.service === 'birth_certificate')!.documentNumber!;
    expect(cert).toBeTruthy();
    await page.getByRole('button', { name: /查看办理进度|Track progress/ }).click();
    await page.locator('#detail-title').waitFor();
    await expect.poll(() => page.locator('[data-testid=doc-birth_certificate]').innerText(), { timeout: 20_000 }).toBe(cert);
    for (const s of ['household_registration', 'maternity_insurance']) {
      expect(await page.getByTestId(`waits-${s}`).count()).toBe(0);
      expect(await page.getByTestId(`deps-met-${s}`).innerText()).toContain(cert);
    }
    const target = await page.getByTestId('target-birth_certificate').innerText();
    expect(target).toMatch(/已办结，用时 .+（在 2 小时内）/);
    expect(target).not.toContain('0:00');
    const times = await page.locator('.steps .step-time').allInnerTexts();
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await screenshot(page, 'timeline-detail', 'zh-CN');
    await setLanguage(page, 'en');
    expect(await page.getByTestId('target-birth_certificate').innerText()).toMatch(/done in .+ \(within 2 hours\)/);
    await screenshot(page, 'timeline-detail', 'en');
    await setLanguage(page, 'zh-CN');
    expect(pageErrors(page)).toEqual([]);
  }, 240_000);
});
