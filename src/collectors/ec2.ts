/** EC2, per region: VPC endpoints (private connectivity to S3, Bedrock, SageMaker) and their policies. */
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { acceptPolicy } from './policy-check.js';
import { paginate, type CollectRuntime } from './runtime.js';
import { tagMap, type VpcEndpointInput } from './shapes.js';

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
