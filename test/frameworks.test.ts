/** Framework catalogs are data: they must load strictly and fail loudly on a mapping to no rule. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/engine/errors.js';
import { NON_FRAMEWORK_FILES, frameworksDir, loadFrameworks, parseFrameworkYaml, readPlainFramework } from '../src/engine/frameworks.js';
import { loadRules } from '../src/engine/registry.js';

function dirWith(name: string, yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aigis-fw-'));
  writeFileSync(path.join(dir, name), yaml);
  return dir;
}

/**
 * Rules that evidence no control of a framework, by framework. HIPAA's Security Rule names no control
 * over model input or output (prompt attacks, grounding), and guardrails are not malware protection;
 * grounding (are answers supported by the sources?) is output accuracy, which only NIST SI-15 covers;
 * a model approval gate is change control (SOC 2 CC8.1, NIST CM-3), which the Security Rule does not name.
 * Every other rule must evidence some control of every framework.
 */
const UNMAPPED: Record<string, ReadonlySet<string>> = {
  // Model monitoring, deployment guardrails, redundant instances and model cards: HIPAA's safeguards
  // name no model quality, change or availability control these evidence.
  hipaa: new Set([
    'bedrock-guardrail-contextual-grounding',
    'bedrock-guardrail-prompt-attack',
    'bedrock-agent-guardrail',
    'bedrock-guardrail-in-use',
    'sagemaker-model-registry-gate',
    'sagemaker-endpoint-model-monitoring',
    'sagemaker-endpoint-deployment-guardrails',
    'sagemaker-endpoint-multi-instance',
    'sagemaker-endpoint-model-card',
    // Lifecycle expiration of AI data and logs: HIPAA's controls here name no disposal or retention of data.
    's3-ai-data-lifecycle',
    // WAF rate limits and API throttling: the Security Rule names no denial-of-service or request-flood safeguard.
    'apigateway-ai-waf',
    'apigateway-ai-throttling',
    // An SCP keeping AI services in some Regions, or models from being deleted: HIPAA's safeguards
    // name no data residency, and its integrity control is about ePHI, not model artifacts.
    'org-scp-ai-approved-regions',
    'org-scp-model-artifact-deletion-denied',
    // A provider's use of AI service content to improve its services: business associate contracts
    // (164.308(b)) are not in the catalog.
    'org-ai-services-opt-out',
  ]),
  // Drift monitoring of a model is not a GDPR security measure.
  // Storage limitation (Art. 5(1)(e)), which lifecycle expiration evidences, is not in the catalog.
  // Transfers to third countries (Chapter V), which a Region guardrail evidences, are not in the catalog.
  gdpr: new Set([
    // Logs kept in another account: GDPR's articles here name no separation of audit records.
    'cloudtrail-logs-separate-account','bedrock-guardrail-contextual-grounding', 'sagemaker-endpoint-model-monitoring', 's3-ai-data-lifecycle', 'org-scp-ai-approved-regions']),
  // The catalog lists no contingency control (CP-10) that instance counts evidence; SC-5 asks for limits on request floods, not redundancy.
  'nist-800-53-r5': new Set(['sagemaker-endpoint-multi-instance']),
  // Disposal of confidential information (C1.2), which lifecycle expiration evidences, is not in the catalog.
  soc2: new Set(['bedrock-guardrail-contextual-grounding', 's3-ai-data-lifecycle']),
};

/** The four general catalogs: every rule evidences some control of each, except the UNMAPPED ones. */
const GENERAL = ['gdpr', 'hipaa', 'nist-800-53-r5', 'soc2'];

/**
 * The AI catalogs are mostly processes and documents (ISO/IEC 42001 Annex A, the EU AI Act) or risks
 * that sit in the application (OWASP LLM Top 10), so most rules evidence nothing there and most
 * controls are not assessed: the rules each one maps are pinned, so that a mapping is added or removed
 * only on purpose. A rule added later that evidences nothing in them needs no entry here.
 * Reviewed and left out, for example: account hygiene (root MFA, trail encryption) is not an AI
 * control; S3 and KMS encryption are in ISO/IEC 27001, not 42001 Annex A; redundant instances are not
 * a limit on consumption (OWASP LLM10). AWS's Model Monitor controls (SageMaker.9-15, .20, .22, .25)
 * are mapped since sagemaker-inter-container-encryption and sagemaker-network-isolation judge the job
 * definitions and the schedules that embed theirs.
 */
const AI_MAPPED: Record<string, string[]> = {
  'aws-ai-security': [
    'bedrock-kb-data-source-cmk',
    'sagemaker-endpoint-multi-instance',
    'sagemaker-inter-container-encryption',
    'sagemaker-kms-encryption',
    'sagemaker-network-isolation',
    'sagemaker-notebook-root-access',
    'sagemaker-vpc-config',
  ],
  'eu-ai-act': ['access-analyzer-ai-findings', 'apigateway-ai-throttling', 'apigateway-ai-waf', 'bedrock-agent-guardrail', 'bedrock-guardrail-alarm', 'bedrock-guardrail-contextual-grounding', 'bedrock-guardrail-in-use', 'bedrock-guardrail-prompt-attack', 'bedrock-invocation-log-bucket-protected', 'bedrock-invocation-logging', 'bedrock-kb-data-source-cmk', 'bedrock-kb-vector-store-cmk', 'bedrock-kms-cmk', 'bedrock-model-allowlist', 'bedrock-prompt-flow-cmk', 'bedrock-usage-alarm', 'cloudtrail-bedrock-data-events', 'cloudtrail-bucket-protected', 'cloudtrail-multi-region-logging', 'cloudtrail-s3-data-events', 'guardduty-enabled', 'iam-ai-execution-role-scoped', 'iam-no-s3-wildcard', 'iam-users-no-ai-access-keys', 'inspector-ai-image-scanning', 'macie-ai-data-discovery', 'macie-enabled', 's3-block-public-access', 's3-bucket-policy-not-public', 's3-data-class-requirements', 's3-object-lock-audit-logs', 's3-sse-kms-cmk', 's3-versioning', 'sagemaker-endpoint-data-capture', 'sagemaker-endpoint-deployment-guardrails', 'sagemaker-endpoint-model-card', 'sagemaker-endpoint-model-monitoring', 'sagemaker-endpoint-multi-instance', 'sagemaker-kms-encryption', 'sagemaker-model-registry-gate', 'sagemaker-network-isolation', 'sagemaker-notebook-root-access', 'sagemaker-vpc-config'],
  'iso-42001': ['bedrock-agent-guardrail', 'bedrock-guardrail-alarm', 'bedrock-guardrail-in-use', 'bedrock-invocation-logging', 'bedrock-model-allowlist', 'bedrock-usage-alarm', 'cloudtrail-bedrock-data-events', 'cloudtrail-multi-region-logging', 'cloudtrail-s3-data-events', 's3-versioning', 'sagemaker-endpoint-data-capture', 'sagemaker-endpoint-deployment-guardrails', 'sagemaker-endpoint-model-card', 'sagemaker-endpoint-model-monitoring', 'sagemaker-endpoint-multi-instance', 'sagemaker-model-registry-gate'],
  'nist-ai-rmf': ['access-analyzer-ai-findings', 'bedrock-agent-guardrail', 'bedrock-guardrail-alarm', 'bedrock-guardrail-contextual-grounding', 'bedrock-guardrail-in-use', 'bedrock-guardrail-pii-filter', 'bedrock-guardrail-prompt-attack', 'bedrock-invocation-logging', 'bedrock-model-allowlist', 'bedrock-usage-alarm', 'guardduty-enabled', 'inspector-ai-image-scanning', 'macie-ai-data-discovery', 'macie-enabled', 'sagemaker-endpoint-data-capture', 'sagemaker-endpoint-deployment-guardrails', 'sagemaker-endpoint-model-card', 'sagemaker-endpoint-model-monitoring', 'sagemaker-endpoint-multi-instance', 'securityhub-enabled'],
  'owasp-llm-top-10': ['apigateway-ai-throttling', 'apigateway-ai-waf', 'bedrock-agent-guardrail', 'bedrock-guardrail-contextual-grounding', 'bedrock-guardrail-in-use', 'bedrock-guardrail-pii-filter', 'bedrock-guardrail-prompt-attack', 'bedrock-invocation-log-bucket-protected', 'bedrock-invocation-log-group-encrypted', 'bedrock-kb-data-source-cmk', 'bedrock-kb-vector-store-cmk', 'bedrock-model-allowlist', 'bedrock-usage-alarm', 'cloudtrail-s3-data-events', 'iam-ai-execution-role-scoped', 'iam-no-s3-wildcard', 'inspector-ai-image-scanning', 'macie-ai-data-discovery', 'macie-enabled', 's3-block-public-access', 's3-bucket-policy-not-public', 's3-data-class-requirements', 's3-versioning', 'sagemaker-endpoint-model-card', 'sagemaker-endpoint-model-monitoring', 'sagemaker-model-registry-gate', 'sagemaker-network-isolation'],
};

const header = 'id: test\nname: Test\nversion: "1"\nurl: https://example.org/test\ncontrols:\n';

describe('loadFrameworks', () => {
  it('loads the shipped catalogs, every mapping pointing at a real rule', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    expect(frameworks.map((f) => f.id)).toEqual(['aws-ai-security', 'eu-ai-act', 'gdpr', 'hipaa', 'iso-42001', 'nist-800-53-r5', 'nist-ai-rmf', 'owasp-llm-top-10', 'soc2']);
    for (const f of frameworks) {
      expect(f.controls.length).toBeGreaterThanOrEqual(10);
      expect(f.name && f.version && f.description, f.id).toBeTruthy();
      expect(new URL(f.url).protocol, f.id).toBe('https:');
    }
  });

  it('maps no rule to a control its check cannot evidence, and every rule to some control of each framework', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const mapped = (framework: string, control: string) => frameworks.find((f) => f.id === framework)!.controls.find((c) => c.id === control)!.rules;
    // Reviewed and removed: each pair is a rule whose check says nothing about what the control asks.
    const stretched: [string, string, string][] = [
      ['hipaa', '164.308(a)(5)(ii)(B)', 'bedrock-guardrail-prompt-attack'], // malware protection: a prompt filter is not anti-malware
      ['hipaa', '164.308(a)(5)(ii)(B)', 'bedrock-agent-guardrail'],
      ['hipaa', '164.312(e)(1)', 's3-block-public-access'], // transmission security: public access is not about data in transit
      ['hipaa', '164.312(e)(1)', 's3-bucket-policy-not-public'],
      ['hipaa', '164.312(c)(1)', 's3-sse-kms-cmk'], // integrity: encryption keeps data secret, it does not stop alteration
      ['gdpr', 'Art. 28', 'bedrock-model-allowlist'], // processor contracts
      ['gdpr', 'Art. 35', 'bedrock-model-allowlist'], // impact assessments
      ['gdpr', 'Art. 30', 'cloudtrail-multi-region-logging'], // the record of processing is a document, not an API log
      ['soc2', 'CC6.8', 'bedrock-guardrail-contextual-grounding'],
      ['nist-800-53-r5', 'SI-10', 'bedrock-guardrail-contextual-grounding'], // grounding filters output (SI-15)
      ['hipaa', '164.308(a)(8)', 'sagemaker-model-registry-gate'], // periodic evaluation, not a deployment gate
      ['eu-ai-act', 'Art. 14(4)(e)', 'sagemaker-endpoint-deployment-guardrails'], // an automatic rollback is not a person's stop button
      ['eu-ai-act', 'Art. 10(3)', 'macie-enabled'], // finding personal data says nothing of data quality or representativeness
      ['eu-ai-act', 'Art. 13(1)', 'bedrock-invocation-logging'], // logs are record-keeping (Art. 12), not transparency to deployers
      ['iso-42001', 'A.4.3', 's3-data-class-requirements'], // documenting data resources is a document, not bucket controls
      ['iso-42001', 'A.5.2', 'macie-enabled'], // impact assessment is a process
      ['owasp-llm-top-10', 'LLM10:2025', 'sagemaker-endpoint-multi-instance'], // redundancy is not a limit on consumption
      ['owasp-llm-top-10', 'LLM05:2025', 'bedrock-guardrail-contextual-grounding'], // output handling is the application's
      ['owasp-llm-top-10', 'LLM07:2025', 'bedrock-guardrail-prompt-attack'], // secrets in system prompts are not prevented by an input filter
      ['nist-ai-rmf', 'GOVERN 1.6', 'config-recorder-enabled'], // a resource recorder is not an inventory of AI systems
      ['nist-ai-rmf', 'MEASURE 2.11', 'sagemaker-endpoint-model-monitoring'], // data and model quality monitoring is not a bias evaluation
      ['aws-ai-security', 'SageMaker.9', 'sagemaker-network-isolation'], // the inter-container flag, not isolation
      ['aws-ai-security', 'SageMaker.14', 'sagemaker-inter-container-encryption'], // isolation, not the inter-container flag
      ['aws-ai-security', 'SageMaker.17', 'sagemaker-kms-encryption'], // feature groups are not collected
    ];
    for (const [framework, control, rule] of stretched) expect(mapped(framework, control), `${framework} ${control}`).not.toContain(rule);
    for (const rule of rules) {
      for (const f of frameworks.filter((x) => GENERAL.includes(x.id))) {
        const mappedHere = f.controls.some((c) => c.rules.includes(rule.meta.id));
        expect(mappedHere, `${rule.meta.id} in ${f.id}`).toBe(!UNMAPPED[f.id]?.has(rule.meta.id));
      }
    }
  });

  it('maps the AI catalogs on purpose only, leaving controls no rule evidences not assessed', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const ai = frameworks.filter((f) => !GENERAL.includes(f.id));
    expect(ai.map((f) => f.id)).toEqual(Object.keys(AI_MAPPED).sort());
    for (const f of ai) {
      const mapped = [...new Set(f.controls.flatMap((c) => c.rules))].sort();
      expect(mapped, f.id).toEqual(AI_MAPPED[f.id]);
      // Honest coverage: every AI catalog has controls aigis does not assess, and lists them.
      expect(f.controls.some((c) => c.rules.length === 0), f.id).toBe(true);
      expect(f.controls.some((c) => c.rules.length > 0), f.id).toBe(true);
    }
    // The AI rules that judge model input and output appear where those risks are named.
    const controlOf = (fw: string, id: string) => frameworks.find((f) => f.id === fw)!.controls.find((c) => c.id === id)!.rules;
    expect(controlOf('owasp-llm-top-10', 'LLM01:2025')).toContain('bedrock-guardrail-prompt-attack');
    expect(controlOf('owasp-llm-top-10', 'LLM09:2025')).toContain('bedrock-guardrail-contextual-grounding');
    expect(controlOf('eu-ai-act', 'Art. 12(1)')).toContain('bedrock-invocation-logging');
    expect(controlOf('aws-ai-security', 'Bedrock.1')).toEqual(['bedrock-kb-data-source-cmk']);
    // Model Monitor job definitions and schedules: the flag each control names, and nothing else.
    for (const id of ['SageMaker.9', 'SageMaker.10', 'SageMaker.13', 'SageMaker.15', 'SageMaker.22']) expect(controlOf('aws-ai-security', id), id).toEqual(['sagemaker-inter-container-encryption']);
    for (const id of ['SageMaker.11', 'SageMaker.12', 'SageMaker.14', 'SageMaker.20', 'SageMaker.25']) expect(controlOf('aws-ai-security', id), id).toEqual(['sagemaker-network-isolation']);
  });

  it('fails loudly, with file and JSON path, on a mapping to a rule that does not exist', async () => {
    const dir = dirWith('bad.yaml', `${header}  - id: X-1\n    title: Something\n    rules: [s3-block-public-access, s3-no-such-rule]\n`);
    const error = await loadFrameworks(new Set(['s3-block-public-access']), dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/bad\.yaml at \$\.controls\[0\]\.rules\[1\]: control X-1 maps to unknown rule "s3-no-such-rule"/);
  });

  it('rejects duplicate control ids and malformed YAML', async () => {
    const dup = dirWith('dup.yaml', `${header}  - id: A\n    title: a\n  - id: A\n    title: b\n`);
    await expect(loadFrameworks(new Set(), dup)).rejects.toThrow(/duplicate control id A/);
    const broken = dirWith('broken.yaml', 'id: [unclosed');
    await expect(loadFrameworks(new Set(), broken)).rejects.toThrow(/broken\.yaml: is not valid YAML/);
  });
});

/**
 * `aigis rules` reads framework files of the plain shape line by line, without the YAML parser and
 * zod (src/engine/frameworks.ts): whenever it gives a result, it must be the full reading's, key
 * order included; anything it is not sure of it declines, and the full reading decides.
 */
describe('plain framework reading', () => {
  const shipped = readdirSync(frameworksDir())
    .filter((f) => f.endsWith('.yaml') && !NON_FRAMEWORK_FILES.has(f))
    .map((f) => ({ file: f, text: readFileSync(path.join(frameworksDir(), f), 'utf8') }));

  /** The full reading's result, or undefined where it throws (the plain reading must then decline). */
  async function full(text: string): Promise<unknown> {
    return parseFrameworkYaml(text, 'x.yaml').then(
      (framework) => JSON.stringify(framework),
      () => undefined,
    );
  }

  async function agrees(text: string): Promise<boolean> {
    const plain = readPlainFramework(text);
    if (plain === undefined) return true;
    return JSON.stringify(plain) === (await full(text));
  }

  it('reads every shipped framework file, exactly as the YAML parser and the schema do', async () => {
    expect(shipped.length).toBeGreaterThanOrEqual(4);
    for (const { file, text } of shipped) {
      const plain = readPlainFramework(text);
      expect(plain, `${file} is read without the YAML parser`).toBeDefined();
      expect(JSON.stringify(plain), file).toBe(await full(text));
    }
  });

  const tricky = [
    '2017', '"2017"', "'2017'", '1.0', '5.1.1', '1e3', '+1', '-1', '.5', '0x1F', '0o17', '.inf', '-.inf', '.nan', 'null', 'Null', '~', 'true', 'False',
    'yes', 'no', 'on', 'off', 'a: b', 'a:b', 'a:', 'a #b', 'a# b', "'it''s'", '"a\\"b"', '"a\\nb"', '"tab\\there"', '[a, b]', '{a: b}', '&anchor x', '*alias',
    '!tag x', '!!str 5', '>', '|', '-x', '- x', '? x', '%x', '@x', '`x', ',x', 'x,', 'x ', ' x', '"x" # c', 'x\u00a0', 'https://example.org/a#b', 'Art. 5(1)(f)',
    '164.308(a)(1)(ii)(A)', 'a [b] {c}', 'ä ö — ü', '',
  ];

  it('declines, or agrees with the full reading on, tricky values in every position', async () => {
    const base = shipped.find((f) => f.file === 'hipaa.yaml')!.text.split('\n').slice(0, 24);
    let checked = 0;
    for (let i = 0; i < base.length; i++) {
      const match = /^(\s*(?:- )?[a-z]+:)( .*)?$/.exec(base[i]!);
      if (!match) continue;
      for (const value of tricky) {
        const lines = [...base];
        lines[i] = `${match[1]} ${value}`;
        const text = `${lines.join('\n')}\n`;
        expect(await agrees(text), `line ${i + 1} = ${JSON.stringify(value)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('declines, or agrees on, other shapes: indentation, comments, multi-line values, lists, line ends', async () => {
    const controls = '  - id: A-1\n    group: G\n    title: T\n    rules: [s3-block-public-access]\n';
    const variants = [
      `${header}${controls}`,
      `${header}${controls}  - id: A-2\n    title: U\n`,
      `${header}${controls}`.replace('controls:\n', 'controls:\n# a comment\n'),
      `${header}${controls}`.replace('    title: T\n', '    title: T\n      continued\n'),
      `${header}${controls}`.replace('    title: T\n', '    title: T\n    continued\n'),
      `${header}${controls}`.replace('name: Test\n', 'name: Test\n  continued\n'),
      `${header}${controls}`.replace('  - id', '- id').replace(/\n {4}/g, '\n  '),
      `${header}${controls}`.replace(/\n {4}/g, '\n      ').replace('  - id', '    - id'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[s3-block-public-access,\n      iam-no-full-admin]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[ ]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[true, null]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[a,, b]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '[a, b,]'),
      `${header}${controls}`.replace('[s3-block-public-access]', '\n      - s3-block-public-access'),
      `${header}${controls}`.replace('    rules: [s3-block-public-access]\n', ''),
      `${header}${controls}`.replace('    rules: [s3-block-public-access]\n', '    rules:\n'),
      `${header}${controls}`.replace('    group: G\n', ''),
      `${header}${controls}`.replace('    title: T\n', ''),
      `${header}${controls}`.replace('    group: G\n', '    group: G\n    group: H\n'),
      `${header}${controls}`.replace('    group: G\n', '    notes: N\n'),
      `${header}${controls}description: late\n`,
      `${header}${controls}id: again\n`,
      `${header}`,
      `${header}`.replace('controls:\n', 'controls: []\n'),
      `${header}${controls}`.replace(/\n/g, '\r\n'),
      `\ufeff${header}${controls}`,
      `---\n${header}${controls}`,
      `${header}${controls}...\n`,
      `${header}${controls}`.replace('url: https://example.org/test', 'url: not a url'),
      `${header}${controls}`.replace('url: https://example.org/test', 'url: "https://example.org/ test "'),
      `${header}${controls}`.replace('id: test', 'id: Test'),
      `${header}${controls}`.replace('id: A-1', 'id: A-1 # comment'),
      `${header}${controls}`.replace('\n  - id', '\n  -  id'),
      `${header}${controls}`.replace('\n  - id', '\n  -\tid'),
      `${header}${controls}`.replace('\n    title', '\n\ttitle'),
      `${header}${controls}`.replace('    title: T', '    title:  T  '),
      `${header}${controls}`.replace('    title: T', '    "title": T'),
    ];
    let read = 0;
    for (const [i, text] of variants.entries()) {
      expect(await agrees(text), `variant ${i}: ${JSON.stringify(text)}`).toBe(true);
      if (readPlainFramework(text)) read++;
    }
    // The plain shape itself is read (not everything declined).
    expect(read).toBeGreaterThanOrEqual(6);
  });
});
