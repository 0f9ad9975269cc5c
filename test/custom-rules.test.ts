/**
 * Custom rules and control catalogs without forking (docs/writing-rules.md): the worked example
 * of examples/custom-rules run through the built CLI (bin/aigis.js, as a user runs it; `npm test`
 * and `npm run build` compile first), the public rule API as a package (`import ... from 'aigis'`)
 * from a directory outside the repository, and every way a rule module or catalog can be wrong:
 * exit 2 and one line naming the file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin/aigis.js');
const examples = path.join(root, 'examples/custom-rules');
const exampleRule = path.join(examples, 'sagemaker-owner-tag.mjs');
const RULE_ID = 'acme-sagemaker-owner-tag';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aigis(args: string[], cwd = root): Run {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function temp(): string {
  return mkdtempSync(path.join(tmpdir(), 'aigis-custom-'));
}

type Report = {
  findings: { ruleId: string; verdict: string; resource: { name?: string; type: string } }[];
  passed: { rules: { ruleId: string; pass: string[]; notApplicable: string[] }[] };
  rules: { id: string; title: string }[];
  frameworks: { id: string; name: string; controls: { id: string; status: string; rules: string[]; counts: Record<string, number> }[] }[];
};

/** A copy of the example rule with its text changed, alone in a new directory. */
function ruleDir(edit: (text: string) => string = (t) => t, name = 'rule.mjs'): string {
  const dir = temp();
  writeFileSync(path.join(dir, name), edit(readFileSync(exampleRule, 'utf8')));
  return dir;
}

/** Exit 2, and stderr is exactly one line: `aigis: error: <file>...`, no stack trace. */
function expectOneLineError(run: Run, file: string, detail: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`aigis: error: ${file}`), lines[0]).toBe(true);
  expect(lines[0]).toMatch(detail);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('the worked example (examples/custom-rules)', () => {
  it('scan --demo with the custom rule and the company catalog: findings in every report, rollup of the catalog', () => {
    const out = temp();
    const run = aigis([
      'scan', '--demo',
      '--rules-dir', 'examples/custom-rules',
      '--framework-file', 'examples/custom-rules/acme-ai-policy.yaml',
      '--format', 'json,sarif,markdown',
      '--output', out,
    ]);
    expect(run.stderr).not.toMatch(/aigis: (error|warning)/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ACME AI Security Policy: 3 failing/);
    const report = JSON.parse(readFileSync(path.join(out, 'aigis-report.json'), 'utf8')) as Report;

    // The rule's verdicts on the demo account: the five endpoints have no owner tag; notebook
    // ds-secure-eu's tags were not collected (unknown, never a silent pass); two notebooks pass.
    const findings = report.findings.filter((f) => f.ruleId === RULE_ID);
    expect(findings.map((f) => [f.verdict, f.resource.type, f.resource.name]).sort()).toEqual([
      ['fail', 'AWS::SageMaker::Endpoint', 'claims-llm-prod'],
      ['fail', 'AWS::SageMaker::Endpoint', 'doc-classifier-eu'],
      ['fail', 'AWS::SageMaker::Endpoint', 'fraud-detector-prod'],
      ['fail', 'AWS::SageMaker::Endpoint', 'support-llm-prod'],
      ['fail', 'AWS::SageMaker::Endpoint', 'support-llm-staging'],
      ['unknown', 'AWS::SageMaker::NotebookInstance', 'ds-secure-eu'],
    ]);
    expect(report.passed.rules.find((r) => r.ruleId === RULE_ID)?.pass).toEqual([
      'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/ds-exploration-alice',
      'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/fraud-feature-review',
    ]);
    expect(report.rules.map((r) => r.id)).toContain(RULE_ID);

    // The company catalog maps the custom rule and two built-in rules to its own controls.
    const acme = report.frameworks.find((f) => f.id === 'acme-ai-policy')!;
    expect(acme.name).toBe('ACME AI Security Policy');
    expect(acme.controls.map((c) => [c.id, c.status, c.rules])).toEqual([
      ['AI-OWN-1', 'failing', [RULE_ID]],
      ['AI-LOG-1', 'failing', ['bedrock-invocation-logging']],
      ['AI-NET-1', 'failing', ['sagemaker-vpc-config']],
      ['AI-GOV-1', 'not_assessed', []],
    ]);
    expect(acme.controls[0]!.counts).toEqual({ fail: 5, unknown: 1, pass: 2, not_applicable: 0 });
    // The built-in frameworks are all still there.
    expect(report.frameworks.map((f) => f.id)).toEqual(expect.arrayContaining(['hipaa', 'gdpr', 'nist-800-53-r5', 'soc2', 'acme-ai-policy']));

    const sarif = JSON.parse(readFileSync(path.join(out, 'aigis-report.sarif'), 'utf8')) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toContain(RULE_ID);
    expect(sarif.runs[0]!.results.filter((r) => r.ruleId === RULE_ID)).toHaveLength(6);
    const markdown = readFileSync(path.join(out, 'aigis-report.md'), 'utf8');
    expect(markdown).toContain('ACME AI Security Policy');
  });

  it('the same from a config file named with --config: paths relative to the config file', () => {
    const dir = temp();
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      [`rulesDirs: [${JSON.stringify(path.relative(dir, examples))}]`, `frameworkFiles: [${JSON.stringify(path.relative(dir, path.join(examples, 'acme-ai-policy.yaml')))}]`, 'frameworks: [acme-ai-policy]', ''].join('\n'),
    );
    const cwd = temp();
    const run = aigis(['scan', '--demo', '--config', path.join(dir, 'policy.yaml'), '--format', 'json', '--output', 'r.json'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8')) as Report;
    expect(report.frameworks.map((f) => f.id)).toEqual(['acme-ai-policy']);
    expect(report.findings.filter((f) => f.ruleId === RULE_ID)).toHaveLength(6);
  });

  it('rulesDirs of a config found in the working directory (perhaps the scanned repository\'s) are refused, not run', () => {
    const cwd = temp();
    const dir = ruleDir((t) => `${t}\nthrow new Error('this code must not run');\n`);
    writeFileSync(path.join(cwd, 'aigis.config.json'), JSON.stringify({ rulesDirs: [dir] }));
    expectOneLineError(aigis(['scan', '--demo', '--format', 'json', '--output', 'r.json'], cwd), 'aigis.config.json at $.rulesDirs', /loaded only from a config named with --config/);
    // A framework file is data: read from a found config too.
    writeFileSync(path.join(cwd, 'catalog.yaml'), readFileSync(path.join(examples, 'acme-ai-policy.yaml'), 'utf8').replace(`[${RULE_ID}]`, '[s3-versioning]'));
    writeFileSync(path.join(cwd, 'aigis.config.json'), JSON.stringify({ frameworkFiles: ['catalog.yaml'] }));
    const run = aigis(['scan', '--demo', '--format', 'json', '--output', 'r.json', '--framework', 'acme-ai-policy'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8')) as Report).frameworks[0]!.controls[0]!.rules).toEqual(['s3-versioning']);
  });

  it('aigis rules and aigis frameworks list the custom rule and the catalog', () => {
    const list = aigis(['rules', '--rules-dir', 'examples/custom-rules', '--framework-file', 'examples/custom-rules/acme-ai-policy.yaml', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string; severity: string; controls: string[] }[];
    expect(rows.find((r) => r.id === RULE_ID)).toMatchObject({ severity: 'low', controls: ['acme-ai-policy:AI-OWN-1'] });
    expect(rows.find((r) => r.id === 'sagemaker-vpc-config')?.controls).toContain('acme-ai-policy:AI-NET-1');
    const text = aigis(['rules', '--rules-dir', 'examples/custom-rules']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${RULE_ID} +low +SageMaker notebook instances and endpoints name an owner`, 'm'));
    const frameworks = aigis(['frameworks', 'acme-ai-policy', '--rules-dir', 'examples/custom-rules', '--framework-file', 'examples/custom-rules/acme-ai-policy.yaml']);
    expect(frameworks.code, frameworks.stderr).toBe(0);
    expect(frameworks.stdout).toMatch(/^AI-OWN-1 +Every AI workload has a named owner\n +rules: acme-sagemaker-owner-tag$/m);
  });
});

describe('the rule API from outside the repository', () => {
  it('import { defineRule } from "aigis" (and "aigis/rules") resolves through the package exports', () => {
    const dir = temp();
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'aigis'), 'dir');
    const script = [
      "import * as api from 'aigis';",
      "import * as sub from 'aigis/rules';",
      'const rule = { meta: {}, evaluate() { return []; } };',
      'console.log(JSON.stringify({ same: api.defineRule(rule) === rule, sub: sub.defineRule === api.defineRule, helpers: ["sectionUnknown", "missingReason", "resourceRef", "accountRef", "partialScopeReason", "isAiResource", "effectiveAccess"].filter((n) => typeof api[n] !== "function"), severities: api.SEVERITIES }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ same: true, sub: true, helpers: [], severities: ['critical', 'high', 'medium', 'low', 'info'] });
  });

  it('the worked example type-checks against the package\'s declarations (exports "types")', () => {
    if (!existsSync(path.join(root, 'dist/types/src/api/rules.d.ts'))) {
      const built = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.api.json')], { cwd: root, encoding: 'utf8' });
      expect(built.stdout + built.stderr).toBe('');
    }
    const dir = temp();
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'aigis'), 'dir');
    copyFileSync(exampleRule, path.join(dir, 'owner.mjs'));
    // A typo the declarations must catch, beside the example as shipped.
    writeFileSync(path.join(dir, 'typo.mjs'), readFileSync(exampleRule, 'utf8').replace("severity: 'low'", "severity: 'lowish'"));
    const tsc = (file: string) =>
      spawnSync(
        process.execPath,
        [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(root, 'node_modules/@types'), file],
        { cwd: dir, encoding: 'utf8' },
      );
    const ok = tsc('owner.mjs');
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(tsc('typo.mjs').stdout).toMatch(/typo\.mjs\(\d+,\d+\): error TS2322: Type '"lowish"' is not assignable/);
  }, 60_000);

  it('a rules directory with no node_modules at all: `aigis` is the running aigis', () => {
    const dir = temp();
    copyFileSync(exampleRule, path.join(dir, 'owner.mjs'));
    const cwd = temp();
    const run = aigis(['scan', '--demo', '--rules-dir', dir, '--format', 'json', '--output', 'r.json'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8')) as Report;
    expect(report.findings.filter((f) => f.ruleId === RULE_ID)).toHaveLength(6);
  });
});

describe('a wrong rule module or catalog: exit 2, one line naming the file', () => {
  const scan = (rulesDir: string, extra: string[] = []) => {
    const cwd = temp();
    return { run: aigis(['scan', '--demo', '--rules-dir', rulesDir, ...extra, '--format', 'json', '--output', 'r.json'], cwd), cwd };
  };
  const shown = (cwd: string, file: string) => path.relative(cwd, file);

  it('invalid meta: the field\'s JSON path', () => {
    const dir = ruleDir((t) => t.replace("severity: 'low'", "severity: 'urgent'"));
    const { run, cwd } = scan(dir);
    expectOneLineError(run, `${shown(cwd, path.join(dir, 'rule.mjs'))} at $.meta.severity:`, /invalid rule meta: .*expected one of "critical"\|"high"\|"medium"\|"low"\|"info"/);
  });

  it('a misspelt meta key is named', () => {
    const dir = ruleDir((t) => t.replace("severity: 'low'", "serverity: 'low'"));
    const { run, cwd } = scan(dir);
    expectOneLineError(run, `${shown(cwd, path.join(dir, 'rule.mjs'))} at $.meta.serverity:`, /invalid rule meta/);
  });

  it('an id a built-in rule has', () => {
    const dir = ruleDir((t) => t.replace(`id: '${RULE_ID}'`, "id: 's3-versioning'"));
    const { run, cwd } = scan(dir);
    expectOneLineError(run, `${shown(cwd, path.join(dir, 'rule.mjs'))} at $.meta.id:`, /rule id "s3-versioning" is already the id of a built-in rule/);
  });

  it('the same id in two custom rule files', () => {
    const dir = ruleDir();
    copyFileSync(path.join(dir, 'rule.mjs'), path.join(dir, 'rule-copy.mjs'));
    const { run, cwd } = scan(dir);
    // rule-copy.mjs sorts first: rule.mjs is the second with the id.
    expectOneLineError(run, `${shown(cwd, path.join(dir, 'rule.mjs'))} at $.meta.id:`, new RegExp(`already the id of ${shown(cwd, path.join(dir, 'rule-copy.mjs')).replace(/[.\\/]/g, '\\$&')}`));
  });

  it('a module that throws on import', () => {
    const dir = ruleDir(() => "throw new Error('no such table: owners\\n    at somewhere');\n");
    const { run, cwd } = scan(dir);
    expectOneLineError(run, `${shown(cwd, path.join(dir, 'rule.mjs'))}:`, /the rule module could not be loaded: no such table: owners$/);
  });

  it('a module with a syntax error, and one that exports no rule', () => {
    const broken = ruleDir(() => 'export default {\n');
    const a = scan(broken);
    expectOneLineError(a.run, `${shown(a.cwd, path.join(broken, 'rule.mjs'))}:`, /could not be loaded/);
    const empty = ruleDir(() => 'export const rule = 1;\n');
    const b = scan(empty);
    expectOneLineError(b.run, `${shown(b.cwd, path.join(empty, 'rule.mjs'))}:`, /must default-export defineRule/);
  });

  it('a rule that throws, or yields something that is not a result, while it evaluates', () => {
    const throws = ruleDir((t) => t.replace('const sagemaker = context.inventory.sagemaker;', 'const sagemaker = context.inventory.sagemaker; if (sagemaker) throw new TypeError("owner lookup failed");'));
    const a = scan(throws);
    expectOneLineError(a.run, `${shown(a.cwd, path.join(throws, 'rule.mjs'))}:`, new RegExp(`rule ${RULE_ID} failed while evaluating: owner lookup failed`));
    const bad = ruleDir((t) => t.replaceAll("verdict: 'fail'", "verdict: 'failed'"));
    const b = scan(bad);
    expectOneLineError(b.run, `${shown(b.cwd, path.join(bad, 'rule.mjs'))}:`, /yielded an invalid result: verdict must be one of fail, unknown, pass, not_applicable \(got "failed"\)/);
  });

  it('a rules directory that does not exist, or holds no rule module', () => {
    const missing = scan('no-such-dir');
    expectOneLineError(missing.run, 'no-such-dir:', /cannot read the rules directory \(ENOENT\)/);
    const dir = temp();
    writeFileSync(path.join(dir, 'README.md'), 'rules');
    const empty = scan(dir);
    expectOneLineError(empty.run, `${shown(empty.cwd, dir)}:`, /has no rule module/);
  });

  it('a catalog naming an unknown rule: the JSON path of the id', () => {
    const cwd = temp();
    writeFileSync(path.join(cwd, 'acme.yaml'), readFileSync(path.join(examples, 'acme-ai-policy.yaml'), 'utf8').replace('[bedrock-invocation-logging]', '[bedrock-invocation-logging, bedrock-invocation-logs]'));
    const run = aigis(['scan', '--demo', '--rules-dir', examples, '--framework-file', 'acme.yaml', '--format', 'json', '--output', 'r.json'], cwd);
    expectOneLineError(run, 'acme.yaml at $.controls[1].rules[1]:', /control AI-LOG-1 maps to unknown rule "bedrock-invocation-logs"/);
    // The custom rule is unknown without its rules directory.
    const without = aigis(['scan', '--demo', '--framework-file', path.join(examples, 'acme-ai-policy.yaml'), '--format', 'json', '--output', 'r.json'], cwd);
    expectOneLineError(without, `${path.relative(cwd, path.join(examples, 'acme-ai-policy.yaml'))} at $.controls[0].rules[0]:`, /unknown rule "acme-sagemaker-owner-tag" \(see `aigis rules`; a custom rule needs its rules directory too\)/);
  });

  it('a catalog with a built-in framework\'s id, or not a framework at all', () => {
    const cwd = temp();
    writeFileSync(path.join(cwd, 'mine.yaml'), readFileSync(path.join(examples, 'acme-ai-policy.yaml'), 'utf8').replace('id: acme-ai-policy', 'id: hipaa'));
    expectOneLineError(aigis(['scan', '--demo', '--rules-dir', examples, '--framework-file', 'mine.yaml', '--format', 'json', '--output', 'r.json'], cwd), 'mine.yaml at $.id:', /framework id "hipaa" is already the id of a built-in framework/);
    writeFileSync(path.join(cwd, 'list.yaml'), 'controls: [1, 2]\n');
    expectOneLineError(aigis(['scan', '--demo', '--framework-file', 'list.yaml', '--format', 'json', '--output', 'r.json'], cwd), 'list.yaml', /expected/);
  });
});
