/**
 * EC2 in CloudFormation: AWS::EC2::VPCEndpoint (mapped), and VPCs, subnets and security groups
 * (named only, so that Ref and Fn::GetAtt from endpoints, notebooks and domains resolve to ids).
 */
import { compact } from '../iac/draft.js';
import { known } from '../iac/props.js';
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
    identity(_resource, { seed }) {
      const id = syntheticHexId('subnet-', seed);
      return { name: id, ref: id, attributes: { SubnetId: id } };
    },
  },
  'AWS::EC2::SecurityGroup': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('sg-', seed);
      return { name: id, ref: id, attributes: { GroupId: id } };
    },
  },
};
