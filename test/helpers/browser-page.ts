/**
 * A page of the HTML report opened in the browser tests, with what it did recorded: dialogs
 * (dismissed: a hostile string that ran would open one), console errors and page errors (a CSP
 * violation shows up there), and every request (the report must load nothing).
 */
import type { Browser, Page } from 'playwright-core';

export interface PageWatch {
  page: Page;
  dialogs: string[];
  consoleErrors: string[];
  requests: string[];
}

export async function openWatched(browser: Browser, url: string, width = 1440): Promise<PageWatch> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  const watch: PageWatch = { page, dialogs: [], consoleErrors: [], requests: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(error.message));
  page.on('request', (request) => watch.requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load' });
  return watch;
}
