/**
 * Clerk walk: typing the mother's ID number fills her birth date ("已根据证件号码填入出生日期和性别"); the clerk
 * who then clicks the birth-date field and types the date anyway must get it once, not "1992-05-061992-05-06" and
 * "母亲出生日期格式不对". A value the desk filled is selected when the clerk goes to the field, so typing replaces it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SAMPLE_MOTHER } from '../../renderer/components/samples';
import { chromiumMissing, field, newRegistration, pageErrors, registerSample, screenshot, setLanguage, type TestDesk, useDesk } from './harness';

if (chromiumMissing) console.log(`e2e desk-filled field skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('a field the desk filled is replaced, not appended to, when the clerk types', () => {
  let desk: TestDesk, page: Page;
  useDesk('deskfilled', (s) => ({ desk, page } = s), { acceptDialogs: true, signIn: true, lang: 'zh-CN' });

  it('the mother’s birth date filled from her ID number, then typed by the clerk, holds the date once', async () => {
    await newRegistration(page);
    const id = SAMPLE_MOTHER.docNumber;
    const date = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;

    await field(page, 'mother.docNumber').click();
    await page.keyboard.type(id);
    await field(page, 'mother.birthDate').click(); // leaving the ID number fills the birth date
    await expect.poll(() => field(page, 'mother.birthDate').inputValue()).toBe(date);
    // The desk's value is selected, so her keystrokes replace it.
    expect(await field(page, 'mother.birthDate').evaluate((e) => [(e as HTMLInputElement).selectionStart, (e as HTMLInputElement).selectionEnd])).toEqual([0, date.length]);
    await page.keyboard.type(date);
    await page.keyboard.press('Tab');

    expect(await field(page, 'mother.birthDate').inputValue()).toBe(date);
    await page.waitForTimeout(300); // let validation on blur render
    expect(await page.locator('[data-field-error="mother.birthDate"]').count()).toBe(0);
    expect(await field(page, 'mother.birthDate').getAttribute('aria-invalid')).toBe('false');

    // Text the clerk typed herself keeps the caret where she clicks: clicking at the end and typing appends.
    await field(page, 'mother.name').click();
    await page.keyboard.type('王');
    await field(page, 'mother.birthDate').click(); // leave the name field
    await field(page, 'mother.name').click({ position: { x: 150, y: 10 } });
    await page.keyboard.type('芳');
    expect(await field(page, 'mother.name').inputValue()).toBe('王芳');

    await screenshot(page, 'deskfilled-birthdate', 'zh-CN');
    expect(pageErrors(page)).toEqual([]);
  });

  // Clerk walk item 2: online, the receipt said "3 项待发送，联网后自动发送" of requests that wait for the birth
  // certificate number, not for the network.
  it('online, the receipt says the requests that wait for another one wait for it, never "sent once online"', async () => {
    await registerSample(page, desk);
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-online'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('receipt-status').innerText(), { timeout: 15_000 }).toMatch(/项等待前置事项办结后自动提交/);
    expect(await page.getByTestId('receipt-status').innerText()).not.toMatch(/联网后/);
    await screenshot(page, 'deskfilled-receipt', 'zh-CN');
    await setLanguage(page, 'en');
    await expect.poll(() => page.getByTestId('receipt-status').innerText()).toMatch(/depend/);
    expect(await page.getByTestId('receipt-status').innerText()).not.toMatch(/as soon as the desk is online/);
    await screenshot(page, 'deskfilled-receipt', 'en');
    await setLanguage(page, 'zh-CN');
  });
});
