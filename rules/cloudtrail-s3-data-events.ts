import { defineRule } from '../src/engine/types.js';
import { describeMembership } from '../src/engine/ai-graph.js';
import { resourceRef } from '../src/engine/rule-kit.js';
import { judgeDataEvents, s3ObjectTarget } from '../src/engine/trail-coverage.js';
import type { S3Bucket } from '../src/inventory/schema.js';

/** A bucket ARN (no object path): the only S3 members of the AI asset graph this rule judges. */
const BUCKET_ARN = /^arn:[a-z-]+:s3:::([^/]+)$/;

export default defineRule({
  meta: {
    id: 'cloudtrail-s3-data-events',
    title: 'CloudTrail records S3 data events (reads and writes) for every bucket that serves AI workloads',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::S3::Bucket'],
    aiControl: true,
    description:
      'Every S3 bucket of the AI asset graph (training data, model artifacts, invocation logs, buckets tagged aigis:ai-workload=true or listed in the config) must have its object-level data events recorded, both read (GetObject) and write (PutObject, DeleteObject), by at least one trail that is logging and is multi-region or has its home in the bucket\'s Region. Classic selectors count with DataResources type AWS::S3::Object and a value of arn:aws:s3 (every bucket), arn:aws:s3::: or the bucket\'s ARN with or without the trailing slash, with ReadWriteType All, or ReadOnly and WriteOnly in two selectors. Advanced selectors count with eventCategory Data and resources.type AWS::S3::Object, no readOnly restriction (or one selector per value), and a resources.ARN condition that keeps every object of the bucket (StartsWith arn:aws:s3:::bucket/ or a shorter prefix); read and write may come from different trails. A prefix (arn:aws:s3:::bucket/training/, or a NotStartsWith / NotEquals / NotEndsWith exclusion inside the bucket, or a filter on eventName, userIdentity.arn and the like) records only part of the objects: that fails, naming the prefix, because reads of the other objects leave no trace; suppress the finding with a reason when the prefix is the whole dataset. A bucket is unknown when the trails were not collected, when the only trail that could record it has unread selectors or an unread logging status, and, on an inventory from templates or plans, when no declared trail covers it (a trail elsewhere in the account may).',
    rationale:
      'Management events show who changed a bucket; only data events show who read the training data, replaced a model artifact or deleted an invocation log. Without them an investigation of a data leak or a poisoned model has no record of object access, and the access evidence HIPAA 164.312(b) (audit controls), NIST AU-2/AU-12 and SOC 2 CC7.2 ask for is missing for the data that trains and feeds the models. Server access logs are best-effort and not delivered through CloudTrail\'s integrity controls.',
    remediation: {
      console: [
        'Open the CloudTrail console, Trails, and choose a multi-region trail that is logging.',
        'Under Data events choose Edit, add the data event type S3, and choose the log selector template "Log all events" for the AI buckets (or a custom selector with resources.ARN StartsWith arn:aws:s3:::<BUCKET>/).',
        'Keep both read and write events (do not restrict readOnly), and Save changes.',
      ],
      cli: [
        'aws cloudtrail put-event-selectors --trail-name <TRAIL> --advanced-event-selectors \\',
        '  \'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},\'',
        '\'   {"Name":"AI bucket objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},\'',
        '\'     {"Field":"resources.ARN","StartsWith":["arn:aws:s3:::<TRAINING_BUCKET>/","arn:aws:s3:::<ARTIFACT_BUCKET>/"]}]}]\'',
      ].join('\n'),
      cloudformation: [
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    AdvancedEventSelectors:',
        '      - Name: Management events',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Management]',
        '      - Name: AI bucket objects',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Data]',
        '          - Field: resources.type',
        '            Equals: [AWS::S3::Object]',
        '          - Field: resources.ARN',
        '            StartsWith:',
        '              - !Sub "${TrainingData.Arn}/"',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "audit" {',
        '  name                  = "audit"',
        '  s3_bucket_name        = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail = true',
        '  advanced_event_selector {',
        '    name = "Management events"',
        '    field_selector {',
        '      field  = "eventCategory"',
        '      equals = ["Management"]',
        '    }',
        '  }',
        '  advanced_event_selector {',
        '    name = "AI bucket objects"',
        '    field_selector {',
        '      field  = "eventCategory"',
        '      equals = ["Data"]',
        '    }',
        '    field_selector {',
        '      field  = "resources.type"',
        '      equals = ["AWS::S3::Object"]',
        '    }',
        '    field_selector {',
        '      field       = "resources.ARN"',
        '      starts_with = ["arn:aws:s3:::${aws_s3_bucket.training_data.bucket}/"]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html',
    ],
  },

  *evaluate(context) {
    const buckets = new Map<string, S3Bucket>((context.inventory.s3?.buckets ?? []).map((b) => [b.arn, b]));
    const aiBuckets = [...context.ai.members.keys()].filter((id) => BUCKET_ARN.test(id)).sort();
    for (const arn of aiBuckets) {
      const name = BUCKET_ARN.exec(arn)![1]!;
      const bucket = buckets.get(arn);
      const partition = arn.split(':')[1]!;
      const resource = bucket
        ? resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source)
        : resourceRef(arn, 'AWS::S3::Bucket', context.ai.members.get(arn)?.find((m) => m.workload)?.workload?.region ?? 'global', name);
      const why = describeMembership(context.ai, arn).join('; ');
      const judgement = judgeDataEvents(context, s3ObjectTarget(partition, name), bucket?.region);
      const summary = judgement.summary;
      const evidence = {
        region: bucket?.region ?? null,
        readRecordedBy: summary?.readBy ?? [],
        writeRecordedBy: summary?.writeBy ?? [],
        partial: summary?.partial ?? [],
        stoppedTrails: summary?.stopped ?? [],
        undecidedTrails: summary?.undecided.map((u) => ({ trail: u.trail.arn, missing: u.reason })) ?? [],
      };
      const subject = `Bucket ${name} (${why})`;
      if (judgement.state === 'covered') {
        yield { verdict: 'pass', resource, message: `${subject}: ${judgement.detail}.`, evidence };
      } else if (judgement.state === 'undecided' || !bucket) {
        // A bucket outside the inventory is usually another account's (a log archive): its own trails may record it.
        const detail = bucket
          ? judgement.detail
          : `${judgement.detail}, but the bucket is not in the inventory (another account, such as a log archive, whose trails may record its data events, or it was not read)`;
        yield { verdict: 'unknown', resource, message: `Cannot tell whether S3 data events of ${subject.charAt(0).toLowerCase()}${subject.slice(1)} are recorded: ${detail}.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `S3 data events of ${subject.charAt(0).toLowerCase()}${subject.slice(1)} are ${judgement.state === 'partial' ? 'only partly recorded' : 'not recorded'}: ${judgement.detail}.`,
          evidence,
        };
      }
    }
  },
});
