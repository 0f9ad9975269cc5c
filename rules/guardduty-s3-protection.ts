import { defineRule } from '../src/engine/types.js';
import { missingReason, partialScopeReason, pushTo, resourceRef } from '../src/engine/rule-kit.js';
import type { S3Bucket } from '../src/inventory/schema.js';

/** A bucket ARN (no object path). */
const BUCKET_ARN = /^arn:[a-z-]+:s3:::([^/]+)$/;
/** GuardDuty's feature name for S3 Protection (S3 data event monitoring). */
const S3_PROTECTION = 'S3_DATA_EVENTS';

export default defineRule({
  meta: {
    id: 'guardduty-s3-protection',
    title: 'GuardDuty S3 Protection is on in every Region that holds AI data buckets',
    severity: 'medium',
    service: 'guardduty',
    resourceTypes: ['AWS::GuardDuty::Detector'],
    aiControl: true,
    description:
      'For each Region where a bucket of the AI asset graph (training, validation and output data, model artifacts, knowledge base sources, invocation logs, buckets tagged aigis:ai-workload) is in the inventory, an enabled GuardDuty detector of the Region must have the S3_DATA_EVENTS feature (S3 Protection) ENABLED, read from GetDetector Features or, for detectors that answer only the legacy DataSources, from S3Logs. A Region whose detector is missing or suspended fails (guardduty-enabled reports the detector itself); a Region whose detectors or features were not read is unknown, and so is a Region without a detector on an inventory from templates or plans (the account may have one the code does not declare). Runtime Monitoring, EKS and the other protection plans are listed in the evidence but not required. AI buckets that are not in the inventory (another account) are not judged here.',
    rationale:
      'GuardDuty without S3 Protection reads only management events: the bulk download of a training set, access from a known malicious IP or Tor, or a disabled block-public-access setting followed by reads, all happen in S3 data events it does not then analyse. The guidance names GuardDuty as the threat detection layer for AI workloads (unusual API patterns, compromised credentials, data exfiltration); for the data that trains and grounds models, that detection is S3 Protection. Evidence for NIST SI-4 (system monitoring), SOC 2 CC7.2 and HIPAA 164.308(a)(1)(ii)(D) and (a)(6)(ii).',
    remediation: {
      console: [
        'Open the GuardDuty console in the Region the rule names, choose Protection plans, S3 Protection, Edit, Enable, Save.',
        'In an AWS Organization, enable it from the delegated administrator for all member accounts (Auto-enable for all accounts).',
      ],
      cli: [
        'DETECTOR=$(aws guardduty list-detectors --region <REGION> --query "DetectorIds[0]" --output text)',
        'aws guardduty update-detector --region <REGION> --detector-id "$DETECTOR" --features \'[{"Name":"S3_DATA_EVENTS","Status":"ENABLED"}]\'',
      ].join('\n'),
      cloudformation: [
        'Detector:',
        '  Type: AWS::GuardDuty::Detector',
        '  Properties:',
        '    Enable: true',
        '    Features:',
        '      - Name: S3_DATA_EVENTS',
        '        Status: ENABLED',
      ].join('\n'),
      terraform: [
        'resource "aws_guardduty_detector" "main" {',
        '  enable = true',
        '}',
        'resource "aws_guardduty_detector_feature" "s3" {',
        '  detector_id = aws_guardduty_detector.main.id',
        '  name        = "S3_DATA_EVENTS"',
        '  status      = "ENABLED"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/guardduty/latest/ug/s3-protection.html',
      'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetDetector.html',
    ],
  },

  *evaluate(context) {
    const buckets = new Map<string, S3Bucket>((context.inventory.s3?.buckets ?? []).map((b) => [b.arn, b]));
    /** Region -> the AI buckets in it. */
    const byRegion = new Map<string, string[]>();
    for (const arn of [...context.ai.members.keys()].filter((id) => BUCKET_ARN.test(id)).sort()) {
      const bucket = buckets.get(arn);
      if (!bucket || bucket.region === 'unknown') continue;
      pushTo(byRegion, bucket.region, bucket.name);
    }
    const entries = new Map((context.inventory.detective?.guardDuty ?? []).map((e) => [e.region, e]));
    for (const region of [...byRegion.keys()].sort()) {
      const names = byRegion.get(region)!;
      const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      const subject = `AI data bucket${names.length === 1 ? '' : 's'} ${shown}`;
      const resource = resourceRef(`arn:${context.index.partition}:guardduty:${region}:${context.index.accountId}:detector`, 'AWS::GuardDuty::Detector', region, `GuardDuty (${region})`);
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether GuardDuty S3 Protection watches ${subject} in ${region}: ${missingReason(context, 'guardduty', { region }, 'the detector list')}.`,
          evidence: { buckets: names },
        };
        continue;
      }
      const enabled = entry.detectors.filter((d) => d.status === 'ENABLED');
      if (!enabled.length) {
        const partial = partialScopeReason(context);
        if (partial && !entry.detectors.length) {
          yield { verdict: 'unknown', resource, message: `No GuardDuty detector is declared in ${region}, where ${subject} live, but ${partial}.`, evidence: { buckets: names } };
          continue;
        }
        yield {
          verdict: 'fail',
          resource,
          message: `GuardDuty is ${entry.detectors.length ? 'suspended' : 'not enabled'} in ${region}, so nothing watches S3 data events of ${subject}.`,
          evidence: { buckets: names, detectors: entry.detectors.map((d) => ({ id: d.id, status: d.status })) },
          property: 'Enable',
        };
        continue;
      }
      const withFeatures = enabled.filter((d) => d.features !== undefined);
      const protecting = withFeatures.filter((d) => d.features!.some((f) => f.name === S3_PROTECTION && f.status === 'ENABLED'));
      const evidence = {
        buckets: names,
        detectors: enabled.map((d) => ({ id: d.id, features: d.features?.map((f) => `${f.name}=${f.status}`) ?? null })),
      };
      if (protecting.length) {
        yield { verdict: 'pass', resource, message: `GuardDuty S3 Protection is enabled on detector ${protecting.map((d) => d.id).join(', ')} in ${region}, which watches ${subject}.`, evidence };
      } else if (withFeatures.length < enabled.length) {
        const unread = enabled.filter((d) => d.features === undefined).map((d) => d.id);
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether GuardDuty S3 Protection watches ${subject} in ${region}: ${missingReason(context, 'guardduty', { region, operations: ['GetDetector'] }, `the protection plans of detector ${unread.join(', ')}`)}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `GuardDuty S3 Protection (S3_DATA_EVENTS) is off on detector ${enabled.map((d) => d.id).join(', ')} in ${region}: reads and writes of ${subject} are not analysed for threats.`,
          evidence,
          property: 'Features',
        };
      }
    }
  },
});
