import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-domain-vpc-only',
    title: 'SageMaker domains send Studio traffic through the VPC only',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Domain'],
    description:
      'Each SageMaker AI domain (Studio) must use the VpcOnly app network access type, so that Studio apps reach the internet and AWS services only through the domain\'s VPC subnets. PublicInternetOnly (the default) fails.',
    rationale:
      'In PublicInternetOnly mode Studio notebooks get direct internet access through a SageMaker-managed network the account cannot see or filter: a user or a compromised package can upload training data anywhere, bypassing VPC endpoints, egress filtering, endpoint policies and flow logs. VpcOnly puts Studio behind the boundary controls the rest of the workload relies on (NIST SC-7, SOC 2 CC6.6).',
    remediation: {
      console: [
        'Create VPC interface endpoints for sagemaker.api, sagemaker.runtime, sts and a gateway endpoint for S3 in the domain VPC (or a NAT gateway if internet egress is needed).',
        'Delete all apps and spaces of the domain (the setting can only be changed while no apps run).',
        'Open the domain in the SageMaker AI console, Domain settings, Network, Edit, and choose "VPC only" with private subnets and a security group; Save.',
      ],
      cli: [
        'aws sagemaker update-domain --domain-id <DOMAIN_ID> --app-network-access-type VpcOnly \\',
        '  --subnet-ids subnet-0aaa subnet-0bbb --default-user-settings \'{"SecurityGroups":["sg-0123"]}\'',
      ].join('\n'),
      cloudformation: [
        'StudioDomain:',
        '  Type: AWS::SageMaker::Domain',
        '  Properties:',
        '    DomainName: ml-studio',
        '    AuthMode: IAM',
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
        '  auth_mode               = "IAM"',
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
      'https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-and-internet-access.html',
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
      const evidence = { appNetworkAccessType: domain.appNetworkAccessType ?? null, vpcId: domain.vpcId ?? null };
      if (domain.appNetworkAccessType === 'VpcOnly') {
        yield { verdict: 'pass', resource, message: `Domain ${domain.name} is VPC only${domain.vpcId ? ` (${domain.vpcId})` : ''}.`, evidence };
      } else if (domain.appNetworkAccessType === 'PublicInternetOnly') {
        yield {
          verdict: 'fail',
          resource,
          message: `Domain ${domain.name} uses PublicInternetOnly: Studio apps have direct internet access outside the VPC.`,
          evidence,
          property: 'AppNetworkAccessType',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell how domain ${domain.name} reaches the network: ${missingReason(context, 'sagemaker', { resource: domain.arn, operations: ['DescribeDomain'] }, 'the app network access type')}.`,
          evidence,
        };
      }
    }
  },
});
