/**
 * Config suppressions narrowed by the resource's tags, the finding's account and the resource's
 * Region, through the CLI on the demo account (and the gate account beside it for accounts).
 * Conditions combine with `rule` and `resource` as AND; tags match exactly, and a resource whose
 * tags are not known never matches a tag condition.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import type { Finding } from '../../src/engine/types.js';
import { GATE_INVENTORY, runCli, tempDir, writeText } from './helpers.js';

const DEMO = path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');

async function scan(config: string, inputs: string[] = [DEMO]) {
  const dir = tempDir('aigis-scope-');
  writeText(dir, 'aigis.config.yaml', config);
  const run = await runCli(['scan', ...inputs.flatMap((i) => ['--input', i]), '--format', 'json,sarif', '--output', 'out', '--fail-on', 'none'], { cwd: dir });
  const read = (ext: string) => JSON.parse(readFileSync(path.join(dir, 'out', `aigis-report.${ext}`), 'utf8'));
  const json = read('json');
  const findings = json.findings as Finding[];
  const suppressed = findings.filter((f) => f.suppression);
  return { run, json, sarif: read('sarif'), findings, suppressed, arns: [...new Set(suppressed.map((f) => f.resource.arn))].sort() };
}

describe('config suppressions by tag', () => {
  it('suppress every finding of the resources tagged team=ml-platform (exact value), and only those', async () => {
    const { run, json, sarif, suppressed, arns } = await scan(`suppressions:
  - rule: "*"
    tags: { team: ml-platform }
    reason: ML platform risks accepted until the migration (RISK-31)
`);
    expect(run.code).toBe(0);
    expect(arns).toEqual([
      'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-TrainingPipeline',
      'arn:aws:s3:::acme-ai-feature-store-eu-111122223333',
      'arn:aws:s3:::acme-ai-model-artifacts-111122223333',
      'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/doc-classifier-eu',
    ]);
    // team=ml-platform-eu is another value: not covered.
    expect(arns).not.toContain('arn:aws:s3:::acme-ai-bedrock-logs-eu-111122223333');
    expect(suppressed.every((f) => f.suppression!.reason === 'ML platform risks accepted until the migration (RISK-31)')).toBe(true);
    expect(json.summary.suppressed).toBe(suppressed.length);
    const sarifSuppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions?.length);
    expect(sarifSuppressed).toHaveLength(suppressed.length);
    expect(sarifSuppressed[0].suppressions[0]).toMatchObject({ status: 'accepted', justification: 'ML platform risks accepted until the migration (RISK-31)' });
  });

  it('needs every tag to match, with case-sensitive keys and values', async () => {
    const both = await scan(`suppressions:
  - { rule: "*", tags: { team: ml-platform, "aigis:data-class": restricted }, reason: r }
`);
    expect(both.arns).toEqual(['arn:aws:s3:::acme-ai-feature-store-eu-111122223333']);
    // claims-llm-prod is tagged Environment=Prod.
    const cased = await scan(`suppressions:
  - { rule: "*", tags: { Environment: prod }, reason: r }
  - { rule: "*", tags: { environment: Prod }, reason: r }
`);
    expect(cased.arns).toEqual([]);
    expect(cased.run.stderr).toContain('aigis: warning: suppression aigis.config.yaml at $.suppressions[0] (rule *, resource *, tags Environment=prod) matches no failing or unknown finding');
  });

  it('a resource without readable tags never matches (trails carry none in the demo)', async () => {
    const { findings, suppressed } = await scan(`suppressions:
  - { rule: "cloudtrail-*", tags: { team: security }, reason: r }
`);
    expect(findings.some((f) => f.ruleId.startsWith('cloudtrail-') && f.verdict === 'fail' && f.resource.type === 'AWS::CloudTrail::Trail')).toBe(true);
    expect(suppressed.every((f) => f.resource.arn === 'arn:aws:s3:::acme-ai-audit-logs-111122223333' || f.resource.type !== 'AWS::CloudTrail::Trail')).toBe(true);
  });

  it('combines with rule and resource as AND', async () => {
    const { suppressed } = await scan(`suppressions:
  - { rule: "s3-*", resource: "arn:aws:s3:::acme-ai-model-*", tags: { team: ml-platform }, reason: r }
`);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(new Set(suppressed.map((f) => f.resource.arn))).toEqual(new Set(['arn:aws:s3:::acme-ai-model-artifacts-111122223333']));
    expect(suppressed.every((f) => f.ruleId.startsWith('s3-'))).toBe(true);
  });
});

describe('config suppressions by account and Region', () => {
  it('regions: only findings on resources in the listed Regions; global for IAM', async () => {
    const { findings, suppressed } = await scan(`suppressions:
  - { rule: "kms-*", regions: [ap-southeast-2], reason: "pilot Region, closes in Q3" }
  - { rule: "iam-*", regions: [global], reason: IAM reviewed separately }
`);
    const kms = suppressed.filter((f) => f.ruleId.startsWith('kms-'));
    expect(kms.length).toBeGreaterThan(0);
    expect(kms.every((f) => f.resource.region === 'ap-southeast-2')).toBe(true);
    expect(findings.some((f) => f.ruleId.startsWith('kms-') && f.verdict === 'fail' && !f.suppression && f.resource.region !== 'ap-southeast-2')).toBe(true);
    const iam = suppressed.filter((f) => f.ruleId.startsWith('iam-'));
    expect(iam.length).toBeGreaterThan(0);
    expect(iam.every((f) => f.resource.region === 'global')).toBe(true);
    expect(findings.filter((f) => f.ruleId.startsWith('iam-') && (f.verdict === 'fail' || f.verdict === 'unknown') && f.resource.region === 'global' && !f.suppression)).toEqual([]);
  });

  it('accounts: the scanned account matches, another does not', async () => {
    const mine = await scan(`suppressions:
  - { rule: iam-user-mfa, accounts: ["111122223333"], reason: "break-glass users, reviewed monthly" }
`);
    expect(mine.suppressed.map((f) => f.ruleId)).toContain('iam-user-mfa');
    expect(mine.suppressed.every((f) => f.ruleId === 'iam-user-mfa')).toBe(true);
    const other = await scan(`suppressions:
  - { rule: iam-user-mfa, accounts: ["999988887777"], reason: r }
`);
    expect(other.suppressed).toEqual([]);
    expect(other.run.stderr).toContain('(rule iam-user-mfa, resource *, accounts 999988887777) matches no failing or unknown finding');
  });

  it('accounts and tags in a scan of several accounts apply to each account alone', async () => {
    const { suppressed, json } = await scan(
      `suppressions:
  - { rule: "s3-*", accounts: ["444455556666"], reason: sandbox account }
  - { rule: "*", tags: { team: ml-platform }, accounts: ["111122223333"], reason: r }
`,
      [DEMO, GATE_INVENTORY],
    );
    expect(json.accounts.map((a: { id: string }) => a.id)).toEqual(['111122223333', '444455556666']);
    const bySource = (i: number) => suppressed.filter((f) => f.suppression!.source.endsWith(`[${i}]`));
    expect(bySource(0).length).toBeGreaterThan(0);
    expect(bySource(0).every((f) => f.account === '444455556666' && f.ruleId.startsWith('s3-'))).toBe(true);
    expect(bySource(1).map((f) => f.resource.arn)).toContain('arn:aws:s3:::acme-ai-feature-store-eu-111122223333');
    expect(bySource(1).every((f) => f.account === '111122223333')).toBe(true);
  });
});

describe('config validation of the new keys', () => {
  const cases: [config: string, expected: string][] = [
    ['{ rule: "*", reason: r }', 'at $.suppressions[0].resource: required key "resource" is missing (or narrow the suppression with tags, accounts or regions)'],
    ['{ rule: "*", reason: r, accounts: ["12"] }', 'at $.suppressions[0].accounts[0]: an account id is 12 digits'],
    ['{ rule: "*", reason: r, accounts: [111122223333] }', 'at $.suppressions[0].accounts[0]'],
    ['{ rule: "*", reason: r, regions: [Mars] }', 'at $.suppressions[0].regions[0]: a Region name such as eu-west-1, or global'],
    ['{ rule: "*", reason: r, tags: {} }', 'at $.suppressions[0].tags: tags must name at least one key: value'],
    ['{ rule: "*", reason: r, tags: { env: true } }', 'at $.suppressions[0].tags.env: a tag value must be a string'],
    ['{ rule: "*", reason: r, tags: [env] }', 'at $.suppressions[0].tags'],
  ];
  for (const [entry, expected] of cases) {
    it(`${entry}: exit 2`, async () => {
      const { code, stderr } = await (async () => {
        const dir = tempDir('aigis-scope-');
        writeText(dir, 'aigis.config.yaml', `suppressions:\n  - ${entry}\n`);
        return runCli(['scan', '--input', DEMO, '--format', 'json', '--output', 'r.json'], { cwd: dir });
      })();
      expect(code).toBe(2);
      expect(stderr).toContain(`aigis: error: aigis.config.yaml ${expected}`);
    });
  }
});

describe('the README example of tags, accounts and regions', () => {
  it('is a valid config', async () => {
    const readme = readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
    const start = readme.indexOf('```yaml\nsuppressions:\n  - rule: "*"\n    tags: { env: sandbox }');
    expect(start).toBeGreaterThan(0);
    const yaml = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 3));
    const { run } = await scan(yaml);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('aigis: error');
  });
});
