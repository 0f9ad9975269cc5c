import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import { HTML_PAGE_SIZE, renderHtml, renderHtmlChunks } from '../../src/report/html.js';
import { escapeHtml, escapeJsonForScript, jsonForScriptBlock } from '../../src/report/html-escape.js';
import { DEFAULT_REPORT_OPTIONS, type PassedMode } from '../../src/report/options.js';
import { buildLargeScanResult, hostileIndexes, hostileName } from '../fixtures-report/large-scan-result.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT, buildScanResult } from '../fixtures-report/scan-result.js';

const html = renderHtml(buildScanResult());
const fullHtml = renderHtml(buildScanResult(), { ...DEFAULT_REPORT_OPTIONS, passed: 'full' });
const isOpen = (f: Finding) => f.verdict === 'fail' || f.verdict === 'unknown';

function dataBlock(doc: string): string {
  const data = scriptBlocks(doc).find((s) => /type="application\/json"/.test(s.attrs));
  if (!data) throw new Error('no data block');
  return data.body;
}

/** The data block's rules, resources and per-rule lists of passing resources. */
function pageData(doc: string) {
  const raw = JSON.parse(dataBlock(doc)) as {
    passedMode: PassedMode;
    rules: { id: string }[];
    resources: [string, ...unknown[]][];
    passed: [number, number[] | undefined, number[] | undefined][];
  };
  return { passedMode: raw.passedMode, rules: raw.rules, resources: raw.resources, passedLists: raw.passed };
}

/**
 * The findings as the page script reads them (REPORT_JS does the same lookups), for comparing with
 * the ScanResult: everything a row shows comes back exactly.
 */
function decodeFindings(doc: string) {
  const raw = JSON.parse(dataBlock(doc)) as {
    verdicts: string[];
    types: string[];
    regions: string[];
    properties: string[];
    evidence: unknown[];
    ai: string[][];
    messages: string[];
    rules: { id: string; title: string; severity: string; controls: [string, string[]][] }[];
    resources: [string, string | null, number, number, string?][];
    findings: (number | Record<string, unknown>)[][];
  };
  return raw.findings.map((f) => {
    const slot = (k: number) => (f.length > k ? (f[k] as number) : -1);
    const rule = raw.rules[f[0] as number]!;
    const res = raw.resources[f[2] as number]!;
    const m = f[3] as number;
    const extra = (f[7] ?? {}) as Record<string, unknown>;
    return {
      ruleId: rule.id,
      title: (extra.title as string) ?? rule.title,
      severity: (extra.severity as string) ?? rule.severity,
      verdict: raw.verdicts[f[1] as number],
      arn: res[0],
      name: res[1],
      type: raw.types[res[2]],
      region: raw.regions[res[3]],
      location: res[4],
      message: m >= 0 ? raw.messages[m]! : raw.messages[-1 - m]!.split('\u0001').join(res[1]!),
      evidence: slot(4) >= 0 ? raw.evidence[slot(4)] : undefined,
      property: slot(5) >= 0 ? raw.properties[slot(5)] : undefined,
      ai: slot(6) >= 0 ? raw.ai[slot(6)] : undefined,
      controls: (extra.controls as [string, string[]][]) ?? rule.controls,
      suppression: extra.suppression,
      baseline: extra.baseline,
    };
  });
}

function expectedFinding(f: Finding) {
  const byFramework = new Map<string, string[]>();
  for (const c of f.controls) byFramework.set(c.framework, [...(byFramework.get(c.framework) ?? []), c.controlId]);
  return {
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    verdict: f.verdict,
    arn: f.resource.arn,
    name: f.resource.name ?? null,
    type: f.resource.type,
    region: f.resource.region,
    location: f.resource.source
      ? `${f.resource.source.file}${f.resource.source.line !== undefined ? `:${f.resource.source.line}` : ''}${f.resource.source.logicalId ? ` (${f.resource.source.logicalId})` : ''}`
      : undefined,
    message: f.message,
    evidence: f.evidence,
    property: f.property,
    ai: f.ai,
    controls: [...byFramework],
    suppression: f.suppression,
    baseline: f.baseline,
  };
}

function attributeValues(doc: string, name: string): string[] {
  return [...doc.matchAll(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'gi'))].map((m) => m[2] ?? m[3] ?? m[4] ?? '');
}

function scriptBlocks(doc: string): { attrs: string; body: string }[] {
  return [...doc.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1] ?? '', body: m[2] ?? '' }));
}

describe('escapeHtml', () => {
  it('escapes the six characters that can break out of text or attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>\`&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&#96;&amp;');
  });
});

describe('jsonForScriptBlock', () => {
  it('never lets data end the script block and round-trips exactly', () => {
    const value = { s: '</script><!--<script>&\u2028\u2029' };
    const text = jsonForScriptBlock(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('escapes any slice of a JSON text the same way (the data block is written in chunks)', () => {
    const json = JSON.stringify(['</script>', '<!--', '&amp;', '\u2028\u2029']);
    const pieces = [json.slice(0, 5), json.slice(5, 17), json.slice(17)];
    expect(pieces.map(escapeJsonForScript).join('')).toBe(jsonForScriptBlock(JSON.parse(json)));
  });
});

describe('renderHtml', () => {
  it('is a complete, deterministic document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('</html>');
    expect(renderHtml(buildScanResult())).toBe(html);
    expect(renderHtml(buildScanResult(), { ...DEFAULT_REPORT_OPTIONS, passed: 'full' })).toBe(fullHtml);
  });

  it('loads nothing from the network: no URL in src/action, and https links only where a reader clicks them', () => {
    for (const name of ['src', 'action', 'srcset', 'poster', 'data', 'xlink:href']) {
      for (const value of attributeValues(html, name)) {
        expect(value, `${name}=${value}`).not.toMatch(/^\s*(https?:|\/\/|ftp:|data:|javascript:)/i);
      }
    }
    // Links navigate, they load nothing: framework URLs and rule references are https links that send no referrer.
    const anchors = html.match(/<a\b[^>]*>/g) ?? [];
    let external = 0;
    for (const tag of anchors) {
      const href = /\bhref="([^"]*)"/.exec(tag)?.[1] ?? '';
      expect(href, tag).not.toMatch(/^\s*(http:|\/\/|ftp:|data:|javascript:)/i);
      if (href.startsWith('https:')) {
        external++;
        expect(tag, tag).toMatch(/\brel="noreferrer"/);
      } else {
        expect(href, tag).toMatch(/^#/);
      }
    }
    expect(external).toBeGreaterThan(0);
    for (const value of attributeValues(html, 'href')) expect(value).not.toMatch(/^\s*(http:|\/\/|ftp:|data:|javascript:)/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('href="https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final" rel="noreferrer"');
  });

  it('links a reference only when it is a plain https URL', () => {
    const scan = buildScanResult();
    const rule = scan.rules[0]!;
    const hostile = ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'http://example.com/x', 'https://user:pw@example.com/', 'https://example.com/a"onmouseover="x', 'see https://example.com'];
    const page = renderHtml({ ...scan, rules: [{ ...rule, references: [...hostile, 'https://docs.aws.amazon.com/kms/'] }, ...scan.rules.slice(1)] });
    expect(page).toContain('<a href="https://docs.aws.amazon.com/kms/" rel="noreferrer">https://docs.aws.amazon.com/kms/</a>');
    expect(page).toContain('<li>javascript:alert(1)</li>');
    expect(page).toContain('<li>http://example.com/x</li>');
    expect(page).toContain('<li>https://user:pw@example.com/</li>');
    expect(page).not.toContain('href="javascript');
    expect(page).not.toContain('href="data:');
    // A quote cannot end the attribute: the URL parser percent-encodes it.
    expect(page).not.toMatch(/href="[^"]*"onmouseover/);
  });

  it('locks itself down with a CSP whose hashes match the inline style and script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const executable = scriptBlocks(html).filter((s) => !/type="application\/json"/.test(s.attrs));
    expect(executable).toHaveLength(1);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(executable[0]!.body)}`);
    // CSP must come before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    // No inline style or event-handler attributes in any tag (the CSP would block them anyway).
    expect(html).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  });

  it('escapes hostile resource names, tag values and messages everywhere', () => {
    expect(fullHtml).not.toContain(HOSTILE_IMG);
    expect(fullHtml).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain(HOSTILE_IMG);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('pwn-&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&#96;backtick&#96; &#39;quote&#39; &amp; ampersand &lt;/script&gt;&lt;!--');
    // Exactly two script elements: the JSON data and the filter code; nothing injected.
    expect(html.match(/<script/gi)).toHaveLength(2);
    // Evidence tag values are escaped inside the evidence table.
    expect(html).toContain('<th scope="row">owner</th><td><span class="ev-v">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>');
  });

  it('embeds the findings as JSON that cannot close its script element', () => {
    for (const doc of [html, fullHtml]) {
      const body = dataBlock(doc);
      expect(body).not.toMatch(/[<>&\u2028\u2029]/);
      expect(body).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
      expect(body).toContain('\\u003c/script\\u003e\\u003c!--');
    }
    const scan = buildScanResult();
    // Failing and unknown findings in full by default; every finding with --passed full.
    expect(decodeFindings(html)).toEqual(scan.findings.filter(isOpen).map(expectedFinding));
    expect(decodeFindings(fullHtml)).toEqual(scan.findings.map(expectedFinding));
    expect(decodeFindings(html).some((f) => f.message.includes(HOSTILE_IMG))).toBe(true);
  });

  it('states per-rule constants once, not per finding', () => {
    const scan = buildLargeScanResult(2000);
    const body = dataBlock(renderHtml(scan, { ...DEFAULT_REPORT_OPTIONS, passed: 'full' }));
    for (const rule of scan.rules) {
      expect(body.split(JSON.stringify(rule.title)).length - 1, rule.id).toBe(1);
      expect(body.split(JSON.stringify(rule.id)).length - 1, rule.id).toBe(1);
    }
    // One control id per rule mapping (in the rule) and one per catalog entry (for the drill-down), never in a finding.
    const inCatalogs = scan.frameworks.filter((f) => f.controls.some((c) => c.id === '164.312(b)')).length;
    expect(body.split('"164.312(b)"').length - 1).toBe(scan.rules.filter((r) => r.controls.some((c) => c.controlId === '164.312(b)')).length + inCatalogs);
    const parsed = JSON.parse(body) as { findings: unknown[][] };
    expect(parsed.findings).toHaveLength(scan.findings.length);
    expect(parsed.findings.every((f) => f.length <= 8 && (f.length < 8 || typeof f[7] === 'object'))).toBe(true);
  });

  it('gives back every field of a finding exactly, names taken out of messages and put back', () => {
    const scan = buildScanResult();
    const odd: Finding[] = [
      // The name several times, a name that is part of another word, a message holding U+0001
      // itself, a name too short to take out, and no name.
      { ...scan.findings[0]!, resource: { ...scan.findings[0]!.resource, name: 'abc' }, message: 'abc and abcabc, not ab c; abc.' },
      { ...scan.findings[0]!, resource: { ...scan.findings[0]!.resource, arn: 'arn:x:1', name: 'odd' }, message: 'odd \u0001 odd' },
      { ...scan.findings[0]!, resource: { ...scan.findings[0]!.resource, arn: 'arn:x:2', name: 'ab' }, message: 'ab ab' },
      { ...scan.findings[0]!, resource: { arn: 'arn:x:3', type: 'AWS::X::Y', region: 'r' }, message: 'no name' },
      // The same ARN as another finding with a different name: a resource of its own.
      { ...scan.findings[0]!, resource: { ...scan.findings[0]!.resource, name: 'renamed' }, message: 'renamed x', title: 'Other title', severity: 'low' },
    ];
    const result: ScanResult = { ...scan, findings: [...odd, ...scan.findings] };
    expect(decodeFindings(renderHtml(result))).toEqual(result.findings.filter(isOpen).map(expectedFinding));
  });

  it('shows totals, the per-framework control table, findings, remediation and coverage', () => {
    const scan = buildScanResult();
    expect(html).toContain(`id="total-severity-critical"><div class="n">${scan.summary.failingBySeverity.critical}</div>`);
    expect(html).toContain(`id="total-verdict-unknown"><div class="n">${scan.summary.byVerdict.unknown}</div>`);
    expect(html).toContain(`id="total-suppressed"><div class="n">1</div>`);
    for (const framework of scan.frameworks) expect(html).toContain(`id="framework-${framework.id}"`);
    // NIST AC-6 fails (wildcard admin), IR-4 has no rule, CM-7 only has a not_applicable finding.
    expect(html).toMatch(
      /<td class="mono ctl-id"><a href="#\/control\/nist-800-53-r5\/AC-6">AC-6<\/a><\/td><td>Least Privilege<\/td><td>Access Control<\/td><td><span class="badge st-failing">/,
    );
    expect(html).toMatch(/<td class="mono ctl-id"><a href="[^"]*">IR-4<\/a><\/td>.*?st-not_assessed/);
    expect(html).toMatch(/<td class="mono ctl-id"><a href="[^"]*">CM-7<\/a><\/td>.*?st-not_applicable/);
    // What matters first: failing and unknown controls in the table, the others collapsed behind their counts.
    const nist = html.slice(html.indexOf('id="framework-nist-800-53-r5"'));
    expect(nist.indexOf('>AC-6</a>')).toBeLessThan(nist.indexOf('<details class="controls-rest">'));
    expect(nist.indexOf('>IR-4</a>')).toBeGreaterThan(nist.indexOf('<details class="controls-rest">'));
    expect(html.match(/<tr class="finding/g)).toHaveLength(scan.findings.filter(isOpen).length);
    expect(fullHtml.match(/<tr class="finding/g)).toHaveLength(scan.findings.length);
    expect(html).toContain('aws iam put-setting --resource example --enabled');
    expect(html).toContain('<h4>Terraform</h4>');
    expect(html).toContain('Data events are captured by the organization trail in the audit account.');
    expect(html).toContain('GetModelInvocationLoggingConfiguration');
    expect(html).toContain('Coverage: what could not be read');
    expect(html).toContain('New failing (vs baseline)');
  });

  it('states clearly when nothing failed to collect and when there are no findings', () => {
    const result = buildScanResult({ findings: [], coverage: { collectionErrors: [] }, summary: { ...buildScanResult().summary, resourcesEvaluated: 0 } });
    const empty = renderHtml(result);
    expect(empty).toContain('Every collection call succeeded.');
    expect(empty).toContain('The rules produced no findings');
    expect(empty).not.toContain('<tr class="finding');
    expect(renderHtml(result, { ...DEFAULT_REPORT_OPTIONS, passed: 'full' })).toContain('The rules produced no findings');
    const allPass = renderHtml({ ...buildScanResult(), findings: buildScanResult().findings.filter((f) => !isOpen(f)) });
    expect(allPass).toContain('No failing or unknown findings.');
    expect(allPass).not.toContain('<tr class="finding');
  });

  it('collapses pass and not-applicable findings per rule: a list by default, counts with --passed count, rows with full', () => {
    const scan = buildScanResult();
    const passing = scan.findings.filter((f) => !isOpen(f));
    const rulesWithPassing = [...new Set(passing.map((f) => f.ruleId))];
    expect(rulesWithPassing.length).toBeGreaterThan(0);
    const list = pageData(html);
    expect(list.passedMode).toBe('list');
    expect(html).toContain('<section id="passed">');
    expect(html.match(/<details class="passed-list"/g)).toHaveLength(rulesWithPassing.length);
    const listed = list.passedLists.flatMap(([rule, pass, na]) =>
      [...(pass ?? []).map((r) => ['pass', r] as const), ...(na ?? []).map((r) => ['not_applicable', r] as const)].map(([verdict, r]) => ({
        ruleId: list.rules[rule]!.id,
        verdict,
        arn: list.resources[r]![0],
      })),
    );
    const key = (x: { ruleId: string; verdict: string; arn: string }) => `${x.ruleId} ${x.verdict} ${x.arn}`;
    expect(listed.map(key).sort()).toEqual(passing.map((f) => key({ ruleId: f.ruleId, verdict: f.verdict, arn: f.resource.arn })).sort());

    const count = renderHtml(scan, { ...DEFAULT_REPORT_OPTIONS, passed: 'count' });
    expect(count).toContain('<section id="passed">');
    expect(count).not.toContain('class="passed-list"');
    // Counts only, per rule, for the drill-down.
    const counted = pageData(count).passedLists;
    expect(counted.length).toBe(rulesWithPassing.length);
    for (const [rule, pass, na] of counted as unknown as [number, number, number][]) {
      const ruleId = pageData(count).rules[rule]!.id;
      expect(pass).toBe(passing.filter((f) => f.ruleId === ruleId && f.verdict === 'pass').length);
      expect(na).toBe(passing.filter((f) => f.ruleId === ruleId && f.verdict === 'not_applicable').length);
    }
    // Counts only: no passing resource is named anywhere in the page.
    for (const f of passing) expect(count).not.toContain(f.resource.arn);
    expect(count).toMatch(/<td class="num">1<\/td><td class="num">0<\/td>/);

    expect(fullHtml).not.toContain('<section id="passed">');
    // The verdict filter offers pass and not applicable only where they are rows.
    expect(fullHtml).toContain('<option value="pass">');
    expect(html).not.toContain('<option value="pass">');
  });
});

describe('renderHtmlChunks at scale', () => {
  const scan = buildLargeScanResult(4000);

  it('writes the page in bounded chunks, byte-identical to itself', () => {
    let largest = 0;
    let count = 0;
    const hash = createHash('sha256');
    for (const chunk of renderHtmlChunks(scan, DEFAULT_REPORT_OPTIONS)) {
      largest = Math.max(largest, chunk.length);
      count++;
      hash.update(chunk);
    }
    expect(count).toBeGreaterThan(10);
    // No chunk grows with the number of findings: a batch of findings at most.
    expect(largest).toBeLessThan(200_000);
    expect(createHash('sha256').update(renderHtml(buildLargeScanResult(4000))).digest('hex')).toBe(hash.digest('hex'));
  });

  it('renders a static first page of failing findings for readers without JavaScript', () => {
    const doc = renderHtml(scan);
    const open = scan.findings.filter(isOpen);
    expect(open.length).toBeGreaterThan(HTML_PAGE_SIZE);
    const rows = [...doc.matchAll(/<tr class="finding[^"]*" id="finding-(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([...Array(HTML_PAGE_SIZE).keys()]);
    expect(doc).toContain(`<strong id="visible-count">${open.length} of ${open.length} findings</strong>`);
    expect(doc).toMatch(/<noscript><p class="note">JavaScript is off: this page shows the first 100 of \d+ findings/);
    // The rows are the most severe failing ones.
    expect(doc.indexOf(`>${open[0]!.resource.arn}<`)).toBeGreaterThan(0);
    expect(decodeFindings(doc)).toEqual(open.map(expectedFinding));
    for (const i of hostileIndexes(4000)) expect(doc).not.toContain(hostileName(i));
  });

  it('is a fraction of the size of one row per finding', () => {
    const list = renderHtml(scan).length;
    const full = renderHtml(scan, { ...DEFAULT_REPORT_OPTIONS, passed: 'full' }).length;
    // 20,000 findings: about 330 bytes each in full, mostly their messages and evidence.
    expect(full / scan.findings.length).toBeLessThan(400);
    expect(list).toBeLessThan(full);
  });
});
