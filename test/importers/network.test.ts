/**
 * Subnets and whether they are public, from a CloudFormation template, a Terraform plan and a
 * snapshot of the same network: the rules that read them (sagemaker-vpc-config,
 * s3-vpc-gateway-endpoint) give the same verdicts from all three.
 */
import { describe, expect, it } from 'vitest';
import { ruleSettings, DEFAULT_CONFIG } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { importCloudFormation, importTerraformPlan } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { fixture } from './helpers.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const template = fixture('network/template.yaml');
const plan = fixture('network/plan.json');
const snapshot = fixture('network/snapshot.json');
// Fixed input identities: the synthetic ids (VPC endpoint, route tables) do not depend on the checkout path.
const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(
    importCloudFormation(template.text, template.file, { accountId: ACCOUNT, region: REGION, sourceId: 'network/template.yaml' }),
    template.file,
  ),
  terraform: parseInventory(importTerraformPlan(plan.text, plan.file, { accountId: ACCOUNT, sourceId: 'network/plan.json' }), plan.file),
  snapshot: parseInventory(JSON.parse(snapshot.text), snapshot.file),
};

const VPC = 'vpc-5e0b582a9d0bdeaa8';
const PUBLIC = 'subnet-9a796f89e49eaf26d';
const PRIVATE = 'subnet-a19d41dbf09dd920f';
const SPARE = 'subnet-2480fd39f996e5492';
const model = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${name}`;

const rules = (await loadRules()).filter((r) => ['sagemaker-vpc-config', 's3-vpc-gateway-endpoint'].includes(r.meta.id));

async function scan(inventory: Inventory) {
  const result = await runScan({ inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
  return result.findings;
}

describe('subnets from CloudFormation, a Terraform plan and a snapshot', () => {
  it('record the same subnets, public where the route table sends 0.0.0.0/0 to an internet gateway', () => {
    const facts = (inventory: Inventory) =>
      (inventory.ec2?.subnets ?? []).map((s) => ({ id: s.id, vpcId: s.vpcId, mapPublicIpOnLaunch: s.mapPublicIpOnLaunch, public: s.public, internet: s.internetRoute?.destination }));
    const expected = [
      // No association in the code, and the VPC's main table is not in it: undecided.
      { id: SPARE, vpcId: VPC, mapPublicIpOnLaunch: false, public: undefined, internet: undefined },
      { id: PUBLIC, vpcId: VPC, mapPublicIpOnLaunch: true, public: true, internet: '0.0.0.0/0' },
      // Its default route goes to a NAT gateway.
      { id: PRIVATE, vpcId: VPC, mapPublicIpOnLaunch: false, public: false, internet: undefined },
    ];
    expect(facts(inventories.cloudformation!)).toEqual(expected);
    expect(facts(inventories.terraform!)).toEqual(expected);
    // The deployed account shows the main table too: the spare subnet is private there.
    expect(facts(inventories.snapshot!)).toEqual(expected.map((s) => (s.id === SPARE ? { ...s, public: false } : s)));
    // The gateway is the template's own internet gateway (a synthetic igw- id), reached through Ref / a reference.
    for (const kind of ['cloudformation', 'terraform']) {
      expect(inventories[kind]!.ec2!.subnets!.find((s) => s.id === PUBLIC)!.internetRoute!.gatewayId).toMatch(/^igw-[0-9a-f]{17}$/);
    }
  });

  it('give the same verdicts, and real ones', async () => {
    const verdicts: Record<string, string[]> = {};
    for (const [kind, inventory] of Object.entries(inventories)) {
      verdicts[kind] = (await scan(inventory)).map((f) => `${f.ruleId} ${f.resource.arn} ${f.verdict}`).sort();
    }
    expect(verdicts.cloudformation).toEqual(verdicts.snapshot);
    expect(verdicts.terraform).toEqual(verdicts.snapshot);
    expect(verdicts.snapshot).toEqual([
      `s3-vpc-gateway-endpoint arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${VPC} pass`,
      `sagemaker-vpc-config ${model('net-private-model')} pass`,
      `sagemaker-vpc-config ${model('net-public-model')} fail`,
      `sagemaker-vpc-config ${model('net-spare-model')} pass`,
    ]);
  });

  it('say why privacy could not be checked where the code does not show the route table', async () => {
    const findings = await scan(inventories.cloudformation!);
    const spare = findings.find((f) => f.resource.arn === model('net-spare-model'))!;
    expect(spare.message).toContain(`Whether ${SPARE} is private could not be checked: its route table and routes cannot be resolved from the infrastructure code scanned`);
    const pub = findings.find((f) => f.resource.arn === model('net-public-model'))!;
    expect(pub.message).toMatch(new RegExp(`subnet ${PUBLIC} routes 0\\.0\\.0\\.0/0 to igw-[0-9a-f]{17}`));
    expect(pub.resource.source?.logicalId).toBe('PublicModel');
  });

  it('leave public absent when a default route goes somewhere unknown before deploy, and never call a virtual private gateway an internet gateway', () => {
    const text = [
      'Parameters:',
      '  Gateway: { Type: String }',
      'Resources:',
      '  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }',
      '  Unknown: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 } }',
      '  Vpn: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }',
      '  UnknownTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }',
      '  VpnTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }',
      '  UnknownRoute: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref UnknownTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway } }',
      '  VpnRoute: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref VpnTable, DestinationIpv6CidrBlock: "::/0", GatewayId: vgw-0123456789abcdef0 } }',
      '  UnknownAssoc: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Unknown, RouteTableId: !Ref UnknownTable } }',
      '  VpnAssoc: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Vpn, RouteTableId: !Ref VpnTable } }',
    ].join('\n');
    const inventory = parseInventory(importCloudFormation(text, 'routes.yaml', { accountId: ACCOUNT, region: REGION }), 'routes.yaml');
    const subnets = inventory.ec2!.subnets!;
    const bySource = (logicalId: string) => subnets.find((s) => s.source?.logicalId === logicalId)!;
    expect(bySource('Unknown').public).toBeUndefined();
    expect(bySource('Vpn').public).toBe(false);
    expect(inventory.ec2!.vpcEndpoints).toEqual([]);
  });
});
