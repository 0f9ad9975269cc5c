import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { fingerprintOf, runScan } from '../../src/engine/scan.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadFrameworks } from '../../src/engine/frameworks.js';
import { loadRules } from '../../src/engine/registry.js';
import { loadInventoryFile } from '../../src/inventory/load.js';
import { ACCOUNT, HOSTILE_IMG, INPUT, TEMPLATE, buildScanResult } from '../fixtures-report/scan-result.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../vendor/sarif-2.1.0.json', import.meta.url)), 'utf8')) as object;

let compiled: ReturnType<Ajv2020['compile']> | undefined;
/** The schema is large; compile it once per file. */
function validator() {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function render(overrides = {}): Log {
  return JSON.parse(renderSarif(buildScanResult(overrides))) as Log;
}

function resultFor(log: Log, ruleId: string, arnPart: string): Result {
  const found = log.runs[0]?.results?.find(
    (r) => r.ruleId === ruleId && r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName?.includes(arnPart),
  );
  if (!found) throw new Error(`no result for ${ruleId} ${arnPart}`);
  return found;
}

describe('renderSarif', () => {
  it('produces a log that validates against the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    const log = render();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check itself rejects a broken log (the validator is not vacuous)', () => {
    const validate = validator();
    const log = render();
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = 'catastrophic';
    expect(validate(broken)).toBe(false);
    const noVersion = structuredClone(log) as Partial<Log>;
    delete noVersion.version;
    expect(validate(noVersion)).toBe(false);
  });

  it('is byte-identical across renders and independent of the input rule order', () => {
    const scan = buildScanResult();
    const first = renderSarif(scan);
    expect(renderSarif(scan)).toBe(first);
    expect(renderSarif({ ...scan, rules: [...scan.rules].reverse() })).toBe(first);
    expect(first.endsWith('\n')).toBe(true);
  });

  it('lists every rule, sorted by id, with complete metadata', () => {
    const scan = buildScanResult();
    const log = render();
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('aigis');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toBe(scan.tool.informationUri);
    const ids = driver.rules!.map((r) => r.id);
    expect(ids).toEqual(scan.rules.map((r) => r.id).sort());

    const rule = driver.rules!.find((r) => r.id === 'iam-no-wildcard-admin')!;
    expect(rule.name).toBe('IamNoWildcardAdmin');
    expect(rule.shortDescription?.text).toBe('IAM roles do not grant wildcard admin');
    expect(rule.fullDescription?.text).toMatch(/^Checks that/);
    expect(rule.helpUri).toBe('https://github.com/aigis-dev/aigis/blob/main/docs/rules.md#iam-no-wildcard-admin');
    expect(rule.defaultConfiguration?.level).toBe('error');
    expect(rule.properties?.tags).toEqual(['iam', 'security', 'nist-800-53-r5/AC-6', 'hipaa/164.312(a)(1)', 'soc2/CC6.1']);
    expect(rule.properties?.['security-severity']).toBe('9.5');
    // help carries rationale, every remediation form and the controls.
    const md = rule.help!.markdown!;
    expect(md).toContain('Auditors expect');
    expect(md).toContain('### Console');
    expect(md).toMatch(/```shell\naws iam put-setting/);
    expect(md).toMatch(/```yaml\nProperties:/);
    expect(md).toMatch(/```hcl\nresource "aws_example"/);
    expect(md).toContain('| nist-800-53-r5 | AC-6 |');
    expect(rule.help!.text).toContain('Terraform:');
  });

  it('caps rule tags at GitHub\'s limit of 20 while keeping every control in properties', () => {
    const scan = buildScanResult();
    const many = Array.from({ length: 30 }, (_, i) => ({ framework: 'nist-800-53-r5', controlId: `AC-${i + 1}` }));
    const rules = scan.rules.map((r) => (r.id === 'iam-no-wildcard-admin' ? { ...r, controls: many } : r));
    const log = JSON.parse(renderSarif({ ...scan, rules })) as Log;
    const rule = log.runs[0]!.tool.driver.rules!.find((r) => r.id === 'iam-no-wildcard-admin')!;
    expect(rule.properties?.tags).toHaveLength(20);
    expect((rule.properties?.tags as string[]).slice(0, 3)).toEqual(['iam', 'security', 'nist-800-53-r5/AC-1']);
    expect(rule.properties?.controls).toHaveLength(30);
    expect(rule.help?.markdown).toContain('| nist-800-53-r5 | AC-30 |');
  });

  it('maps severities to levels and GitHub security-severity scores', () => {
    const rules = render().runs[0]!.tool.driver.rules!;
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    const expected: Record<string, [string, string]> = {
      's3-block-public-access': ['error', '9.5'],
      's3-bucket-encryption-kms': ['error', '8.0'],
      'bedrock-invocation-logging': ['warning', '5.5'],
      'cloudtrail-s3-data-events': ['note', '3.0'],
      'sagemaker-notebook-root-access': ['note', '0.0'],
    };
    for (const [id, [level, score]] of Object.entries(expected)) {
      expect(byId[id]?.defaultConfiguration?.level, id).toBe(level);
      expect(byId[id]?.properties?.['security-severity'], id).toBe(score);
    }
  });

  it('reports only fail and unknown findings, in engine order, with correct rule indexes', () => {
    const scan = buildScanResult();
    const log = render();
    const run = log.runs[0]!;
    const expected = scan.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    expect(run.results!.map((r) => r.partialFingerprints?.['aigis/v1'])).toEqual(expected.map((f) => f.fingerprint));
    for (const r of run.results!) {
      expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(['fail', 'unknown']).toContain(r.properties?.verdict);
    }
    expect(run.results!.some((r) => r.message.text?.includes('model-artifacts blocks all'))).toBe(false);
  });

  it('marks failing findings with the severity level and unknown ones as kind review / level none', () => {
    const log = render();
    const fail = resultFor(log, 'iam-no-wildcard-admin', 'role/ml-pipeline');
    expect(fail.kind).toBe('fail');
    expect(fail.level).toBe('error');
    const medium = resultFor(log, 'bedrock-invocation-logging', 'logging-config');
    expect(medium.kind).toBe('review');
    expect(medium.level).toBe('none');
    expect(medium.properties).toMatchObject({ verdict: 'unknown', severity: 'medium' });
  });

  it('keeps fingerprints stable: derived from rule and resource only', () => {
    const a = render();
    const b = render({ inputs: ['elsewhere/other.json'] });
    const fpA = a.runs[0]!.results!.map((r) => r.partialFingerprints);
    const fpB = b.runs[0]!.results!.map((r) => r.partialFingerprints);
    expect(fpA).toEqual(fpB);
    const iam = resultFor(a, 'iam-no-wildcard-admin', 'ml-pipeline');
    expect(iam.partialFingerprints).toEqual({ 'aigis/v1': fingerprintOf('iam-no-wildcard-admin', `arn:aws:iam::${ACCOUNT}:role/ml-pipeline`) });
  });

  it('points at the offending property, the resource line, or line 1 of the input', () => {
    const log = render();
    const byProperty = resultFor(log, 's3-block-public-access', 'training-data').locations![0]!;
    expect(byProperty.physicalLocation).toEqual({
      artifactLocation: { uri: TEMPLATE, uriBaseId: '%SRCROOT%' },
      region: { startLine: 18, startColumn: 7 },
    });
    expect(byProperty.logicalLocations).toEqual([{ fullyQualifiedName: 'arn:aws:s3:::training-data', name: 'training-data', kind: 'resource' }]);

    // property given but no property location: the resource's own line.
    const byResource = resultFor(log, 's3-bucket-encryption-kms', 'feature-store').locations![0]!;
    expect(byResource.physicalLocation?.region).toEqual({ startLine: 40 });

    // no source at all: the scanned input, line 1.
    const byInput = resultFor(log, 'iam-no-wildcard-admin', 'ml-pipeline').locations![0]!;
    expect(byInput.physicalLocation).toEqual({ artifactLocation: { uri: INPUT, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });

    expect(log.runs[0]!.originalUriBaseIds?.['%SRCROOT%']).toBeDefined();
    expect(log.runs[0]!.columnKind).toBe('utf16CodeUnits');
  });

  it('a live scan without any input file keeps the ARN as a logical location only and stays valid', () => {
    const validate = validator();
    const log = render({ inputs: [] });
    expect(validate(log)).toBe(true);
    const iam = resultFor(log, 'iam-no-wildcard-admin', 'ml-pipeline');
    expect(iam.locations![0]!.physicalLocation).toBeUndefined();
    expect(iam.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toContain('role/ml-pipeline');
  });

  it('percent-encodes file paths into valid URI references', () => {
    const validate = validator();
    const scan = buildScanResult({ inputs: ['my exports/snap #1.json'] });
    const log = JSON.parse(renderSarif(scan)) as Log;
    expect(validate(log)).toBe(true);
    const uri = resultFor(log, 'iam-no-wildcard-admin', 'ml-pipeline').locations![0]!.physicalLocation!.artifactLocation!.uri;
    expect(uri).toBe('my%20exports/snap%20%231.json');
  });

  it('carries suppressions, baseline states and structured properties', () => {
    const log = render();
    const suppressed = resultFor(log, 'cloudtrail-s3-data-events', 'org-trail');
    expect(suppressed.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Data events are captured by the organization trail in the audit account.',
        properties: { source: '.aigis.yaml', expires: '2027-01-31' },
      },
    ]);
    expect(resultFor(log, 's3-block-public-access', 'training-data').baselineState).toBe('new');
    expect(resultFor(log, 's3-bucket-encryption-kms', 'feature-store').baselineState).toBe('unchanged');
    expect(resultFor(log, 'bedrock-invocation-logging', 'logging-config').baselineState).toBeUndefined();
    expect(resultFor(log, 'iam-no-wildcard-admin', 'ml-pipeline').suppressions).toBeUndefined();

    const props = resultFor(log, 's3-block-public-access', 'training-data').properties!;
    expect(props.verdict).toBe('fail');
    expect(props.severity).toBe('critical');
    expect(props.controls).toContain('nist-800-53-r5/AC-3');
    expect(props.evidence).toEqual({
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    });
  });

  it('records the account, rollup totals and collection errors on the run', () => {
    const scan = buildScanResult();
    const run = render().runs[0]!;
    expect(run.properties?.account).toEqual({ id: ACCOUNT, partition: 'aws' });
    const frameworks = run.properties?.frameworks as { id: string; totals: unknown }[];
    expect(frameworks.map((f) => f.id)).toEqual(['nist-800-53-r5', 'hipaa', 'soc2', 'gdpr']);
    expect(frameworks[0]!.totals).toEqual(scan.frameworks[0]!.totals);
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    expect(notes).toHaveLength(2);
    expect(notes[0]!.message.text).toContain('bedrock:GetModelInvocationLoggingConfiguration');
    expect(notes[0]!.level).toBe('warning');
  });

  it('keeps hostile text as data: the JSON round-trips the exact strings', () => {
    const log = render();
    const hostile = log.runs[0]!.results!.find((r) => r.locations?.[0]?.logicalLocations?.[0]?.name?.includes(HOSTILE_IMG));
    expect(hostile?.message.text).toContain('</script><!--');
  });
});

describe('renderSarif on a real scan (shipped rules and frameworks, demo inventory)', () => {
  it('is schema-valid and reports exactly the fail and unknown findings, each rule described', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const demo = fileURLToPath(new URL('../../fixtures/demo/inventory.json', import.meta.url));
    const inventory = await loadInventoryFile(demo);
    const scan = await runScan(
      { inventory, rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), inputs: ['fixtures/demo/inventory.json'] },
      { name: 'aigis', version: '0.0.0-test', informationUri: 'https://github.com/aigis-dev/aigis' },
    );
    const log = JSON.parse(renderSarif(scan)) as Log;
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id).sort());
    for (const rule of run.tool.driver.rules!) {
      const reported = scan.rules.find((r) => r.id === rule.id)!;
      expect(rule.help?.markdown, rule.id).toContain('## Remediation');
      expect(rule.properties?.tags, rule.id).toEqual([
        ...new Set([reported.service, 'security', ...reported.controls.map((c) => `${c.framework}/${c.controlId}`)]),
      ].slice(0, 20));
    }
    const open = scan.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    expect(open.length).toBeGreaterThan(0);
    expect(run.results).toHaveLength(open.length);
  });
});

describe('renderSarif property locations from IaC', () => {
  it('points at a nested property and at the file that declares it (Terraform split resources)', () => {
    const base = buildScanResult();
    const finding = base.findings.find((f) => f.verdict === 'fail')!;
    const moved = {
      ...finding,
      property: 'Policies',
      resource: {
        ...finding.resource,
        source: {
          file: 'infra/main.tf',
          line: 10,
          column: 1,
          properties: {
            'Policies[1].PolicyDocument': { line: 40, column: 5 },
            'Policies[0].PolicyDocument': { line: 22, column: 7, file: 'infra/iam.tf' },
            PoliciesExtra: { line: 2, column: 1 },
          },
        },
      },
    };
    const log = JSON.parse(renderSarif({ ...base, findings: [moved] })) as Log;
    const physical = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!;
    expect(physical.artifactLocation!.uri).toBe('infra/iam.tf');
    expect(physical.region).toEqual({ startLine: 22, startColumn: 7 });
  });
});
