/** Framework catalogs are data: they must load strictly and fail loudly on a mapping to no rule. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/engine/errors.js';
import { loadFrameworks } from '../src/engine/frameworks.js';
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
  hipaa: new Set(['bedrock-guardrail-contextual-grounding', 'bedrock-guardrail-prompt-attack', 'bedrock-agent-guardrail', 'bedrock-guardrail-in-use', 'sagemaker-model-registry-gate']),
  gdpr: new Set(['bedrock-guardrail-contextual-grounding']),
  soc2: new Set(['bedrock-guardrail-contextual-grounding']),
};

const header = 'id: test\nname: Test\nversion: "1"\nurl: https://example.org/test\ncontrols:\n';

describe('loadFrameworks', () => {
  it('loads the shipped catalogs, every mapping pointing at a real rule', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    expect(frameworks.map((f) => f.id)).toEqual(['gdpr', 'hipaa', 'nist-800-53-r5', 'soc2']);
    for (const f of frameworks) expect(f.controls.length).toBeGreaterThan(5);
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
    ];
    for (const [framework, control, rule] of stretched) expect(mapped(framework, control), `${framework} ${control}`).not.toContain(rule);
    for (const rule of rules) {
      for (const f of frameworks) {
        const mappedHere = f.controls.some((c) => c.rules.includes(rule.meta.id));
        expect(mappedHere, `${rule.meta.id} in ${f.id}`).toBe(!UNMAPPED[f.id]?.has(rule.meta.id));
      }
    }
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
