import { defineRule, type RuleContext } from '../src/engine/types.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { judgeEndpointCoverage } from '../src/engine/endpoint-coverage.js';
import { describeErrors } from '../src/engine/inventory-index.js';

export default defineRule({
  meta: {
    id: 'vpc-endpoint-bedrock',
    title: 'Regions that use Bedrock have interface VPC endpoints (PrivateLink) for it',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::EC2::VPCEndpoint', 'AWS::::Account'],
    description:
      'In each scanned Region where the inventory shows Bedrock in use (guardrails, agents, custom models, or invocation logging configured), an interface VPC endpoint for com.amazonaws.<region>.bedrock-runtime (or its FIPS variant) must exist and be available; where the Region has Bedrock agents, one for bedrock-agent-runtime too. Regions with no Bedrock footprint are not applicable (plain InvokeModel calls leave no trace in the inventory: configure invocation logging and the Region counts as used). The verdict is given per Region on the synthetic resource arn:<partition>:bedrock:<region>:<account>:vpc-endpoint. Endpoints not collected, or Bedrock usage not known, make the Region unknown.',
    rationale:
      'Without a PrivateLink endpoint, prompts, completions and the data sent to models leave the VPC through a NAT or internet gateway to the public Bedrock endpoint. An interface endpoint keeps that traffic on the AWS network, lets the VPC run without internet egress, and carries an endpoint policy that can restrict which models and principals are reachable, and it gives the aws:SourceVpce condition to lock model access to the VPC (NIST SC-7, HIPAA 164.312(e)(1), SOC 2 CC6.6).',
    remediation: {
      console: [
        'Open the VPC console, Endpoints, Create endpoint, category "AWS services".',
        'Select com.amazonaws.<region>.bedrock-runtime (and bedrock-agent-runtime if you use agents), the VPC of the workload, private subnets in at least two AZs and a security group allowing HTTPS from the workload.',
        'Keep "Enable DNS name" on so SDK calls resolve to the endpoint, add an endpoint policy limited to the approved models, and Create endpoint.',
      ],
      cli: [
        'aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <VPC_ID> \\',
        '  --service-name com.amazonaws.<REGION>.bedrock-runtime --subnet-ids <SUBNET_A> <SUBNET_B> \\',
        '  --security-group-ids <SG_ID> --private-dns-enabled',
      ].join('\n'),
      cloudformation: [
        'BedrockRuntimeEndpoint:',
        '  Type: AWS::EC2::VPCEndpoint',
        '  Properties:',
        '    VpcEndpointType: Interface',
        "    ServiceName: !Sub 'com.amazonaws.${AWS::Region}.bedrock-runtime'",
        '    VpcId: !Ref Vpc',
        '    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]',
        '    SecurityGroupIds: [!Ref EndpointSecurityGroup]',
        '    PrivateDnsEnabled: true',
      ].join('\n'),
      terraform: [
        'resource "aws_vpc_endpoint" "bedrock_runtime" {',
        '  vpc_id              = aws_vpc.ml.id',
        '  service_name        = "com.amazonaws.${data.aws_region.current.name}.bedrock-runtime"',
        '  vpc_endpoint_type   = "Interface"',
        '  subnet_ids          = aws_subnet.private[*].id',
        '  security_group_ids  = [aws_security_group.endpoints.id]',
        '  private_dns_enabled = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html',
      'https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    const footprint = new Map<string, string[]>();
    const note = (region: string, what: string) => {
      const list = footprint.get(region);
      if (list) list.push(what);
      else footprint.set(region, [what]);
    };
    for (const g of bedrock?.guardrails ?? []) note(g.region, `guardrail ${g.name}`);
    for (const a of bedrock?.agents ?? []) note(a.region, `agent ${a.name}`);
    for (const m of bedrock?.customModels ?? []) note(m.region, `custom model ${m.name}`);
    for (const l of bedrock?.invocationLogging ?? []) if (l.config) note(l.region, 'invocation logging');
    const regions = [...new Set([...context.inventory.regions, ...footprint.keys()])].sort();
    if (regions.length === 0) {
      if (!context.inventory.ec2) yield sectionUnknown(context, 'ec2', 'The VPC endpoint inventory');
      return;
    }
    const agentRegions = new Set((bedrock?.agents ?? []).map((a) => a.region));
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:bedrock:${region}:${context.index.accountId}:vpc-endpoint`,
        'AWS::::Account',
        region,
        `Bedrock VPC endpoints (${region})`,
      );
      const required = ['bedrock-runtime', ...(agentRegions.has(region) ? ['bedrock-agent-runtime'] : [])];
      yield judgeEndpointCoverage({
        context,
        region,
        resource,
        label: 'Bedrock',
        required,
        used: footprint.get(region) ?? [],
        footprintKey: 'bedrockFootprint',
        usageUnknown: usageUnknown(context, region),
        failMessage: (usedSummary, missingText) => `${region} uses Bedrock (${usedSummary}) but has no available interface VPC endpoint for ${missingText}: those calls leave the VPC through the public endpoint.`,
        notApplicableMessage: `No Bedrock guardrails, agents, custom models or invocation logging were found in ${region}.`,
      });
    }
  },
});

/** Why Bedrock usage in the region cannot be ruled out, or undefined when the inventory is complete. */
function usageUnknown(context: RuleContext, region: string): string | undefined {
  if (!context.inventory.bedrock) return 'the Bedrock inventory was not collected';
  const errors = [
    ...context.index.errorsFor('bedrock', { region }),
    ...context.index.errorsFor('bedrock-agent', { region }),
  ].filter((e) => e.resource === undefined);
  return errors.length ? `Bedrock resources could not all be listed (${describeErrors(errors)})` : undefined;
}

