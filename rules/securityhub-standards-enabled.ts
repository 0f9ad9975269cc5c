import { defineRule } from '../src/engine/types.js';
import { missingReason, partialScopeReason, resourceRef } from '../src/engine/rule-kit.js';

/** The AWS AI Security Best Practices standard, by the name in its ARN (standards/...ai-security-best-practices/v/...). */
const AI_STANDARD = /[/:](?:aws-)?ai-security-best-practices\//i;
/** Subscriptions that are not (or no longer) evaluating controls. */
const INACTIVE = new Set(['FAILED', 'DELETING']);

/** The standard's name and version from its ARN: `aws-foundational-security-best-practices v1.0.0`. */
function standardName(arn: string): string {
  const m = /(?:standards|ruleset)\/([^/]+)\/v\/([^/]+)$/.exec(arn);
  return m ? `${m[1]} v${m[2]}` : arn;
}

export default defineRule({
  meta: {
    id: 'securityhub-standards-enabled',
    title: 'Security Hub has at least one security standard enabled',
    severity: 'low',
    service: 'securityhub',
    resourceTypes: ['AWS::SecurityHub::Hub', 'AWS::SecurityHub::Standard'],
    description:
      'In every Region where Security Hub is enabled, GetEnabledStandards must list at least one standard subscription whose status is not FAILED or DELETING (READY, PENDING or INCOMPLETE): AWS Foundational Security Best Practices, CIS, NIST SP 800-53, PCI DSS or another. Whether the AWS AI Security Best Practices standard is among them (recognised by "ai-security-best-practices" in its ARN) is stated in the message and evidence but not required. A Region where Security Hub is off is not applicable (securityhub-enabled fails it); a Region whose standards were not read is unknown, as is a hub declared in a template or plan with no declared standard (EnableDefaultStandards and subscriptions made outside the code are not known).',
    rationale:
      'Security Hub without a standard aggregates other services\' findings but runs no control checks of its own: the continuous evaluation of configuration against best practice that the guidance expects from the security posture layer (Security Hub aggregating Macie, GuardDuty and Inspector findings, with automated response) is missing. The AWS AI Security Best Practices standard adds controls for Bedrock and SageMaker. Evidence for NIST CA-7 (continuous monitoring) and RA-5, SOC 2 CC7.1 and HIPAA 164.308(a)(8).',
    remediation: {
      console: [
        'Open the Security Hub console in the Region the rule names, choose Security standards.',
        'Enable AWS Foundational Security Best Practices, and the AI Security Best Practices standard where it is offered; add CIS or NIST SP 800-53 as your compliance programme requires.',
      ],
      cli: [
        'aws securityhub batch-enable-standards --region <REGION> --standards-subscription-requests \\',
        '  StandardsArn=arn:aws:securityhub:<REGION>::standards/aws-foundational-security-best-practices/v/1.0.0',
        'aws securityhub describe-standards --region <REGION>   # lists the other standards and their ARNs',
      ].join('\n'),
      cloudformation: [
        'FoundationalStandard:',
        '  Type: AWS::SecurityHub::Standard',
        '  Properties:',
        '    StandardsArn: !Sub arn:${AWS::Partition}:securityhub:${AWS::Region}::standards/aws-foundational-security-best-practices/v/1.0.0',
      ].join('\n'),
      terraform: [
        'resource "aws_securityhub_standards_subscription" "fsbp" {',
        '  depends_on    = [aws_securityhub_account.main]',
        '  standards_arn = "arn:aws:securityhub:${data.aws_region.current.name}::standards/aws-foundational-security-best-practices/v/1.0.0"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html',
      'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html',
    ],
  },

  *evaluate(context) {
    const hubs = new Map((context.inventory.detective?.securityHub ?? []).map((h) => [h.region, h]));
    const regions = [...new Set([...context.inventory.regions, ...hubs.keys()])].sort();
    for (const region of regions) {
      const hub = hubs.get(region);
      const arn = hub?.hubArn ?? `arn:${context.index.partition}:securityhub:${region}:${context.index.accountId}:hub/default`;
      const resource = resourceRef(arn, 'AWS::SecurityHub::Hub', region, `Security Hub (${region})`);
      if (!hub) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell which standards Security Hub runs in ${region}: ${missingReason(context, 'securityhub', { region }, 'the Security Hub status')}.`,
        };
        continue;
      }
      if (!hub.enabled) {
        yield { verdict: 'not_applicable', resource, message: `Security Hub is not enabled in ${region} (securityhub-enabled reports it), so it has no standards to run.` };
        continue;
      }
      const standards = hub.standards;
      if (standards === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell which standards Security Hub runs in ${region}: ${missingReason(context, 'securityhub', { region, operations: ['GetEnabledStandards'] }, 'its enabled standards')}.`,
        };
        continue;
      }
      const active = standards.filter((s) => !INACTIVE.has(s.status ?? ''));
      const ai = active.filter((s) => AI_STANDARD.test(s.arn));
      const evidence = {
        standards: standards.map((s) => ({ arn: s.arn, status: s.status ?? null })),
        aiSecurityBestPractices: ai.length > 0,
      };
      if (active.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `Security Hub in ${region} runs ${active.map((s) => standardName(s.arn)).join(', ')}; ${ai.length ? 'the AI Security Best Practices standard is on' : 'the AI Security Best Practices standard is not among them'}.`,
          evidence,
        };
        continue;
      }
      const partial = partialScopeReason(context);
      if (partial && standards.length === 0) {
        yield { verdict: 'unknown', resource, message: `No Security Hub standard is declared in ${region}, but ${partial} (a hub created with EnableDefaultStandards gets AWS's default standards).`, evidence };
        continue;
      }
      yield {
        verdict: 'fail',
        resource,
        message: standards.length
          ? `Security Hub in ${region} has no working standard: ${standards.map((s) => `${standardName(s.arn)} is ${s.status}`).join(', ')}.`
          : `Security Hub is enabled in ${region} but runs no security standard: it aggregates findings without checking any control.`,
        evidence,
      };
    }
  },
});
