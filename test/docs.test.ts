/**
 * docs/rules.md and the README's rule table are generated from the rule metadata and the framework
 * mappings (`npm run docs`, scripts/generate-docs.ts). These tests keep them from going stale and
 * check that every link the reports make into docs/rules.md lands on an anchor that exists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from 'sarif';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ruleSettings } from '../src/engine/config.js';
import { loadFrameworks } from '../src/engine/frameworks.js';
import { TOOL_URI, packageRoot } from '../src/engine/paths.js';
import { loadRules } from '../src/engine/registry.js';
import { runScan } from '../src/engine/scan.js';
import { loadInventoryFile } from '../src/inventory/load.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';
import {
  COVERAGE_DOC_PATH,
  DOCUMENTS,
  GUIDANCE_CONTROLS_FILE,
  NOT_CHECKED_REASONS,
  README_RULES_END,
  README_RULES_START,
  RULES_DOC_PATH,
  codeSpan,
  controlsByRule,
  coverageTotals,
  documentStates,
  fencedBlock,
  loadDocsSources,
  markdownText,
  parseGuidanceControls,
  renderCoverageDoc,
  renderRulesDoc,
  spliceBlock,
  type DocsSources,
  type DocumentState,
} from '../scripts/generate-docs.js';

let sources: DocsSources;
let states: DocumentState[];
let rulesDoc: string;

beforeAll(async () => {
  sources = await loadDocsSources();
  states = await documentStates(sources);
  rulesDoc = readFileSync(path.join(packageRoot(), RULES_DOC_PATH), 'utf8');
});

/** GitHub's heading slug: lower case, punctuation other than `-` and `_` dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The section of one rule: from its anchor to the next rule's anchor. */
function sectionOf(doc: string, ruleId: string): string {
  const start = doc.indexOf(`<a id="${ruleId}"></a>`);
  expect(start, ruleId).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('<a id="', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('generated documents', () => {
  it('lists docs/rules.md, the README rule table, docs/coverage.md and the StackSet template', () => {
    expect(DOCUMENTS.map((d) => d.path)).toEqual([RULES_DOC_PATH, 'README.md', COVERAGE_DOC_PATH, 'deploy/aigis-readonly-stackset.yaml']);
  });

  it.each(DOCUMENTS.map((d) => [d.path]))('%s is up to date (run `npm run docs` to regenerate)', (docPath) => {
    const state = states.find((s) => s.path === docPath)!;
    expect(state.current, `${docPath} does not exist: run \`npm run docs\``).toBeDefined();
    expect(state.current, `${docPath} is stale: run \`npm run docs\` to regenerate it from rules/ and frameworks/`).toBe(state.expected);
  });

  it('renders the same text every time, ending in one newline', async () => {
    const again = await loadDocsSources();
    expect(renderRulesDoc(again)).toBe(renderRulesDoc(sources));
    expect(rulesDoc.endsWith('\n')).toBe(true);
    expect(rulesDoc.endsWith('\n\n')).toBe(false);
    expect(rulesDoc).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});

describe('docs/rules.md', () => {
  it('has exactly one anchor per rule, in rule id order, each right before the rule heading', () => {
    const anchors = [...rulesDoc.matchAll(/<a id="([^"]*)"><\/a>\n\n### (.*)\n/g)].map((m) => [m[1], m[2]]);
    const ids = sources.rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(anchors).toEqual(ids.map((id) => [id, id]));
    expect([...rulesDoc.matchAll(/<a id=/g)]).toHaveLength(ids.length);
  });

  it('has no other heading whose GitHub slug could be taken for a rule id', () => {
    const ids = new Set(sources.rules.map((r) => r.id));
    const headings = [...rulesDoc.matchAll(/^#{1,6} (.*)$/gm)].map((m) => m[1]!);
    const others = headings.filter((h) => !ids.has(h)).map(githubSlug);
    expect(others.filter((slug) => ids.has(slug))).toEqual([]);
    expect(others).toContain('index');
  });

  it('indexes every rule with a link to its anchor, its severity, service, title and controls', () => {
    const index = rulesDoc.slice(rulesDoc.indexOf('## Index'), rulesDoc.indexOf('## Rule details'));
    const mappings = controlsByRule(sources);
    for (const rule of sources.rules) {
      const row = index.split('\n').find((line) => line.startsWith(`| [\`${rule.id}\`](#${rule.id}) |`));
      expect(row, rule.id).toBeDefined();
      expect(row).toContain(`| ${rule.severity} | ${rule.service} |`);
      for (const { framework, controls } of mappings.get(rule.id)!) {
        expect(row).toContain(`${framework.id}: ${controls.map((c) => c.id).join(', ')}`);
      }
    }
  });

  it('gives each rule its metadata, the controls it evidences and the remediation snippets verbatim', () => {
    const mappings = controlsByRule(sources);
    for (const rule of sources.rules) {
      const section = sectionOf(rulesDoc, rule.id);
      expect(section).toContain(`**${markdownText(rule.title)}**`);
      expect(section).toContain(`| ${rule.severity} | ${rule.service} |`);
      for (const type of rule.resourceTypes) expect(section).toContain(`\`${type}\``);
      expect(section).toContain(markdownText(rule.description));
      expect(section).toContain(markdownText(rule.rationale));
      rule.remediation.console.forEach((step, i) => expect(section).toContain(`${i + 1}. ${markdownText(step)}`));
      expect(section).toContain(fencedBlock(rule.remediation.cli, 'sh'));
      expect(section).toContain(fencedBlock(rule.remediation.cloudformation, 'yaml'));
      expect(section).toContain(fencedBlock(rule.remediation.terraform, 'hcl'));
      for (const url of rule.references) expect(section).toContain(`- <${url}>`);
      const rows = mappings.get(rule.id)!.flatMap(({ framework, controls }) => controls.map((c) => `| ${framework.name} | ${c.id} | ${c.title} |`));
      expect(rows.length, `${rule.id} evidences no control`).toBeGreaterThan(0);
      for (const row of rows) expect(section).toContain(row);
    }
  });

  it('takes the controls from the framework catalogs as loaded by the engine', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    expect(sources.frameworks).toEqual(frameworks);
    const pairs = [...controlsByRule(sources)].flatMap(([ruleId, list]) => list.flatMap(({ framework, controls }) => controls.map((c) => `${ruleId} ${framework.id}:${c.id}`)));
    const expected = frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules.map((ruleId) => `${ruleId} ${f.id}:${c.id}`)));
    expect(pairs.sort()).toEqual(expected.sort());
  });
});

describe('links into docs/rules.md', () => {
  it('every SARIF helpUri and every Markdown report rule link of a demo scan lands on an anchor', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const inventory = await loadInventoryFile(path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json'));
    const scan = await runScan(
      { inventory, rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), inputs: ['fixtures/demo/inventory.json'] },
      { name: 'aigis', version: '0.0.0-test', informationUri: TOOL_URI },
    );
    const anchors = new Set([...rulesDoc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const prefix = `${TOOL_URI}/blob/main/${RULES_DOC_PATH}#`;

    const log = JSON.parse(renderSarif(scan)) as Log;
    const helpUris = log.runs[0]!.tool.driver.rules!.map((r) => r.helpUri!);
    expect(helpUris).toHaveLength(rules.length);
    for (const uri of helpUris) {
      expect(uri.startsWith(prefix), uri).toBe(true);
      expect(anchors.has(decodeURIComponent(uri.slice(prefix.length))), uri).toBe(true);
    }

    const links = [...renderMarkdown(scan).matchAll(/\]\(([^)]*\/docs\/rules\.md#[^)]*)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.startsWith(prefix), link).toBe(true);
      expect(anchors.has(decodeURIComponent(link.slice(prefix.length))), link).toBe(true);
    }
  });

  it('the README rule table links every rule to its anchor, between the markers', () => {
    const readme = readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(README_RULES_START), readme.indexOf(README_RULES_END));
    const linked = [...block.matchAll(/\]\(docs\/rules\.md#([^)]+)\)/g)].map((m) => m[1]);
    expect(linked).toEqual(sources.rules.map((r) => r.id));
  });
});

describe('frameworks/guidance-controls.yaml and docs/coverage.md', () => {
  const guidanceFile = path.join(packageRoot(), 'frameworks', GUIDANCE_CONTROLS_FILE);
  /** The file as plain YAML, read without the generator's schema, so these checks do not rest on it. */
  const raw = () =>
    parseYaml(readFileSync(guidanceFile, 'utf8')) as {
      controls: { id: string; category: string; rules?: string[]; coverage?: string; note?: string; notChecked?: { reason?: string; why?: string } }[];
      categories: { id: string }[];
    };
  const coverageDoc = () => readFileSync(path.join(packageRoot(), COVERAGE_DOC_PATH), 'utf8');

  it('gives every control a unique id', () => {
    const ids = raw().controls.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('references only rule ids that exist', () => {
    const known = new Set(sources.rules.map((r) => r.id));
    const unknown = raw().controls.flatMap((c) => (c.rules ?? []).filter((id) => !known.has(id)).map((id) => `${c.id}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('gives every control either rules with a coverage level or a reason why none checks it, never both', () => {
    const reasons = Object.keys(NOT_CHECKED_REASONS);
    for (const control of raw().controls) {
      const hasRules = (control.rules?.length ?? 0) > 0;
      expect(hasRules !== (control.notChecked !== undefined), `${control.id}: rules xor notChecked`).toBe(true);
      if (hasRules) {
        expect(['full', 'partial'], control.id).toContain(control.coverage);
        if (control.coverage === 'partial') expect(control.note?.trim(), `${control.id}: partial needs a note`).toBeTruthy();
      } else {
        expect(reasons, control.id).toContain(control.notChecked!.reason);
        expect(control.notChecked!.why?.trim(), `${control.id}: why`).toBeTruthy();
      }
    }
  });

  it('puts every control in a declared category', () => {
    const { controls, categories } = raw();
    const ids = new Set(categories.map((c) => c.id));
    expect(controls.filter((c) => !ids.has(c.category)).map((c) => c.id)).toEqual([]);
  });

  it('is loaded as it is on disk and kept out of the framework catalogs', () => {
    expect(sources.guidance.controls.map((c) => c.id)).toEqual(raw().controls.map((c) => c.id));
    expect(sources.frameworks.map((f) => f.id)).not.toContain('guidance-controls');
  });

  it('rejects an unknown rule, a duplicate id, a control with neither rules nor a reason, and partial coverage without a note', () => {
    const text = readFileSync(guidanceFile, 'utf8');
    const known = new Set(sources.rules.map((r) => r.id));
    expect(() => parseGuidanceControls(text, 'g.yaml', known)).not.toThrow();
    const data = parseYaml(text) as { controls: Record<string, unknown>[] };
    const withControl = (control: Record<string, unknown>) => JSON.stringify({ ...data, controls: [...data.controls, control] });
    const base = { id: 'G-TEST-01', title: 't', category: data.controls[0]!.category, sources: data.controls[0]!.sources };
    expect(() => parseGuidanceControls(withControl({ ...base, rules: ['no-such-rule'], coverage: 'full' }), 'g.yaml', known)).toThrow(/unknown rule "no-such-rule"/);
    expect(() => parseGuidanceControls(withControl({ ...base, id: data.controls[0]!.id, rules: [sources.rules[0]!.id], coverage: 'full' }), 'g.yaml', known)).toThrow(/duplicate control id/);
    expect(() => parseGuidanceControls(withControl(base), 'g.yaml', known)).toThrow();
    expect(() => parseGuidanceControls(withControl({ ...base, notChecked: { reason: 'too-hard', why: 'x' } }), 'g.yaml', known)).toThrow();
    expect(() => parseGuidanceControls(withControl({ ...base, rules: [sources.rules[0]!.id], coverage: 'partial' }), 'g.yaml', known)).toThrow(/needs a note/);
  });

  it('states the totals, each reason and every control once, in a deterministic text', async () => {
    const doc = coverageDoc();
    const totals = coverageTotals(sources.guidance.controls);
    expect(totals.full + totals.partial + totals.notChecked).toBe(totals.named);
    expect(doc).toContain(`| named by the guidance | ${totals.named} |`);
    expect(doc).toContain(`| checked fully | ${totals.full} |`);
    expect(doc).toContain(`| checked partially | ${totals.partial} |`);
    expect(doc).toContain(`| not checked | ${totals.notChecked} |`);
    for (const [reason, count] of Object.entries(totals.byReason)) expect(doc).toContain(`| \`${reason}\` | ${count} |`);
    for (const control of sources.guidance.controls) {
      expect(doc.split(`| \`${control.id}\` |`).length - 1, control.id).toBe(1);
    }
    expect(renderCoverageDoc(await loadDocsSources())).toBe(renderCoverageDoc(sources));
    expect(doc.endsWith('\n')).toBe(true);
    expect(doc.endsWith('\n\n')).toBe(false);
  });

  it('links every rule it names to an anchor of docs/rules.md', () => {
    const anchors = new Set([...rulesDoc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const links = [...coverageDoc().matchAll(/\]\(rules\.md#([^)]+)\)/g)].map((m) => m[1]!);
    const named = new Set(sources.guidance.controls.flatMap((c) => ('rules' in c ? c.rules : [])));
    expect(new Set(links)).toEqual(named);
    for (const id of links) expect(anchors.has(id), id).toBe(true);
  });
});

describe('Markdown helpers', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['grants "s3:*" and s*:*', 'grants "s3:\\*" and s\\*:\\*'],
    ['arn:<partition>:s3', 'arn:\\<partition\\>:s3'],
    ['[x](y) _i_ ~s~ back\\slash', '\\[x\\](y) \\_i\\_ \\~s\\~ back\\\\slash'],
    ['&amp; & a', '&amp;amp; & a'],
    ['keeps `code *spans*` as code', 'keeps `code *spans*` as code'],
    ['one\n  line\r\nonly', 'one line only'],
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['1. not a list', '1\\. not a list'],
    ['164.312(b) stays', '164.312(b) stays'],
    ['===', '\\==='],
  ])('markdownText(%j) is %j', (input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });

  it('escapes pipes inside code spans in table cells only', () => {
    expect(markdownText('`a|b` c|d', { inTable: true })).toBe('`a\\|b` c\\|d');
    expect(markdownText('`a|b`')).toBe('`a|b`');
    expect(markdownText('# x', { inTable: true })).toBe('# x');
  });

  it('builds code spans and fences longer than any backtick run inside', () => {
    expect(codeSpan('AWS::S3::Bucket')).toBe('`AWS::S3::Bucket`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(fencedBlock('echo hi\n', 'sh')).toBe('```sh\necho hi\n```');
    expect(fencedBlock('a\n```\nb', 'md')).toBe('````md\na\n```\nb\n````');
    expect(fencedBlock('x\r\ny', '')).toBe('```\nx\ny\n```');
  });

  it('splices a block between its markers and leaves the rest of the file alone', () => {
    const file = `# T\n\nbefore\n\n${README_RULES_START}\nold\n${README_RULES_END}\n\nafter\n`;
    expect(spliceBlock(file, README_RULES_START, README_RULES_END, 'new', 'f.md')).toBe(
      `# T\n\nbefore\n\n${README_RULES_START}\n\nnew\n\n${README_RULES_END}\n\nafter\n`,
    );
    expect(() => spliceBlock('no markers', README_RULES_START, README_RULES_END, 'x', 'f.md')).toThrow(/exactly one/);
    expect(() => spliceBlock(`${README_RULES_START}${README_RULES_START}${README_RULES_END}`, README_RULES_START, README_RULES_END, 'x', 'f.md')).toThrow(
      /found 2 and 1/,
    );
    expect(() => spliceBlock(`${README_RULES_END}\n${README_RULES_START}`, README_RULES_START, README_RULES_END, 'x', 'f.md')).toThrow(/comes before/);
  });
});
