/**
 * End-to-end harness: a real desk in browser mode (training: embedded city simulator, simulated reader and
 * scanner, encrypted SQLite in a temp folder) and Debian's Chromium driven by playwright-core. Helpers count the
 * clerk's actions, drive the simulated devices through the contract (as a physical tap would: focus stays put),
 * run axe-core in the page and save screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { SAMPLE_FATHER, SAMPLE_MOTHER, SAMPLE_WRISTBAND } from '../../renderer/components/samples';
import { startBrowserMode, type BrowserMode } from '../../electron/browser-mode/index';
import { PROJECT_ROOT } from '../../electron/browser-mode/build';
import type { MethodName, MethodResult } from '../../core/api/contract';
import type { Result } from '../../core/api/result';
import { personalValues, recordScan, scanForPii } from './pii-at-rest';


export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing: string | null = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (install Debian's chromium)`;
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');
export const FIGURES_FILE = path.join(RESULTS_DIR, 'e2e-figures.json');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface TestDesk {
  mode: BrowserMode;
  dataDir: string;
  call<K extends MethodName>(method: K, args: unknown): Promise<Result<MethodResult<K>>>;
  close(): Promise<void>;
}

/**
 * A training desk in a fresh temp folder; sync every 5 s so the simulator's fast review clock is seen quickly.
 * `config`: more of IT's config file (e.g. `printer`), merged over those keys.
 */
export async function startTestDesk(name: string, config: Record<string, unknown> = {}): Promise<TestDesk> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `desk-e2e-${name}-`));
  const configFile = path.join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ hospitalCode: 'WZ01', deskId: `e2e-${name}`, idleLockMinutes: 30, sync: { intervalSec: 5 }, ...config }));
  const mode = await startBrowserMode({ dataDir, configFile, training: true, env: {} });
  return {
    mode,
    dataDir,
    async call(method, args) {
      const res = await fetch(`${mode.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-desk-token': mode.token },
        body: JSON.stringify(args ?? {}),
      });
      return (await res.json()) as never;
    },
    async close() {
      // data area (issue 13): no personal data in clear in any file under the data folder, once the desk is closed.
      const values = personalValues(mode.desk.desk.store);
      await mode.close();
      const scan = scanForPii(dataDir, values);
      recordScan(RESULTS_DIR, name, values.length, scan);
      const leaks = scan.leaks;
      rmSync(dataDir, { recursive: true, force: true });
      if (leaks.length > 0) throw new Error(`personal data in clear under the data folder: ${leaks.map((l) => `${l.file} (${l.kind}, ${l.encoding})`).join(', ')}`);
    },
  };
}

/** Counts what the clerk does: each click, key chord, card tap, scan and field typed is one action. */
export class Clerk {
  readonly log: string[] = [];
  constructor(
    readonly page: Page,
    readonly desk: TestDesk,
  ) {}
  get actions(): number {
    return this.log.length;
  }
  async click(l: Locator, what: string) {
    this.log.push(`click ${what}`);
    await l.click();
  }
  async press(chord: string) {
    this.log.push(`key ${chord}`);
    await this.page.keyboard.press(chord);
  }
  async type(l: Locator, text: string, what: string) {
    this.log.push(`type ${what}`);
    await l.fill(text);
    // Leaving the field is part of typing it (Tab to the next one).
    await l.blur();
  }
  async choose(l: Locator, value: string, what: string) {
    this.log.push(`choose ${what}`);
    await l.selectOption(value);
  }
  async tapCard(parent: unknown, what: string) {
    this.log.push(`tap ${what}`);
    const r = await this.desk.call('simulateCardTap', { parent });
    if (!r.ok || !r.value.delivered) throw new Error(`card tap not delivered: ${JSON.stringify(r)}`);
  }
  async scan(value: string, what: string) {
    this.log.push(`scan ${what}`);
    const r = await this.desk.call('simulateScan', { value });
    if (!r.ok || !r.value.delivered) throw new Error(`scan not delivered: ${JSON.stringify(r)}`);
  }
}

export async function openDesk(browser: Browser, desk: TestDesk, opts: { width?: number; height?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as unknown as { __errors: string[] }).__errors = errors;
  await page.goto(desk.mode.url);
  await page.locator('#signin-staff').waitFor();
  return page;
}

export interface DeskSession {
  desk: TestDesk;
  browser: Browser;
  page: Page;
}

/**
 * The set-up every e2e file shares, as vitest hooks of the calling describe: beforeAll starts a training desk
 * (`startTestDesk(name, config)`; `config` may be a function, read when the desk starts), launches Chromium and
 * opens the desk's page; optionally accepts every dialog, signs in as the trainer and sets the language; then
 * hands desk, browser and page to `ready`. afterAll closes Chromium and the desk.
 */
export function useDesk(
  name: string,
  ready: (s: DeskSession) => void,
  opts: { config?: Record<string, unknown> | (() => Record<string, unknown>); acceptDialogs?: boolean; signIn?: boolean; lang?: 'zh-CN' | 'en'; hookTimeout?: number } = {},
): void {
  let s: Partial<DeskSession> = {};
  beforeAll(async () => {
    const desk = await startTestDesk(name, typeof opts.config === 'function' ? opts.config() : opts.config);
    s.desk = desk;
    const browser = await launchBrowser();
    s.browser = browser;
    const page = await openDesk(browser, desk);
    if (opts.acceptDialogs) page.on('dialog', (d) => void d.accept());
    if (opts.signIn) await signIn(page);
    if (opts.lang) await setLanguage(page, opts.lang);
    s = { desk, browser, page };
    ready({ desk, browser, page });
  }, opts.hookTimeout);
  afterAll(async () => {
    await s.browser?.close();
    await s.desk?.close();
  });
}

export function pageErrors(page: Page): string[] {
  return (page as unknown as { __errors: string[] }).__errors;
}

export async function signIn(page: Page, staffId = 'trainer', pin = '123456') {
  await page.locator('#signin-staff').fill(staffId);
  await page.locator('#signin-pin').fill(pin);
  await page.keyboard.press('Enter');
  await page.locator('#home-title').waitFor();
}

export async function setLanguage(page: Page, lang: 'zh-CN' | 'en') {
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current !== lang) await page.keyboard.press('Alt+E');
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

const AXE_SOURCE = readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core in the page (injected through the devtools protocol, which the page's CSP does not govern). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const a = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await a.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

export const serious = (v: AxeViolation[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');

export async function screenshot(page: Page, name: string, lang: 'zh-CN' | 'en', fullPage = true) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.${lang}.png`), fullPage });
}

export function writeFigures(figures: Record<string, unknown>) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const current = existsSync(FIGURES_FILE) ? (JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(FIGURES_FILE, JSON.stringify({ ...current, ...figures }, null, 2) + '\n');
}

/** A birth time a few hours ago in desk local time (UTC+8), typed the way a clerk would: `YYYY-MM-DD HH:mm`. */
export function recentBirthTime(hoursAgo = 3): string {
  const d = new Date(Date.now() - hoursAgo * 3600_000 + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, everyMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const field = (page: Page, path: string) => page.locator(`#f-${path.replace(/\./g, '-')}`);

/** A new registration, the way a clerk opens one: Alt+N, and the form is there. */
export async function newRegistration(page: Page) {
  await page.keyboard.press('Alt+N');
  await page.locator('#form-title').waitFor();
}

/**
 * After the mother's card: the father's card, the wristband, the phone and the child, as a clerk fills them (each
 * step one action); `child` sets the name, sex, minutes since birth and the measurements that differ.
 */
export async function fillSample(
  clerk: Clerk,
  page: Page,
  samples: { father: unknown; wristband: string },
  child: { name: string; sex?: string; minutesAgo?: number; weeks?: string; weightG?: string; lengthCm?: string },
) {
  await clerk.tapCard(samples.father, 'father');
  await page.waitForFunction(() => (document.getElementById('f-father-docNumber') as HTMLInputElement | null)?.value !== '');
  await clerk.scan(samples.wristband, 'wristband');
  await page.waitForFunction(() => (document.getElementById('f-mother-inpatientNumber') as HTMLInputElement | null)?.value !== '');
  await clerk.type(field(page, 'mother.phone'), '13857712345', 'phone');
  await clerk.type(field(page, 'child.name'), child.name, 'name');
  await clerk.choose(field(page, 'child.sex'), child.sex ?? '2', 'sex');
  await clerk.type(field(page, 'child.birthDateTime'), recentBirthTime(child.minutesAgo ?? 2), 'birth');
  await clerk.type(field(page, 'child.gestationalWeeks'), child.weeks ?? '38', 'weeks');
  await clerk.type(field(page, 'child.weightG'), child.weightG ?? '3100', 'weight');
  await clerk.type(field(page, 'child.lengthCm'), child.lengthCm ?? '49', 'length');
  await clerk.type(field(page, 'child.attendant'), '王丽', 'attendant');
}

/** The standard flow through the UI (cards and wristband through the simulated devices; the sample family by default); returns the bundle id. */
export async function registerSample(
  page: Page,
  desk: TestDesk,
  samples: { mother: unknown; father: unknown; wristband: string } = { mother: SAMPLE_MOTHER, father: SAMPLE_FATHER, wristband: SAMPLE_WRISTBAND },
  childName = '陈沐阳',
): Promise<string> {
  const clerk = new Clerk(page, desk);
  // Always a fresh form: a draft left open is discarded (the caller accepts the confirm dialog).
  if (await page.locator('#form-title').count()) {
    await page.locator('.form-nav button.link').click();
    await page.locator('#home-title').waitFor();
  }
  await newRegistration(page);
  await clerk.tapCard(samples.mother, 'mother');
  await page.waitForFunction(() => (document.getElementById('f-mother-docNumber') as HTMLInputElement | null)?.value !== '');
  await fillSample(clerk, page, samples, { name: childName });
  await page
    .waitForFunction(() => (document.getElementById('f-services-citizen_card') as HTMLInputElement | null)?.checked === true, undefined, { timeout: 10_000 })
    .catch(async (e: unknown) => {
      await screenshot(page, 'failure-register-sample', 'zh-CN');
      throw e;
    });
  await clerk.press('Alt+S');
  await page.locator('[data-testid=receipt]').waitFor({ timeout: 15_000 });
  return (await page.locator('[data-testid=bundle-id]').innerText()).trim();
}
