/**
 * IaC benchmark: one CloudFormation template (the largest in fixtures/), scanned by aigis and by
 * cdk-nag side by side in the same run, whole process each:
 *
 * - aigis: `aigis scan --iac <template> --format sarif -o <file>`;
 * - cdk-nag: a CDK app that includes the template (`CfnInclude` from
 *   aws-cdk-lib/cloudformation-include), adds the AwsSolutions, HIPAA Security and NIST 800-53 r5
 *   packs (`Validations.of(app).addPlugins(...)`, cdk-nag 3) and synthesizes, as a user of cdk-nag
 *   checks a template.
 *
 * Targets (issue "Fast at any size"): aigis at least 10x faster (wall) and 3x leaner (peak RSS).
 * The two run in turn, RUNS (5) times each after a warm-up of each; medians are compared, and the
 * per-pair ratios are printed too.
 *
 * cdk-nag is not a dependency of aigis: it is installed on first use into bench/.scratch/cdk-nag
 * (git-ignored) with `npm install --no-save`; when that fails (no network) the comparison is
 * SKIPPED. Both tools' findings are counted and printed, so a run where one of them evaluated
 * nothing shows.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { detectIacKind } from '../src/importers/iac/detect.js';
import { AIGIS_BIN, ROOT, accounting, check, fmtMb, fmtS, median, runNode, type ProcessRun } from './whole-process.js';

const RUNS = Number(process.env.AIGIS_BENCH_IAC_RUNS) || 5;
const TARGET_SPEED = 10;
const TARGET_LEANER = 3;
const SCRATCH = path.join(ROOT, 'bench', '.scratch', 'cdk-nag');
/** Major versions the app below is written for (cdk-nag 3 registers packs as validation plugins). */
const PACKAGES = ['cdk-nag@3', 'aws-cdk-lib@2', 'constructs@10'];
const CDK_NAG_TIMEOUT_MS = 5 * 60_000;

export async function run(): Promise<void> {
  const template = largestTemplate(path.join(ROOT, 'fixtures'));
  if (!template) {
    console.log('  SKIPPED: no CloudFormation template in fixtures/');
    return;
  }
  const shown = path.relative(ROOT, template.file);
  console.log(`  template: ${shown} (${template.bytes.toLocaleString('en-US')} bytes, the largest CloudFormation template in fixtures/)`);
  const installed = await installCdkNag();
  if (typeof installed === 'string') {
    console.log(`  SKIPPED: cdk-nag could not be installed in ${path.relative(ROOT, SCRATCH)} (${installed})`);
    return;
  }
  console.log(`  cdk-nag ${installed.cdkNag} with aws-cdk-lib ${installed.cdkLib}, in ${path.relative(ROOT, SCRATCH)}`);
  const app = path.join(SCRATCH, 'aigis-bench-app.mjs');
  await writeFile(app, CDK_APP);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigis-iac-bench-'));
  try {
    const aigisRuns: ProcessRun[] = [];
    const nagRuns: ProcessRun[] = [];
    let aigisResults = Number.NaN;
    let nag: NagSummary | undefined;
    for (let round = -1; round < RUNS; round++) {
      const sarif = path.join(dir, `aigis-${round + 1}.sarif`);
      const aigis = await runNode([AIGIS_BIN, 'scan', '--iac', template.file, '--format', 'sarif', '-o', sarif], { dir, cwd: dir });
      if (aigis.exitCode !== 0 && aigis.exitCode !== 1) throw new Error(`aigis scan exited ${aigis.exitCode}: ${lastLines(aigis.stderr)}`);
      aigisResults = countSarifResults(await readFile(sarif, 'utf8'));
      const outdir = path.join(dir, `cdk.out-${round + 1}`);
      const cdk = await runNode([app, template.file, outdir], { dir, cwd: SCRATCH, timeoutMs: CDK_NAG_TIMEOUT_MS });
      if (cdk.exitCode !== 0) throw new Error(`the cdk-nag app exited ${cdk.exitCode}: ${lastLines(cdk.stderr)}`);
      nag = JSON.parse(cdk.stdout.trim().split('\n').pop() ?? '{}') as NagSummary;
      if (round >= 0) {
        aigisRuns.push(aigis);
        nagRuns.push(cdk);
      }
      await rm(outdir, { recursive: true, force: true });
    }
    const a = { wall: median(aigisRuns.map((r) => r.wallMs)), cpu: median(aigisRuns.map((r) => r.cpuMs)), rss: Math.max(...aigisRuns.map((r) => r.maxRss)) };
    const n = { wall: median(nagRuns.map((r) => r.wallMs)), cpu: median(nagRuns.map((r) => r.cpuMs)), rss: Math.max(...nagRuns.map((r) => r.maxRss)) };
    console.log(`  whole process, ${RUNS} runs of each in turn after a warm-up of each (${accounting()}); wall and CPU: medians, peak RSS: the largest run:`);
    console.log(`    aigis scan --iac ........ wall ${fmtS(a.wall)}, CPU ${fmtS(a.cpu)}, peak ${fmtMb(a.rss)}; ${aigisResults} SARIF results`);
    const packs = nag ? Object.entries(nag.packs).map(([name, count]) => `${name} ${count}`).join(', ') : '';
    console.log(`    cdk-nag (3 packs) ....... wall ${fmtS(n.wall)}, CPU ${fmtS(n.cpu)}, peak ${fmtMb(n.rss)}; ${nag?.findings ?? 0} findings (${packs})`);
    const evaluated = (nag?.findings ?? 0) > 0 && aigisResults > 0;
    check(`    both evaluated the template (findings > 0) ..`, evaluated);
    const speed = n.wall / a.wall;
    const pairs = aigisRuns.map((r, i) => nagRuns[i]!.wallMs / r.wallMs);
    check(
      `    faster .................. ${speed.toFixed(1)}x (cdk-nag wall / aigis wall; per pair ${pairs.map((p) => p.toFixed(1)).join(', ')}; CPU ${(n.cpu / a.cpu).toFixed(1)}x; target >= ${TARGET_SPEED}x)`,
      speed >= TARGET_SPEED,
    );
    const leaner = n.rss / a.rss;
    check(`    leaner .................. ${leaner.toFixed(1)}x (cdk-nag peak RSS / aigis peak RSS; target >= ${TARGET_LEANER}x)`, leaner >= TARGET_LEANER);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface NagSummary {
  findings: number;
  packs: Record<string, number>;
}

/** The largest file under `dir` that aigis reads as a CloudFormation template. */
function largestTemplate(dir: string): { file: string; bytes: number } | undefined {
  let best: { file: string; bytes: number } | undefined;
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ya?ml|json|template)$/.test(entry.name)) {
        const text = readFileSync(file, 'utf8');
        let kind: string | undefined;
        try {
          kind = detectIacKind(text, file);
        } catch {
          kind = undefined;
        }
        const bytes = Buffer.byteLength(text);
        if (kind === 'cloudformation' && (!best || bytes > best.bytes)) best = { file, bytes };
      }
    }
  };
  walk(dir);
  return best;
}

/** Installs cdk-nag into the scratch folder once; its versions, or why it could not. */
async function installCdkNag(): Promise<{ cdkNag: string; cdkLib: string } | string> {
  const versions = () => {
    const version = (name: string) => (JSON.parse(readFileSync(path.join(SCRATCH, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    return { cdkNag: version('cdk-nag'), cdkLib: version('aws-cdk-lib') };
  };
  if (['cdk-nag', 'aws-cdk-lib', 'constructs'].every((name) => existsSync(path.join(SCRATCH, 'node_modules', name, 'package.json')))) return versions();
  await mkdir(SCRATCH, { recursive: true });
  console.log(`  installing ${PACKAGES.join(' ')} into ${path.relative(ROOT, SCRATCH)} (once) ...`);
  try {
    await promisify(execFile)('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', SCRATCH, ...PACKAGES], {
      cwd: SCRATCH,
      timeout: 10 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return versions();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 300);
  }
}

function countSarifResults(text: string): number {
  const sarif = JSON.parse(text) as { runs?: { results?: unknown[] }[] };
  return (sarif.runs ?? []).reduce((sum, r) => sum + (r.results?.length ?? 0), 0);
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
}

/**
 * The cdk-nag side: the template included as it is, the three packs as validation plugins, one
 * synthesis. With findings, synthesis reports them (on stderr) and throws; the JSON validation
 * report it writes is read back for the counts, printed as the last stdout line.
 */
const CDK_APP = `// Written by aigis bench/iac-bench.ts: cdk-nag on one CloudFormation template.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';

const [templateFile, outdir] = process.argv.slice(2);
const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
const stack = new Stack(app, 'Scanned');
new CfnInclude(stack, 'Template', { templateFile });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
try {
  app.synth();
} catch (error) {
  if (!/validation/i.test(String(error?.message))) throw error;
}
const reportFile = path.join(outdir, 'policy-validation-report.json');
const packs = {};
let findings = 0;
if (existsSync(reportFile)) {
  for (const plugin of JSON.parse(readFileSync(reportFile, 'utf8')).pluginReports ?? []) {
    const count = (plugin.violations ?? []).reduce((n, v) => n + (v.violatingResources?.length ?? 1), 0);
    packs[plugin.summary?.pluginName ?? '?'] = count;
    findings += count;
  }
}
console.log(JSON.stringify({ findings, packs }));
`;
