import { defineRule } from '../src/engine/types.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';

/** Analyzer types that report external (cross-account and public) access. */
const EXTERNAL_ACCESS = new Set(['ACCOUNT', 'ORGANIZATION']);

export default defineRule({
  meta: {
    id: 'access-analyzer-enabled',
    title: 'IAM Access Analyzer has an active external access analyzer in every Region',
    severity: 'medium',
    service: 'accessanalyzer',
    resourceTypes: ['AWS::AccessAnalyzer::Analyzer'],
    description:
      'In each scanned Region an IAM Access Analyzer external access analyzer (zone of trust ACCOUNT or ORGANIZATION) must exist with status ACTIVE. Unused-access analyzers do not count: they do not report resources shared outside the account. The verdict is given per Region on the synthetic resource arn:<partition>:access-analyzer:<region>:<account>:analyzer. Analyzers are Regional, and an organization analyzer created in the management or delegated administrator account is not visible from a member account: scan that account for it. A Region whose analyzers could not be listed is unknown.',
    rationale:
      'Access Analyzer continuously proves which S3 buckets, KMS keys, IAM roles, Lambda functions and secrets can be reached from outside the account, including through policy conditions that static review misses. For AI workloads it is the early warning when a training data bucket, a model artifact key or a SageMaker execution role is shared with an external account or the public (NIST AC-6/CA-7, SOC 2 CC7.1, HIPAA 164.308(a)(1)(ii)(D)).',
    remediation: {
      console: [
        'Open the IAM console in the Region, Access analyzer, Analyzer settings, Create analyzer.',
        'Choose "External access analysis", zone of trust "Current account" (or "Current organization" from the management or delegated administrator account), and Create analyzer.',
        'Repeat in every Region you use, and review active findings.',
      ],
      cli: 'aws accessanalyzer create-analyzer --region <REGION> --analyzer-name account-external-access --type ACCOUNT',
      cloudformation: [
        'ExternalAccessAnalyzer:',
        '  Type: AWS::AccessAnalyzer::Analyzer',
        '  Properties:',
        '    AnalyzerName: account-external-access',
        '    Type: ACCOUNT',
      ].join('\n'),
      terraform: [
        'resource "aws_accessanalyzer_analyzer" "external_access" {',
        '  analyzer_name = "account-external-access"',
        '  type          = "ACCOUNT"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.accessAnalyzer;
    const regions = [...new Set([...context.inventory.regions, ...(section?.analyzers ?? []).map((a) => a.region)])].sort();
    if (regions.length === 0) {
      if (!section) yield sectionUnknown(context, 'accessanalyzer', 'The IAM Access Analyzer inventory');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:access-analyzer:${region}:${context.index.accountId}:analyzer`,
        'AWS::AccessAnalyzer::Analyzer',
        region,
        `IAM Access Analyzer (${region})`,
      );
      const errors = context.index.errorsFor('accessanalyzer', { region, operations: ['ListAnalyzers'] });
      if (!section || errors.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether ${region} has an external access analyzer: analyzers ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}.`,
        };
        continue;
      }
      const analyzers = section.analyzers.filter((a) => a.region === region);
      const external = analyzers.filter((a) => EXTERNAL_ACCESS.has(a.type));
      const evidence = { analyzers: analyzers.map((a) => ({ name: a.name, type: a.type, status: a.status ?? null })) };
      const active = external.filter((a) => a.status === 'ACTIVE');
      if (active.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `${region} has active external access analyzer ${active.map((a) => `${a.name} (${a.type})`).join(', ')}.`,
          evidence,
        };
      } else if (external.some((a) => a.status === undefined)) {
        yield {
          verdict: 'unknown',
          resource,
          message: `${region} has external access analyzer ${external.map((a) => a.name).join(', ')}, but its status was not collected.`,
          evidence,
        };
      } else if (external.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `No external access analyzer is active in ${region}: ${external.map((a) => `${a.name} is ${a.status}`).join(', ')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: analyzers.length
            ? `${region} has no external access analyzer (only ${analyzers.map((a) => `${a.name} of type ${a.type}`).join(', ')}): access from outside the account is not analyzed.`
            : `${region} has no IAM Access Analyzer analyzer: access to resources from outside the account is not analyzed.`,
          evidence,
        };
      }
    }
  },
});
