/**
 * The lite YAML reader (src/importers/iac/cfn-yaml-lite.ts) stands in for the `yaml` package on
 * the templates it reads: wherever it gives a result, that result must be exactly the `yaml`
 * path's (values with key order, every position), and a document `yaml` rejects must never be
 * read by it. Checked on every YAML file in fixtures/ and test/, on hand-written edge cases and
 * on seeded mutations of the fixtures.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCfnText, parseWithYaml, type ParsedTemplate } from '../../src/importers/iac/cfn-parse.js';
import { readCfnYamlLite } from '../../src/importers/iac/cfn-yaml-lite.js';

const root = path.resolve(__dirname, '../..');

function yamlFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ya?ml|template)$/.test(entry.name)) out.push(file);
    }
  };
  walk(path.join(root, 'fixtures'));
  walk(path.join(root, 'test'));
  return out;
}

/** Undefined when both agree (or the lite reader left the text to `yaml`), else what differs. */
function disagreement(text: string): string | undefined {
  const lite = readCfnYamlLite(text);
  if (!lite) return undefined;
  let full: ParsedTemplate;
  try {
    full = parseWithYaml(text, 'template.yaml');
  } catch (error) {
    return `the lite reader read a document yaml rejects: ${(error as Error).message}`;
  }
  if (JSON.stringify(lite.value) !== JSON.stringify(full.value)) return `values differ: ${JSON.stringify(lite.value)} / ${JSON.stringify(full.value)}`;
  const same = (a: unknown, b: unknown): boolean => {
    if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return false;
    if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
    const keys = Object.keys(a);
    return keys.join('\u0000') === Object.keys(b as object).join('\u0000') && keys.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  };
  if (!same(lite.value, full.value)) return 'values differ in types or key order';
  if (JSON.stringify([...lite.locations]) !== JSON.stringify([...full.locations])) return `locations differ: ${JSON.stringify([...lite.locations])} / ${JSON.stringify([...full.locations])}`;
  return undefined;
}

describe('lite YAML reader', () => {
  const files = yamlFiles();

  it('reads the equivalence template (the iac bench) and most fixture templates', () => {
    expect(readCfnYamlLite(readFileSync(path.join(root, 'fixtures/iac/equivalence/template.yaml'), 'utf8'))).toBeDefined();
    expect(files.filter((f) => readCfnYamlLite(readFileSync(f, 'utf8'))).length).toBeGreaterThan(20);
  });

  it('gives what yaml gives on every YAML file in fixtures/ and test/', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) expect(disagreement(readFileSync(file, 'utf8')), path.relative(root, file)).toBeUndefined();
  });

  it.each([
    'A: !GetAtt [a, b]', "A: !Join ['', [a, !Ref b]]", "A:\n  - !Ref x\n  - !Sub 'y'", 'A: !If\n  - c\n  - a\n  - b', 'A:\n  - - a', 'A: [a: b]',
    'A: {a: [1, 2.5, true, null, ~, 007]}', "A: 'it''s'", '1: x\ntrue: y\nnull: z\n1.5: w\n1e3: v', '~: x', '"a b": c', 'A: a:b', 'A: a #c', 'A: a#c',
    'A: "x" #c', 'A: x\n  y', 'A: 007', 'A: 1.50', 'A: 1e3', 'A: .5', 'A: 5.', 'A: [ ]\nB: {}', 'A:\n- a', 'A: &x 1', 'A: !GetAtt A.B.C', 'A: !GetAtt AB',
    'A:\n  B: !Ref\n    - x', 'A: [!GetAtt x.y, !Ref z]', 'A: {Ref: x}', "A: { 'Fn::GetAtt': [a, b] }", 'A:\n  -   B: 1\n      C: 2', 'A:\n    - B: 1\n      C:\n        - 3',
    'A:   \n  B: 1', "A: 'x'   ", 'A: [a , b ]', 'A: [a,b]', 'A: [a, [b, [c]]]', 'A: -1', 'A: 123456789012', 'A: 1234567890123456789', 'A: 0', 'A: 00', 'A: 0.0', 'A: 1_000',
    'A: 12:30', 'A: on', 'A: yes', 'A: TRUE', 'A: True', 'A: tRue', 'A: Null', 'A: nULL', "'a':b", 'A: b: c', 'A: ""', "A: ''", 'A: [""]', 'A:\n  B:\n  C: 1',
    'A:\n  # c\n  B: 1\n# d\n', '  A: 1', 'A: 1\n  # indented comment\nB: 2', 'A: [a]#c', 'A: [a] #c', 'A: !Sub\n  - x\n  - {a: b}', "A: !Join\n  - ''\n  - - a",
    'A: \'a"b\'', 'A: "a\'b"', 'A: "a\\tb"', 'A: x # comment: y', 'key with spaces: value with spaces', 'A: {a: 1, a: 2}', 'A: 1\nA: 2', 'A: [1, 2,]', 'A: {a}',
    'A: {a: }', 'A: !Ref [a]', 'A: !Ref {a: b}', 'A:\n  - !Ref\n    x: 1', 'A: x:', 'A: http://x.y/z?a=b#frag', 'A: arn:aws:s3:::b/*', 'A: ${AWS::Region}',
    'A: !Sub ${AWS::Region}-x', "A: !Sub '${A}'", 'A: [!Sub \'a\', !Sub b]', 'A: !Foo x', 'A: !!str x', 'A: |\n  x', 'A: >-\n  x\n  y', '---\nA: 1', 'A: 1\n...',
    '%YAML 1.2\n---\nA: 1', 'A: 1\r\nB: 2', 'A:\t1', '\uFEFFA: 1', 'A: *x', '<<: {a: 1}', '? a\n: b', 'A: [a,\n  b]', 'A: "a\n  b"', 'A: 0x1F', 'A: 0o17', 'A: .inf', 'A: .nan',
    'A: +1', '- a', 'A', '', '# only a comment', 'A: 1\n B: 2', 'A:\n  B: 1\n C: 2', 'A:\n  - a\n   - b', 'A:\n  - a\n  b: c',
  ])('%j: the same as yaml, or left to it', (text) => {
    expect(disagreement(text)).toBeUndefined();
  });

  it('gives what yaml gives on seeded mutations of the fixture templates', () => {
    const seeds = files.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length < 8000 && readCfnYamlLite(t));
    expect(seeds.length).toBeGreaterThan(10);
    let state = 12345;
    const rnd = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    const tokens = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', '"', "'", "''", '[', ']', '{', '}', ',', '!Ref ', '!Sub ', '!Foo ', '!', '&a ', '*a', '\n', '\n  ', 'a', '0', '00', '1.5', '.', 'e5', 'true', 'null', '~', '?', '|', '>', '\\', '%', '@', '`', '<<', '__proto__', 'Ref', '0x1', '-1', '+1', '1e3', '.inf', 'é', '\t', '\r'];
    const mutate = (text: string): string => {
      const lines = text.split('\n');
      const p = rnd(text.length + 1);
      switch (rnd(6)) {
        case 0:
          return text.slice(0, p) + tokens[rnd(tokens.length)]! + text.slice(p);
        case 1:
          return text.slice(0, p) + text.slice(p + 1 + rnd(3));
        case 2:
          lines.splice(rnd(lines.length), 0, lines[rnd(lines.length)]!);
          return lines.join('\n');
        case 3: {
          const i = rnd(lines.length);
          const d = rnd(5) - 2;
          lines[i] = d > 0 ? ' '.repeat(d) + lines[i]! : lines[i]!.slice(-d);
          return lines.join('\n');
        }
        case 4: {
          const i = rnd(lines.length);
          const j = rnd(lines.length);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          return lines.join('\n');
        }
        default: {
          const q = rnd(text.length + 1);
          return text.slice(0, p) + text.slice(q, q + rnd(20)) + text.slice(p);
        }
      }
    };
    let read = 0;
    for (let n = 0; n < 1500; n++) {
      let text = seeds[rnd(seeds.length)]!;
      for (let k = rnd(3); k >= 0; k--) text = mutate(text);
      if (readCfnYamlLite(text)) read++;
      expect(disagreement(text), JSON.stringify(text.slice(0, 300))).toBeUndefined();
    }
    expect(read).toBeGreaterThan(200);
  });

  it('parseCfnText still reports what yaml reports for documents the lite reader leaves', () => {
    expect(() => parseCfnText('A: 1\nA: 2\n', 't.yaml')).toThrow(/duplicate key "A"/);
    expect(() => parseCfnText('A: [a,\n', 't.yaml')).toThrow(/not valid YAML/);
    expect(parseCfnText('A: |\n  x\n', 't.yaml').value).toEqual({ A: 'x\n' });
  });
});
