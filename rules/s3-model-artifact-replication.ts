import { defineRule } from '../src/engine/types.js';
import { workloadLabel } from '../src/engine/ai-graph.js';
import { missingReason, resourceRef } from '../src/engine/rule-kit.js';
import type { S3Bucket } from '../src/inventory/schema.js';

/** A bucket ARN (no object path). */
const BUCKET_ARN = /^arn:[a-z-]+:s3:::([^/]+)$/;
/** The AI asset graph's relations of a bucket that holds trained model artifacts. */
const ARTIFACT_RELATIONS = new Set(['model artifacts', 'output']);

export default defineRule({
  meta: {
    id: 's3-model-artifact-replication',
    title: 'Buckets that hold model artifacts are versioned and replicated',
    severity: 'low',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    aiControl: true,
    description:
      'Every S3 bucket that holds trained model artifacts, that is a bucket of the AI asset graph with the relation "model artifacts" (the ModelDataUrl of a SageMaker model) or "output" (the output path of a SageMaker training job or of a Bedrock custom model\'s customization job), must have a replication configuration with at least one Enabled rule that names a destination bucket (same-Region or cross-Region replication). The guidance requires these buckets to be versioned (S3 versioning of models and datasets), and S3 replicates only from a versioned bucket, so a bucket whose versioning is read and is not Enabled fails too. A rule limited to a prefix counts; its prefix is named, since artifacts outside it are not copied. Whether the destination bucket exists, is versioned, or lies in another Region or account is not checked. The bucket is unknown when its replication configuration was not read (access denied, or not in the template or plan) or it is not in the inventory.',
    rationale:
      'Model artifacts are the product of costly training runs and the thing that is deployed: a deletion, an overwrite by a compromised pipeline, ransomware or the loss of a Region must not lose the approved version. Versioning keeps earlier versions within the bucket; replication keeps a second copy outside the bucket\'s blast radius (another Region, ideally another account with its own owner), which is the backup and alternate storage evidence of NIST CP-9 and CP-6, HIPAA 164.308(a)(7)(ii)(A) and GDPR Art. 32(1)(c), and protects the integrity of the model supply chain.',
    remediation: {
      console: [
        'Enable versioning on the artifact bucket and on a destination bucket (another Region or a backup account): bucket, Properties tab, Bucket Versioning, Edit, Enable.',
        'In the artifact bucket choose Management tab, Replication rules, Create replication rule: status Enabled, scope all objects (or the artifact prefix), destination the backup bucket, an IAM role that S3 can assume to replicate.',
        'To copy artifacts that already exist, choose to replicate existing objects with S3 Batch Replication when saving the rule.',
      ],
      cli: [
        'aws s3api put-bucket-versioning --bucket <ARTIFACT_BUCKET> --versioning-configuration Status=Enabled',
        'aws s3api put-bucket-replication --bucket <ARTIFACT_BUCKET> --replication-configuration \\',
        '  \'{"Role":"arn:aws:iam::<ACCOUNT_ID>:role/<REPLICATION_ROLE>","Rules":[{"ID":"artifacts-dr","Status":"Enabled","Priority":1,"Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::<BACKUP_BUCKET>"}}]}\'',
      ].join('\n'),
      cloudformation: [
        'ModelArtifacts:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    VersioningConfiguration:',
        '      Status: Enabled',
        '    ReplicationConfiguration:',
        '      Role: !GetAtt ReplicationRole.Arn',
        '      Rules:',
        '        - Id: artifacts-dr',
        '          Status: Enabled',
        '          Prefix: ""',
        '          Destination:',
        '            Bucket: arn:aws:s3:::acme-model-artifacts-dr',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_replication_configuration" "model_artifacts" {',
        '  depends_on = [aws_s3_bucket_versioning.model_artifacts]',
        '  bucket     = aws_s3_bucket.model_artifacts.id',
        '  role       = aws_iam_role.replication.arn',
        '  rule {',
        '    id     = "artifacts-dr"',
        '    status = "Enabled"',
        '    filter {}',
        '    delete_marker_replication { status = "Disabled" }',
        '    destination { bucket = aws_s3_bucket.model_artifacts_dr.arn }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html',
    ],
  },

  *evaluate(context) {
    const byArn = new Map<string, S3Bucket>((context.inventory.s3?.buckets ?? []).map((b) => [b.arn, b]));
    for (const [arn, memberships] of [...context.ai.members].filter(([id]) => BUCKET_ARN.test(id)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const holders = memberships.filter((m) => ARTIFACT_RELATIONS.has(m.relation) && m.workload);
      if (!holders.length) continue;
      const name = BUCKET_ARN.exec(arn)![1]!;
      const why = [...new Set(holders.map((m) => `${m.relation} of ${workloadLabel(m.workload!)}`))].join('; ');
      const bucket = byArn.get(arn);
      if (!bucket) {
        const reason = context.inventory.s3 === undefined
          ? missingReason(context, 's3', {}, 'the S3 inventory')
          : 'the bucket is not in the inventory (another account, or it was not read)';
        yield {
          verdict: 'unknown',
          resource: resourceRef(arn, 'AWS::S3::Bucket', holders[0]!.workload!.region, name),
          message: `Bucket ${name} holds model artifacts (${why}), but ${reason}, so its replication cannot be judged.`,
        };
        continue;
      }
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const replication = bucket.replication;
      if (replication === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether bucket ${name}, which holds model artifacts (${why}), is replicated: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketReplication'] }, 'its replication configuration')}.`,
        };
        continue;
      }
      const active = (replication?.rules ?? []).filter((rule) => rule.enabled && rule.destinationBucket);
      const versioning = bucket.versioning?.status;
      const evidence = {
        versioning: versioning ?? null,
        replicationRole: replication?.role ?? null,
        replicationRules: (replication?.rules ?? []).map((rule) => ({ id: rule.id ?? null, enabled: rule.enabled, destination: rule.destinationBucket ?? null, prefix: rule.prefix ?? null })),
      };
      const missing: string[] = [];
      if (versioning !== undefined && versioning !== 'Enabled') missing.push(`versioning is ${versioning === 'Suspended' ? 'suspended' : 'not enabled'} (S3 replicates only from a versioned bucket)`);
      if (!active.length) {
        missing.push(
          replication === null || replication.rules.length === 0
            ? 'it has no replication configuration'
            : 'none of its replication rules is enabled with a destination bucket',
        );
      }
      if (missing.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Bucket ${name}, which holds model artifacts (${why}), has no second copy: ${missing.join('; ')}.`,
          evidence,
          property: active.length ? 'VersioningConfiguration' : 'ReplicationConfiguration',
        };
        continue;
      }
      const destinations = [...new Set(active.map((rule) => `${rule.destinationBucket}${rule.prefix !== undefined ? ` (prefix ${rule.prefix})` : ''}`))].sort();
      yield {
        verdict: 'pass',
        resource,
        message: `Bucket ${name}, which holds model artifacts (${why}), replicates to ${destinations.join(', ')}${versioning === 'Enabled' ? ' and is versioned' : ''}${active.every((rule) => rule.prefix !== undefined) ? '; only objects under the named prefixes are copied' : ''}.`,
        evidence,
      };
    }
  },
});
