import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'securityhub-enabled',
    title: 'Security Hub is enabled in every Region',
    severity: 'low',
    service: 'securityhub',
    resourceTypes: ['AWS::SecurityHub::Hub'],
    description:
      'In each scanned Region the account must be subscribed to AWS Security Hub. The verdict is given per Region on the Region\'s hub ARN arn:<partition>:securityhub:<region>:<account>:hub/default; a Region whose status could not be read is unknown.',
    rationale:
      'Security Hub runs the continuous configuration checks (AWS Foundational Security Best Practices, CIS, NIST 800-53) and aggregates GuardDuty, Macie, Inspector and Access Analyzer findings for the Region. Without it, drift in AI workloads between scans (a bucket made public, a notebook opened to the internet) is not detected, which is the continuous monitoring that NIST CA-7, SOC 2 CC7.1 and HIPAA 164.308(a)(8) evaluation rely on.',
    remediation: {
      console: [
        'Open the Security Hub console in the Region and choose Go to Security Hub, then Enable Security Hub with the default standards.',
        'For an organization, use central configuration from the delegated administrator to enable it in all accounts and Regions, and set a home Region for cross-Region aggregation.',
      ],
      cli: 'aws securityhub enable-security-hub --region <REGION> --enable-default-standards',
      cloudformation: [
        'SecurityHub:',
        '  Type: AWS::SecurityHub::Hub',
        '  Properties:',
        '    EnableDefaultStandards: true',
        '    ControlFindingGenerator: SECURITY_CONTROL',
        '    AutoEnableControls: true',
      ].join('\n'),
      terraform: [
        'resource "aws_securityhub_account" "this" {',
        '  enable_default_standards  = true',
        '  control_finding_generator = "SECURITY_CONTROL"',
        '  auto_enable_controls      = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-enable.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html',
    ],
  },

  *evaluate(context) {
    const list = context.inventory.detective?.securityHub;
    const entries = new Map((list ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...context.inventory.regions, ...entries.keys()])].sort();
    if (regions.length === 0) {
      if (!list) yield sectionUnknown(context, 'securityhub', 'The Security Hub status');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:securityhub:${region}:${context.index.accountId}:hub/default`,
        'AWS::SecurityHub::Hub',
        region,
        `Security Hub (${region})`,
      );
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether Security Hub is enabled in ${region}: ${missingReason(context, 'securityhub', { region }, 'the hub status')}.`,
        };
      } else if (entry.enabled) {
        yield { verdict: 'pass', resource, message: `Security Hub is enabled in ${region}.`, evidence: { enabled: true, hubArn: entry.hubArn ?? null } };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `Security Hub is not enabled in ${region}: no continuous security checks or finding aggregation run there.`,
          evidence: { enabled: false },
        };
      }
    }
  },
});
