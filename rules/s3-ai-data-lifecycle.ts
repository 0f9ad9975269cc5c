import { defineRule } from '../src/engine/types.js';
import { describeMembership } from '../src/engine/ai-graph.js';
import { missingReason, resourceRef } from '../src/engine/rule-kit.js';
import type { LifecycleRule, S3Bucket } from '../src/inventory/schema.js';

/** A bucket ARN (no object path). */
const BUCKET_ARN = /^arn:[a-z-]+:s3:::([^/]+)$/;

/** What a lifecycle rule does to current objects: expire them, move them, or neither. */
function disposal(rule: LifecycleRule): string | undefined {
  const parts: string[] = [];
  if (rule.expirationDays !== undefined) parts.push(`expires objects after ${rule.expirationDays} day${rule.expirationDays === 1 ? '' : 's'}`);
  else if (rule.expirationDate !== undefined) parts.push(`expires objects on ${rule.expirationDate.slice(0, 10)}`);
  if (rule.transitions?.length) parts.push(`transitions them to ${rule.transitions.join(', ')}`);
  return parts.length ? parts.join(' and ') : undefined;
}

function ruleLabel(rule: LifecycleRule, index: number): string {
  const name = rule.id ? `rule ${rule.id}` : `rule #${index + 1}`;
  const scope = rule.prefix !== undefined ? ` (prefix ${rule.prefix}${rule.narrowed ? ', with a tag or size filter' : ''})` : rule.narrowed ? ' (tag or size filter)' : '';
  return `${name}${scope}`;
}

export default defineRule({
  meta: {
    id: 's3-ai-data-lifecycle',
    title: 'AI data and audit log buckets have a lifecycle rule that expires or transitions data',
    severity: 'low',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    aiControl: true,
    description:
      'Every S3 bucket of the AI asset graph (training, validation, processing and output data, model artifacts, checkpoints, knowledge base sources, Bedrock invocation logs, buckets tagged aigis:ai-workload or named in the config) and every CloudTrail trail bucket must have a lifecycle configuration with at least one Enabled rule that expires current objects (Expiration with Days or Date) or transitions them to another storage class: the retention and disposition policy the guidance asks for, written where S3 enforces it. Rules that are Disabled, and rules whose only actions are on noncurrent versions, expired delete markers or incomplete multipart uploads, do not count (they never dispose of current data); a rule limited to a prefix, tags or object sizes counts and its scope is named. The bucket is unknown when its lifecycle configuration was not read (access denied, or not in the template or plan) or the bucket is not in the inventory (another account, such as a log archive).',
    rationale:
      'The guidance makes data lifecycle management one of the six data governance strategies: classify data, set retention and disposition policies. Training sets, prompts and completions in invocation logs and audit trails accumulate personal data; kept without end they widen what a breach exposes and breach storage limitation (GDPR Art. 5(1)(e)); audit logs need a defined retention period (NIST AU-11) and disposal (NIST SI-12, MP-6). A lifecycle rule is the evidence that the retention period exists and that S3 applies it, rather than a policy document nobody enforces.',
    remediation: {
      console: [
        'Open the bucket in the S3 console, Management tab, Lifecycle rules, Create lifecycle rule.',
        'Choose the scope (the whole bucket, or the prefix of the data set or log files), then the actions: Transition current versions between storage classes (for example to Glacier Flexible Retrieval after 90 days) and/or Expire current versions after your retention period.',
        'Save the rule and check that its status is Enabled. For audit logs under Object Lock, set expiration after the lock retention period.',
      ],
      cli: [
        'aws s3api put-bucket-lifecycle-configuration --bucket <BUCKET> --lifecycle-configuration \\',
        '  \'{"Rules":[{"ID":"retention","Status":"Enabled","Filter":{"Prefix":""},"Transitions":[{"Days":90,"StorageClass":"GLACIER"}],"Expiration":{"Days":730}}]}\'',
      ].join('\n'),
      cloudformation: [
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    LifecycleConfiguration:',
        '      Rules:',
        '        - Id: retention',
        '          Status: Enabled',
        '          Transitions:',
        '            - StorageClass: GLACIER',
        '              TransitionInDays: 90',
        '          ExpirationInDays: 730',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_lifecycle_configuration" "training_data" {',
        '  bucket = aws_s3_bucket.training_data.id',
        '  rule {',
        '    id     = "retention"',
        '    status = "Enabled"',
        '    filter {}',
        '    transition {',
        '      days          = 90',
        '      storage_class = "GLACIER"',
        '    }',
        '    expiration { days = 730 }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html',
    ],
  },

  *evaluate(context) {
    const { s3, cloudtrail } = context.inventory;
    const byArn = new Map<string, S3Bucket>((s3?.buckets ?? []).map((b) => [b.arn, b]));
    const { partition } = context.index;
    /** Bucket ARN -> why it is judged, and a Region for a bucket outside the inventory. */
    const targets = new Map<string, { why: string[]; region: string }>();
    const add = (arn: string, why: string, region: string): void => {
      const known = targets.get(arn);
      if (known) known.why.push(why);
      else targets.set(arn, { why: [why], region });
    };
    for (const arn of [...context.ai.members.keys()].filter((id) => BUCKET_ARN.test(id)).sort()) {
      const region = context.ai.members.get(arn)?.find((m) => m.workload)?.workload?.region ?? 'global';
      for (const reason of describeMembership(context.ai, arn)) add(arn, reason, region);
    }
    for (const trail of cloudtrail?.trails ?? []) {
      if (trail.s3BucketName) add(`arn:${partition}:s3:::${trail.s3BucketName}`, `log bucket of trail ${trail.name}`, trail.homeRegion);
    }

    for (const arn of [...targets.keys()].sort()) {
      const target = targets.get(arn)!;
      const name = BUCKET_ARN.exec(arn)![1]!;
      const bucket = byArn.get(arn);
      const why = target.why.join('; ');
      if (!bucket) {
        const reason = s3 === undefined
          ? missingReason(context, 's3', {}, 'the S3 inventory')
          : 'the bucket is not in the inventory (another account, such as a log archive, or it was not read)';
        yield {
          verdict: 'unknown',
          resource: resourceRef(arn, 'AWS::S3::Bucket', target.region, name),
          message: `Bucket ${name} (${why}) should have a lifecycle rule that expires or transitions its data, but ${reason}.`,
          evidence: { reasons: target.why },
        };
        continue;
      }
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const lifecycle = bucket.lifecycle;
      if (lifecycle === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether bucket ${name} (${why}) disposes of its data: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketLifecycleConfiguration'] }, 'its lifecycle configuration')}.`,
          evidence: { reasons: target.why },
        };
        continue;
      }
      const rules = lifecycle?.rules ?? [];
      const qualifying = rules.flatMap((rule, i) => {
        const action = rule.enabled ? disposal(rule) : undefined;
        return action ? [{ label: ruleLabel(rule, i), action, scoped: rule.prefix !== undefined || rule.narrowed === true }] : [];
      });
      const evidence = {
        reasons: target.why,
        lifecycleRules: rules.map((rule, i) => ({ rule: ruleLabel(rule, i), enabled: rule.enabled, disposes: disposal(rule) ?? null })),
      };
      if (qualifying.length) {
        const scopedOnly = qualifying.every((q) => q.scoped);
        yield {
          verdict: 'pass',
          resource,
          message: `Bucket ${name} (${why}) has an enabled lifecycle rule that disposes of data: ${qualifying.map((q) => `${q.label} ${q.action}`).join('; ')}${scopedOnly ? '. Every such rule is limited by a filter, so objects outside it are kept indefinitely' : ''}.`,
          evidence,
        };
        continue;
      }
      const disabled = rules.filter((rule) => !rule.enabled && disposal(rule)).length;
      const detail = lifecycle === null || rules.length === 0
        ? 'it has no lifecycle configuration'
        : disabled
          ? `its lifecycle rules that would expire or transition data are disabled (${disabled} of ${rules.length})`
          : `none of its ${rules.length} lifecycle rule${rules.length === 1 ? '' : 's'} expires or transitions current objects (only noncurrent versions, delete markers or incomplete uploads)`;
      yield {
        verdict: 'fail',
        resource,
        message: `Bucket ${name} (${why}) keeps its data indefinitely: ${detail}. Set a retention period with an expiration or transition rule.`,
        evidence,
        property: 'LifecycleConfiguration',
      };
    }
  },
});
