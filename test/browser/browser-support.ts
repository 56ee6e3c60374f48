import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * What the browser e2e files share: the web build, Debian's Chromium (headless) driven by playwright-core
 * against the real application listening on a port, pages that collect script errors, screenshots.
 */

export const ROOT = join(__dirname, '..', '..');
const WEB_BUILD = join(ROOT, 'dist', 'web');
export const SHOTS = join(ROOT, 'test-output', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };
export const JOURNEY_MS = 120_000;

/**
 * Builds the web assets when dist/web is missing or older than any file under web/ (the app serves dist/web).
 * Two jest workers may start a browser file at once: the first builds, the other waits for it and finds the
 * build up to date.
 */
export function ensureWebBuild(): void {
  const manifest = join(WEB_BUILD, '.vite', 'manifest.json');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const upToDate = () => existsSync(manifest) && statSync(manifest).mtimeMs >= newest(join(ROOT, 'web'));
  if (upToDate()) return;
  withBuildLock(() => {
    if (!upToDate()) buildWeb();
  });
}

/** Runs `build` holding dist/.web-build.lock (a folder naming its holder's pid; a dead holder's lock is taken over). */
function withBuildLock(build: () => void): void {
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just made and its pid not yet written (or just removed: then the next try takes it).
    const made = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    return made === undefined || Date.now() - made < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function buildWeb(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web', 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/** A date-time-local value in China time, `days` from now. */
export function beijingInput(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** Someone a journey signs in as. */
export interface Person {
  id: string;
  username: string;
  name: string;
}

export interface BrowserHarness {
  t: TestApp;
  base: string;
  browser: Browser;
  /** Uncaught script errors (a CSP violation included) of every page opened. */
  pageErrors: string[];
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** A new page signed in as `person` through the login form, once the header shows their name. */
  loggedIn(person: Person, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The hooks a browser file needs around the harness its beforeAll starts (`harness` reads it once started):
 * each test fails when a page threw (an error its own steps would not see), and after the file the harness
 * closes, once whatever `first` gives (the worker a file started) has closed.
 */
export function failOnPageErrorsAndCloseAfterAll(harness: () => BrowserHarness | undefined, first?: () => { close(): Promise<void> } | undefined): void {
  afterAll(async () => {
    await first?.()?.close();
    await harness()?.close();
  });

  afterEach(() => {
    expect(harness()?.pageErrors).toEqual([]);
  });
}

/**
 * Chromium keeps the machine's TMPDIR, not the one the test environment gives this jest worker: with its
 * TMPDIR elsewhere, the check-in screen's code never showed within the journeys' waits.
 */
function chromiumEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: process.env.TEST_SYSTEM_TMPDIR ?? process.env.TMPDIR };
}

/** The application on a free port and a headless Chromium. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  ensureWebBuild();
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env: chromiumEnv(), args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required', '--mute-audio'] });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  async function newPage(viewport = DESKTOP): Promise<Page> {
    // A browser in another zone than China: every date shown must still be Beijing time.
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Europe/London' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    return page;
  }

  return {
    t,
    base,
    browser,
    pageErrors,
    newPage,
    async loggedIn(person, viewport = DESKTOP) {
      const page = await newPage(viewport);
      await page.goto(`${base}/login`);
      await login(page, person.username);
      await page.getByTestId('user-name').getByText(person.name).waitFor();
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await t.close();
    },
  };
}

export async function login(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('工号 / 用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

export async function downloadFile(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const { name, bytes } = await downloadFile(page, click);
  return { name, text: bytes.toString('utf8') };
}

/** The page is no wider than the phone (nothing to scroll sideways). */
export async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}
