/**
 * Subnets as the network rules read them: a subnet of a workload looked up in the EC2 inventory,
 * and whether it is public, with the reason in words when that cannot be told (subnets not
 * collected or unreadable, the subnet not in the inventory, its route table not read).
 */
import type { Subnet } from '../inventory/schema.js';
import { describeErrors } from './inventory-index.js';
import { pushTo } from './rule-kit.js';
import type { RuleContext } from './types.js';

const SUBNETS_BY_ID = Symbol('subnetsById');

/** The inventory's subnets by id (one id may be recorded in several regions by odd snapshots), once per scan. */
function subnetsById(context: RuleContext): Map<string, Subnet[]> {
  return context.index.memo(SUBNETS_BY_ID, () => {
    const index = new Map<string, Subnet[]>();
    for (const subnet of context.inventory.ec2?.subnets ?? []) {
      const list = index.get(subnet.id);
      if (list) list.push(subnet);
      else index.set(subnet.id, [subnet]);
    }
    return index;
  });
}

export type SubnetLookup = { subnet: Subnet; missing?: undefined } | { subnet?: undefined; missing: string };

const LOOKUPS = Symbol('subnetLookups');

/**
 * The subnet of a workload in `region`, or why the inventory does not have it. Once per subnet and
 * region per scan: thousands of workloads share a few subnets.
 */
export function lookupSubnet(context: RuleContext, id: string, region: string): SubnetLookup {
  const lookups = context.index.memo(LOOKUPS, () => new Map<string, SubnetLookup>());
  const key = `${region}\u0000${id}`;
  let lookup = lookups.get(key);
  if (!lookup) lookups.set(key, (lookup = findSubnet(context, id, region)));
  return lookup;
}

function findSubnet(context: RuleContext, id: string, region: string): SubnetLookup {
  const candidates = subnetsById(context).get(id) ?? [];
  const subnet = candidates.find((s) => s.region === region) ?? candidates[0];
  if (subnet) return { subnet };
  const errors = context.index.errorsFor('ec2', { region, operations: ['DescribeSubnets'] });
  if (errors.length) return { missing: `the subnets of ${region} could not be read (${describeErrors(errors)})` };
  if (!context.inventory.ec2?.subnets) return { missing: 'subnets were not collected' };
  return {
    missing: context.inventory.partial ? 'it is not declared in the infrastructure code scanned' : "it is not in the inventory's subnets (deleted, or owned by another account)",
  };
}

/** Why a subnet's `public` is absent. */
export function privacyUnknownReason(context: RuleContext, subnet: Subnet): string {
  const errors = context.index.errorsFor('ec2', { region: subnet.region, operations: ['DescribeRouteTables'] });
  if (errors.length) return `the route tables of ${subnet.region} could not be read (${describeErrors(errors)})`;
  return context.inventory.partial
    ? `its route table and routes cannot be resolved from the infrastructure code scanned`
    : 'its route table was not collected';
}

export interface SubnetPrivacy {
  /** Subnets whose route table sends 0.0.0.0/0 or ::/0 to an internet gateway. */
  publicSubnets: Subnet[];
  privateSubnets: Subnet[];
  /** Subnets whose privacy cannot be told, each with the reason. */
  unchecked: { id: string; reason: string }[];
}

export function subnetPrivacy(context: RuleContext, ids: readonly string[], region: string): SubnetPrivacy {
  const result: SubnetPrivacy = { publicSubnets: [], privateSubnets: [], unchecked: [] };
  for (const id of [...new Set(ids)]) {
    const found = lookupSubnet(context, id, region);
    if (!found.subnet) result.unchecked.push({ id, reason: found.missing });
    else if (found.subnet.public === true) result.publicSubnets.push(found.subnet);
    else if (found.subnet.public === false) result.privateSubnets.push(found.subnet);
    else result.unchecked.push({ id, reason: privacyUnknownReason(context, found.subnet) });
  }
  return result;
}

/** "subnet-0a routes 0.0.0.0/0 to igw-0b" (the route table when known). */
export function describePublicSubnet(subnet: Subnet): string {
  const route = subnet.internetRoute;
  const via = subnet.routeTableId ? ` (route table ${subnet.routeTableId})` : '';
  return route ? `subnet ${subnet.id} routes ${route.destination} to ${route.gatewayId}${via}` : `subnet ${subnet.id} routes to an internet gateway${via}`;
}

/** "subnet-0a is private could not be checked: reason" (subnets grouped by reason), after "Whether ". */
export function describeUncheckedSubnets(unchecked: readonly { id: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const { id, reason } of unchecked) pushTo(byReason, reason, id);
  return [...byReason.entries()]
    .map(([reason, ids]) => `${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} private could not be checked: ${reason}`)
    .join('; whether ');
}
