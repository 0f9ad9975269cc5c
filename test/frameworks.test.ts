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

const header = 'id: test\nname: Test\nversion: "1"\nurl: https://example.org/test\ncontrols:\n';

describe('loadFrameworks', () => {
  it('loads the shipped catalogs, every mapping pointing at a real rule', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    expect(frameworks.map((f) => f.id)).toEqual(['gdpr', 'hipaa', 'nist-800-53-r5', 'soc2']);
    for (const f of frameworks) expect(f.controls.length).toBeGreaterThan(5);
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
