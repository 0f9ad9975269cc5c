/**
 * Regenerates the README's screenshots of the demo HTML report (docs/screenshots/*.png), 1400 px
 * wide, in the same headless Chromium the browser tests use (test/helpers/chromium.ts: Debian's
 * chromium when installed, else the devDependency @sparticuz/chromium). Run: `npm run screenshots`.
 *
 * The report is the bundled demo scanned against a copy of its own report with a few findings
 * changed (fixtures/demo/previous-report.json, when present), so that the "changes since the
 * previous scan" section has something to show. Each shot names the element or address it
 * shows, so a change to the page that breaks a shot fails here rather than producing a blank image.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { resolveChromium } from '../test/helpers/chromium.js';

/** The repository: the nearest folder up with a package.json (the script runs from dist/scripts and, in tests, from scripts/). */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ROOT = repositoryRoot();
const OUT = path.join(ROOT, 'docs', 'screenshots');
const WIDTH = 1400;

export interface Shot {
  file: string;
  /** What it shows, for the README's alt text. */
  alt: string;
  /** A drill-down address to open first (`#/control/...`). */
  hash?: string;
  /** The element to scroll to; the shot is the viewport from there. */
  selector?: string;
  height: number;
}

export const SHOTS: Shot[] = [
  { file: 'overview.png', alt: 'Report header, summary and charts', selector: 'body', height: 1500 },
  { file: 'ai-workloads.png', alt: 'AI workload view: each workload with what it uses and the findings on them', selector: '#ai-workloads', height: 1100 },
  { file: 'frameworks.png', alt: 'Framework table: failing and unknown controls first, the rest collapsed', selector: '#frameworks', height: 1100 },
  { file: 'control.png', alt: 'Drill-down: a HIPAA control with its rules and failing resources', hash: '#/control/hipaa/164.312(a)(2)(iv)', height: 1300 },
  { file: 'resource.png', alt: 'Drill-down: a bucket with every rule that judged it', hash: '#/resource/', height: 1100 },
  { file: 'findings.png', alt: 'Findings table with filters and paging', selector: '#findings', height: 1100 },
];

function scanDemo(dir: string): string {
  const previous = path.join(ROOT, 'fixtures', 'demo', 'previous-report.json');
  const args = ['bin/aigis.js', 'scan', '--demo', '--format', 'html', '--output', dir, '--fail-on', 'none'];
  if (existsSync(previous)) args.push('--compare', previous);
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`aigis scan --demo exited ${run.status}: ${run.stderr}`);
  return path.join(dir, 'aigis-report.html');
}

/** The resource shot opens the demo's invocation log bucket: it has findings from many rules. */
async function resourceHash(page: Page): Promise<string> {
  const index = await page.evaluate(() => {
    const node = document.getElementById('aigis-data');
    const data = JSON.parse(node?.textContent ?? '{}') as { resources?: [string][] };
    return (data.resources ?? []).findIndex((r) => r[0].startsWith('arn:aws:s3:::acme-ai-audit-logs'));
  });
  if (index < 0) throw new Error('the demo report has no acme-ai-audit-logs bucket');
  return `#/resource/${index}`;
}

export async function takeScreenshots(out = OUT): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigis-shots-'));
  const launch = await resolveChromium();
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, ...(launch.env ? { env: launch.env } : {}) });
  const written: string[] = [];
  try {
    const url = pathToFileURL(scanDemo(dir)).href;
    await mkdir(out, { recursive: true });
    for (const shot of SHOTS) {
      const page = await browser.newPage({ viewport: { width: WIDTH, height: shot.height } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(url, { waitUntil: 'load' });
      if (shot.hash !== undefined) {
        const hash = shot.hash === '#/resource/' ? await resourceHash(page) : shot.hash;
        await page.evaluate((h) => {
          location.hash = h;
        }, hash);
        await page.waitForFunction(() => document.getElementById('detail')?.getAttribute('data-route') === location.hash);
        await page.evaluate(() => window.scrollTo(0, 0));
      } else if (shot.selector && shot.selector !== 'body') {
        await page.locator(shot.selector).evaluate((node) => node.scrollIntoView());
      }
      const file = path.join(out, shot.file);
      await page.screenshot({ path: file });
      if (errors.length) throw new Error(`${shot.file}: the page logged errors: ${errors.join('; ')}`);
      written.push(file);
      await page.close();
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files = await takeScreenshots();
  for (const file of files) console.log(`wrote ${path.relative(ROOT, file)}`);
}
