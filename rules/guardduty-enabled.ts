import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'guardduty-enabled',
    title: 'GuardDuty is enabled in every Region',
    severity: 'medium',
    service: 'guardduty',
    resourceTypes: ['AWS::GuardDuty::Detector'],
    description:
      'In each scanned Region the account must have a GuardDuty detector whose status is ENABLED. No detector, or only suspended (DISABLED) detectors, fail. The verdict is given per Region on the synthetic resource arn:<partition>:guardduty:<region>:<account>:detector; a Region whose detectors could not be read is unknown.',
    rationale:
      'GuardDuty is the threat detection layer over CloudTrail, VPC flow logs, DNS and S3 data events: it flags stolen credentials used to call Bedrock or SageMaker from unusual places, crypto-mining on training instances, and anomalous reads of training data buckets. Regions without it are blind spots an attacker can use, which matters for the security incident procedures of HIPAA 164.308(a)(6), NIST SI-4 and GDPR Art. 33 breach notification.',
    remediation: {
      console: [
        'Open the GuardDuty console in the Region and choose Get started, then Enable GuardDuty.',
        'For an organization, designate a delegated administrator and turn on auto-enable for all member accounts and Regions.',
        'Enable the S3 Protection and Runtime Monitoring protection plans for data and training instances.',
      ],
      cli: [
        'aws guardduty create-detector --region <REGION> --enable --finding-publishing-frequency FIFTEEN_MINUTES',
        '# re-enable a suspended detector:',
        'aws guardduty update-detector --region <REGION> --detector-id <DETECTOR_ID> --enable',
      ].join('\n'),
      cloudformation: [
        'Detector:',
        '  Type: AWS::GuardDuty::Detector',
        '  Properties:',
        '    Enable: true',
        '    FindingPublishingFrequency: FIFTEEN_MINUTES',
        '    Features:',
        '      - Name: S3_DATA_EVENTS',
        '        Status: ENABLED',
      ].join('\n'),
      terraform: [
        'resource "aws_guardduty_detector" "this" {',
        '  enable                       = true',
        '  finding_publishing_frequency = "FIFTEEN_MINUTES"',
        '}',
        'resource "aws_guardduty_detector_feature" "s3" {',
        '  detector_id = aws_guardduty_detector.this.id',
        '  name        = "S3_DATA_EVENTS"',
        '  status      = "ENABLED"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-1',
    ],
  },

  *evaluate(context) {
    const list = context.inventory.detective?.guardDuty;
    const entries = new Map((list ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...context.inventory.regions, ...entries.keys()])].sort();
    if (regions.length === 0) {
      if (!list) yield sectionUnknown(context, 'guardduty', 'The GuardDuty status');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:guardduty:${region}:${context.index.accountId}:detector`,
        'AWS::GuardDuty::Detector',
        region,
        `GuardDuty (${region})`,
      );
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether GuardDuty is enabled in ${region}: ${missingReason(context, 'guardduty', { region }, 'the detector list')}.`,
        };
        continue;
      }
      const evidence = { detectors: entry.detectors };
      const enabled = entry.detectors.filter((d) => d.status === 'ENABLED');
      if (enabled.length) {
        yield { verdict: 'pass', resource, message: `GuardDuty detector ${enabled.map((d) => d.id).join(', ')} is enabled in ${region}.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: entry.detectors.length
            ? `GuardDuty is suspended in ${region}: detector ${entry.detectors.map((d) => d.id).join(', ')} is disabled.`
            : `GuardDuty is not enabled in ${region}: the Region has no detector.`,
          evidence,
          property: 'Enable',
        };
      }
    }
  },
});
