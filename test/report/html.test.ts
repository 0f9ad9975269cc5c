import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { escapeHtml, jsonForScriptBlock } from '../../src/report/html-escape.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT, buildScanResult } from '../fixtures-report/scan-result.js';

const html = renderHtml(buildScanResult());

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
});

describe('renderHtml', () => {
  it('is a complete, deterministic document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('</html>');
    expect(renderHtml(buildScanResult())).toBe(html);
  });

  it('loads nothing from the network: no http(s) or protocol-relative URL in src/href/action', () => {
    for (const name of ['src', 'href', 'action', 'srcset', 'poster', 'data', 'xlink:href']) {
      for (const value of attributeValues(html, name)) {
        expect(value, `${name}=${value}`).not.toMatch(/^\s*(https?:|\/\/|ftp:|data:|javascript:)/i);
      }
    }
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    // The framework URLs and rule references appear, but only as text.
    expect(html).toContain('https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final');
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
    expect(html).not.toContain(HOSTILE_IMG);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('pwn-&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&#96;backtick&#96; &#39;quote&#39; &amp; ampersand &lt;/script&gt;&lt;!--');
    // Exactly two script elements: the JSON data and the filter code; nothing injected.
    expect(html.match(/<script/gi)).toHaveLength(2);
    // Evidence tag values are escaped inside the pretty-printed JSON.
    expect(html).toContain('&quot;owner&quot;: &quot;\\&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
  });

  it('embeds the filter data as JSON that cannot close its script element', () => {
    const data = scriptBlocks(html).find((s) => /type="application\/json"/.test(s.attrs));
    expect(data).toBeDefined();
    expect(data!.body).not.toMatch(/[<>\u2028\u2029]/);
    const parsed = JSON.parse(data!.body) as { findings: { severity: string; verdict: string; frameworks: string[]; suppressed: boolean; text: string }[] };
    const scan = buildScanResult();
    expect(parsed.findings).toHaveLength(scan.findings.length);
    expect(parsed.findings.map((f) => f.verdict)).toEqual(scan.findings.map((f) => f.verdict));
    expect(parsed.findings.some((f) => f.text.includes(HOSTILE_IMG))).toBe(true);
  });

  it('shows totals, the per-framework control table, findings, remediation and coverage', () => {
    const scan = buildScanResult();
    expect(html).toContain(`id="total-severity-critical"><div class="n">${scan.summary.failingBySeverity.critical}</div>`);
    expect(html).toContain(`id="total-verdict-unknown"><div class="n">${scan.summary.byVerdict.unknown}</div>`);
    expect(html).toContain(`id="total-suppressed"><div class="n">1</div>`);
    for (const framework of scan.frameworks) expect(html).toContain(`id="framework-${framework.id}"`);
    // NIST AC-6 fails (wildcard admin), IR-4 has no rule, CM-7 only has a not_applicable finding.
    expect(html).toMatch(/<td class="mono ctl-id">AC-6<\/td><td>Least Privilege<\/td><td>Access Control<\/td><td><span class="badge st-failing">/);
    expect(html).toMatch(/<td class="mono ctl-id">IR-4<\/td>.*?st-not_assessed/);
    expect(html).toMatch(/<td class="mono ctl-id">CM-7<\/td>.*?st-not_applicable/);
    expect(html.match(/<tr class="finding/g)).toHaveLength(scan.findings.length);
    expect(html).toContain('aws iam put-setting --resource example --enabled');
    expect(html).toContain('<h4>Terraform</h4>');
    expect(html).toContain('Data events are captured by the organization trail in the audit account.');
    expect(html).toContain('GetModelInvocationLoggingConfiguration');
    expect(html).toContain('Coverage: what could not be read');
    expect(html).toContain('New failing (vs baseline)');
  });

  it('states clearly when nothing failed to collect and when there are no findings', () => {
    const empty = renderHtml(
      buildScanResult({ findings: [], coverage: { collectionErrors: [] }, summary: { ...buildScanResult().summary, resourcesEvaluated: 0 } }),
    );
    expect(empty).toContain('Every collection call succeeded.');
    expect(empty).toContain('The rules produced no findings');
    expect(empty).not.toContain('<tr class="finding');
  });
});
