/**
 * The `asff` format (AWS Security Finding Format), checked against the Security Hub API model
 * (test/helpers/securityhub-model.ts over the model in the installed @aws-sdk/client-securityhub): every finding of the demo
 * account and of hostile input is a valid BatchImportFindings finding.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/scan.js';
import {
  ASFF_DEFAULT_TIMESTAMP,
  ASFF_LIMITS,
  TRUNCATION_MARKER,
  asffFinding,
  clip,
  renderAsffChunks,
  type AsffContext,
  type AsffFinding,
  type AsffSourceFinding,
} from '../../src/report/asff.js';
import { DEFAULT_REPORT_OPTIONS } from '../../src/report/options.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { SDK_VERSION, docLimits, maxFindingBytes, model, validateBatchRequest, validateFinding } from '../helpers/securityhub-model.js';

const DEMO = path.resolve('fixtures/demo/inventory.json');

async function scan(extra: string[] = []): Promise<{ asff: AsffFinding[]; text: string; json: { findings: { verdict: string; fingerprint: string }[]; scannedAt?: string } }> {
  const run = await runCli(['scan', '--input', DEMO, '--format', 'asff,json', '--output', 'out', ...extra]);
  expect(run.code, run.stderr).not.toBe(2);
  const text = readFileSync(path.join(run.cwd, 'out', 'aigis-report.asff.json'), 'utf8');
  return { asff: JSON.parse(text) as AsffFinding[], text, json: JSON.parse(readFileSync(path.join(run.cwd, 'out', 'aigis-report.json'), 'utf8')) };
}

const context = (overrides: Partial<AsffContext> = {}): AsffContext => ({
  tool: { name: 'aigis', version: '0.1.0', informationUri: 'https://github.com/aigis-dev/aigis' },
  account: { id: '111122223333', partition: 'aws' },
  homeRegion: 'us-east-1',
  timestamp: ASFF_DEFAULT_TIMESTAMP,
  rules: new Map([['r1', { id: 'r1', title: 'A rule', controls: [{ framework: 'hipaa', controlId: '164.312(a)(1)' }], remediationText: 'Fix it.' }]]),
  ...overrides,
});

const source = (overrides: Partial<AsffSourceFinding> = {}): AsffSourceFinding => ({
  ruleId: 'r1',
  severity: 'high',
  verdict: 'fail',
  resource: { arn: 'arn:aws:s3:::bucket', type: 'AWS::S3::Bucket', region: 'eu-west-1' },
  message: 'Bucket bucket is public.',
  fingerprint: '0123456789abcdef0123456789abcdef',
  ...overrides,
});

describe(`the Security Hub model (@aws-sdk/client-securityhub ${SDK_VERSION})`, () => {
  it('states the limits aigis keeps (Title 256, Description 1024, Recommendation 512, 32 requirements, 240 KB, 100 per batch)', () => {
    const finding = model.shapes.AwsSecurityFinding!.members!;
    expect(docLimits(finding.Title!.documentation).maxLength).toBe(ASFF_LIMITS.title);
    expect(docLimits(finding.Description!.documentation).maxLength).toBe(ASFF_LIMITS.description);
    expect(docLimits(finding.Id!.documentation).maxLength).toBe(ASFF_LIMITS.id);
    expect(docLimits(finding.GeneratorId!.documentation).maxLength).toBe(ASFF_LIMITS.generatorId);
    expect(docLimits(finding.Region!.documentation).maxLength).toBe(ASFF_LIMITS.region);
    expect(docLimits(finding.Types!.documentation).maxItems).toBe(ASFF_LIMITS.types);
    expect(docLimits(finding.Resources!.documentation)).toMatchObject({ minItems: 1, maxItems: ASFF_LIMITS.resources });
    expect(docLimits(finding.AwsAccountId!.documentation)).toEqual({ minLength: 12, maxLength: 12 });
    expect(docLimits(finding.ProductFields!.documentation)).toEqual({ maxPairs: ASFF_LIMITS.productFields, maxKeyLength: ASFF_LIMITS.productFieldKey, maxValueLength: ASFF_LIMITS.productFieldValue });
    expect(docLimits(model.shapes.Recommendation!.members!.Text!.documentation).maxLength).toBe(ASFF_LIMITS.recommendationText);
    expect(docLimits(model.shapes.Compliance!.members!.RelatedRequirements!.documentation).maxItems).toBe(ASFF_LIMITS.relatedRequirements);
    expect(docLimits(model.shapes.Resource!.members!.Type!.documentation).maxLength).toBe(ASFF_LIMITS.resourceType);
    expect(maxFindingBytes()).toBe(ASFF_LIMITS.findingBytes);
    expect(model.shapes.BatchImportFindingsRequestFindingList!.max).toBe(ASFF_LIMITS.batchFindings);
    // The SDK lists enum values sorted by name.
    expect(model.shapes.ComplianceStatus!.enum).toEqual(['FAILED', 'NOT_AVAILABLE', 'PASSED', 'WARNING']);
  });

  it('rejects broken findings (the validator can fail)', () => {
    const good = asffFinding(source(), context());
    expect(validateFinding(good)).toEqual([]);
    const broken = (edit: (f: Record<string, unknown>) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      edit(copy);
      return validateFinding(copy);
    };
    expect(broken((f) => delete f.Title)).toContain('$: missing required member Title');
    expect(broken((f) => (f.Title = 'x'.repeat(257)))).toContain('$.Title: length 257, at most 256 allowed');
    expect(broken((f) => (f.Description = '   '))).toContain('$.Description: does not match /.*\\S.*/');
    expect(broken((f) => ((f.Compliance as Record<string, unknown>).Status = 'UNKNOWN'))).toEqual(['$.Compliance.Status: "UNKNOWN" is not one of FAILED, NOT_AVAILABLE, PASSED, WARNING']);
    expect(broken((f) => ((f.Compliance as Record<string, unknown>).RelatedRequirements = Array.from({ length: 33 }, (_, i) => `c${i}`)))).toContain('$.Compliance.RelatedRequirements: 33 items, at most 32 allowed');
    expect(broken((f) => (f.Resources = []))).toContain('$.Resources: 0 items, at least 1 required');
    expect(broken((f) => (f.AwsAccountId = '1234'))).toContain('$.AwsAccountId: length 4, at least 12 required');
    expect(broken((f) => (f.Severity = { Label: 'SEVERE' }))).toContain('$.Severity.Label: "SEVERE" is not one of CRITICAL, HIGH, INFORMATIONAL, LOW, MEDIUM');
    expect(broken((f) => (f.Confidence = 'high'))).toContain('$.Confidence: expected an integer (Integer)');
    expect(broken((f) => (f.Colour = 'red'))).toContain('$: Colour is not a member of AwsSecurityFinding');
    expect(broken((f) => (f.CreatedAt = 'yesterday'))).toContain('$.CreatedAt: not an RFC 3339 date-time');
    expect(broken((f) => ((f.ProductFields as Record<string, string>)['k'.repeat(129)] = 'v'))).toContain(`$.ProductFields key "${'k'.repeat(129)}": length 129, at most 128 allowed`);
    expect(broken((f) => ((f.ProductFields as Record<string, string>).big = 'é'.repeat(250_000)))).toEqual(expect.arrayContaining([expect.stringMatching(/bytes, more than 245760$/)]));
    expect(broken((f) => ((f.Remediation as { Recommendation: { Text: string } }).Recommendation.Text = 'x'.repeat(513)))).toContain('$.Remediation.Recommendation.Text: length 513, at most 512 allowed');
    expect(validateBatchRequest({ Findings: Array.from({ length: 101 }, () => good) })).toContain('$.Findings: 101 items, at most 100 allowed');
    expect(validateBatchRequest({ Findings: [] })).toContain('$.Findings: 0 items, at least 1 required');
  });
});

describe('asff format', () => {
  it('writes every failing and unknown finding of the demo account as a valid finding, byte-identical across runs', async () => {
    const first = await scan();
    const second = await scan();
    expect(first.text).toBe(second.text);
    const problems = first.json.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    expect(first.asff).toHaveLength(problems.length);
    expect(first.asff.length).toBeGreaterThan(100);
    for (const [i, finding] of first.asff.entries()) expect(validateFinding(finding, `[${i}]`)).toEqual([]);
    // Batches as the export command sends them are valid requests too.
    expect(validateBatchRequest({ Findings: first.asff.slice(0, 100) })).toEqual([]);
    // Ids come from the fingerprints: stable, unique, one per finding.
    expect(first.asff.map((f) => f.Id)).toEqual(problems.map((f) => `aigis/v1/111122223333/${f.fingerprint}`));
    expect(new Set(first.asff.map((f) => f.Id)).size).toBe(first.asff.length);
    // Unknown is never PASSED.
    const status = new Map(first.asff.map((f, i) => [problems[i]!.verdict, f.Compliance.Status]));
    expect(status).toEqual(new Map([['fail', 'FAILED'], ['unknown', 'WARNING']]));
    expect(first.asff.every((f) => f.CreatedAt === ASFF_DEFAULT_TIMESTAMP && f.UpdatedAt === ASFF_DEFAULT_TIMESTAMP)).toBe(true);
    // One finding per line.
    expect(first.text.split('\n')).toHaveLength(first.asff.length + 3);
  });

  it('maps resources, Regions, severities and controls', async () => {
    const { asff } = await scan();
    const admin = asff.find((f) => f.Resources[0]!.Id === 'arn:aws:iam::111122223333:role/PlatformAdminRole' && f.GeneratorId === 'aigis/iam-no-full-admin')!;
    expect(admin).toMatchObject({
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      AwsAccountId: '111122223333',
      Region: 'us-east-1',
      Severity: { Label: 'CRITICAL', Original: 'critical' },
      FindingProviderFields: { Severity: { Label: 'CRITICAL', Original: 'critical' } },
      Resources: [{ Type: 'AwsIamRole', Id: 'arn:aws:iam::111122223333:role/PlatformAdminRole', Partition: 'aws', Region: 'us-east-1' }],
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      ProductFields: { 'aigis/rule-id': 'iam-no-full-admin', 'aigis/verdict': 'fail', 'aigis/resource-type': 'AWS::IAM::Role' },
    });
    expect(admin.Compliance.RelatedRequirements).toContain('hipaa/164.312(a)(1)');
    expect(admin.Types).toContain('Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls (USA)');
    expect(admin.Remediation.Recommendation.Url).toBe('https://github.com/aigis-dev/aigis/blob/main/docs/rules.md#iam-no-full-admin');
    // Regional resources keep their Region, in the ProductArn too.
    const eu = asff.find((f) => f.Resources[0]!.Id.startsWith('arn:aws:kms:eu-west-1:'))!;
    expect(eu.ProductArn).toBe('arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default');
    expect(eu.Resources[0]!.Type).toBe('AwsKmsKey');
    expect(asff.some((f) => f.Resources[0]!.Type === 'Other')).toBe(true);
  });

  it('stamps CreatedAt/UpdatedAt with --timestamp and adds PASSED findings with --passed full', async () => {
    const { asff, json } = await scan(['--timestamp', '--passed', 'full']);
    expect(json.scannedAt).toBeDefined();
    expect(asff.every((f) => f.CreatedAt === json.scannedAt && f.UpdatedAt === json.scannedAt)).toBe(true);
    const passed = asff.filter((f) => f.Compliance.Status === 'PASSED');
    expect(passed.length).toBe(json.findings.filter((f) => f.verdict === 'pass').length);
    expect(passed.every((f) => f.Workflow.Status === 'RESOLVED')).toBe(true);
    expect(asff.some((f) => f.Compliance.Status === 'NOT_AVAILABLE')).toBe(false);
    for (const finding of asff) expect(validateFinding(finding)).toEqual([]);
  });

  it('gives each finding of a multi-account scan its own account, in AwsAccountId, ProductArn and Id', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'other.json'), readFileSync(DEMO, 'utf8').replaceAll('111122223333', '444455556666'));
    const run = await runCli(['scan', '--input', DEMO, '--input', 'other.json', '--format', 'asff', '--output', 'multi.asff.json'], dir);
    expect(run.code, run.stderr).not.toBe(2);
    const asff = JSON.parse(readFileSync(path.join(dir, 'multi.asff.json'), 'utf8')) as AsffFinding[];
    const accounts = new Map<string, number>();
    for (const f of asff) {
      expect(validateFinding(f)).toEqual([]);
      accounts.set(f.AwsAccountId, (accounts.get(f.AwsAccountId) ?? 0) + 1);
      expect(f.ProductArn).toBe(`arn:aws:securityhub:${f.Region}:${f.AwsAccountId}:product/${f.AwsAccountId}/default`);
      expect(f.Id.startsWith(`aigis/v1/${f.AwsAccountId}/`)).toBe(true);
    }
    expect(accounts.get('111122223333')).toBe(accounts.get('444455556666'));
    // The copy has the same bucket names (ARNs without an account): the Ids still differ.
    expect(new Set(asff.map((f) => f.Id)).size).toBe(asff.length);
  });

  it('keeps the limits on hostile input by truncating with a marker', () => {
    const controls = Array.from({ length: 40 }, (_, i) => ({ framework: i % 2 ? 'soc2' : 'custom', controlId: `C-${String(i).padStart(2, '0')}-${'x'.repeat(300)}` }));
    const ctx = context({ account: { id: 'multiple', partition: 'aws-cn' }, homeRegion: 'cn-north-1', rules: new Map([['r1', { id: 'r1', title: '😀'.repeat(300), controls, remediationText: 'step '.repeat(200) }]]) });
    const finding = asffFinding(
      source({
        message: `${'long message '.repeat(200)}😀`,
        account: '444455556666',
        resource: { arn: `arn:aws-cn:iam::444455556666:role/${'r'.repeat(3000)}`, type: 'AWS::IAM::Role', region: 'global', name: 'n'.repeat(5000) },
        ai: Array.from({ length: 500 }, (_, i) => `execution role of training job ${i}`),
        suppression: { reason: '   ', source: 'config' },
        property: ' ',
      }),
      ctx,
    );
    expect(validateFinding(finding)).toEqual([]);
    expect(finding.Title.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(finding.Title.length).toBeLessThanOrEqual(256);
    expect(finding.Description).toHaveLength(1024);
    expect(finding.Description.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(finding.Compliance.RelatedRequirements).toHaveLength(32);
    expect(finding.ProductFields['aigis/controls']!.length).toBeLessThanOrEqual(2048);
    expect(finding.ProductFields['aigis/suppression-reason']).toBeUndefined();
    expect(finding.ProductFields['aigis/property']).toBeUndefined();
    expect(finding.Workflow.Status).toBe('SUPPRESSED');
    expect(finding).toMatchObject({
      AwsAccountId: '444455556666',
      Region: 'cn-north-1',
      ProductArn: 'arn:aws-cn:securityhub:cn-north-1:444455556666:product/444455556666/default',
      Resources: [{ Partition: 'aws-cn', Region: 'cn-north-1' }],
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards/SOC 2'],
    });
    // A blank message falls back to the title; an unknown verdict is WARNING.
    const blank = asffFinding(source({ message: ' \n', verdict: 'unknown' }), context());
    expect(blank.Description).toBe('A rule');
    expect(blank.Compliance.Status).toBe('WARNING');
    expect(validateFinding(blank)).toEqual([]);
  });

  it('clips without splitting a surrogate pair', () => {
    expect(clip('abc', 3)).toBe('abc');
    const cut = clip('😀'.repeat(20), 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('streams: one chunk per finding, [] when there is none, indented with --pretty', () => {
    const result = {
      tool: { name: 'aigis', version: '0.1.0', informationUri: 'https://github.com/aigis-dev/aigis' },
      account: { id: '111122223333', partition: 'aws' },
      rules: [],
      findings: [source(), source({ fingerprint: 'ffffffffffffffffffffffffffffffff', verdict: 'pass' }), source({ fingerprint: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', verdict: 'unknown' })],
    } as unknown as ScanResult;
    const chunks = [...renderAsffChunks(result, DEFAULT_REPORT_OPTIONS)];
    expect(chunks).toHaveLength(3);
    expect((JSON.parse(chunks.join('')) as AsffFinding[]).map((f) => f.Compliance.Status)).toEqual(['FAILED', 'WARNING']);
    const pretty = [...renderAsffChunks(result, { ...DEFAULT_REPORT_OPTIONS, pretty: true })].join('');
    expect(JSON.parse(pretty)).toEqual(JSON.parse(chunks.join('')));
    expect(pretty).toContain('\n    "SchemaVersion": "2018-10-08"');
    expect([...renderAsffChunks({ ...result, findings: [] }, DEFAULT_REPORT_OPTIONS)].join('')).toBe('[]\n');
  });
});
