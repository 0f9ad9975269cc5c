/**
 * A hand-built ScanResult for the report writer tests: several frameworks and rules, findings of
 * every verdict with IaC source locations and evidence, a suppressed finding, baseline states,
 * collection errors, and one resource whose name, tags and message are hostile markup.
 * Rollups and the summary come from the engine's own public functions so they stay consistent.
 */
import type { Framework } from '../../src/engine/frameworks.js';
import {
  compareFindings,
  fingerprintOf,
  rollupFrameworks,
  summarize,
  type ReportedRule,
  type ScanResult,
} from '../../src/engine/scan.js';
import type { ControlRef, Finding, ResourceRef, RuleMeta, Severity, Verdict } from '../../src/engine/types.js';

export const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
export const HOSTILE_SCRIPT = '"><script>alert(1)</script>';
export const ACCOUNT = '123456789012';

function meta(id: string, service: string, severity: Severity, title: string): RuleMeta {
  return {
    id,
    title,
    severity,
    service,
    resourceTypes: [service === 's3' ? 'AWS::S3::Bucket' : service === 'iam' ? 'AWS::IAM::Role' : `AWS::${service}::Resource`],
    description: `Checks that ${title.toLowerCase()}.`,
    rationale: `Auditors expect ${title.toLowerCase()} for AI training data and models.`,
    remediation: {
      console: [`Open the ${service.toUpperCase()} console.`, 'Select the resource.', 'Apply the setting and save.'],
      cli: `aws ${service} put-setting --resource example --enabled`,
      cloudformation: 'Properties:\n  Setting:\n    Enabled: true',
      terraform: 'resource "aws_example" "this" {\n  enabled = true\n}',
    },
    references: [`https://docs.aws.amazon.com/${service}/latest/userguide/security.html`],
  };
}

export const RULE_METAS: RuleMeta[] = [
  meta('s3-block-public-access', 's3', 'critical', 'S3 buckets block public access'),
  meta('s3-bucket-encryption-kms', 's3', 'high', 'S3 buckets are encrypted with a customer managed KMS key'),
  meta('iam-no-wildcard-admin', 'iam', 'critical', 'IAM roles do not grant wildcard admin'),
  meta('bedrock-invocation-logging', 'bedrock', 'medium', 'Bedrock model invocation logging is enabled'),
  meta('cloudtrail-s3-data-events', 'cloudtrail', 'low', 'CloudTrail records S3 data events on training buckets'),
  meta('sagemaker-notebook-root-access', 'sagemaker', 'info', 'SageMaker notebooks disable root access'),
];

export const FRAMEWORKS: Framework[] = [
  {
    id: 'nist-800-53-r5',
    name: 'NIST SP 800-53 Rev. 5',
    version: 'r5',
    url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
    controls: [
      { id: 'AC-3', title: 'Access Enforcement', group: 'Access Control', rules: ['s3-block-public-access'] },
      { id: 'AC-6', title: 'Least Privilege', group: 'Access Control', rules: ['iam-no-wildcard-admin'] },
      { id: 'AU-2', title: 'Event Logging', group: 'Audit and Accountability', rules: ['bedrock-invocation-logging', 'cloudtrail-s3-data-events'] },
      { id: 'SC-28', title: 'Protection of Information at Rest', group: 'System and Communications Protection', rules: ['s3-bucket-encryption-kms'] },
      { id: 'CM-7', title: 'Least Functionality', group: 'Configuration Management', rules: ['sagemaker-notebook-root-access'] },
      { id: 'IR-4', title: 'Incident Handling', group: 'Incident Response', rules: [] },
    ],
  },
  {
    id: 'hipaa',
    name: 'HIPAA Security Rule',
    version: '45 CFR 164 Subpart C',
    url: 'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C',
    controls: [
      { id: '164.312(a)(1)', title: 'Access control', group: 'Technical safeguards', rules: ['s3-block-public-access', 'iam-no-wildcard-admin'] },
      { id: '164.312(a)(2)(iv)', title: 'Encryption and decryption', group: 'Technical safeguards', rules: ['s3-bucket-encryption-kms'] },
      { id: '164.312(b)', title: 'Audit controls', group: 'Technical safeguards', rules: ['bedrock-invocation-logging', 'cloudtrail-s3-data-events'] },
    ],
  },
  {
    id: 'soc2',
    name: 'SOC 2 Trust Services Criteria',
    version: '2017 (rev. 2022)',
    url: 'https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022',
    controls: [
      { id: 'CC6.1', title: 'Logical access security', group: 'Common Criteria', rules: ['s3-block-public-access', 'iam-no-wildcard-admin'] },
      { id: 'CC7.2', title: 'System monitoring', group: 'Common Criteria', rules: ['cloudtrail-s3-data-events'] },
      { id: 'CC6.8', title: 'Unauthorized software', group: 'Common Criteria', rules: ['sagemaker-notebook-root-access'] },
    ],
  },
  {
    id: 'gdpr',
    name: 'GDPR',
    version: 'Regulation (EU) 2016/679',
    url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
    controls: [{ id: 'Art.32', title: 'Security of processing', group: 'Chapter IV', rules: ['s3-bucket-encryption-kms', 's3-block-public-access'] }],
  },
];

function controlsFor(ruleId: string): ControlRef[] {
  const refs: ControlRef[] = [];
  for (const framework of FRAMEWORKS) {
    for (const control of framework.controls) {
      if (control.rules.includes(ruleId)) refs.push({ framework: framework.id, controlId: control.id });
    }
  }
  return refs;
}

function bucket(name: string, source?: ResourceRef['source']): ResourceRef {
  return { arn: `arn:aws:s3:::${name}`, type: 'AWS::S3::Bucket', region: 'us-east-1', name, ...(source ? { source } : {}) };
}

interface FindingSpec {
  ruleId: string;
  verdict: Verdict;
  resource: ResourceRef;
  message: string;
  evidence?: Record<string, unknown>;
  property?: string;
  suppression?: Finding['suppression'];
  baseline?: Finding['baseline'];
}

function finding(spec: FindingSpec): Finding {
  const rule = RULE_METAS.find((r) => r.id === spec.ruleId);
  if (!rule) throw new Error(`fixture: unknown rule ${spec.ruleId}`);
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    verdict: spec.verdict,
    service: rule.service,
    resource: spec.resource,
    message: spec.message,
    ...(spec.evidence ? { evidence: spec.evidence } : {}),
    ...(spec.property ? { property: spec.property } : {}),
    controls: controlsFor(rule.id),
    fingerprint: fingerprintOf(rule.id, spec.resource.arn),
    ...(spec.suppression ? { suppression: spec.suppression } : {}),
    ...(spec.baseline ? { baseline: spec.baseline } : {}),
  };
}

export const TEMPLATE = 'templates/ml-stack.yaml';
export const INPUT = 'inventory/snapshot.json';

export function buildFindings(): Finding[] {
  return [
    finding({
      ruleId: 's3-block-public-access',
      verdict: 'fail',
      resource: bucket('training-data', {
        file: TEMPLATE,
        line: 12,
        column: 3,
        logicalId: 'TrainingData',
        properties: { PublicAccessBlockConfiguration: { line: 18, column: 7 } },
      }),
      message: 'Bucket training-data does not block public access: BlockPublicPolicy and RestrictPublicBuckets are false.',
      evidence: { publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } },
      property: 'PublicAccessBlockConfiguration',
      baseline: 'new',
    }),
    finding({
      ruleId: 's3-bucket-encryption-kms',
      verdict: 'fail',
      resource: bucket('feature-store', { file: TEMPLATE, line: 40, logicalId: 'FeatureStore' }),
      message: 'Bucket feature-store uses SSE-S3 (AES256), not a customer managed KMS key.',
      evidence: { sseAlgorithm: 'AES256', kmsKeyId: null },
      property: 'BucketEncryption',
      baseline: 'existing',
    }),
    finding({
      ruleId: 'iam-no-wildcard-admin',
      verdict: 'fail',
      resource: { arn: `arn:aws:iam::${ACCOUNT}:role/ml-pipeline`, type: 'AWS::IAM::Role', region: 'global', name: 'ml-pipeline' },
      message: 'Role ml-pipeline allows "*" on "*" through inline policy admin.',
      evidence: { policy: 'admin', statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
      baseline: 'new',
    }),
    finding({
      ruleId: 'bedrock-invocation-logging',
      verdict: 'unknown',
      resource: { arn: `arn:aws:bedrock:eu-west-1:${ACCOUNT}:logging-config`, type: 'AWS::Bedrock::LoggingConfiguration', region: 'eu-west-1' },
      message: 'Could not read the Bedrock model invocation logging configuration in eu-west-1 (AccessDeniedException).',
      evidence: { collectionError: { operation: 'GetModelInvocationLoggingConfiguration', errorCode: 'AccessDeniedException' } },
    }),
    finding({
      ruleId: 'cloudtrail-s3-data-events',
      verdict: 'fail',
      resource: { arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`, type: 'AWS::CloudTrail::Trail', region: 'us-east-1', name: 'org-trail' },
      message: 'Trail org-trail does not log S3 data events for bucket training-data.',
      suppression: { reason: 'Data events are captured by the organization trail in the audit account.', expires: '2027-01-31', source: '.aigis.yaml' },
    }),
    finding({
      ruleId: 's3-block-public-access',
      verdict: 'pass',
      resource: bucket('model-artifacts', { file: TEMPLATE, line: 60, logicalId: 'ModelArtifacts' }),
      message: 'Bucket model-artifacts blocks all public access.',
    }),
    finding({
      ruleId: 'sagemaker-notebook-root-access',
      verdict: 'not_applicable',
      resource: { arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:account`, type: 'AWS::SageMaker::NotebookInstance', region: 'us-east-1' },
      message: 'No SageMaker notebook instances in us-east-1.',
    }),
    finding({
      ruleId: 's3-bucket-encryption-kms',
      verdict: 'fail',
      resource: bucket(`pwn-${HOSTILE_IMG}`),
      message: `Bucket tagged owner=${HOSTILE_SCRIPT} is not encrypted with KMS ${HOSTILE_IMG} \`backtick\` 'quote' & ampersand </script><!--`,
      evidence: { tags: { owner: HOSTILE_SCRIPT, note: HOSTILE_IMG, sep: '\u2028\u2029' } },
    }),
  ].sort(compareFindings);
}

export function buildScanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  const findings = buildFindings();
  const rules: ReportedRule[] = RULE_METAS.map((m) => ({ ...m, controls: controlsFor(m.id) }));
  return {
    tool: { name: 'aigis', version: '0.1.0', informationUri: 'https://github.com/aigis-dev/aigis' },
    account: { id: ACCOUNT, partition: 'aws' },
    inputs: [INPUT],
    // Deliberately not sorted by id: the SARIF writer must sort.
    rules: [...rules].reverse(),
    findings,
    frameworks: rollupFrameworks(FRAMEWORKS, findings, new Set(RULE_METAS.map((r) => r.id))),
    summary: summarize(findings),
    aiWorkloads: [],
    coverage: {
      collectionErrors: [
        {
          service: 'bedrock',
          region: 'eu-west-1',
          operation: 'GetModelInvocationLoggingConfiguration',
          errorCode: 'AccessDeniedException',
          message: 'User is not authorized to perform bedrock:GetModelInvocationLoggingConfiguration',
        },
        {
          service: 's3',
          region: 'us-east-1',
          operation: 'GetBucketPolicy',
          resource: `arn:aws:s3:::${HOSTILE_IMG}`,
          errorCode: 'AccessDenied',
        },
      ],
    },
    ...overrides,
  };
}
