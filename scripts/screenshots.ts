/**
 * Regenerates the README's screenshots of the demo HTML report (docs/screenshots/*.png), 1400 px
 * wide, in the same headless Chromium the browser tests use (test/helpers/chromium.ts: Debian's
 * chromium when installed, else the devDependency @sparticuz/chromium). Run: `npm run screenshots`.
 *
 * The report is the bundled demo compared (`--compare`) with the report of a "previous" demo,
 * made here from a copy of the demo inventory with three changes, so that the "changes since the
 * previous scan" section has something to show: the training data bucket used SSE-S3 (fixed since),
 * the audit log bucket used a customer managed key (regressed since), and the public demo site
 * bucket did not exist (new). Each shot names the element or address it
 * shows, so a change to the page that breaks a shot fails here rather than producing a blank image.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  { file: 'changes.png', alt: 'Changes since the previous scan', selector: '#delta', height: 1000 },
];

function aigis(args: string[]): void {
  const run = spawnSync(process.execPath, ['bin/aigis.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`aigis ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
}

interface DemoBucket {
  name: string;
  encryption?: { rules: { sseAlgorithm: string; kmsMasterKeyId?: string; bucketKeyEnabled?: boolean }[] };
}

/** The JSON report of the "previous" demo (see the top of this file). */
async function previousReport(dir: string): Promise<string> {
  const inventory = JSON.parse(await readFile(path.join(ROOT, 'fixtures', 'demo', 'inventory.json'), 'utf8')) as { s3: { buckets: DemoBucket[] } };
  const bucket = (prefix: string): DemoBucket => {
    const found = inventory.s3.buckets.find((b) => b.name.startsWith(prefix));
    if (!found) throw new Error(`the demo inventory has no bucket ${prefix}*`);
    return found;
  };
  bucket('acme-ai-training-data').encryption = { rules: [{ sseAlgorithm: 'AES256' }] };
  bucket('acme-ai-audit-logs').encryption = { rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/ai-training', bucketKeyEnabled: true }] };
  inventory.s3.buckets = inventory.s3.buckets.filter((b) => b.name !== 'acme-ai-demo-site');
  const file = path.join(dir, 'previous-inventory.json');
  await writeFile(file, JSON.stringify(inventory), 'utf8');
  aigis(['scan', '--input', file, '--format', 'json', '--output', path.join(dir, 'previous'), '--fail-on', 'none']);
  return path.join(dir, 'previous', 'aigis-report.json');
}

async function scanDemo(dir: string): Promise<string> {
  const previous = await previousReport(dir);
  // --timestamp: the header shows the "as of" time audit evidence needs.
  aigis(['scan', '--demo', '--format', 'html', '--output', path.join(dir, 'current'), '--fail-on', 'none', '--timestamp', '--compare', previous]);
  return path.join(dir, 'current', 'aigis-report.html');
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
    const url = pathToFileURL(await scanDemo(dir)).href;
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
