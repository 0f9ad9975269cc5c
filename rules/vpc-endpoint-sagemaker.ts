import { defineRule, type RuleContext } from '../src/engine/types.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { judgeEndpointCoverage } from '../src/engine/endpoint-coverage.js';
import { describeErrors } from '../src/engine/inventory-index.js';

export default defineRule({
  meta: {
    id: 'vpc-endpoint-sagemaker',
    title: 'Regions that use SageMaker have interface VPC endpoints (PrivateLink) for its API and runtime',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::EC2::VPCEndpoint', 'AWS::::Account'],
    description:
      'In each scanned Region where the inventory holds SageMaker resources, an available interface VPC endpoint for com.amazonaws.<region>.sagemaker.api (or its FIPS variant) must exist; where the Region hosts models, endpoint configurations or Studio domains, one for sagemaker.runtime too (inference calls and VpcOnly Studio need it). Regions without SageMaker resources are not applicable. The verdict is given per Region on the synthetic resource arn:<partition>:sagemaker:<region>:<account>:vpc-endpoint. Endpoints not collected, or SageMaker usage not known, make the Region unknown.',
    rationale:
      'Notebooks, pipelines and applications call the SageMaker API and InvokeEndpoint with training data, features and inference payloads. Without PrivateLink those calls need a NAT or internet gateway and leave the VPC, and VpcOnly Studio domains and network-isolated workloads cannot reach SageMaker at all. Interface endpoints keep the traffic private, carry endpoint policies, and enable aws:SourceVpce conditions (NIST SC-7, HIPAA 164.312(e)(1), SOC 2 CC6.6).',
    remediation: {
      console: [
        'Open the VPC console, Endpoints, Create endpoint, category "AWS services".',
        'Create com.amazonaws.<region>.sagemaker.api and com.amazonaws.<region>.sagemaker.runtime in the workload VPC, in private subnets of at least two AZs, with a security group allowing HTTPS from notebooks and applications.',
        'Keep "Enable DNS name" on, and add a gateway endpoint for S3 so jobs reach training data privately too.',
      ],
      cli: [
        'for svc in sagemaker.api sagemaker.runtime; do',
        '  aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <VPC_ID> \\',
        '    --service-name com.amazonaws.<REGION>.$svc --subnet-ids <SUBNET_A> <SUBNET_B> \\',
        '    --security-group-ids <SG_ID> --private-dns-enabled',
        'done',
      ].join('\n'),
      cloudformation: [
        'SageMakerApiEndpoint:',
        '  Type: AWS::EC2::VPCEndpoint',
        '  Properties:',
        '    VpcEndpointType: Interface',
        "    ServiceName: !Sub 'com.amazonaws.${AWS::Region}.sagemaker.api'",
        '    VpcId: !Ref Vpc',
        '    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]',
        '    SecurityGroupIds: [!Ref EndpointSecurityGroup]',
        '    PrivateDnsEnabled: true',
        'SageMakerRuntimeEndpoint:',
        '  Type: AWS::EC2::VPCEndpoint',
        '  Properties:',
        '    VpcEndpointType: Interface',
        "    ServiceName: !Sub 'com.amazonaws.${AWS::Region}.sagemaker.runtime'",
        '    VpcId: !Ref Vpc',
        '    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]',
        '    SecurityGroupIds: [!Ref EndpointSecurityGroup]',
        '    PrivateDnsEnabled: true',
      ].join('\n'),
      terraform: [
        'resource "aws_vpc_endpoint" "sagemaker" {',
        '  for_each            = toset(["sagemaker.api", "sagemaker.runtime"])',
        '  vpc_id              = aws_vpc.ml.id',
        '  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"',
        '  vpc_endpoint_type   = "Interface"',
        '  subnet_ids          = aws_subnet.private[*].id',
        '  security_group_ids  = [aws_security_group.endpoints.id]',
        '  private_dns_enabled = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/studio-interface-endpoint.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    const footprint = new Map<string, string[]>();
    const inference = new Set<string>();
    const note = (region: string, what: string, serves = false) => {
      const list = footprint.get(region);
      if (list) list.push(what);
      else footprint.set(region, [what]);
      if (serves) inference.add(region);
    };
    for (const n of sagemaker?.notebookInstances ?? []) note(n.region, `notebook instance ${n.name}`);
    for (const d of sagemaker?.domains ?? []) note(d.region, `domain ${d.name}`, true);
    for (const m of sagemaker?.models ?? []) note(m.region, `model ${m.name}`, true);
    for (const c of sagemaker?.endpointConfigs ?? []) note(c.region, `endpoint configuration ${c.name}`, true);
    for (const j of sagemaker?.trainingJobs ?? []) note(j.region, `training job ${j.name}`);
    for (const j of sagemaker?.processingJobs ?? []) note(j.region, `processing job ${j.name}`);
    const regions = [...new Set([...context.inventory.regions, ...footprint.keys()])].sort();
    if (regions.length === 0) {
      if (!context.inventory.ec2) yield sectionUnknown(context, 'ec2', 'The VPC endpoint inventory');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:sagemaker:${region}:${context.index.accountId}:vpc-endpoint`,
        'AWS::::Account',
        region,
        `SageMaker VPC endpoints (${region})`,
      );
      const required = ['sagemaker.api', ...(inference.has(region) ? ['sagemaker.runtime'] : [])];
      yield judgeEndpointCoverage({
        context,
        region,
        resource,
        label: 'SageMaker',
        required,
        used: footprint.get(region) ?? [],
        footprintKey: 'sageMakerFootprint',
        usageUnknown: usageUnknown(context, region),
        failMessage: (usedSummary, missingText) => `${region} has SageMaker resources (${usedSummary}) but no available interface VPC endpoint for ${missingText}: SageMaker calls leave the VPC through the public endpoint.`,
        notApplicableMessage: `No SageMaker resources were found in ${region}.`,
      });
    }
  },
});

/** Why SageMaker usage in the region cannot be ruled out, or undefined when the inventory is complete. */
function usageUnknown(context: RuleContext, region: string): string | undefined {
  if (!context.inventory.sagemaker) return 'the SageMaker inventory was not collected';
  const errors = context.index.errorsFor('sagemaker', { region }).filter((e) => e.resource === undefined);
  return errors.length ? `SageMaker resources could not all be listed (${describeErrors(errors)})` : undefined;
}

