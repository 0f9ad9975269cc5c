/** An account's view of its organization: the levels from the root down and the policies at each. */
import { describe, expect, it } from 'vitest';
import { organizationContextFor } from '../src/engine/organization-context.js';
import { organizationSchema } from '../src/inventory/organization-schema.js';

const ORG = organizationSchema.parse({
  id: 'o-abcdef1234',
  managementAccountId: '100000000000',
  roots: [{ id: 'r-ab12', name: 'Root' }],
  organizationalUnits: [
    { id: 'ou-ab12-workload', name: 'Workloads', parentId: 'r-ab12' },
    { id: 'ou-ab12-mlunit01', name: 'ML', parentId: 'ou-ab12-workload' },
  ],
  accounts: [
    { id: '200000000001', name: 'ml-prod', parentId: 'ou-ab12-mlunit01' },
    { id: '100000000000', name: 'management', parentId: 'r-ab12' },
  ],
  policies: [
    { id: 'p-full', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', awsManaged: true, content: '{}', targets: ['r-ab12', 'ou-ab12-workload', 'ou-ab12-mlunit01', '200000000001', '100000000000'] },
    { id: 'p-models', name: 'approved-models', type: 'SERVICE_CONTROL_POLICY', content: '{"Statement":[]}', targets: ['ou-ab12-workload'] },
    { id: 'p-optout', name: 'opt-out', type: 'AISERVICES_OPT_OUT_POLICY', content: '{}', targets: ['r-ab12'] },
  ],
});

describe('organizationContextFor', () => {
  it('gives the levels from the root to the account and the policies attached at each', () => {
    const context = organizationContextFor(ORG, '200000000001')!;
    expect(context.path).toBe('Root/Workloads/ML');
    expect(context.levels).toEqual(['r-ab12', 'ou-ab12-workload', 'ou-ab12-mlunit01', '200000000001']);
    expect(context.policies('SERVICE_CONTROL_POLICY')!.map((level) => level.map((p) => p.id))).toEqual([['p-full'], ['p-full', 'p-models'], ['p-full'], ['p-full']]);
    expect(context.policies('AISERVICES_OPT_OUT_POLICY')!.map((level) => level.length)).toEqual([1, 0, 0, 0]);
    expect(organizationContextFor(ORG, '999999999999')).toBeUndefined();
  });

  it('says policies were not collected, rather than none attached', () => {
    const { policies: _policies, ...withoutPolicies } = ORG;
    expect(organizationContextFor(withoutPolicies, '100000000000')!.policies('SERVICE_CONTROL_POLICY')).toBeUndefined();
  });
});
