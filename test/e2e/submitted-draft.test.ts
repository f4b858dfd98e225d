/**
 * Drafts area (clerk walk): a registration submitted with Alt+S straight after the last keystroke (a debounced
 * draft save still on its way) does not stay on Home as a resumable draft. Real desk in browser mode, Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import { chromiumMissing, launchBrowser, openDesk, pageErrors, registerSample, screenshot, signIn, startTestDesk, type TestDesk } from './harness';

if (chromiumMissing) console.log(`e2e submitted-draft skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('a submitted registration is not a resumable draft (Chromium)', () => {
  let desk: TestDesk;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    desk = await startTestDesk('submitted-draft');
    browser = await launchBrowser();
    page = await openDesk(browser, desk);
    page.on('dialog', (d) => void d.accept());
    await signIn(page);
  });
  afterAll(async () => {
    await browser?.close();
    await desk?.close();
  });

  it('types, submits with Alt+S at once, and 3 s later Home lists no draft to resume', async () => {
    // registerSample presses Alt+S right after the last field is typed (its 600 ms save not yet sent)
    const id = await registerSample(page, desk, { mother: SAMPLE_MOTHER, father: SAMPLE_FATHER, wristband: SAMPLE_WRISTBAND });
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
});
