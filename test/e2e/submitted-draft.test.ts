/**
 * Drafts area (clerk walk): a registration submitted with Alt+S straight after the last keystroke (a debounced
 * draft save still on its way) does not stay on Home as a resumable draft. Real desk in browser mode, Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import { chromiumMissing, Clerk, field, fillSample, pageErrors, registerSample, screenshot, useDesk, type TestDesk } from './harness';

if (chromiumMissing) console.log(`e2e submitted-draft skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('a submitted registration is not a resumable draft (Chromium)', () => {
  let desk: TestDesk;
  let page: Page;

  useDesk('submitted-draft', (s) => ({ desk, page } = s), { acceptDialogs: true, signIn: true });

  it('types, submits with Alt+S at once, and 3 s later Home lists no draft to resume', async () => {
    // registerSample presses Alt+S right after the last field is typed (its 600 ms save not yet sent)
    const id = await registerSample(page, desk);
    await page.waitForTimeout(3000);
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    await page.waitForTimeout(1000); // Home's list of drafts has answered
    await screenshot(page, 'submitted-draft-home', 'zh-CN');
    expect(await page.getByRole('button', { name: /^继续/ }).count()).toBe(0);
    const drafts = await desk.call('listDrafts', {});
    expect(drafts.ok && drafts.value.map((d) => d.id)).toEqual([]);
    const draft = await desk.call('getDraft', { id });
    expect(draft.ok && draft.value).toBeNull();
    expect(pageErrors(page)).toEqual([]);
  });

  it('Alt+N again right after a card tap keeps the same form (no second draft left behind when it is submitted)', async () => {
    const clerk = new Clerk(page, desk);
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    await page.locator('.home .start button.primary').click(); // a fresh form (no draft id in the route)
    await page.locator('#form-title').waitFor();
    await clerk.tapCard(SAMPLE_MOTHER, 'mother');
    await page.waitForFunction(() => (document.getElementById('f-mother-docNumber') as HTMLInputElement | null)?.value !== '');
    await clerk.press('Alt+N'); // within the 600 ms before the first save: the same registration, not a new one
    await page.locator('#form-title').waitFor();
    await page.waitForTimeout(1500);
    expect(await field(page, 'mother.docNumber').inputValue()).not.toBe('');
    const open = await desk.call('listDrafts', {});
    expect(open.ok && open.value.length).toBe(1);
    await fillSample(clerk, page, { father: SAMPLE_FATHER, wristband: SAMPLE_WRISTBAND }, { name: '陈小宝', sex: '1', minutesAgo: 1, weeks: '39', weightG: '3300', lengthCm: '50' });
    await page.waitForFunction(() => (document.getElementById('f-services-citizen_card') as HTMLInputElement | null)?.checked === true, undefined, { timeout: 10_000 });
    await clerk.press('Alt+S');
    // the same mother registered minutes ago (the first test): the desk asks; this is another child
    const dialog = page.getByRole('dialog');
    await Promise.race([page.locator('[data-testid=receipt]').waitFor({ timeout: 15_000 }), dialog.waitFor({ timeout: 15_000 })]);
    if (await dialog.count()) {
      await screenshot(page, 'submitted-draft-duplicate', 'zh-CN');
      await dialog.getByRole('button', { name: /继续提交/ }).click();
    }
    await page.locator('[data-testid=receipt]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(3000);
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    await page.waitForTimeout(1000);
    await screenshot(page, 'submitted-draft-home-after-alt-n', 'zh-CN');
    expect(await page.getByRole('button', { name: /^继续/ }).count()).toBe(0);
    const drafts = await desk.call('listDrafts', {});
    expect(drafts.ok && drafts.value.length).toBe(0);
  });
});
