/**
 * EC2 in a Terraform plan: VPC endpoints (type, policy) and subnets (mapped); route tables, routes,
 * route table associations (subnet and main) and internet gateways, recorded in the draft's
 * network facts, which say at the end whether each subnet is public; VPCs and security groups,
 * which only get an identity (so that references to their ids resolve).
 */
import { compact } from '../iac/draft.js';
import { UNKNOWN, type Read } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { AttrPath, IdentityContext, MapContext, MapperTable } from './context.js';

const PREFIX: Record<string, string> = {
  aws_vpc_endpoint: 'vpce-',
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_security_group: 'sg-',
  aws_route_table: 'rtb-',
  aws_default_route_table: 'rtb-',
  aws_internet_gateway: 'igw-',
};
const KIND: Record<string, string> = {
  aws_vpc_endpoint: 'vpc-endpoint',
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_security_group: 'security-group',
  aws_route_table: 'route-table',
  aws_default_route_table: 'route-table',
  aws_internet_gateway: 'internet-gateway',
};

/** An id with the type's prefix (`vpce-`, `vpc-`, ...), in the ARN of its kind. */
function ec2Identity({ resource, given, set, partition: p, region: r, accountId: a, seed }: IdentityContext): void {
  const id = given('id') ?? syntheticHexId(PREFIX[resource.type]!, seed);
  set(id, given('arn') ?? `arn:${p}:ec2:${r}:${a}:${KIND[resource.type]!}/${id}`, { id });
}

/** The inline `route` blocks of a route table: each one's destination and gateway. */
function inlineRoutes(ctx: MapContext, tableId: string): void {
  const network = ctx.draft.network;
  if (ctx.isUnknown(['route']) && !Array.isArray(ctx.resource.values.route)) {
    // The whole route set is known only after apply.
    if (ctx.configured('route')) network.addRoute(tableId, UNKNOWN, UNKNOWN);
    return;
  }
  const routes = ctx.blocks(ctx.resource.values.route, [...ctx.resource.jsonPath, 'values', 'route']);
  routes.forEach((_route, i) => {
    network.addRoute(tableId, destinationOf(ctx, ['route', i], ['cidr_block', 'ipv6_cidr_block'], 'destination_prefix_list_id'), ctx.readStr(['route', i, 'gateway_id'], `Route[${i}].GatewayId`));
  });
}

/** A route's destination: a CIDR block, `prefix-list` (never a default route), or UNKNOWN. */
function destinationOf(ctx: MapContext, at: AttrPath, cidrs: string[], prefixList: string): Read<string> {
  for (const attribute of cidrs) {
    const value = ctx.readStr([...at, attribute], 'DestinationCidrBlock');
    if (value !== undefined && value !== '') return value;
  }
  const list = ctx.readStr([...at, prefixList], 'DestinationPrefixListId');
  return list !== undefined && list !== '' ? 'prefix-list' : UNKNOWN;
}

/** '' (Terraform's unset string) reads as absent. */
function present(value: Read<string>): Read<string> {
  return value === '' ? undefined : value;
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
  aws_subnet: {
    identity: ec2Identity,
    map(ctx) {
      const { str, bool, base, finish } = ctx;
      const subnet = compact({
        ...base({ vpc_id: 'VpcId', map_public_ip_on_launch: 'MapPublicIpOnLaunch' }),
        id: ctx.resource.identity.name,
        vpcId: str('vpc_id', 'VpcId') ?? '<unresolved: VpcId>',
        mapPublicIpOnLaunch: bool('map_public_ip_on_launch', 'MapPublicIpOnLaunch', false),
      });
      ctx.draft.subnets.push(finish(subnet));
    },
  },
  aws_security_group: { identity: ec2Identity },
  aws_internet_gateway: { identity: ec2Identity },
  aws_route_table: {
    identity: ec2Identity,
    map(ctx) {
      const id = ctx.resource.identity.name;
      ctx.draft.network.declareTable(id, ctx.str('vpc_id', 'VpcId'));
      inlineRoutes(ctx, id);
    },
  },
  // The VPC's main route table, managed in place: its VPC is the one whose default_route_table_id it names.
  aws_default_route_table: {
    identity: ec2Identity,
    map(ctx) {
      const id = ctx.resource.identity.name;
      const target = ctx.referenceTarget(['default_route_table_id'])?.target;
      const vpcId = target?.type === 'aws_vpc' ? target.identity.attributes.id : undefined;
      ctx.draft.network.declareTable(id, vpcId);
      if (vpcId) ctx.draft.network.setMainTable(vpcId, id);
      inlineRoutes(ctx, id);
    },
  },
  aws_route: {
    map(ctx) {
      ctx.draft.network.addRoute(
        present(ctx.readStr(['route_table_id'], 'RouteTableId')),
        destinationOf(ctx, [], ['destination_cidr_block', 'destination_ipv6_cidr_block'], 'destination_prefix_list_id'),
        present(ctx.readStr(['gateway_id'], 'GatewayId')),
      );
    },
  },
  aws_route_table_association: {
    map(ctx) {
      // An association with a gateway (edge association) has no subnet: nothing to record.
      ctx.draft.network.associate(present(ctx.readStr(['subnet_id'], 'SubnetId')), present(ctx.readStr(['route_table_id'], 'RouteTableId')));
    },
  },
  aws_main_route_table_association: {
    map(ctx) {
      ctx.draft.network.setMainTable(present(ctx.readStr(['vpc_id'], 'VpcId')), present(ctx.readStr(['route_table_id'], 'RouteTableId')));
    },
  },
};
