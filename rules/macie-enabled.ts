import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'macie-enabled',
    title: 'Amazon Macie is enabled in every Region',
    severity: 'low',
    service: 'macie2',
    resourceTypes: ['AWS::Macie::Session'],
    description:
      'In each scanned Region the account must have Amazon Macie enabled (status ENABLED). A paused or disabled Macie fails. The verdict is given per Region on the synthetic resource arn:<partition>:macie2:<region>:<account>:session; a Region whose status could not be read is unknown. Whether discovery jobs cover the training data buckets is not checked.',
    rationale:
      'Training sets and fine-tuning corpora are assembled from many sources and routinely end up holding personal data, credentials or health information nobody intended to include. Macie\'s automated sensitive data discovery finds PII in S3 before it is used for training (after which it cannot be removed from a model), and keeps an inventory of where sensitive data lives: the information-location and data-classification evidence of NIST CM-12, SOC 2 C1.1 and GDPR Art. 30/32.',
    remediation: {
      console: [
        'Open the Amazon Macie console in the Region and choose Get started, then Enable Macie.',
        'Turn on automated sensitive data discovery, or create a sensitive data discovery job scoped to the training data buckets.',
        'For an organization, designate a delegated administrator and enable Macie for member accounts.',
      ],
      cli: [
        'aws macie2 enable-macie --region <REGION> --finding-publishing-frequency FIFTEEN_MINUTES --status ENABLED',
        '# resume a paused Macie:',
        'aws macie2 update-macie-session --region <REGION> --status ENABLED',
        'aws macie2 update-automated-discovery-configuration --region <REGION> --status ENABLED',
      ].join('\n'),
      cloudformation: [
        'MacieSession:',
        '  Type: AWS::Macie::Session',
        '  Properties:',
        '    Status: ENABLED',
        '    FindingPublishingFrequency: FIFTEEN_MINUTES',
      ].join('\n'),
      terraform: [
        'resource "aws_macie2_account" "this" {',
        '  finding_publishing_frequency = "FIFTEEN_MINUTES"',
        '  status                       = "ENABLED"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/macie/latest/user/getting-started.html',
      'https://docs.aws.amazon.com/macie/latest/user/discovery-asdd.html',
    ],
  },

  *evaluate(context) {
    const list = context.inventory.detective?.macie;
    const entries = new Map((list ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...context.inventory.regions, ...entries.keys()])].sort();
    if (regions.length === 0) {
      if (!list) yield sectionUnknown(context, 'macie2', 'The Macie status');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:macie2:${region}:${context.index.accountId}:session`,
        'AWS::Macie::Session',
        region,
        `Macie (${region})`,
      );
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether Macie is enabled in ${region}: ${missingReason(context, 'macie2', { region }, 'the Macie status')}.`,
        };
      } else if (entry.status === 'ENABLED') {
        yield { verdict: 'pass', resource, message: `Macie is enabled in ${region}.`, evidence: { status: entry.status } };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: entry.status === 'PAUSED'
            ? `Macie is paused in ${region}: no sensitive data discovery runs on S3 data there.`
            : `Macie is not enabled in ${region}: sensitive data in S3 (training sets included) is not discovered there.`,
          evidence: { status: entry.status },
          property: 'Status',
        };
      }
    }
  },
});
