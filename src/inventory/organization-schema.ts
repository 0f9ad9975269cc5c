/**
 * The organization as aigis records it (AWS Organizations, read from the management account or a
 * delegated administrator): its units and accounts with their place in the tree, the policies
 * attached along each account's path (SCPs, RCPs, the AI services opt-out policy) and the
 * delegated administrators. It heads an organization snapshot (organization-snapshot.ts); each
 * account's own inventory follows, in the one inventory schema.
 *
 * Absent lists were not collected (a rule reading them says `unknown`); empty lists were read and
 * are empty.
 */
import { z } from 'zod';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');

export const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'AISERVICES_OPT_OUT_POLICY'] as const;

export const organizationSchema = z.object({
  id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organization id is o- and 10 to 32 lowercase letters or digits'),
  managementAccountId: accountId,
  partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
  roots: z.array(z.object({ id: z.string(), name: z.string() })),
  organizationalUnits: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string() })),
  accounts: z.array(
    z.object({
      id: accountId,
      name: z.string(),
      /** ACTIVE, SUSPENDED, PENDING_CLOSURE (Organizations' Status / State). */
      status: z.string().optional(),
      /** The root or organizational unit the account sits in. */
      parentId: z.string(),
    }),
  ),
  policies: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.enum(POLICY_TYPES),
        awsManaged: z.boolean().optional(),
        /** The policy document as Organizations returns it (JSON text). */
        content: z.string().optional(),
        /** Root, unit and account ids the policy is attached to. */
        targets: z.array(z.string()),
      }),
    )
    .optional(),
  /** Accounts registered as delegated administrators, with the service principals they administer. */
  delegatedAdministrators: z.array(z.object({ accountId, services: z.array(z.string()) })).optional(),
});

export type Organization = z.output<typeof organizationSchema>;
export type OrganizationInput = z.input<typeof organizationSchema>;

/** Each account's chain of parents, from the root down to the unit it is in (ids), and its path in names. */
export function accountPlacement(org: Pick<Organization, 'roots' | 'organizationalUnits' | 'accounts'>): Map<string, { parents: string[]; path: string }> {
  const names = new Map<string, string>();
  const parentOf = new Map<string, string>();
  for (const root of org.roots) names.set(root.id, root.name);
  for (const unit of org.organizationalUnits) {
    names.set(unit.id, unit.name);
    parentOf.set(unit.id, unit.parentId);
  }
  const out = new Map<string, { parents: string[]; path: string }>();
  for (const account of org.accounts) {
    const chain: string[] = [];
    const seen = new Set<string>();
    // Bounded by the number of units (a cycle in a hand-made snapshot stops at the first repeat).
    for (let id: string | undefined = account.parentId; id !== undefined && !seen.has(id); id = parentOf.get(id)) {
      seen.add(id);
      chain.unshift(id);
    }
    out.set(account.id, { parents: chain, path: chain.map((id) => names.get(id) ?? id).join('/') });
  }
  return out;
}
