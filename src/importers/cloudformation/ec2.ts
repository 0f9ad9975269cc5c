/**
 * EC2 in CloudFormation: AWS::EC2::VPCEndpoint and AWS::EC2::Subnet (mapped); route tables, routes,
 * subnet associations and internet gateways (recorded in the draft's network facts, which say at
 * the end whether each subnet is public); VPCs and security groups (named only, so that Ref and
 * Fn::GetAtt from endpoints, notebooks and domains resolve to ids).
 */
import { compact } from '../iac/draft.js';
import { known, UNKNOWN, type Read } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

export const ec2Mappers: MapperTable = {
  'AWS::EC2::VPCEndpoint': {
    identity(_resource, { partition: p, region: r, accountId: a, seed }) {
      const id = syntheticHexId('vpce-', seed);
      return { name: id, arn: `arn:${p}:ec2:${r}:${a}:vpc-endpoint/${id}`, ref: id, attributes: { Id: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const vpcId = known(read.str('VpcId'));
      const endpoint = compact({
        ...base(),
        id: identity.name,
        vpcId: vpcId ?? `<unresolved: VpcId>`,
        serviceName: known(read.str('ServiceName')) ?? '<unresolved: ServiceName>',
        type: (known(read.str('VpcEndpointType', 'Gateway')) ?? 'Gateway') as 'Gateway',
        privateDnsEnabled: known(read.bool('PrivateDnsEnabled', false)),
        policy: nullable(read.value('PolicyDocument')),
      });
      draft.vpcEndpoints.push(endpoint);
      defer(() => setNotes(endpoint, notes()));
    },
  },
  'AWS::EC2::VPC': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('vpc-', seed);
      return { name: id, ref: id, attributes: { VpcId: id } };
    },
  },
  'AWS::EC2::Subnet': {
    identity(_resource, { partition: p, region: r, accountId: a, seed }) {
      const id = syntheticHexId('subnet-', seed);
      return { name: id, arn: `arn:${p}:ec2:${r}:${a}:subnet/${id}`, ref: id, attributes: { SubnetId: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const subnet = compact({
        ...base(),
        id: identity.name,
        vpcId: known(read.str('VpcId')) ?? '<unresolved: VpcId>',
        mapPublicIpOnLaunch: known(read.bool('MapPublicIpOnLaunch', false)),
      });
      draft.subnets.push(subnet);
      defer(() => setNotes(subnet, notes()));
    },
  },
  'AWS::EC2::RouteTable': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('rtb-', seed);
      return { name: id, ref: id, attributes: { RouteTableId: id } };
    },
    map(_resource, { draft, read, identity }) {
      draft.network.declareTable(identity.name, known(read.str('VpcId')));
    },
  },
  'AWS::EC2::Route': {
    map(_resource, { draft, read }) {
      // A prefix-list destination is never the default route; a route with no destination at all is doubtful.
      const destination: Read<string> =
        read.str('DestinationCidrBlock') ?? read.str('DestinationIpv6CidrBlock') ?? (read.str('DestinationPrefixListId') === undefined ? UNKNOWN : 'prefix-list');
      draft.network.addRoute(read.str('RouteTableId'), destination, read.str('GatewayId'));
    },
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    map(_resource, { draft, read }) {
      draft.network.associate(read.str('SubnetId'), read.str('RouteTableId'));
    },
  },
  'AWS::EC2::InternetGateway': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('igw-', seed);
      return { name: id, ref: id, attributes: { InternetGatewayId: id } };
    },
  },
  'AWS::EC2::SecurityGroup': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('sg-', seed);
      return { name: id, ref: id, attributes: { GroupId: id } };
    },
  },
};
