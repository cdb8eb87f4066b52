import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of the browser tests, kept as artifacts (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Saves a full-page screenshot as `<ARTIFACTS>/<folder>/<name>.png`; answers its path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const directory = `${ARTIFACTS}${folder}`;
  mkdirSync(directory, { recursive: true });
  const path = `${directory}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The text of each cell of a table's body rows, whitespace collapsed; with `exact`, a cell
 * holding a <data> element (an exact figure shown rounded) gives its value instead.
 */
export async function tableRows(page: Page, testId: string, { exact = false } = {}): Promise<string[][]> {
  const rows = page.getByTestId(testId).locator('tbody tr');
  await rows.first().waitFor();
  return rows.evaluateAll(
    (elements, exactValues) =>
      elements.map((row) => [...row.children].map((cell) => (exactValues ? cell.querySelector('data')?.getAttribute('value') : undefined) ?? (cell.textContent ?? '').replace(/\s+/g, ' ').trim())),
    exact,
  );
}
