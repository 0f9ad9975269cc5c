/**
 * EC2 in a Terraform plan: VPC endpoints (type, policy), and VPCs, subnets and security groups,
 * which only get an identity (so that references to their ids resolve).
 */
import { compact } from '../iac/draft.js';
import { UNKNOWN } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { IdentityContext, MapperTable } from './context.js';

/** An id with the type's prefix (`vpce-`, `vpc-`, ...), in the ARN of its kind. */
function ec2Identity({ resource, given, set, partition: p, region: r, accountId: a, seed }: IdentityContext): void {
  const prefix = { aws_vpc_endpoint: 'vpce-', aws_vpc: 'vpc-', aws_subnet: 'subnet-', aws_security_group: 'sg-' }[resource.type]!;
  const id = given('id') ?? syntheticHexId(prefix, seed);
  const kind = { aws_vpc_endpoint: 'vpc-endpoint', aws_vpc: 'vpc', aws_subnet: 'subnet', aws_security_group: 'security-group' }[resource.type]!;
  set(id, given('arn') ?? `arn:${p}:ec2:${r}:${a}:${kind}/${id}`, { id });
}

export const ec2Mappers: MapperTable = {
  aws_vpc_endpoint: {
    identity: ec2Identity,
    map(ctx) {
      const { str, bool, base, finish } = ctx;
      const id = ctx.resource.identity;
      const policy = ctx.policy('policy', 'PolicyDocument');
      const endpoint = compact({
        ...base({ vpc_id: 'VpcId', service_name: 'ServiceName', vpc_endpoint_type: 'VpcEndpointType', policy: 'PolicyDocument', private_dns_enabled: 'PrivateDnsEnabled' }),
        id: id.name,
        vpcId: str('vpc_id', 'VpcId') ?? '<unresolved: VpcId>',
        serviceName: str('service_name', 'ServiceName') ?? '<unresolved: ServiceName>',
        type: ctx.oneOf(['vpc_endpoint_type'], str('vpc_endpoint_type', 'VpcEndpointType') ?? 'Gateway', ['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork'] as const),
        privateDnsEnabled: bool('private_dns_enabled', 'PrivateDnsEnabled', false),
        policy: policy === UNKNOWN ? undefined : policy ?? null,
      });
      ctx.draft.vpcEndpoints.push(finish(endpoint));
    },
  },
  aws_vpc: { identity: ec2Identity },
  aws_subnet: { identity: ec2Identity },
  aws_security_group: { identity: ec2Identity },
};
