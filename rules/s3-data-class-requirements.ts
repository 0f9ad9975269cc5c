import { defineRule } from '../src/engine/types.js';
import { DATA_CLASS_TAG, dataClassOf, type DataClass } from '../src/engine/ai-graph.js';
import { cmkEncryptionCheck, versioningCheck, type BucketCheck } from '../src/engine/bucket-checks.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { judgeDataEvents, s3ObjectTarget } from '../src/engine/trail-coverage.js';
import type { RuleContext } from '../src/engine/types.js';
import type { S3Bucket } from '../src/inventory/schema.js';

/** What each tier of the guidance's data classification asks of the bucket that holds the data. */
type Requirement = 'cmk-encryption' | 'versioning' | 'cloudtrail-data-events';
const REQUIREMENTS: Record<DataClass, readonly Requirement[]> = {
  public: [],
  internal: [],
  confidential: ['cmk-encryption'],
  restricted: ['cmk-encryption', 'versioning', 'cloudtrail-data-events'],
};
const REQUIREMENT_NAMES: Record<Requirement, string> = {
  'cmk-encryption': 'SSE-KMS with a customer managed key',
  versioning: 'versioning enabled',
  'cloudtrail-data-events': 'CloudTrail S3 data events (read and write)',
};

export default defineRule({
  meta: {
    id: 's3-data-class-requirements',
    title: 'Buckets tagged confidential or restricted (aigis:data-class) have the controls their tier requires',
    severity: 'high',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'The tag aigis:data-class (public, internal, confidential or restricted: the data classification tiers of the guidance, case-insensitive) raises what a bucket must have. public (published research, open datasets: no special controls) and internal (aggregated business metrics: basic access control, which the general S3 rules check on every bucket) add nothing, and are not applicable like buckets without the tag. confidential (customer data, PII; the guidance asks for encryption and strict IAM, SSE-KMS for confidential data and customer managed keys for sensitive data) requires default encryption SSE-KMS or DSSE-KMS with an enabled customer managed key. restricted (PHI, PCI data, trade secrets; the guidance asks for CMK encryption, CloudTrail and audit) requires that key, versioning Enabled (a restricted object overwritten or deleted stays recoverable), and S3 data events, read and write, recorded for every object of the bucket by a logging trail that covers its Region (the test of cloudtrail-s3-data-events). Strict IAM is not a bucket setting and is left to the IAM rules. The bucket fails naming every missing requirement (the JSON evidence lists them under missing), and is unknown when a requirement could not be judged (a setting not read, a key not in the inventory, trails not collected, or on an inventory from templates or plans no declared trail recording its data events). A tag value that is not one of the four tiers is reported as not applicable with the value named.',
    rationale:
      'Classification is only useful if it changes what is enforced. A bucket its owner marked restricted holds the data regulators ask about first (PHI under HIPAA 164.312(a)(2)(iv) and 164.312(b), special categories under GDPR Art. 32, NIST SC-28 and AU-2): encryption under a key you control, recoverable versions, and a record of every object read or written. Checking the tier against the settings turns the label into evidence, and catches the restricted dataset copied into a bucket configured like a scratch space.',
    remediation: {
      console: [
        'Tag each bucket that holds classified data with aigis:data-class = public, internal, confidential or restricted (S3 console, the bucket, Properties, Tags).',
        'confidential and restricted: Properties, Default encryption, Edit, SSE-KMS with a customer managed key, Bucket Key on, Save.',
        'restricted: Properties, Bucket Versioning, Edit, Enable, Save; then in the CloudTrail console add S3 data events for the bucket (all read and write events) to a multi-region trail that is logging.',
      ],
      cli: [
        'aws s3api put-bucket-tagging --bucket <BUCKET> --tagging \'TagSet=[{Key=aigis:data-class,Value=restricted}]\'',
        'aws s3api put-bucket-encryption --bucket <BUCKET> --server-side-encryption-configuration \\',
        '  \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<KEY_ARN>"},"BucketKeyEnabled":true}]}\'',
        'aws s3api put-bucket-versioning --bucket <BUCKET> --versioning-configuration Status=Enabled',
        'aws cloudtrail put-event-selectors --trail-name <TRAIL> --advanced-event-selectors \\',
        '  \'[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::<BUCKET>/"]}]}]\'',
      ].join('\n'),
      cloudformation: [
        'PatientRecords:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    Tags:',
        '      - Key: aigis:data-class',
        '        Value: restricted',
        '    BucketEncryption:',
        '      ServerSideEncryptionConfiguration:',
        '        - ServerSideEncryptionByDefault:',
        '            SSEAlgorithm: aws:kms',
        '            KMSMasterKeyID: !GetAtt DataKey.Arn',
        '          BucketKeyEnabled: true',
        '    VersioningConfiguration:',
        '      Status: Enabled',
        '# and a trail whose AdvancedEventSelectors record AWS::S3::Object with',
        '# resources.ARN StartsWith !Sub "${PatientRecords.Arn}/"',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket" "patient_records" {',
        '  bucket = "acme-patient-records"',
        '  tags   = { "aigis:data-class" = "restricted" }',
        '}',
        'resource "aws_s3_bucket_server_side_encryption_configuration" "patient_records" {',
        '  bucket = aws_s3_bucket.patient_records.id',
        '  rule {',
        '    apply_server_side_encryption_by_default {',
        '      sse_algorithm     = "aws:kms"',
        '      kms_master_key_id = aws_kms_key.data.arn',
        '    }',
        '    bucket_key_enabled = true',
        '  }',
        '}',
        'resource "aws_s3_bucket_versioning" "patient_records" {',
        '  bucket = aws_s3_bucket.patient_records.id',
        '  versioning_configuration { status = "Enabled" }',
        '}',
        '# and an aws_cloudtrail advanced_event_selector recording AWS::S3::Object',
        '# with resources.ARN starts_with "arn:aws:s3:::acme-patient-records/"',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/whitepapers/latest/data-classification/data-classification-overview.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
    ],
  },

  *evaluate(context) {
    const s3 = context.inventory.s3;
    if (!s3) {
      yield sectionUnknown(context, 's3', 'The S3 inventory');
      return;
    }
    for (const bucket of s3.buckets) {
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const raw = bucket.tags?.[DATA_CLASS_TAG];
      const dataClass = dataClassOf(bucket.tags);
      if (bucket.tags === undefined && context.index.errorsFor('s3', { resource: bucket.arn, operations: ['GetBucketTagging'] }).length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell the data class of bucket ${bucket.name}: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketTagging'] }, 'its tags')}.`,
        };
        continue;
      }
      if (!dataClass || REQUIREMENTS[dataClass].length === 0) {
        yield {
          verdict: 'not_applicable',
          resource,
          message: dataClass
            ? `Bucket ${bucket.name} is classified ${dataClass} (${DATA_CLASS_TAG}); that tier adds no requirement beyond the rules every bucket gets.`
            : raw !== undefined
              ? `Bucket ${bucket.name} has ${DATA_CLASS_TAG} = "${raw}", which is not one of the tiers public, internal, confidential, restricted, so no tier requirement applies.`
              : `Bucket ${bucket.name} has no ${DATA_CLASS_TAG} tag.`,
          evidence: { dataClass: dataClass ?? null },
        };
        continue;
      }
      const required = REQUIREMENTS[dataClass];
      const checks = required.map((r): [Requirement, BucketCheck] => [r, check(context, bucket, r)]);
      const missing = checks.filter(([, c]) => c.missing);
      const unread = checks.filter(([, c]) => c.unread);
      const evidence = {
        dataClass,
        requirements: [...required],
        missing: missing.map(([r]) => r),
        unread: unread.map(([r]) => r),
      };
      const label = `Bucket ${bucket.name}, classified ${dataClass}`;
      if (missing.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `${label}, lacks what its tier requires: ${missing.map(([r, c]) => `${REQUIREMENT_NAMES[r]} (${c.missing})`).join('; ')}.${unread.length ? ` Not judged: ${unread.map(([r, c]) => `${REQUIREMENT_NAMES[r]} (${c.unread})`).join('; ')}.` : ''}`,
          evidence,
          property: missing[0]![0] === 'cmk-encryption' ? 'BucketEncryption' : missing[0]![0] === 'versioning' ? 'VersioningConfiguration' : undefined,
        };
      } else if (unread.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `${label}: cannot judge ${unread.map(([r, c]) => `${REQUIREMENT_NAMES[r]} (${c.unread})`).join('; ')}.${checks.some(([, c]) => c.ok) ? ` It ${checks.flatMap(([, c]) => (c.ok ? [c.ok] : [])).join(', ')}.` : ''}`,
          evidence,
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `${label}, has what its tier requires: it ${checks.map(([, c]) => c.ok).join(', ')}.`,
          evidence,
        };
      }
    }
  },
});

function check(context: RuleContext, bucket: S3Bucket, requirement: Requirement): BucketCheck {
  switch (requirement) {
    case 'cmk-encryption':
      return cmkEncryptionCheck(context, bucket);
    case 'versioning':
      return versioningCheck(context, bucket);
    case 'cloudtrail-data-events': {
      const partition = bucket.arn.split(':')[1] ?? context.index.partition;
      const judgement = judgeDataEvents(context, s3ObjectTarget(partition, bucket.name), bucket.region);
      if (judgement.state === 'covered') return { ok: `has its S3 data events recorded (${judgement.detail})` };
      if (judgement.state === 'undecided') return { unread: judgement.detail };
      return { missing: judgement.detail };
    }
  }
}
