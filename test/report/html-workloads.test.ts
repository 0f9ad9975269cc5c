/**
 * The AI workload view of the HTML report: each workload with the resources it uses and the
 * findings on them in one place, worst first, bounded in size, hostile names escaped.
 */
import { describe, expect, it } from 'vitest';
import type { AiWorkloadReport } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { MAX_DETAILED_WORKLOADS, workloadTypeLabel } from '../../src/report/html-workloads.js';
import { HOSTILE_IMG, buildScanResult } from '../fixtures-report/scan-result.js';

const ACCOUNT = '111122223333';

function section(html: string): string {
  const start = html.indexOf('<section id="ai-workloads">');
  return html.slice(start, html.indexOf('</section>', start));
}

function fail(ruleId: string, arn: string, name: string, message: string, severity: Finding['severity'] = 'high'): Finding {
  return {
    ruleId,
    title: ruleId,
    severity,
    verdict: 'fail',
    service: 's3',
    resource: { arn, type: 'AWS::S3::Bucket', region: 'us-east-1', name },
    message,
    controls: [],
    fingerprint: `${ruleId}:${arn}`,
  };
}

describe('HTML AI workload view', () => {
  it("puts a workload's training data and the finding on it in one card", () => {
    const base = buildScanResult();
    const bucket = 'arn:aws:s3:::churn-training-data';
    const churn: AiWorkloadReport = {
      type: 'AWS::SageMaker::TrainingJob',
      arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/churn-train`,
      name: 'churn-train',
      region: 'us-east-1',
      uses: [
        { relation: 'training data', resource: bucket },
        { relation: 'subnet', resource: 'subnet-0abc' },
      ],
    };
    const quiet: AiWorkloadReport = { type: 'AWS::Bedrock::Agent', arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/QUIET`, name: `quiet-${HOSTILE_IMG}`, region: 'us-east-1', uses: [] };
    const findings = [
      ...base.findings,
      fail('s3-sse-kms-cmk', bucket, 'churn-training-data', 'Default encryption is SSE-S3 (AES256), not SSE-KMS with a customer managed key.'),
      fail('subnet-flow-logs', `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0abc`, 'subnet-0abc', 'No flow logs.', 'low'),
      { ...fail('s3-versioning', bucket, 'churn-training-data', 'Suppressed finding text'), suppression: { reason: 'accepted', source: 'config' } },
    ];
    const html = renderHtml({ ...base, findings, aiWorkloads: [quiet, churn] });
    const view = section(html);
    // Worst first: the job with findings is a card; the agent with none is listed after.
    expect(view.indexOf('churn-train')).toBeLessThan(view.indexOf('quiet-'));
    const card = view.slice(view.indexOf('<details class="workload"'), view.indexOf('</details>'));
    expect(card).toContain('SageMaker training job');
    expect(card).toMatch(/<td class="nowrap">training data<\/td><td><a class="arn" href="#\/resource\/\d+">arn:aws:s3:::churn-training-data<\/a><\/td>/);
    expect(card).toContain('Default encryption is SSE-S3 (AES256), not SSE-KMS with a customer managed key.');
    expect(card).toContain('href="#/rule/s3-sse-kms-cmk"');
    // A subnet named by id finds the findings on its ARN.
    expect(card).toContain('No flow logs.');
    // Suppressed findings are not open findings.
    expect(card).not.toContain('Suppressed finding text');
    expect(card).toContain('<span class="badge sev-high">1 high</span> <span class="badge sev-low">1 low</span>');
    expect(view).toContain('1 more workload with no failing or unknown findings');
    expect(view).toContain(`quiet-${HOSTILE_IMG.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(view).not.toContain(HOSTILE_IMG);

    // The markdown list reads the same engine view: worst first, with the counts.
    const md = renderMarkdown({ ...base, findings, aiWorkloads: [quiet, churn] });
    const list = md.slice(md.indexOf('<summary>AI workloads'));
    expect(list).toContain('- **churn-train** (AWS::SageMaker::TrainingJob, us-east-1): 1 high, 1 low → training data: arn:aws:s3:::churn-training-data; subnet: subnet-0abc');
    expect(list.indexOf('churn-train')).toBeLessThan(list.indexOf('quiet-'));
    expect(list).toMatch(/\*\*quiet-[^*]+\*\* \(AWS::Bedrock::Agent, us-east-1\): no failing findings/);
  });

  it('prints at most MAX_DETAILED_WORKLOADS cards however many workloads have findings', () => {
    const base = buildScanResult();
    const n = MAX_DETAILED_WORKLOADS + 30;
    const workloads: AiWorkloadReport[] = [];
    const findings: Finding[] = [...base.findings];
    for (let i = 0; i < n; i++) {
      const bucket = `arn:aws:s3:::data-${String(i).padStart(4, '0')}`;
      workloads.push({ type: 'AWS::SageMaker::TrainingJob', arn: `${bucket}-job`, name: `job-${i}`, region: 'us-east-1', uses: [{ relation: 'training data', resource: bucket }] });
      findings.push(fail('s3-sse-kms-cmk', bucket, `data-${i}`, `Bucket data-${i} is not encrypted.`, i === n - 1 ? 'critical' : 'medium'));
    }
    const view = section(renderHtml({ ...base, findings, aiWorkloads: workloads }));
    expect(view.match(/<details class="workload"/g)).toHaveLength(MAX_DETAILED_WORKLOADS);
    // The only critical one comes first.
    expect(view.indexOf(`job-${n - 1}<`)).toBeLessThan(view.indexOf('job-0<'));
    expect(view).toContain('30 more workloads');
    expect(view).toContain(`${n} workloads, ${n} with failing or unknown findings`);
  });

  it('names workload types for readers', () => {
    expect(workloadTypeLabel('AWS::SageMaker::TrainingJob')).toBe('SageMaker training job');
    expect(workloadTypeLabel('AWS::Bedrock::KnowledgeBase')).toBe('Bedrock knowledge base');
    expect(workloadTypeLabel('Custom')).toBe('custom');
  });
});
