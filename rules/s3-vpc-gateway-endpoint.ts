import { workloadLabel, type AiWorkload } from '../src/engine/ai-graph.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { describeStatement, partialScopeReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { lookupSubnet } from '../src/engine/subnets.js';
import { defineRule, type RuleContext, type RuleResult } from '../src/engine/types.js';
import type { VpcEndpoint } from '../src/inventory/schema.js';
import { statementActionsIn } from '../src/policy/actions.js';

export default defineRule({
  meta: {
    id: 's3-vpc-gateway-endpoint',
    title: 'VPCs that run AI workloads have an S3 gateway endpoint scoped to named buckets',
    severity: 'medium',
    service: 's3',
    aiControl: true,
    resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::Subnet'],
    description:
      "Each VPC that runs AI workloads (the VPC of a SageMaker domain, or the VPC of the subnets of training and processing jobs, models and notebook instances, looked up in the EC2 subnet inventory) must have an available Gateway VPC endpoint for com.amazonaws.<region>.s3 whose endpoint policy is scoped to named buckets: every Allow statement that can grant an S3 action names specific bucket (or access point) ARNs. No endpoint policy (the default full access) or an Allow statement on Resource \"*\", a bucket wildcard or NotResource fails; an endpoint policy that was not read is unknown. One finding per VPC (arn:<partition>:ec2:<region>:<account>:vpc/<id>). A workload subnet that is not in the inventory (subnets not collected, or the subnet unknown) gives one unknown finding on that subnet, since its VPC cannot be determined; endpoints not collected make the VPC unknown; in an inventory built from infrastructure code, a VPC with no S3 gateway endpoint declared is unknown rather than failed (the endpoint may live in other code).",
    rationale:
      "Training data, model artifacts and checkpoints move between the workload and S3 in bulk. Without a gateway endpoint that traffic leaves the VPC through a NAT or internet gateway; with the default endpoint policy (full access) the endpoint lets any principal in the VPC copy data to any bucket in any account, so a compromised container or notebook can exfiltrate to an attacker's bucket over the private path. An endpoint policy that names the AI data buckets is the VPC-side half of a data perimeter (NIST SC-7 and AC-4, SOC 2 CC6.6 and CC6.7, HIPAA 164.312(e)(1), GDPR Art. 32).",
    remediation: {
      console: [
        'Open the VPC console, Endpoints, Create endpoint, category "AWS services", and select com.amazonaws.<region>.s3 of type Gateway.',
        'Choose the VPC of the AI workload and the route tables of its private subnets.',
        'Under Policy choose Custom and allow only the buckets the workloads use (training data, artifacts, SageMaker default bucket, the ECR layer bucket prod-<region>-starport-layer-bucket if you pull images through the endpoint), then Create endpoint.',
        'For an existing endpoint: select it, Actions, Manage policy, and replace the full-access policy with the scoped one.',
      ],
      cli: [
        'aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway --vpc-id <VPC_ID> \\',
        '  --service-name com.amazonaws.<REGION>.s3 --route-table-ids <RTB_PRIVATE_A> <RTB_PRIVATE_B> \\',
        '  --policy-document file://s3-endpoint-policy.json',
        '# s3-endpoint-policy.json allows s3:GetObject, s3:PutObject, s3:ListBucket on arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/*',
        'aws ec2 modify-vpc-endpoint --vpc-endpoint-id <VPCE_ID> --policy-document file://s3-endpoint-policy.json',
      ].join('\n'),
      cloudformation: [
        'S3GatewayEndpoint:',
        '  Type: AWS::EC2::VPCEndpoint',
        '  Properties:',
        '    VpcEndpointType: Gateway',
        "    ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'",
        '    VpcId: !Ref Vpc',
        '    RouteTableIds: [!Ref PrivateRouteTable]',
        '    PolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        "          Principal: '*'",
        '          Action: [s3:GetObject, s3:PutObject, s3:ListBucket]',
        '          Resource:',
        '            - !GetAtt TrainingDataBucket.Arn',
        "            - !Sub '${TrainingDataBucket.Arn}/*'",
      ].join('\n'),
      terraform: [
        'resource "aws_vpc_endpoint" "s3" {',
        '  vpc_id            = aws_vpc.ml.id',
        '  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"',
        '  vpc_endpoint_type = "Gateway"',
        '  route_table_ids   = [aws_route_table.private.id]',
        '  policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Effect    = "Allow"',
        '      Principal = "*"',
        '      Action    = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]',
        '      Resource  = [aws_s3_bucket.training_data.arn, "${aws_s3_bucket.training_data.arn}/*"]',
        '    }]',
        '  })',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
      'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    const { vpcs, unresolved } = aiVpcs(context);
    for (const vpc of [...vpcs.values()].sort((a, b) => compare(a.key, b.key))) yield judgeVpc(context, vpc);
    for (const subnet of [...unresolved.values()].sort((a, b) => compare(`${a.region}\u0000${a.id}`, `${b.region}\u0000${b.id}`))) {
      const { partition, accountId } = context.index;
      yield {
        verdict: 'unknown',
        resource: resourceRef(`arn:${partition}:ec2:${subnet.region}:${accountId}:subnet/${subnet.id}`, 'AWS::EC2::Subnet', subnet.region, subnet.id),
        message: `Cannot tell which VPC subnet ${subnet.id} (used by ${summarize(subnet.workloads)}) belongs to, so whether that VPC has an S3 gateway endpoint scoped to named buckets cannot be checked: ${subnet.reason}.`,
        evidence: { subnet: subnet.id, workloads: subnet.workloads },
      };
    }
  },
});

interface AiVpc {
  key: string;
  region: string;
  vpcId: string;
  workloads: string[];
}

interface UnresolvedSubnet {
  id: string;
  region: string;
  workloads: string[];
  reason: string;
}

/**
 * The VPCs of the AI workloads: a domain's own VPC, else the VPC of the workload's subnets (from the
 * subnet inventory, or from a domain that lists the subnet). SageMaker requires one VPC per
 * workload, so one subnet found places all of the workload's subnets; a workload none of whose
 * subnets is found leaves those subnets unresolved.
 */
function aiVpcs(context: RuleContext): { vpcs: Map<string, AiVpc>; unresolved: Map<string, UnresolvedSubnet> } {
  const subnetsOf = new Map<string, { workload: AiWorkload; subnets: string[] }>();
  for (const [id, memberships] of context.ai.members) {
    for (const m of memberships) {
      if (m.relation !== 'subnet' || !m.workload) continue;
      const entry = subnetsOf.get(m.workload.arn);
      if (entry) entry.subnets.push(id);
      else subnetsOf.set(m.workload.arn, { workload: m.workload, subnets: [id] });
    }
  }
  // Subnets a domain lists are in the domain's VPC.
  const domainVpc = new Map<string, string>();
  const domainVpcOf = new Map<string, string>();
  for (const domain of context.inventory.sagemaker?.domains ?? []) {
    if (!domain.vpcId) continue;
    domainVpcOf.set(domain.arn, domain.vpcId);
    for (const subnet of domain.subnetIds ?? []) domainVpc.set(`${domain.region}\u0000${subnet}`, domain.vpcId);
  }

  const vpcs = new Map<string, AiVpc>();
  const unresolved = new Map<string, UnresolvedSubnet>();
  // A VPC serves thousands of workloads on a large account: labels seen, by VPC, in a set.
  const labelsOf = new Map<string, Set<string>>();
  const addVpc = (region: string, vpcId: string, workload: AiWorkload) => {
    const key = `${region}\u0000${vpcId}`;
    const vpc = vpcs.get(key) ?? { key, region, vpcId, workloads: [] };
    vpcs.set(key, vpc);
    let labels = labelsOf.get(key);
    if (!labels) labelsOf.set(key, (labels = new Set()));
    const label = workloadLabel(workload);
    if (!labels.has(label)) {
      labels.add(label);
      vpc.workloads.push(label);
    }
  };
  // Workload order does not show: the lists are sorted below, and a subnet's reason depends on
  // the subnet alone. Tens of thousands of workloads on a large account, most in a domain or with
  // one subnet: no per-workload sets or sorts for those.
  for (const workload of context.ai.workloads) {
    const own = domainVpcOf.get(workload.arn);
    if (own) {
      addVpc(workload.region, own, workload);
      continue;
    }
    const listed = subnetsOf.get(workload.arn)?.subnets;
    if (!listed) continue;
    const subnets = listed.length === 1 ? listed : [...new Set(listed)].sort();
    const found = new Set<string>();
    const missing: { id: string; reason: string }[] = [];
    for (const id of subnets) {
      const lookup = lookupSubnet(context, id, workload.region);
      const viaDomain = domainVpc.get(`${workload.region}\u0000${id}`);
      if (lookup.subnet && !lookup.subnet.vpcId.startsWith('<unresolved')) found.add(lookup.subnet.vpcId);
      else if (viaDomain) found.add(viaDomain);
      else missing.push({ id, reason: lookup.missing ?? 'its VPC id cannot be resolved from the infrastructure code scanned' });
    }
    if (found.size) {
      for (const vpcId of found) addVpc(workload.region, vpcId, workload);
      continue;
    }
    for (const { id, reason } of missing) {
      const key = `${workload.region}\u0000${id}`;
      const entry = unresolved.get(key) ?? { id, region: workload.region, workloads: [], reason };
      unresolved.set(key, entry);
      entry.workloads.push(workloadLabel(workload));
    }
  }
  for (const vpc of vpcs.values()) vpc.workloads.sort();
  for (const subnet of unresolved.values()) subnet.workloads.sort();
  return { vpcs, unresolved };
}

function judgeVpc(context: RuleContext, vpc: AiVpc): RuleResult {
  const { partition, accountId } = context.index;
  const { region, vpcId } = vpc;
  const resource = resourceRef(`arn:${partition}:ec2:${region}:${accountId}:vpc/${vpcId}`, 'AWS::EC2::VPC', region, vpcId);
  const used = summarize(vpc.workloads);
  const errors = context.index.errorsFor('ec2', { region, operations: ['DescribeVpcEndpoints'] });
  if (!context.inventory.ec2 || errors.length) {
    return {
      verdict: 'unknown',
      resource,
      message: `Cannot tell whether VPC ${vpcId} (used by ${used}) has an S3 gateway endpoint: VPC endpoints ${errors.length ? `could not be read (${describeErrors(errors)})` : 'were not collected'}.`,
      evidence: { workloads: vpc.workloads },
    };
  }
  const inVpc = context.inventory.ec2.vpcEndpoints.filter((e) => e.region === region && e.vpcId === vpcId && isS3Service(e.serviceName, region));
  const gateways = inVpc.filter((e) => e.type === 'Gateway');
  const usable = gateways.filter((e) => e.state === undefined || e.state.toLowerCase() === 'available');
  const evidence: Record<string, unknown> = { workloads: vpc.workloads };
  if (usable.length === 0) {
    const others = [
      ...gateways.map((e) => `gateway endpoint ${e.id} in state ${e.state}`),
      ...inVpc.filter((e) => e.type !== 'Gateway').map((e) => `${e.type.toLowerCase()} endpoint ${e.id}`),
    ];
    evidence.otherS3Endpoints = others;
    const othersText = others.length ? ` (only ${others.join(', ')})` : '';
    const partial = partialScopeReason(context);
    if (partial) {
      return {
        verdict: 'unknown',
        resource,
        message: `VPC ${vpcId} (used by ${used}) has no S3 gateway endpoint among the resources read${othersText}, and ${partial}.`,
        evidence,
      };
    }
    return {
      verdict: 'fail',
      resource,
      message: `VPC ${vpcId} (used by ${used}) has no available S3 gateway endpoint${othersText}: S3 traffic of these workloads leaves the VPC through a NAT or internet gateway, outside any endpoint policy.`,
      evidence,
    };
  }
  const judged = usable.map((e) => ({ endpoint: e, scope: policyScope(context, e) }));
  evidence.endpoints = judged.map(({ endpoint, scope }) => ({ id: endpoint.id, ...scope }));
  const broad = judged.filter((j) => j.scope.broad.length > 0);
  if (broad.length) {
    return {
      verdict: 'fail',
      resource,
      message: `VPC ${vpcId} (used by ${used}) has an S3 gateway endpoint that is not scoped to named buckets: ${broad.map((j) => `${j.endpoint.id} ${j.scope.broad.join('; ')}`).join('; ')}. Through it, anything in the VPC can reach any bucket, including buckets of other accounts.`,
      evidence,
      property: 'PolicyDocument',
    };
  }
  const unread = judged.filter((j) => j.scope.unread);
  if (unread.length) {
    return {
      verdict: 'unknown',
      resource,
      message: `Cannot tell whether the S3 gateway endpoint ${unread.map((j) => j.endpoint.id).join(', ')} of VPC ${vpcId} (used by ${used}) is scoped to named buckets: its endpoint policy was not read.`,
      evidence,
    };
  }
  const buckets = [...new Set(judged.flatMap((j) => j.scope.buckets))].sort();
  return {
    verdict: 'pass',
    resource,
    message: `VPC ${vpcId} (used by ${used}) has the S3 gateway endpoint ${judged.map((j) => j.endpoint.id).join(', ')}, whose policy allows only named buckets${buckets.length ? ` (${summarize(buckets)})` : ' (no Allow statement: no S3 access at all)'}.`,
    evidence,
  };
}

function isS3Service(serviceName: string, region: string): boolean {
  return serviceName === `com.amazonaws.${region}.s3` || serviceName === `cn.com.amazonaws.${region}.s3`;
}

interface PolicyScope {
  /** The policy was not read (absent from the inventory). */
  unread: boolean;
  /** Why the policy is not scoped, one phrase per statement; empty when it is. */
  broad: string[];
  /** The buckets (or access points) the Allow statements name. */
  buckets: string[];
}

/** Is the endpoint policy scoped to named buckets? */
function policyScope(context: RuleContext, endpoint: VpcEndpoint): PolicyScope {
  if (endpoint.policy === undefined) return { unread: true, broad: [], buckets: [] };
  if (endpoint.policy === null) return { unread: false, broad: ['has no endpoint policy (the default allows every S3 action on every bucket)'], buckets: [] };
  const broad: string[] = [];
  const buckets = new Set<string>();
  for (const statement of endpoint.policy.normalized.statements) {
    if (statement.effect !== 'Allow') continue;
    // Only statements that can grant an S3 action matter here.
    if (statementActionsIn(statement, 's3', context.catalog).length === 0) continue;
    const where = describeStatement(statement.sid, statement.index);
    const conditioned = Object.keys(statement.condition).length ? ' (its conditions do not name buckets)' : '';
    if (statement.notResource) {
      broad.push(`allows S3 actions in ${where} on everything but NotResource${conditioned}`);
      continue;
    }
    const resources = statement.resource ?? ['*'];
    const wide = resources.filter((r) => namedBucket(r) === undefined);
    if (wide.length) {
      broad.push(`allows ${describeActions(statement.action, statement.notAction)} in ${where} on ${wide.map((r) => `"${r}"`).join(', ')}${conditioned}`);
      continue;
    }
    for (const r of resources) buckets.add(namedBucket(r)!);
  }
  return { unread: false, broad, buckets: [...buckets].sort() };
}

/**
 * The bucket (or access point) a resource ARN names, or undefined when it is not a bucket or object
 * ARN of one named bucket: `*`, `arn:aws:s3:::*`, `arn:aws:s3:::data-*`, a policy variable.
 */
function namedBucket(resource: string): string | undefined {
  const match = /^arn:aws(?:-cn|-us-gov)?:s3:([a-z0-9-]*):(\d{12})?:(.*)$/.exec(resource);
  if (!match) return undefined;
  const [, region, account, rest] = match;
  let name: string;
  if (!region && !account) name = rest!.split('/', 1)[0]!;
  else if (rest!.startsWith('accesspoint/')) name = `accesspoint/${rest!.slice('accesspoint/'.length).split('/', 1)[0]!}`;
  else return undefined;
  if (name === '' || name === 'accesspoint/' || /[*?$]/.test(name)) return undefined;
  return name;
}

function describeActions(action: readonly string[] | undefined, notAction: readonly string[] | undefined): string {
  if (notAction) return `every action but ${notAction.join(', ')}`;
  const list = action ?? [];
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more actions`;
}

function summarize(items: readonly string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
