/**
 * The HTML report of a 100k-resource account (500k findings, about 168k of them failing or unknown)
 * written by the chunked writer and opened in headless Chromium: it renders without a console
 * error, shows the first page of rows, pages, filters over all the findings, lists the passing
 * resources of a rule, and hostile names stay text. Not timed: it proves the report works at that
 * size, the bench measures how fast.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import { HTML_PAGE_SIZE, renderHtmlChunks } from '../../src/report/html.js';
import { DEFAULT_REPORT_OPTIONS } from '../../src/report/options.js';
import { writeFilesAtomically } from '../../src/report/write.js';
import { buildLargeScanResult, hostileIndexes, hostileName } from '../fixtures-report/large-scan-result.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from '../fixtures-report/scan-result.js';
import { resolveChromium } from '../helpers/chromium.js';

const RESOURCES = 100_000;

let browser: Browser;
let dir: string;
let url: string;
let scan: ScanResult;
let open: Finding[];
let page: Page;
const dialogs: string[] = [];
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  scan = buildLargeScanResult(RESOURCES);
  open = scan.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-html-scale-'));
  const file = path.join(dir, 'report.html');
  await writeFilesAtomically([{ path: file, content: renderHtmlChunks(scan, DEFAULT_REPORT_OPTIONS) }]);
  url = pathToFileURL(file).href;

  const launch = await resolveChromium();
  browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, ...(launch.env ? { env: launch.env } : {}) });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });

}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rowIds = () => page.locator('#findings-body tr.finding').evaluateAll((rows) => rows.map((r) => r.id));
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `finding-${from + i}`);

describe('HTML report of 100k resources in Chromium', () => {
  it('is written, and opens with the first page of failing findings', async () => {
    expect(scan.findings.length).toBe(5 * RESOURCES);
    expect(open.length).toBeGreaterThan(150_000);
    // Far below the 8 kB per resource of a page with every finding as HTML rows.
    expect((await stat(new URL(url))).size).toBeLessThan(60 * 1024 * 1024);
    const pages = Math.ceil(open.length / HTML_PAGE_SIZE);
    expect(await page.locator('#visible-count').innerText()).toBe(`${open.length} of ${open.length} findings`);
    expect(await page.locator('#page-info').innerText()).toBe(`rows 1–${HTML_PAGE_SIZE} · page 1 of ${pages}`);
    expect(await rowIds()).toEqual(ids(0, HTML_PAGE_SIZE));
    // The first rows are the most severe failing findings, in report order.
    expect(await page.locator('#finding-0 .arn').innerText()).toBe(open[0]!.resource.arn);
    expect(await page.locator('#finding-0 .msg').innerText()).toBe(open[0]!.message);
    expect(await page.locator('#total-verdict-fail .n').innerText()).toBe(String(scan.summary.byVerdict.fail));
    expect(consoleErrors).toEqual([]);
  });

  it('pages forward, to any page and to the last', async () => {
    await page.click('#page-next');
    expect(await rowIds()).toEqual(ids(HTML_PAGE_SIZE, 2 * HTML_PAGE_SIZE));
    expect(await page.locator(`#finding-${HTML_PAGE_SIZE + 5} .msg`).innerText()).toBe(open[HTML_PAGE_SIZE + 5]!.message);

    await page.fill('#page-number', '1200');
    await page.dispatchEvent('#page-number', 'change');
    expect(await rowIds()).toEqual(ids(1199 * HTML_PAGE_SIZE, 1200 * HTML_PAGE_SIZE));
    expect(await page.locator(`#finding-${1199 * HTML_PAGE_SIZE} .arn`).innerText()).toBe(open[1199 * HTML_PAGE_SIZE]!.resource.arn);

    await page.click('#page-last');
    const lastStart = (Math.ceil(open.length / HTML_PAGE_SIZE) - 1) * HTML_PAGE_SIZE;
    expect(await rowIds()).toEqual(ids(lastStart, open.length));
    expect(await page.locator('#page-next').isDisabled()).toBe(true);
    await page.click('#page-first');
    expect(await rowIds()).toEqual(ids(0, HTML_PAGE_SIZE));
    expect(consoleErrors).toEqual([]);
  });

  it('filters all the findings, not only the rows on the page', async () => {
    const critical = open.filter((f) => f.severity === 'critical').length;
    await page.selectOption('#filter-severity', 'critical');
    expect(await page.locator('#visible-count').innerText()).toBe(`${critical} of ${open.length} findings`);
    expect(critical).toBeLessThan(open.length);

    await page.selectOption('#filter-verdict', 'unknown');
    const criticalUnknown = open.filter((f) => f.severity === 'critical' && f.verdict === 'unknown').length;
    expect(await page.locator('#visible-count').innerText()).toBe(`${criticalUnknown} of ${open.length} findings`);
    expect(await page.locator('#findings-body .badge.v-unknown').count()).toBe(Math.min(HTML_PAGE_SIZE, criticalUnknown));
    await page.click('#filter-reset');

    await page.selectOption('#filter-suppressed', 'only');
    expect(await page.locator('#visible-count').innerText()).toBe(`${open.filter((f) => f.suppression).length} of ${open.length} findings`);
    await page.click('#filter-reset');

    // The last hostile resource's findings are on the last pages: search finds them.
    const last = hostileName(hostileIndexes(RESOURCES).at(-1)!);
    await page.fill('#filter-text', last.toUpperCase());
    const hits = open.filter((f) => f.resource.name === last);
    expect(hits.length).toBeGreaterThan(0);
    expect(await page.locator('#visible-count').innerText()).toBe(`${hits.length} of ${open.length} findings`);
    expect(await page.locator('#findings-body .rname').allInnerTexts()).toEqual(hits.map(() => last));
    await page.click('#filter-reset');
    expect(await page.locator('#visible-count').innerText()).toBe(`${open.length} of ${open.length} findings`);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps hostile names, messages and evidence as text', async () => {
    await page.fill('#filter-text', 'pwn-');
    await page.selectOption('#filter-verdict', 'fail');
    for (const summary of await page.locator('#findings-body details > summary').all()) await summary.click();
    const body = await page.locator('#findings-body').innerText();
    for (const i of hostileIndexes(RESOURCES)) expect(body).toContain(hostileName(i));
    expect(body).toContain(HOSTILE_SCRIPT);
    // Evidence is a key/value table: the hostile value is a cell's text.
    expect(body).toContain(`note\t${HOSTILE_IMG}`);
    expect(body).toContain('</script><!--');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    await page.click('#filter-reset');
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('lists the passing resources of a rule on demand, a few hundred at a time', async () => {
    const rule = scan.rules[0]!.id;
    const passing = scan.findings.filter((f) => f.ruleId === rule && f.verdict === 'pass');
    await page.locator('#passed-details > summary').click();
    const row = page.locator('#passed-table tr', { has: page.locator(`a[href="#/rule/${rule}"]`) });
    expect(await row.locator('td.num').first().innerText()).toBe(String(passing.length));
    await row.locator('details.passed-list > summary').click();
    const items = row.locator('ul.res-list').first().locator('li');
    await items.nth(499).waitFor();
    expect(await items.count()).toBe(500);
    await row.locator('button.more').first().click();
    expect(await items.count()).toBe(1000);
    expect(await items.nth(0).locator('.arn').innerText()).toBe(passing[0]!.resource.arn);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([url]);
  });
});
