/**
 * Markdown summary: attacker-controlled strings cannot break tables, inject HTML/links or
 * mention people; output is deterministic; sections follow the baseline and suppression state.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import { MAX_ROWS, escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { HOSTILE_IMG, buildScanResult } from '../fixtures-report/scan-result.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

describe('escapeMarkdown', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['<img src=x>', '&lt;img src=x&gt;'],
    ['[click](https://evil)', '\\[click\\](https:&#8203;//evil)'],
    ['**bold** _it_ ~~s~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~'],
    ['ping @octo-org/admins', 'ping @&#8203;octo-org/admins'],
    ['a & b', 'a &amp; b'],
    ['line1\nline2\r\nline3', 'line1 line2 line3'],
    ['back\\slash', 'back\\\\slash'],
    ['&lt;', '&amp;lt;'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('renderMarkdown', () => {
  const result = buildScanResult();
  const md = renderMarkdown(result);

  it('is deterministic and ends with one newline', () => {
    expect(renderMarkdown(buildScanResult())).toBe(md);
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
  });

  it('contains no raw markup from the inventory', () => {
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<!--');
    expect(md).toContain(escapeMarkdown(HOSTILE_IMG));
    // The only tags are the ones the renderer writes itself.
    const tags = new Set([...md.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['br', 'details', 'summary']);
  });

  it('keeps every table row at its column count despite pipes and newlines in messages', () => {
    const hostile: Finding = {
      ...result.findings.find((f) => f.verdict === 'fail' && f.suppression === undefined)!,
      message: 'evil | injected | cells\n| --- |\n@admin',
      fingerprint: 'f'.repeat(32),
    };
    const out = renderMarkdown({ ...result, findings: [hostile, ...result.findings] });
    const tables = out.split('\n\n').filter((block) => block.startsWith('| '));
    expect(tables.length).toBeGreaterThan(2);
    for (const table of tables) {
      const rows = table.split('\n').filter((l) => l.startsWith('|'));
      const width = cells(rows[0]!).length;
      for (const row of rows) expect(cells(row), row).toHaveLength(width);
    }
    expect(out).not.toContain('@admin');
  });

  it('leads with the new failing findings when a baseline was given, and links rule help', () => {
    expect(md).toContain('(2 new since the baseline)');
    const newSection = md.split('### New failing findings (2)')[1]!.split('<details>')[0]!;
    expect(newSection).toContain('[s3-block-public-access](https://github.com/aigis-dev/aigis/blob/main/docs/rules.md#s3-block-public-access)');
    expect(newSection).toContain('TrainingData (AWS::S3::Bucket)<br>templates/ml-stack.yaml:18');
    expect(newSection).toContain('iam-no-wildcard-admin');
    expect(newSection).not.toContain('feature-store');
    expect(md).toContain('<summary>Failing findings already in the baseline (2)</summary>');
  });

  it('lists suppressed findings with reason, expiry and source, and counts collection errors', () => {
    expect(md).toContain('<summary>Suppressed (1)</summary>');
    expect(md).toContain('| Data events are captured by the organization trail in the audit account. | 2027-01-31 | .aigis.yaml |');
    expect(md).toContain('2 collection errors: affected verdicts are unknown');
  });

  it('without a baseline shows all failing findings and no "new" column', () => {
    const findings = result.findings.map(({ baseline: _drop, ...f }) => f as Finding);
    const out = renderMarkdown({ ...result, findings, summary: summarize(findings) });
    expect(out).toContain('### Failing findings (4)');
    expect(out).not.toContain('New');
    expect(out).toContain('| Severity | Failing |');
  });

  it('caps long tables', () => {
    const template = result.findings.find((f) => f.verdict === 'fail' && !f.suppression)!;
    const many: Finding[] = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({
      ...template,
      baseline: undefined,
      resource: { ...template.resource, arn: `arn:aws:s3:::bucket-${String(i).padStart(3, '0')}`, name: `bucket-${i}` },
      fingerprint: String(i).padStart(32, '0'),
    })) as Finding[];
    const out = renderMarkdown({ ...result, findings: many, summary: summarize(many) });
    expect(out).toContain(`… and 7 more (see the SARIF or JSON report).`);
    expect(out.split('\n').filter((l) => l.includes('arn:aws:s3:::bucket-'))).toHaveLength(MAX_ROWS);
  });
});
