/**
 * The HTML report's drill-down in a real headless Chromium (test/helpers/chromium.ts): a control
 * opens to its rules and failing resources, a rule to its resources, a resource to every rule that
 * judged it, by links (the page address), and Back returns. Hostile names stay text on every view,
 * and a crafted address shows "not in this report" rather than running anything.
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
import { resolveChromium } from '../helpers/chromium.js';

let browser: Browser;
let dir: string;
let listUrl: string;
let countUrl: string;

function open(url: string): Promise<PageWatch> {
  return openWatched(browser, url, 1400);
}

/** Waits until the page script has drawn the view of the current address. */
async function routed(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('detail')?.getAttribute('data-route') === location.hash);
}

/** Rows of a drill-down table, not those of the evidence tables nested in it. */
const ROWS = ':scope > tbody > tr';

beforeAll(async () => {
  const launch = await resolveChromium();
  browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, ...(launch.env ? { env: launch.env } : {}) });
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-drill-'));
  await writeFile(path.join(dir, 'list.html'), renderHtml(buildScanResult()), 'utf8');
  await writeFile(path.join(dir, 'count.html'), renderHtml(buildScanResult(), { ...DEFAULT_REPORT_OPTIONS, passed: 'count' }), 'utf8');
  listUrl = pathToFileURL(path.join(dir, 'list.html')).href;
  countUrl = pathToFileURL(path.join(dir, 'count.html')).href;
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HTML report drill-down in Chromium', () => {
  it('clicks through a control to its rules and failing resources, then a rule, then a resource, and back', async () => {
    const { page, dialogs, consoleErrors: errors, requests } = await open(listUrl);
    const scan = buildScanResult();
    expect(await page.locator('#detail').isVisible()).toBe(false);

    // HIPAA 164.312(a)(2)(iv) fails through s3-bucket-encryption-kms on two buckets, one of them hostile.
    await page.locator('#framework-hipaa a', { hasText: '164.312(a)(2)(iv)' }).click();
    await routed(page);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/control/hipaa/164.312(a)(2)(iv)');
    const detail = page.locator('#detail');
    expect(await detail.isVisible()).toBe(true);
    expect(await page.locator('#findings').isVisible()).toBe(false);
    expect(await detail.locator('h2').innerText()).toBe('Encryption and decryption');
    expect(await detail.locator('.badge.st-failing').count()).toBe(1);
    const controlFindings = scan.findings.filter((f) => f.ruleId === 's3-bucket-encryption-kms' && f.verdict === 'fail');
    const rows = detail.locator('table.detail-table').nth(1).locator(ROWS);
    expect(await rows.count()).toBe(controlFindings.length);
    const text = await detail.innerText();
    for (const f of controlFindings) expect(text).toContain(f.message);
    expect(text).toContain(`pwn-${HOSTILE_IMG}`);
    // The rules table counts the rule's results.
    const ruleRow = detail.locator('table.detail-table').first().locator(ROWS);
    expect(await ruleRow.count()).toBe(1);
    expect(await ruleRow.locator('td.num').allInnerTexts()).toEqual([String(controlFindings.length), '0', '0', '0']);

    // The rule: its controls link back, its failing resources are listed.
    await detail.locator('table.detail-table').first().locator('a.rule-id').click();
    await routed(page);
    expect(new URL(page.url()).hash).toBe('#/rule/s3-bucket-encryption-kms');
    expect(await detail.locator('.kicker').innerText()).toContain('s3-bucket-encryption-kms');
    expect(await detail.locator('.ctl-links a', { hasText: 'SC-28' }).count()).toBe(1);
    expect(await detail.locator('table.detail-table').first().locator(ROWS).count()).toBe(controlFindings.length);

    // A resource: every rule that judged it.
    await detail.locator('.rname a', { hasText: 'feature-store' }).click();
    await routed(page);
    expect(new URL(page.url()).hash).toMatch(/^#\/resource\/\d+$/);
    expect(await detail.locator('h2').innerText()).toBe('feature-store');
    const judged = scan.findings.filter((f) => f.resource.name === 'feature-store');
    expect(await detail.locator('table.detail-table').first().locator(ROWS).count()).toBe(judged.length);
    expect(await detail.locator('table.detail-table').innerText()).toContain('SSE-S3');
    // Evidence is a small table, not raw JSON.
    await detail.locator('details > summary', { hasText: 'Evidence' }).first().click();
    expect(await detail.locator('table.evidence th').allInnerTexts()).toEqual(['sseAlgorithm', 'kmsKeyId']);

    await page.goBack();
    await routed(page);
    expect(new URL(page.url()).hash).toBe('#/rule/s3-bucket-encryption-kms');
    await page.goBack();
    await routed(page);
    await page.goBack();
    await routed(page);
    expect(await detail.isVisible()).toBe(false);
    expect(await page.locator('#findings').isVisible()).toBe(true);

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(new Set(requests)).toEqual(new Set([listUrl]));
    await page.close();
  });

  it('shows a resource with its passing rules in list mode and says when they are only counted', async () => {
    const scan = buildScanResult();
    const passing = scan.findings.find((f) => f.verdict === 'pass')!;
    for (const [url, listed] of [
      [listUrl, true],
      [countUrl, false],
    ] as const) {
      const { page, consoleErrors: errors } = await open(url);
      await page.locator('#passed-details > summary').click();
      await page.locator(`#passed-table a[href="#/rule/${passing.ruleId}"]`).click();
      await routed(page);
      const detail = page.locator('#detail');
      const text = await detail.innerText();
      if (listed) {
        expect(text).toContain(passing.resource.name!);
        await detail.locator('ul.res-list a', { hasText: passing.resource.name! }).click();
        await routed(page);
        expect(await detail.locator('table.detail-table').innerText()).toContain(passing.ruleId);
        expect(await detail.locator('.badge.v-pass').count()).toBe(1);
      } else {
        expect(text).toContain('--passed count');
        expect(text).not.toContain(passing.resource.arn);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('keeps hostile text inert on every view and refuses crafted addresses', async () => {
    const { page, dialogs, consoleErrors: errors } = await open(listUrl);
    const detail = page.locator('#detail');
    await page.locator('#framework-hipaa a', { hasText: '164.312(a)(2)(iv)' }).click();
    await routed(page);
    await detail.locator('.rname a', { hasText: 'pwn-' }).click();
    await routed(page);
    for (const summary of await detail.locator('details > summary').all()) await summary.click();
    const text = await detail.innerText();
    expect(text).toContain(HOSTILE_SCRIPT);
    expect(text).toContain(HOSTILE_IMG);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);

    for (const hash of [
      `#/rule/${encodeURIComponent(HOSTILE_SCRIPT)}`,
      '#/resource/99999',
      '#/resource/1e1',
      '#/control/%E0%A4%A',
      `#/control/hipaa/${encodeURIComponent(HOSTILE_IMG)}`,
      '#/nothing',
    ]) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await routed(page);
      expect(await detail.locator('.kicker').innerText(), hash).toMatch(/not in this report/i);
    }
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a shared address directly', async () => {
    const { page, consoleErrors: errors } = await open(`${listUrl}#/rule/iam-no-wildcard-admin`);
    await routed(page);
    expect(await page.locator('#detail').isVisible()).toBe(true);
    expect(await page.locator('#detail h2').innerText()).toBe('IAM roles do not grant wildcard admin');
    expect(errors).toEqual([]);
    await page.close();
  });
});
