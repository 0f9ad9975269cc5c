import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 's3-access-logging',
    title: 'S3 buckets have server access logging enabled',
    severity: 'low',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'Each bucket must have S3 server access logging configured with a target bucket. A bucket that logs into itself passes but is called out in the message, because every log delivery then writes a new object into the logged bucket.',
    rationale:
      'Server access logs record every request against training data and model artifacts, including requests that CloudTrail data events do not capture by default (anonymous and denied requests, object-level reads when data events are off). They are the per-object access record an auditor asks for when personal data or ePHI sits in a training set (HIPAA 164.312(b), NIST AU-2/AU-12, GDPR Art. 30).',
    remediation: {
      console: [
        'Create (or pick) a dedicated log bucket in the same Region and account, with Block Public Access on and no access logging of its own.',
        'Open the source bucket in the S3 console, Properties tab, Server access logging, Edit.',
        'Choose Enable, select the log bucket and a prefix such as s3-access/<bucket>/, and Save changes.',
      ],
      cli: [
        'aws s3api put-bucket-logging --bucket <BUCKET> --bucket-logging-status \\',
        '  \'{"LoggingEnabled":{"TargetBucket":"<LOG_BUCKET>","TargetPrefix":"s3-access/<BUCKET>/"}}\'',
      ].join('\n'),
      cloudformation: [
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    LoggingConfiguration:',
        '      DestinationBucketName: !Ref AccessLogBucket',
        '      LogFilePrefix: s3-access/training-data/',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_logging" "training_data" {',
        '  bucket        = aws_s3_bucket.training_data.id',
        '  target_bucket = aws_s3_bucket.access_logs.id',
        '  target_prefix = "s3-access/training-data/"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    ],
  },

  *evaluate(context) {
    const s3 = context.inventory.s3;
    if (!s3) {
      yield sectionUnknown(context, 's3', 'The S3 inventory');
      return;
    }
    // Log buckets are the usual failures; say so, since they are logged into another bucket (or accepted).
    const logTargets = new Map<string, number>();
    for (const b of s3.buckets) {
      if (b.logging && b.logging.targetBucket !== b.name) logTargets.set(b.logging.targetBucket, (logTargets.get(b.logging.targetBucket) ?? 0) + 1);
    }
    for (const bucket of s3.buckets) {
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const logging = bucket.logging;
      if (logging === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether bucket ${bucket.name} has access logging: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketLogging'] }, 'the logging configuration')}.`,
        };
      } else if (logging === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `Server access logging is not enabled on bucket ${bucket.name}.${logTargets.has(bucket.name) ? ` It receives the access logs of ${logTargets.get(bucket.name)} other bucket${logTargets.get(bucket.name)! > 1 ? 's' : ''}: log it into a separate bucket (not into itself), or suppress this finding with a reason.` : ''}`,
          evidence: { logging: null },
          property: 'LoggingConfiguration',
        };
      } else {
        const target = `s3://${logging.targetBucket}/${logging.targetPrefix ?? ''}`;
        yield {
          verdict: 'pass',
          resource,
          message:
            logging.targetBucket === bucket.name
              ? `Server access logs of bucket ${bucket.name} are delivered to ${target}, the bucket itself; a separate log bucket avoids mixing logs with data.`
              : `Server access logs of bucket ${bucket.name} are delivered to ${target}.`,
          evidence: { targetBucket: logging.targetBucket, targetPrefix: logging.targetPrefix ?? null },
        };
      }
    }
  },
});
