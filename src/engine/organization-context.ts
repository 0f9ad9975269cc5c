/**
 * What a rule may know about the organization an account belongs to, in an organization scan
 * (`scan --org`, organization snapshots, `merge`): the account's place (root, units, itself), the
 * policies attached at each of those levels, and the delegated administrators. Absent in a
 * single-account scan: rules that need it say `unknown` (SCPs are read from the management account).
 */
import { accountPlacement, type Organization, type POLICY_TYPES } from '../inventory/organization-schema.js';

export type OrganizationPolicyType = (typeof POLICY_TYPES)[number];

export interface OrganizationPolicyRef {
  id: string;
  name: string;
  /** The policy document as text; absent when DescribePolicy could not read it. */
  content?: string;
  awsManaged?: boolean;
}

export interface OrganizationContext {
  organizationId: string;
  managementAccountId: string;
  accountId: string;
  /** Unit names from the root, e.g. "Root/Workloads/ML". */
  path: string;
  /** Root id, each unit id down to the account's, then the account id: where policies attach. */
  levels: string[];
  /**
   * The policies of `type` attached at each level (same order as `levels`); undefined when the
   * organization's policies were not collected (a rule then says unknown).
   */
  policies(type: OrganizationPolicyType): OrganizationPolicyRef[][] | undefined;
  /** Accounts registered as delegated administrators and their service principals; undefined when not collected. */
  delegatedAdministrators?: { accountId: string; services: string[] }[];
}

/** The context of one account of `organization`; undefined when the account is not in it. */
export function organizationContextFor(organization: Organization, accountId: string): OrganizationContext | undefined {
  const place = accountPlacement(organization).get(accountId);
  if (!place) return undefined;
  const levels = [...place.parents, accountId];
  const policies = organization.policies;
  return {
    organizationId: organization.id,
    managementAccountId: organization.managementAccountId,
    accountId,
    path: place.path,
    levels,
    policies: (type) =>
      policies === undefined
        ? undefined
        : levels.map((level) =>
            policies
              .filter((p) => p.type === type && p.targets.includes(level))
              .map((p) => ({ id: p.id, name: p.name, ...(p.content !== undefined ? { content: p.content } : {}), ...(p.awsManaged !== undefined ? { awsManaged: p.awsManaged } : {}) })),
          ),
    ...(organization.delegatedAdministrators ? { delegatedAdministrators: organization.delegatedAdministrators } : {}),
  };
}
