import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, which infra/scripts/bootstrap.sh installs; CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../../.data/screenshots');

/** Headless Chromium, as a person's browser: no fetching from the internet happens (none is reachable). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: run infra/scripts/bootstrap.sh (as root it installs chromium)`,
    );
  }
  // Root (CI) cannot use Chromium's sandbox; the pages are our own, on 127.0.0.1.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Saves what the page shows now as `.data/screenshots/<prefix>-<nn>-<step>.png`; returns the path. */
export function screenshotter(prefix: string): (page: Page, step: string) => Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  let n = 0;
  return async (page, step) => {
    const file = path.join(SCREENSHOTS, `${prefix}-${String(++n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file });
    return file;
  };
}
