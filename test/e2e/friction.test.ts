/**
 * Issue 12 in Chromium, through roles and labels: 长期 accepted as a card expiry (typed, and a chip-read
 * permanent card shows 长期), 汉 first and ethnicity marked required, a Hong Kong phone accepted and a bad phone
 * named by its field; and the training panel: a sample card, a typed card, the training hospital, the simulated
 * city — with screenshots of the panel in both languages.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import { chromiumMissing, field, pageErrors, registerSample, screenshot, setLanguage, type TestDesk, useDesk, newRegistration } from './harness';

if (chromiumMissing) console.log(`e2e friction skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('friction and training in Chromium (issue 12)', () => {
  let desk: TestDesk, page: Page;
  const errorAt = (path: string) => page.locator(`[data-field-error="${path}"]`);
  /** A fresh, empty form: whatever draft Alt+N resumes is discarded first. */
  const newForm = async () => {
    if (!(await page.locator('#form-title').count())) {
      await newRegistration(page);
    }
    await page.locator('.form-nav button.link').click();
    await page.locator('#home-title').waitFor();
    await newRegistration(page);
  };
  useDesk('friction', (s) => ({ desk, page } = s), { acceptDialogs: true, signIn: true });

  it('长期 accepted: a chip-read permanent card shows 长期, a typed 长期 has no error, and the registration is filed', async () => {
    await newForm();
    const r = await desk.call('simulateCardTap', { parent: { ...SAMPLE_MOTHER, validTo: 'permanent' } });
    expect(r.ok && r.value.delivered).toBe(true);
    await page.waitForFunction(() => (document.getElementById('f-mother-docNumber') as HTMLInputElement | null)?.value !== '');
    await page.getByRole('region', { name: '1 母亲' }).getByText('证件其他信息').click();
    expect(await page.getByRole('region', { name: '1 母亲' }).getByRole('textbox', { name: /^有效期至/ }).inputValue()).toBe('长期');

    // typed by hand (the father's section, no card): 长期 is no error, a made-up word is
    if (!(await field(page, 'hasFather').isChecked())) await field(page, 'hasFather').check();
    const fatherValidTo = field(page, 'father.validTo');
    if (!(await fatherValidTo.isVisible())) await page.locator('section[data-parent=father] summary').click();
    await fatherValidTo.fill('永远');
    await fatherValidTo.blur();
    await page.keyboard.press('Alt+S');
    await expect.poll(() => errorAt('father.validTo').count(), { timeout: 10_000 }).toBe(1);
    await fatherValidTo.fill('长期');
    await fatherValidTo.blur();
    await page.keyboard.press('Alt+S');
    await page.locator('[data-testid=error-summary]').waitFor();
    await expect.poll(() => errorAt('father.validTo').count(), { timeout: 10_000 }).toBe(0);

    // the whole registration with a permanent mother's card goes through, stored as `permanent`
    const id = await registerSample(page, desk, { mother: { ...SAMPLE_MOTHER, validTo: 'permanent' }, father: SAMPLE_FATHER, wristband: SAMPLE_WRISTBAND }, '陈长期');
    const got = await desk.call('getRegistration', { id });
    expect(got.ok && got.value.registration.mother.validTo).toBe('permanent');
    // the receipt says what is true of the requests, and the state labels are the domain's
    await expect.poll(() => page.getByTestId('receipt-status').innerText()).toMatch(/项/);

    // the request's 登记时间 is when it was filed (not its last update), written YYYY-MM-DD HH:mm
    await page.getByRole('button', { name: /查看办理进度/ }).click();
    await page.locator('#detail-title').waitFor();
    const created = got.ok ? got.value.registration.createdAt : '';
    const local = new Date(Date.parse(created) + 8 * 3600_000).toISOString();
    const shown = await page.getByTestId('request-created').first().innerText();
    expect(shown).toBe(`${local.slice(0, 10)} ${local.slice(11, 16)}`);
    expect(await page.locator('body').innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    // home: the recent list keeps a name on one line
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    const nameCell = page.locator('td.name').first();
    expect(await nameCell.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
  });

  it('ethnicity: 01 汉 first and marked required; a Hong Kong phone is accepted, a bad one names its field', async () => {
    await newForm();
    const eth = field(page, 'mother.ethnicity');
    const options = await eth.locator('option').allInnerTexts();
    expect(options[1]).toBe('01 汉');
    expect(await eth.getAttribute('aria-required')).toBe('true');
    expect(await page.locator('label[for="f-mother-ethnicity"]').innerText()).toContain('*');

    await field(page, 'mother.phone').fill('+852 9123 4567');
    await field(page, 'mother.phone').blur();
    await field(page, 'declaration.guardianPhone').fill('+853 6612 3456');
    await field(page, 'declaration.guardianPhone').blur();
    await page.keyboard.press('Alt+S');
    await page.locator('[data-testid=error-summary]').waitFor();
    expect(await errorAt('mother.phone').count()).toBe(0);
    expect(await errorAt('declaration.guardianPhone').count()).toBe(0);

    // the desk switches the document type itself: the message telling the clerk to switch it goes
    const { withCheckChar: check } = await import('../../domain/idnumber');
    await field(page, 'mother.docNumber').fill(check('81000019920708002')!);
    await field(page, 'mother.docNumber').blur();
    await expect.poll(() => field(page, 'mother.docType').inputValue()).toBe('hmt_permit');
    await expect.poll(() => errorAt('mother.docNumber').count(), { timeout: 10_000 }).toBe(0);

    await field(page, 'mother.phone').fill('12345');
    await field(page, 'mother.phone').blur();
    await expect.poll(() => errorAt('mother.phone').innerText()).toMatch(/^母亲联系电话/);
    await page.keyboard.press('Alt+S');
    // The summary renders after the key: poll it (read at once, a loaded machine saw it still empty).
    const phoneLines = async () => (await page.locator('[data-testid=error-summary] li').allInnerTexts()).filter((s) => /联系电话/.test(s));
    await expect.poll(phoneLines).toEqual([expect.stringMatching(/^母亲联系电话/)]);
  });

  it("two drafts for the same mother read differently on the home screen (the child's birth time)", async () => {
    // two drafts left for the same mother (e.g. one per clerk before a shift change), saved through the API
    const { v7 } = await import('uuid');
    for (const birth of ['2026-03-14T08:25', '2026-03-15T21:40']) {
      const r = await desk.call('saveDraft', { id: v7(), data: { mother: { name: SAMPLE_MOTHER.name }, child: { birthDateTime: birth } } });
      expect(r.ok).toBe(true);
    }
    await newRegistration(page);
    await page.keyboard.press('Alt+H');
    await page.locator('#home-title').waitFor();
    const resume = page.getByRole('button', { name: new RegExp(`继续.*${SAMPLE_MOTHER.name}`) });
    // The home screen lists drafts once its query answers (slower on a loaded machine).
    await expect.poll(() => resume.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const items = await resume.allInnerTexts();
    expect(new Set(items).size).toBe(items.length);
    expect(items.join('\n')).toContain('宝宝出生 2026-03-14 08:25');
    expect(items.join('\n')).toContain('宝宝出生 2026-03-15 21:40');
  });

  it('training panel: a sample She card, a typed card, the training hospital and the simulated city', async () => {
    await newForm();
    const panel = page.getByRole('complementary', { name: '培训练习' });
    await panel.getByText('示例证件').click();
    await panel.getByRole('button', { name: /雷美兰/ }).click();
    await expect.poll(() => field(page, 'mother.name').inputValue(), { timeout: 10_000 }).toBe('雷美兰');
    expect(await field(page, 'mother.ethnicity').inputValue()).toBe('22');

    await panel.getByText('自定义证件').click();
    // The mother's section holds 雷美兰: a typed man's card fills the father's (a woman's would be refused there).
    await panel.getByLabel('姓名').fill('欧阳明');
    await panel.getByLabel('性别').selectOption('1');
    await panel.getByLabel('出生日期').fill('19940506');
    await panel.getByLabel('证件号码').fill('330302199405060031');
    await panel.getByLabel(/有效期至/).fill('长期');
    await panel.getByRole('button', { name: '刷此证件' }).click();
    await expect.poll(() => panel.locator('.field-error').count()).toBeGreaterThan(0); // wrong check character
    await screenshot(page, 'training-panel-error', 'zh-CN');
    const { withCheckChar } = await import('../../domain/idnumber');
    await panel.getByLabel('证件号码').fill(withCheckChar('33030219940506003')!);
    await panel.getByRole('button', { name: '刷此证件' }).click();
    await expect.poll(() => panel.locator('.field-error').count()).toBe(0);
    await expect.poll(() => page.locator('section[data-parent=father] #f-father-name').inputValue().catch(() => ''), { timeout: 10_000 }).toBe('欧阳明');

    await panel.getByLabel('培训医院').selectOption('WZ12');
    await expect.poll(async () => {
      const s = await desk.call('getSession', {});
      return s.ok && s.value.hospital.code;
    }).toBe('WZ12');

    await panel.getByRole('radio', { name: /服务器错误/ }).check();
    await expect.poll(() => panel.getByRole('radio', { name: /服务器错误/ }).isChecked()).toBe(true);
    await screenshot(page, 'training-page', 'zh-CN');
    await panel.getByRole('radio', { name: '正常' }).check();

    // the whole panel in the screenshots (on screen it scrolls within the window's height)
    await page.getByTestId('training-panel').evaluate((el) => el.classList.add('screenshot-whole'));
    await setLanguage(page, 'en');
    const en = page.getByRole('complementary', { name: 'Training practice' }).or(page.getByTestId('training-panel'));
    await expect.poll(() => en.getByText('Sample cards').isVisible()).toBe(true);
    await page.getByTestId('training-panel').screenshot({ path: 'test-results/screenshots/training-panel.en.png' });
    await screenshot(page, 'training-page', 'en');
    await setLanguage(page, 'zh-CN');
    await page.getByTestId('training-panel').screenshot({ path: 'test-results/screenshots/training-panel.zh-CN.png' });
    expect(pageErrors(page)).toEqual([]);
  });
});
