import { defineRule } from '../src/engine/types.js';
import { accountRef } from '../src/engine/rule-kit.js';
import { SINGLE_ACCOUNT_REASON } from '../src/engine/organization-policies.js';

/** The services, with the service principals Organizations records for their delegated administrator. */
const SERVICES: { name: string; principals: string[] }[] = [
  { name: 'GuardDuty', principals: ['guardduty.amazonaws.com'] },
  { name: 'Security Hub', principals: ['securityhub.amazonaws.com'] },
  { name: 'Macie', principals: ['macie.amazonaws.com'] },
  { name: 'AWS Config', principals: ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'] },
];

export default defineRule({
  meta: {
    id: 'org-security-services-delegated-admin',
    title: 'GuardDuty, Security Hub, Macie and Config are administered for the whole organization',
    severity: 'medium',
    service: 'organizations',
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only, one verdict per account of the organization (on its account root): the organization must have a delegated administrator registered in AWS Organizations for each of GuardDuty (guardduty.amazonaws.com), Security Hub (securityhub.amazonaws.com), Macie (macie.amazonaws.com) and AWS Config (config.amazonaws.com or config-multiaccountsetup.amazonaws.com). Pass when all four have one; fail naming the services without one; unknown when the delegated administrators were not collected. Only the registration is checked: whether the administrator auto-enables the service in this account is read from the account itself by guardduty-enabled, securityhub-enabled, macie-enabled and config-recorder-enabled. In a single-account scan the verdict is unknown: delegated administrators are read from the management account (run aigis scan --org).',
    rationale:
      'Detection that each account team switches on for itself leaves gaps exactly where new AI accounts are created. A delegated administrator enables GuardDuty, Security Hub, Macie and Config in every member account, aggregates their findings in one security account that workload teams cannot turn off, and keeps the management account out of daily operations (NIST CA-7, SI-4; HIPAA 164.308(a)(1)(ii)(D); SOC 2 CC7.2).',
    remediation: {
      console: [
        'In each service console of the management account (GuardDuty, Security Hub, Macie, Config), open Settings and designate your security tooling account as the delegated administrator.',
        'In the delegated administrator account, turn on auto-enable for all member accounts (and new accounts).',
      ],
      cli: [
        'aws guardduty enable-organization-admin-account --admin-account-id <SECURITY_ACCOUNT_ID>',
        'aws securityhub enable-organization-admin-account --admin-account-id <SECURITY_ACCOUNT_ID>',
        'aws macie2 enable-organization-admin-account --admin-account-id <SECURITY_ACCOUNT_ID>',
        'aws organizations register-delegated-administrator --account-id <SECURITY_ACCOUNT_ID> --service-principal config.amazonaws.com',
      ].join('\n'),
      cloudformation: [
        '# Delegated administrators are registered with the service APIs or Organizations, not with a resource type.',
        '# The Security Hub administrator has one (run in the management account):',
        'SecurityHubAdmin:',
        '  Type: AWS::SecurityHub::DelegatedAdmin',
        '  Properties:',
        '    AdminAccountId: <SECURITY_ACCOUNT_ID>',
      ].join('\n'),
      terraform: [
        'resource "aws_guardduty_organization_admin_account" "this" { admin_account_id = "<SECURITY_ACCOUNT_ID>" }',
        'resource "aws_securityhub_organization_admin_account" "this" { admin_account_id = "<SECURITY_ACCOUNT_ID>" }',
        'resource "aws_macie2_organization_admin_account" "this" { admin_account_id = "<SECURITY_ACCOUNT_ID>" }',
        'resource "aws_organizations_delegated_administrator" "config" {',
        '  account_id        = "<SECURITY_ACCOUNT_ID>"',
        '  service_principal = "config.amazonaws.com"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html',
      'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html',
    ],
  },

  *evaluate(context) {
    const organization = context.organization;
    const resource = accountRef(context);
    if (!organization) {
      yield { verdict: 'unknown', resource, message: `The organization's delegated administrators are not known in a single-account scan: ${SINGLE_ACCOUNT_REASON.replace('SCPs are', 'they are')}.` };
      return;
    }
    const admins = organization.delegatedAdministrators;
    if (!admins) {
      yield { verdict: 'unknown', resource, message: `The delegated administrators of organization ${organization.organizationId} were not collected, so this cannot be evaluated for account ${organization.accountId}.` };
      return;
    }
    const found = SERVICES.map((service) => ({
      service: service.name,
      administrators: [...new Set(admins.filter((a) => a.services.some((s) => service.principals.includes(s))).map((a) => a.accountId))].sort(),
    }));
    const missing = found.filter((f) => f.administrators.length === 0).map((f) => f.service);
    const evidence = { organizationId: organization.organizationId, delegatedAdministrators: found };
    if (missing.length) {
      yield {
        verdict: 'fail',
        resource,
        message: `Organization ${organization.organizationId} has no delegated administrator for ${missing.join(', ')}, so ${missing.length === 1 ? 'it is' : 'they are'} not managed for every account from one security account.`,
        evidence,
        property: 'DelegatedAdministrators',
      };
      return;
    }
    yield {
      verdict: 'pass',
      resource,
      message: `Organization ${organization.organizationId} administers ${found.map((f) => `${f.service} from ${f.administrators.join(', ')}`).join('; ')}.`,
      evidence,
    };
  },
});
