/**
 * The AI asset graph in reports, through the CLI: findings say why their resource serves AI,
 * the JSON report lists workloads with what they use, HTML and Markdown show that list, the
 * config's aiWorkloads.resources adds members, and --scope ai narrows findings to AI resources
 * and account-wide controls.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

interface ReportFinding {
  ruleId: string;
  verdict: string;
  resource: { arn: string; type: string };
  ai?: string[];
}
interface Report {
  scope?: string;
  findings: ReportFinding[];
  aiWorkloads: { type: string; name: string; uses: { relation: string; resource: string }[] }[];
}

const ACCOUNT = '111122223333';
const AUDIT_BUCKET = `arn:aws:s3:::acme-ai-audit-logs-${ACCOUNT}`;
const read = (cwd: string, file: string) => readFileSync(path.join(cwd, file), 'utf8');

describe('AI membership in reports', async () => {
  const all = await runCli(['scan', '--demo', '-f', 'json,sarif,markdown,html', '-o', 'all']);
  const report = JSON.parse(read(all.cwd, 'all/aigis-report.json')) as Report;

  it('marks findings on graph members with the path that makes them members', () => {
    expect(all.code).toBe(0);
    const onAuditBucket = report.findings.filter((f) => f.resource.arn === AUDIT_BUCKET);
    expect(onAuditBucket.length).toBeGreaterThan(0);
    for (const f of onAuditBucket) expect(f.ai).toContain('invocation log bucket of Bedrock invocation logging us-east-1');
    // A resource no workload names carries no membership.
    const site = report.findings.find((f) => f.resource.arn === 'arn:aws:s3:::acme-ai-demo-site');
    expect(site).toBeDefined();
    expect(site!.ai).toBeUndefined();
  });

  it('lists each workload with what it uses, in JSON, SARIF, Markdown and HTML', () => {
    const agent = report.aiWorkloads.find((w) => w.type === 'AWS::Bedrock::Agent' && w.name === 'support-assistant');
    expect(agent?.uses.map((u) => u.relation)).toEqual(expect.arrayContaining(['service role', 'guardrail', 'encryption key']));
    const sarif = JSON.parse(read(all.cwd, 'all/aigis-report.sarif'));
    expect(sarif.runs[0].properties.aiWorkloads).toBe(report.aiWorkloads.length);
    const onBucket = sarif.runs[0].results.find((r: { locations?: { logicalLocations?: { fullyQualifiedName?: string }[] }[] }) =>
      r.locations?.some((l) => l.logicalLocations?.some((ll) => ll.fullyQualifiedName === AUDIT_BUCKET)),
    );
    expect(onBucket?.properties.aiWorkload).toContain('invocation log bucket of Bedrock invocation logging us-east-1');
    const markdown = read(all.cwd, 'all/aigis-report.md');
    expect(markdown).toContain(`<summary>AI workloads (${report.aiWorkloads.length})</summary>`);
    expect(markdown).toMatch(/\*\*support-assistant\*\* \(AWS::Bedrock::Agent, us-east-1\): [^→]*\d+ (high|medium|low)[^→]* → .*service role: /);
    const html = read(all.cwd, 'all/aigis-report.html');
    expect(html).toContain('<section id="ai-workloads">');
    expect(html).toContain('<div class="ai-why">AI: invocation log bucket of Bedrock invocation logging us-east-1');
    expect(html).toContain('<select id="filter-ai">');
    expect(all.stderr).toMatch(new RegExp(`AI workloads: ${report.aiWorkloads.length}; \\d+ failing findings on their resources`));
  });

  it('--scope ai keeps AI resources, AI rules and account-wide controls, and drops the rest', async () => {
    const ai = await runCli(['scan', '--demo', '--scope', 'ai', '-f', 'json', '-o', 'ai.json'], all.cwd);
    expect(ai.code).toBe(0);
    const narrowed = JSON.parse(read(all.cwd, 'ai.json')) as Report;
    expect(narrowed.scope).toBe('ai');
    expect(narrowed.findings.length).toBeLessThan(report.findings.length);
    expect(narrowed.findings.some((f) => f.resource.arn === 'arn:aws:s3:::acme-ai-demo-site')).toBe(false);
    expect(narrowed.findings.some((f) => f.resource.arn === AUDIT_BUCKET)).toBe(true);
    expect(narrowed.findings.some((f) => f.resource.type === 'AWS::CloudTrail::Trail')).toBe(true);
    for (const f of narrowed.findings) {
      const kept = f.ai !== undefined || /^(bedrock|sagemaker|vpc-endpoint|iam-ai|iam-users-no-ai)-/.test(f.ruleId) || !/::(S3|KMS|IAM)::/.test(f.resource.type);
      expect(kept, `${f.ruleId} on ${f.resource.arn}`).toBe(true);
    }
    // Every finding --scope ai keeps is in the full report, unchanged.
    const fullKeys = new Set(report.findings.map((f) => JSON.stringify(f)));
    for (const f of narrowed.findings) expect(fullKeys.has(JSON.stringify(f))).toBe(true);
    expect(ai.stderr).toContain('--scope ai: only AI resources and account-wide controls are reported');
  });

  it('--scope rejects other values with exit 2', async () => {
    const bad = await runCli(['scan', '--demo', '--scope', 'everything', '-f', 'json', '-o', 'x.json'], all.cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--scope: unknown scope "everything" (choose from all, ai)');
  });

  it('takes extra members from the config (aiWorkloads.resources)', async () => {
    writeFileSync(path.join(all.cwd, 'aigis.config.json'), JSON.stringify({ aiWorkloads: { resources: ['acme-ai-demo-site'] } }));
    const run = await runCli(['scan', '--demo', '-f', 'json', '-o', 'cfg.json'], all.cwd);
    const withConfig = JSON.parse(read(all.cwd, 'cfg.json')) as Report;
    const site = withConfig.findings.find((f) => f.resource.arn === 'arn:aws:s3:::acme-ai-demo-site');
    expect(run.code).toBe(0);
    expect(site?.ai).toEqual(['listed in the config (aiWorkloads.resources)']);
  });
});
