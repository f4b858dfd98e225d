/**
 * The whole desk flow in a real browser: sign in → tap the mother's card → tap the father's card → scan the
 * wristband → type the child's details → all five services → submit → receipt → sync → every request reaches its
 * final state (training simulator). Counts the clerk's actions and measures card event → filled fields; then
 * visits every screen in both languages for axe-core and screenshots.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FINAL_STATES, SERVICES } from '../../domain/codes';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import {
  axe,
  chromiumMissing,
  Clerk,
  pageErrors,
  recentBirthTime,
  screenshot,
  serious,
  setLanguage,
  signIn,
  waitFor,
  writeFigures,
  type AxeViolation,
  type TestDesk,
  useDesk,
  newRegistration,
} from './harness';

if (chromiumMissing) console.log(`e2e flow skipped: ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('the desk flow in Chromium', () => {
  let desk: TestDesk, page: Page;
  let registrationId = '';
  useDesk('flow', (s) => ({ desk, page } = s));

  it('registers a newborn with two cards and a wristband in at most a dozen actions, and every request reaches its final state', async () => {
    await signIn(page);
    const clerk = new Clerk(page, desk);
    const field = (path: string) => page.locator(`#f-${path.replace(/\./g, '-')}`);

    // A card tap on the home screen opens a new registration with the mother filled in.
    await clerk.tapCard(SAMPLE_MOTHER, "mother's ID card");
    await expect.poll(() => field('mother.docNumber').inputValue()).toBe(SAMPLE_MOTHER.docNumber);
    await expect(field('mother.name').inputValue()).resolves.toBe(SAMPLE_MOTHER.name);
    expect(await field('mother.name').getAttribute('readonly')).not.toBeNull(); // verified from the chip
    await clerk.tapCard(SAMPLE_FATHER, "father's ID card");
    await expect.poll(() => field('father.docNumber').inputValue()).toBe(SAMPLE_FATHER.docNumber);
    await clerk.scan(SAMPLE_WRISTBAND, 'wristband');
    await expect.poll(() => field('mother.inpatientNumber').inputValue()).toBe(SAMPLE_WRISTBAND);

    // Smart defaults: the district from the mother's card, the guardian, the evidences from taps and scans.
    expect(await field('declaration.householdDistrict').inputValue()).toBe('330302');
    expect(await field('declaration.guardianName').inputValue()).toBe(SAMPLE_MOTHER.name);
    for (const k of ['mother_id', 'father_id', 'mother_wristband']) expect(await page.locator(`[data-evidence=${k}]`).getAttribute('data-present')).toBe('true');

    await clerk.type(field('mother.phone'), '13857712345', "mother's phone");
    expect(await field('declaration.guardianPhone').inputValue()).toBe('13857712345');
    await clerk.type(field('child.name'), '陈沐阳', "child's name");
    await clerk.choose(field('child.sex'), '1', "child's sex");
    await clerk.type(field('child.birthDateTime'), recentBirthTime(3), 'time of birth');
    await clerk.type(field('child.gestationalWeeks'), '39', 'gestational weeks');
    await clerk.type(field('child.weightG'), '3350', 'weight');
    await clerk.type(field('child.lengthCm'), '50', 'length');
    await clerk.type(field('child.attendant'), '王丽', 'delivery attendant');

    // All five services apply and are chosen, each showing where it is routed and what it waits for.
    for (const s of SERVICES) await expect.poll(() => page.locator(`#f-services-${s}`).isChecked(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => page.locator('[data-service=citizen_card] .explain').innerText()).toMatch(/出生户口登记/);
    await screenshot(page, 'registration-filled', 'zh-CN');

    await clerk.press('Alt+S');
    await page.locator('[data-testid=receipt]').waitFor({ timeout: 15_000 });
    registrationId = (await page.locator('[data-testid=bundle-id]').innerText()).trim();
    const actions = clerk.actions;
    console.log(`clerk actions for a five-service bundle with two ID cards: ${actions}\n  ${clerk.log.join('\n  ')}`);

    const m = await page.evaluate(() => (window as unknown as { __deskMetrics: { cardToFields: number[]; cardToPaint: number[] } }).__deskMetrics);
    // The first tap also opens the form; the second lands in the open form: the figure is the tap into the open form
    // (card event in the page → the fields' DOM filled), with the next painted frame alongside.
    const cardMs = m.cardToFields[1] ?? Number.NaN;
    console.log(`card event → filled fields: ${m.cardToFields.map((x) => x.toFixed(1)).join(', ')} ms; → next frame painted: ${m.cardToPaint.map((x) => x.toFixed(1)).join(', ')} ms (first from home, then in the open form)`);

    // The receipt: its PDF to save (or the warning that it cannot be made), the print button, the queued requests.
    await expect
      .poll(() => page.locator('[data-testid=receipt] a[download], [data-testid=receipt] .banner.warn:not([data-testid=printer-state])').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await screenshot(page, 'receipt', 'zh-CN');

    // Sync: every request reaches its final state on the simulator's fast training clock.
    let last = '';
    const detail = await waitFor(
      async () => {
        const r = await desk.call('getRegistration', { id: registrationId });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const now = r.value.requests.map((q) => `${q.service}:${q.state}${q.lastError ? ` (${q.lastError})` : ''}`).join(', ');
        if (now !== last) console.log(`requests: ${now}`);
        last = now;
        return r.value.requests.length === 5 && r.value.requests.every((q) => FINAL_STATES.includes(q.state)) ? r.value : null;
      },
      150_000,
      'every request in a final state',
      1000,
    );
    const states = Object.fromEntries(detail.requests.map((q) => [q.service, q.state]));
    console.log('final states:', states);
    expect(Object.values(states).every((s) => s === 'issued' || s === 'approved')).toBe(true);
    expect(detail.requests.find((q) => q.service === 'household_registration')?.documentNumber).toMatch(/^\d{17}[\dX]$/);

    writeFigures({ e2e_actions: actions, card_to_fields_ms: Math.round(cardMs * 10) / 10, card_to_paint_ms: Math.round((m.cardToPaint[1] ?? 0) * 10) / 10, card_to_fields_from_home_ms: Math.round((m.cardToFields[0] ?? 0) * 10) / 10, e2e_action_log: clerk.log });
    expect(actions).toBeLessThanOrEqual(12);
    expect(pageErrors(page)).toEqual([]);
  }, 240_000);

  it('shows the registration timeline with issued numbers', async () => {
    expect(registrationId).not.toBe('');
    await page.getByRole('button', { name: /查看办理进度|Track progress/ }).click();
    await page.locator('#detail-title').waitFor();
    await expect.poll(() => page.locator('[data-testid=doc-birth_certificate]').innerText(), { timeout: 20_000 }).toMatch(/^[A-Z]\d{9}$/);
  }, 60_000);

  it('passes axe-core (no serious or critical violation) on every screen, in both languages, with screenshots', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const check = async (name: string, lang: 'zh-CN' | 'en') => {
      await page.evaluate(() => document.fonts.ready);
      const v = serious(await axe(page));
      if (v.length) found[`${name}.${lang}`] = v;
      await screenshot(page, name, lang);
    };
    for (const lang of ['zh-CN', 'en'] as const) {
      await setLanguage(page, lang);
      await page.keyboard.press('Alt+H');
      await page.locator('#home-title').waitFor();
      await check('home', lang);

      await newRegistration(page);
      await check('registration-empty', lang);
      // Submitting an empty form shows what is missing, at the fields.
      await page.keyboard.press('Alt+S');
      await page.locator('[data-testid=error-summary]').waitFor();
      await check('registration-errors', lang);

      await page.keyboard.press('F2');
      await page.locator('#list-title').waitFor();
      await page.locator('table.table tbody tr').first().waitFor();
      await check('registrations', lang);

      await page.locator('table.table tbody tr button').first().click();
      await page.locator('#detail-title').waitFor();
      await check('detail', lang);

      await page.locator('nav.mainnav button').nth(3).click();
      await page.locator('#diag-title').waitFor();
      await page.locator('.diagnostics .card').first().waitFor();
      await check('diagnostics', lang);

      await page.locator('nav.mainnav button').nth(4).click();
      await page.locator('#settings-title').waitFor();
      await page.locator('#settings-title ~ .card table tbody tr').first().waitFor();
      await check('settings', lang);

      await page.keyboard.press('F1');
      await page.locator('#shortcuts-title').waitFor();
      await check('shortcuts', lang);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Alt+L');
      await page.locator('#lock-title').waitFor();
      await check('lock', lang);
      await page.locator('#lock-pin').fill('123456');
      await page.keyboard.press('Enter');
      await page.locator('#lock-title').waitFor({ state: 'detached' });
    }
    // Sign-in screen last (signing out ends the session).
    for (const lang of ['zh-CN', 'en'] as const) {
      await setLanguage(page, lang);
      if (lang === 'zh-CN') {
        await page.getByRole('button', { name: '退出登录' }).click();
        await page.locator('#signin-title').waitFor();
      }
      await check('sign-in', lang);
    }
    if (Object.keys(found).length) console.log(JSON.stringify(found, null, 2));
    expect(found).toEqual({});
  }, 240_000);
});
