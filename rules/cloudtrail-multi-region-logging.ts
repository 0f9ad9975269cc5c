import { defineRule, type RuleResult } from '../src/engine/types.js';
import { accountRef, missingReason, partialScopeReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import type { CloudTrail } from '../src/inventory/schema.js';

type Coverage = { read: boolean; write: boolean } | undefined;

export default defineRule({
  meta: {
    id: 'cloudtrail-multi-region-logging',
    title: 'A multi-region CloudTrail trail logs all management events',
    severity: 'high',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail', 'AWS::::Account'],
    description:
      'The account needs at least one multi-region trail that is logging and records both read and write management events (classic or advanced event selectors). Each trail also gets its own verdict; the account-level verdict passes when one trail qualifies.',
    rationale:
      'CloudTrail is the audit record of who invoked which model, changed which guardrail or read which key. A trail limited to one region misses activity in every other region (including Bedrock calls there), and a trail that is stopped or excludes read events leaves InvokeModel and GetObject unaudited.',
    remediation: {
      console: [
        'Open the CloudTrail console, Trails, and choose your trail (or Create trail).',
        'Under General details, enable "Multi-region trail" (new trails are multi-region by default).',
        'Under Management events, select both Read and Write API activity.',
        'Make sure the trail status shows Logging (choose Start logging if it is stopped).',
      ],
      cli: [
        'aws cloudtrail update-trail --name <TRAIL> --is-multi-region-trail',
        "aws cloudtrail put-event-selectors --trail-name <TRAIL> --event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'",
        'aws cloudtrail start-logging --name <TRAIL>',
      ].join('\n'),
      cloudformation: [
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    EnableLogFileValidation: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    EventSelectors:',
        '      - ReadWriteType: All',
        '        IncludeManagementEvents: true',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "audit" {',
        '  name                          = "audit"',
        '  s3_bucket_name                = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail         = true',
        '  include_global_service_events = true',
        '  enable_logging                = true',
        '  enable_log_file_validation    = true',
        '  event_selector {',
        '    read_write_type           = "All"',
        '    include_management_events = true',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.cloudtrail;
    if (!section) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    const perTrail: RuleResult[] = section.trails.map((trail) => judgeTrail(context, trail));
    yield* perTrail;

    const account = accountRef(context);
    const qualifying = perTrail.filter((r) => r.verdict === 'pass').map((r) => r.resource.arn);
    const undecided = perTrail.filter((r) => r.verdict === 'unknown').map((r) => r.resource.arn);
    const listingErrors = context.index.errorsFor('cloudtrail').filter((e) => e.resource === undefined);
    if (qualifying.length) {
      yield {
        verdict: 'pass',
        resource: account,
        message: `The account has ${qualifying.length} multi-region trail${qualifying.length > 1 ? 's' : ''} logging read and write management events: ${qualifying.join(', ')}.`,
        evidence: { qualifyingTrails: qualifying },
      };
    } else if (undecided.length || listingErrors.length) {
      yield {
        verdict: 'unknown',
        resource: account,
        message: listingErrors.length
          ? `Trails could not all be listed (${describeErrors(listingErrors)}); no qualifying trail was found among those read.`
          : `No trail is known to qualify; ${undecided.length} trail${undecided.length > 1 ? 's' : ''} could not be fully read: ${undecided.join(', ')}.`,
        evidence: { undecidedTrails: undecided, collectionErrors: listingErrors },
      };
    } else if (partialScopeReason(context)) {
      yield {
        verdict: 'unknown',
        resource: account,
        message: `No qualifying trail is among the ${section.trails.length} trail${section.trails.length === 1 ? '' : 's'} read, but ${partialScopeReason(context)}.`,
        evidence: { trails: section.trails.map((t) => t.arn) },
      };
    } else {
      yield {
        verdict: 'fail',
        resource: account,
        message: section.trails.length
          ? `None of the account's ${section.trails.length} trail${section.trails.length > 1 ? 's' : ''} is a logging multi-region trail recording read and write management events.`
          : 'The account has no CloudTrail trail.',
        evidence: { trails: section.trails.map((t) => t.arn) },
      };
    }
  },
});

function judgeTrail(context: Parameters<typeof sectionUnknown>[0], trail: CloudTrail): RuleResult {
  const resource = resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.homeRegion, trail.name, trail.source);
  const coverage = managementCoverage(trail);
  const evidence = {
    isMultiRegionTrail: trail.isMultiRegionTrail,
    isOrganizationTrail: trail.isOrganizationTrail,
    isLogging: trail.isLogging ?? null,
    managementEvents: coverage ?? null,
  };
  const problems: string[] = [];
  if (!trail.isMultiRegionTrail) problems.push(`it records only its home region ${trail.homeRegion}`);
  if (trail.isLogging === false) problems.push('logging is stopped');
  if (coverage && !coverage.read && !coverage.write) problems.push('it records no management events');
  else if (coverage && !coverage.read) problems.push('it records write but not read management events');
  else if (coverage && !coverage.write) problems.push('it records read but not write management events');
  if (problems.length) {
    return { verdict: 'fail', resource, message: `Trail ${trail.name} does not qualify: ${problems.join('; ')}.`, evidence, property: problems[0]?.startsWith('it records only') ? 'IsMultiRegionTrail' : problems[0] === 'logging is stopped' ? 'IsLogging' : 'EventSelectors' };
  }
  const missing: string[] = [];
  if (trail.isLogging === undefined) {
    missing.push(missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['GetTrailStatus'] }, 'the logging status'));
  }
  if (coverage === undefined) {
    missing.push(missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['GetEventSelectors'] }, 'the event selectors'));
  }
  if (missing.length) {
    return { verdict: 'unknown', resource, message: `Trail ${trail.name} is multi-region, but ${missing.join(' and ')}.`, evidence };
  }
  return {
    verdict: 'pass',
    resource,
    message: `Trail ${trail.name} is multi-region, logging, and records read and write management events.`,
    evidence,
  };
}

/** Which management events the trail records, from classic or advanced selectors; undefined if not read. */
function managementCoverage(trail: CloudTrail): Coverage {
  if (trail.advancedEventSelectors) {
    const coverage = { read: false, write: false };
    for (const selector of trail.advancedEventSelectors) {
      const category = selector.fieldSelectors.find((f) => f.field === 'eventCategory');
      if (!category?.equals?.includes('Management')) continue;
      const readOnly = selector.fieldSelectors.find((f) => f.field === 'readOnly');
      const values = readOnly?.equals;
      if (!readOnly || !values) {
        coverage.read = true;
        coverage.write = true;
      } else {
        if (values.includes('true')) coverage.read = true;
        if (values.includes('false')) coverage.write = true;
      }
    }
    return coverage;
  }
  if (trail.eventSelectors) {
    const coverage = { read: false, write: false };
    for (const selector of trail.eventSelectors) {
      if (!selector.includeManagementEvents) continue;
      if (selector.readWriteType !== 'WriteOnly') coverage.read = true;
      if (selector.readWriteType !== 'ReadOnly') coverage.write = true;
    }
    return coverage;
  }
  return undefined;
}
