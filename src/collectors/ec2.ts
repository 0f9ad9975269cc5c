/**
 * EC2, per region: VPC endpoints (private connectivity to S3, Bedrock, SageMaker) and their
 * policies, and subnets with whether each is public (its route table sends 0.0.0.0/0 or ::/0 to an
 * internet gateway).
 */
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, type RouteTable } from '@aws-sdk/client-ec2';
import { acceptPolicy } from './policy-check.js';
import { paginate, type CollectRuntime } from './runtime.js';
import { tagMap, type SubnetInput, type VpcEndpointInput } from './shapes.js';

export interface Ec2RegionResult {
  /** undefined: the endpoint listing failed. */
  vpcEndpoints?: VpcEndpointInput[];
  /** undefined: the subnet listing failed. */
  subnets?: SubnetInput[];
}

export async function collectEc2Region(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<Ec2RegionResult> {
  const [vpcEndpoints, subnets] = await Promise.all([collectVpcEndpointsRegion(rt, region, scope), collectSubnetsRegion(rt, region, scope)]);
  return { ...(vpcEndpoints ? { vpcEndpoints } : {}), ...(subnets ? { subnets } : {}) };
}

const TYPES = new Set(['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork']);

export async function collectVpcEndpointsRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<VpcEndpointInput[] | undefined> {
  const out: VpcEndpointInput[] = [];
  const result = await paginate(
    (NextToken) => rt.call('ec2', region, 'DescribeVpcEndpoints', (c) => c.send(new DescribeVpcEndpointsCommand({ MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }))),
    (page) => page.NextToken,
    (page) => {
      for (const e of page.VpcEndpoints ?? []) {
        if (!e.VpcEndpointId || !e.VpcId || !e.ServiceName || !e.VpcEndpointType || !TYPES.has(e.VpcEndpointType)) continue;
        const endpoint: VpcEndpointInput = {
          arn: `arn:${scope.partition}:ec2:${region}:${e.OwnerId ?? scope.accountId}:vpc-endpoint/${e.VpcEndpointId}`,
          region,
          id: e.VpcEndpointId,
          vpcId: e.VpcId,
          serviceName: e.ServiceName,
          type: e.VpcEndpointType as VpcEndpointInput['type'],
          // Interface endpoints without a policy allow everything; EC2 then returns no document.
          policy: e.PolicyDocument ?? null,
        };
        if (e.PolicyDocument && !acceptPolicy(rt, { service: 'ec2', region, operation: 'DescribeVpcEndpoints', resource: endpoint.arn }, e.PolicyDocument)) delete endpoint.policy;
        if (e.State) endpoint.state = e.State;
        if (e.PrivateDnsEnabled !== undefined) endpoint.privateDnsEnabled = e.PrivateDnsEnabled;
        if (e.Tags?.length) endpoint.tags = tagMap(e.Tags);
        out.push(endpoint);
      }
    },
  );
  return result === 'failed' ? undefined : out;
}

/**
 * Subnets, and (from the route tables) whether each is public. A failed route table listing leaves
 * `public` absent on every subnet of the region: never read as private.
 */
export async function collectSubnetsRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<SubnetInput[] | undefined> {
  const subnets: SubnetInput[] = [];
  const listed = await paginate(
    (NextToken) => rt.call('ec2', region, 'DescribeSubnets', (c) => c.send(new DescribeSubnetsCommand({ MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }))),
    (page) => page.NextToken,
    (page) => {
      for (const s of page.Subnets ?? []) {
        if (!s.SubnetId || !s.VpcId) continue;
        const subnet: SubnetInput = {
          arn: s.SubnetArn ?? `arn:${scope.partition}:ec2:${region}:${s.OwnerId ?? scope.accountId}:subnet/${s.SubnetId}`,
          region,
          id: s.SubnetId,
          vpcId: s.VpcId,
        };
        if (s.MapPublicIpOnLaunch !== undefined) subnet.mapPublicIpOnLaunch = s.MapPublicIpOnLaunch;
        if (s.Tags?.length) {
          subnet.tags = tagMap(s.Tags);
          if (subnet.tags.Name) subnet.name = subnet.tags.Name;
        }
        subnets.push(subnet);
      }
    },
  );
  if (listed === 'failed') return undefined;
  if (subnets.length === 0) return subnets;
  const tables: RouteTable[] = [];
  const routes = await paginate(
    (NextToken) => rt.call('ec2', region, 'DescribeRouteTables', (c) => c.send(new DescribeRouteTablesCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) }))),
    (page) => page.NextToken,
    (page) => tables.push(...(page.RouteTables ?? [])),
  );
  if (routes === 'complete') for (const subnet of subnets) classifySubnet(subnet, tables);
  return subnets;
}

/** Sets `public` (and the deciding table and route) from the route tables of the region. */
export function classifySubnet(subnet: SubnetInput, tables: readonly RouteTable[]): void {
  const explicit = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnet.id));
  const table = explicit ?? tables.find((t) => t.VpcId === subnet.vpcId && t.Associations?.some((a) => a.Main === true));
  // No table found (a table listed after the subnets were): leave it unknown.
  if (!table?.RouteTableId) return;
  subnet.routeTableId = table.RouteTableId;
  const route = (table.Routes ?? []).find(
    (r) =>
      (r.DestinationCidrBlock === '0.0.0.0/0' || r.DestinationIpv6CidrBlock === '::/0') &&
      typeof r.GatewayId === 'string' &&
      r.GatewayId.startsWith('igw-') &&
      r.State !== 'blackhole',
  );
  subnet.public = route !== undefined;
  if (route) subnet.internetRoute = { destination: route.DestinationCidrBlock === '0.0.0.0/0' ? '0.0.0.0/0' : '::/0', gatewayId: route.GatewayId! };
}
