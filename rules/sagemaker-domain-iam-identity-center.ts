import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-domain-iam-identity-center',
    title: 'SageMaker domains authenticate Studio users with IAM Identity Center',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Domain'],
    description:
      'Each SageMaker AI domain (Studio) must use IAM Identity Center authentication (AuthMode SSO), so that each Studio user signs in as their own workforce identity. A domain in IAM mode fails; one whose auth mode was not read is unknown. The auth mode is chosen when the domain is created and cannot be changed: moving to Identity Center means creating a new domain.',
    rationale:
      'In IAM mode anyone who can call sagemaker:CreatePresignedDomainUrl on a user profile opens Studio as that profile, so who used a notebook is known only through the IAM principal that created the URL, often a shared role. With IAM Identity Center, users sign in with the organization\'s identity provider (MFA, joiner/leaver processes, session limits), are assigned to the domain individually or by group, and each Studio session is attributed to a person. This is the unique user identification and authentication HIPAA 164.312(a)(2)(i) and 164.312(d), NIST IA-2 and AC-2 and SOC 2 CC6.1/CC6.2 ask for.',
    remediation: {
      console: [
        'Enable IAM Identity Center in the organization (or account) and connect your identity provider.',
        'In the SageMaker AI console create a new domain with "Set up for organizations", choosing "AWS IAM Identity Center" as the authentication method, and assign users or groups to it.',
        'Move users\' work (the home directories on the domain EFS volume or spaces) to the new domain, then delete the apps, spaces, user profiles and the old IAM-mode domain.',
      ],
      cli: [
        'aws sagemaker create-domain --domain-name ml-studio --auth-mode SSO \\',
        '  --app-network-access-type VpcOnly --vpc-id <VPC_ID> --subnet-ids subnet-0aaa subnet-0bbb \\',
        '  --default-user-settings \'{"ExecutionRole":"arn:aws:iam::<ACCOUNT_ID>:role/StudioExecution","SecurityGroups":["sg-0123"]}\'',
      ].join('\n'),
      cloudformation: [
        'StudioDomain:',
        '  Type: AWS::SageMaker::Domain',
        '  Properties:',
        '    DomainName: ml-studio',
        '    AuthMode: SSO',
        '    AppNetworkAccessType: VpcOnly',
        '    VpcId: !Ref Vpc',
        '    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]',
        '    DefaultUserSettings:',
        '      ExecutionRole: !GetAtt StudioRole.Arn',
        '      SecurityGroups: [!Ref StudioSecurityGroup]',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_domain" "studio" {',
        '  domain_name             = "ml-studio"',
        '  auth_mode               = "SSO"',
        '  app_network_access_type = "VpcOnly"',
        '  vpc_id                  = aws_vpc.ml.id',
        '  subnet_ids              = aws_subnet.private[*].id',
        '  default_user_settings {',
        '    execution_role  = aws_iam_role.studio.arn',
        '    security_groups = [aws_security_group.studio.id]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/onboard-sso-users.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/gs-studio-onboard.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html#sagemaker-CreateDomain-request-AuthMode',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    for (const domain of sagemaker.domains) {
      const resource = resourceRef(domain.arn, 'AWS::SageMaker::Domain', domain.region, domain.name, domain.source);
      const evidence = { authMode: domain.authMode ?? null };
      if (domain.authMode === 'SSO') {
        yield { verdict: 'pass', resource, message: `Domain ${domain.name} authenticates Studio users with IAM Identity Center.`, evidence };
      } else if (domain.authMode === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell how domain ${domain.name} authenticates users: ${missingReason(context, 'sagemaker', { resource: domain.arn, operations: ['DescribeDomain'] }, 'the auth mode')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: domain.authMode === 'IAM'
            ? `Domain ${domain.name} uses IAM authentication: Studio sessions are opened through presigned URLs by IAM principals, not by individual workforce identities (the auth mode is fixed at creation; a new SSO domain is needed).`
            : `Domain ${domain.name} uses auth mode ${domain.authMode}, not IAM Identity Center (SSO).`,
          evidence,
          property: 'AuthMode',
        };
      }
    }
  },
});
