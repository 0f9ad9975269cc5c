/**
 * Opens the HTML report in a real headless Chromium driven by playwright-core: it renders, filters
 * work, hostile text stays text, and nothing touches the network. The browser is Debian's
 * /usr/bin/chromium when installed, else the one in the devDependency @sparticuz/chromium
 * (test/helpers/chromium.ts), so `npm test` needs nothing installed by hand. A browser that does
 * not start is a failure, not a skip.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { DEFAULT_REPORT_OPTIONS } from '../../src/report/options.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT, buildScanResult } from '../fixtures-report/scan-result.js';
import { openWatched, type PageWatch } from '../helpers/browser-page.js';
import { SYSTEM_CHROMIUM, resolveChromium, type ChromiumLaunch } from '../helpers/chromium.js';

const SCREENSHOT = path.join(tmpdir(), 'aigis-report.png');

let launch: ChromiumLaunch;
let browser: Browser;
let dir: string;
/** The report with every finding as a row (`--passed full`), where every filter has rows to narrow. */
let reportUrl: string;
/** The default report: failing and unknown rows, passing resources listed per rule. */
let listUrl: string;

function openReport(url = reportUrl): Promise<PageWatch> {
  return openWatched(browser, url);
}

async function visibleRows(page: Page): Promise<number> {
  return page.locator('#findings-table tr.finding:visible').count();
}

beforeAll(async () => {
  launch = await resolveChromium();
  browser = await chromium.launch({
    executablePath: launch.executablePath,
    args: launch.args,
    ...(launch.env ? { env: launch.env } : {}),
  });
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-html-'));
  const file = path.join(dir, 'report.html');
  await writeFile(file, renderHtml(buildScanResult(), { ...DEFAULT_REPORT_OPTIONS, passed: 'full' }), 'utf8');
  reportUrl = pathToFileURL(file).href;
  const list = path.join(dir, 'report-list.html');
  await writeFile(list, renderHtml(buildScanResult()), 'utf8');
  listUrl = pathToFileURL(list).href;
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HTML report in Chromium', () => {
  it('runs in the browser the environment asks for', () => {
    // AIGIS_TEST_NO_SYSTEM_CHROMIUM=1 proves the bundled browser works where Debian's is absent.
    if (process.env.AIGIS_CHROMIUM) expect(launch.source).toBe('env');
    else if (process.env.AIGIS_TEST_NO_SYSTEM_CHROMIUM === '1') expect(launch.source).toBe('@sparticuz/chromium');
    expect(launch.executablePath === SYSTEM_CHROMIUM).toBe(launch.source === 'system');
    expect(browser.version()).toMatch(/^\d+\.\d+/);
  });

  it('renders the totals, frameworks and every finding', async () => {
    const { page, consoleErrors } = await openReport();
    const scan = buildScanResult();
    await expect(page.title()).resolves.toContain(scan.account.id);
    expect(await page.locator('#total-severity-critical .n').innerText()).toBe(String(scan.summary.failingBySeverity.critical));
    expect(await page.locator('#total-verdict-fail .n').innerText()).toBe(String(scan.summary.byVerdict.fail));
    expect(await page.locator('#total-severity-critical').isVisible()).toBe(true);
    expect(await page.locator('.framework').count()).toBe(scan.frameworks.length);
    expect(await visibleRows(page)).toBe(scan.findings.length);
    expect(await page.locator('#visible-count').innerText()).toBe(`${scan.findings.length} of ${scan.findings.length} findings`);
    expect(await page.locator('#page-info').innerText()).toBe(`rows 1–${scan.findings.length} · page 1 of 1`);
    // The script shows the controls it drives.
    expect(await page.locator('#filters').isVisible()).toBe(true);
    expect(await page.locator('#pager').isVisible()).toBe(true);
    // A CSP violation (e.g. a hash that no longer matches) would show up as a console error.
    expect(consoleErrors).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('filters rows by severity, verdict, service, framework, suppression and text', async () => {
    const { page, consoleErrors } = await openReport();
    const scan = buildScanResult();
    const total = scan.findings.length;
    const count = (pred: (f: (typeof scan.findings)[number]) => boolean) => scan.findings.filter(pred).length;

    await page.selectOption('#filter-severity', 'critical');
    const critical = count((f) => f.severity === 'critical');
    expect(critical).toBeLessThan(total);
    expect(await visibleRows(page)).toBe(critical);
    expect(await page.locator('#visible-count').innerText()).toBe(`${critical} of ${total} findings`);

    await page.selectOption('#filter-verdict', 'fail');
    expect(await visibleRows(page)).toBe(count((f) => f.severity === 'critical' && f.verdict === 'fail'));

    await page.click('#filter-reset');
    expect(await visibleRows(page)).toBe(total);

    await page.selectOption('#filter-service', 's3');
    expect(await visibleRows(page)).toBe(count((f) => f.service === 's3'));
    await page.click('#filter-reset');

    await page.selectOption('#filter-framework', 'soc2');
    expect(await visibleRows(page)).toBe(count((f) => f.controls.some((c) => c.framework === 'soc2')));
    await page.click('#filter-reset');

    await page.selectOption('#filter-verdict', 'open');
    expect(await visibleRows(page)).toBe(count((f) => f.verdict === 'fail' || f.verdict === 'unknown'));
    await page.click('#filter-reset');

    await page.selectOption('#filter-ai', 'ai');
    expect(await visibleRows(page)).toBe(count((f) => f.ai !== undefined));
    await page.selectOption('#filter-ai', 'other');
    expect(await visibleRows(page)).toBe(count((f) => f.ai === undefined));
    await page.click('#filter-reset');

    await page.selectOption('#filter-suppressed', 'only');
    expect(await visibleRows(page)).toBe(1);
    await page.selectOption('#filter-suppressed', 'hide');
    expect(await visibleRows(page)).toBe(total - 1);
    await page.click('#filter-reset');

    await page.fill('#filter-text', 'ML-PIPELINE');
    expect(await visibleRows(page)).toBe(1);
    await page.fill('#filter-text', 'no such thing anywhere');
    expect(await visibleRows(page)).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it.each([
    ['every finding as a row', () => reportUrl],
    ['passing resources listed per rule', () => listUrl],
  ])('shows hostile names, tags and messages as text and runs nothing (%s)', async (_name, url) => {
    const watch = await openReport(url());
    const { page } = watch;
    // Open every details element so that hostile evidence is rendered too.
    for (const summary of await page.locator('details > summary').all()) await summary.click();
    await page.waitForTimeout(200);

    const bodyText = await page.locator('body').innerText();
    expect(bodyText).toContain(`pwn-${HOSTILE_IMG}`);
    expect(bodyText).toContain(HOSTILE_SCRIPT);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    const hostileRow = page.locator('tr.finding', { hasText: `pwn-${HOSTILE_IMG}` });
    expect(await hostileRow.count()).toBe(1);
    expect(await hostileRow.locator('.rname').innerText()).toBe(`pwn-${HOSTILE_IMG}`);

    expect(watch.dialogs).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([url()]);
    await page.close();
  });

  it('shows failing and unknown findings first and lists the passing resources of a rule when opened', async () => {
    const { page, consoleErrors } = await openReport(listUrl);
    const scan = buildScanResult();
    const open = scan.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    expect(await visibleRows(page)).toBe(open.length);
    const verdicts = await page.locator('#findings-table tr.finding td:nth-child(2) .badge:first-child').allInnerTexts();
    expect(verdicts).toEqual(open.map((f) => (f.verdict === 'fail' ? 'Fail' : 'Unknown')));

    // Passing results are collapsed behind their count until opened.
    expect(await page.locator('#passed-table').isVisible()).toBe(false);
    await page.locator('#passed-details > summary').click();
    const lists = page.locator('details.passed-list');
    const passing = scan.findings.filter((f) => f.verdict === 'pass' || f.verdict === 'not_applicable');
    expect(await lists.count()).toBe(new Set(passing.map((f) => f.ruleId)).size);
    for (const details of await lists.all()) await details.locator('summary').click();
    // The lists are built on the toggle event, which fires after the click.
    await page.locator('details.passed-list li').nth(passing.length - 1).waitFor();
    const items = await page.locator('details.passed-list li .arn').allInnerTexts();
    expect(items.sort()).toEqual(passing.map((f) => f.resource.arn).sort());
    expect(await page.locator('details.passed-list h4').allTextContents()).toEqual(
      expect.arrayContaining(['Passed (1)', 'Not applicable (1)']),
    );
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('draws every chart as an image named and described for assistive technology, with its table of numbers', async () => {
    const { page, consoleErrors, requests } = await openReport(listUrl);
    const scan = buildScanResult();
    const figures = await page.locator('#charts figure.chart').all();
    // Controls by status, severity, service, and one of control families per framework.
    expect(figures).toHaveLength(3 + scan.frameworks.length);
    // The accessibility tree as Chromium computes it: each chart an image with a name and a description.
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; description?: { value: string } }[] };
    const images = nodes.filter((n) => n.role?.value === 'image' && n.name?.value);
    for (const figure of figures) {
      const id = await figure.getAttribute('id');
      const svg = figure.locator('svg.chart-svg');
      expect(await svg.getAttribute('role')).toBe('img');
      const title = (await svg.locator(`#${id}-title`).textContent())!;
      expect(await page.getByRole('img', { name: title, exact: true }).count()).toBe(1);
      const image = images.find((n) => n.name!.value === title);
      expect(image?.description?.value, title).toBe(await svg.locator(`#${id}-desc`).textContent());
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(20);
      // The text equivalent: a table of the same numbers, shown when its summary is clicked.
      const table = figure.locator(`table#${id}-table`);
      expect(await table.isVisible()).toBe(false);
      await figure.locator('details.chart-data > summary').click();
      expect(await table.isVisible()).toBe(true);
      expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    }
    expect(await page.locator('#chart-status-table tbody tr').count()).toBe(scan.frameworks.length);
    expect(await page.locator('#chart-severity-table tbody tr td').allInnerTexts()).toEqual(
      ['critical', 'high', 'medium', 'low', 'info'].map((s) => String(scan.summary.failingBySeverity[s as keyof typeof scan.summary.failingBySeverity])),
    );
    // No CSP violation (it would be a console error) and nothing fetched.
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([listUrl]);
    await page.close();
  });

  it('opens every details element for printing', async () => {
    const { page } = await openReport();
    const details = await page.locator('details').count();
    expect(details).toBeGreaterThan(0);
    expect(await page.locator('details[open]').count()).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.locator('details[open]').count()).toBe(details);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.filters').isVisible()).toBe(false);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    expect(await page.locator('details[open]').count()).toBe(0);
    await page.close();
  });
});
