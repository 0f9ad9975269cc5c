/**
 * IAM answers with missing fields (issue 11, item 11): nothing is dropped without a trace. An entry
 * without its name keeps the name its ARN holds; one that cannot be identified, or an inline policy
 * without a name or document, is left out with a collection error naming its owner; a managed policy
 * without its default version document is kept without one, with a collection error naming it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collectors/index.js';
import { iamNameAndPathFromArn } from '../../src/collectors/iam.js';
import { parseInventory } from '../../src/inventory/load.js';
import { ACCOUNT, installFakeAccount, testOptions, type FakeAccount } from './fake-account.js';

let account: FakeAccount | undefined;
afterEach(() => account?.restore());

const encode = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const ALLOW_S3 = encode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const TRUST = encode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/team/ml/unnamed-policy`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/unnamed-role`;

/** The default fake account, with one GAAD page of edge cases replacing the first page. */
async function collectWith(page: Record<string, unknown>) {
  account = installFakeAccount();
  const original = account.handlers['iam:GetAccountAuthorizationDetails']!;
  account.handlers['iam:GetAccountAuthorizationDetails'] = (input, region) => (input.Marker ? original(input, region) : { ...page, IsTruncated: false });
  const { inventory } = await collectInventory(testOptions({ services: ['iam'] }));
  // The snapshot is valid as it stands: nothing half-built got in.
  const parsed = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live');
  return { inventory, parsed, iamErrors: inventory.collectionErrors!.filter((e) => e.service === 'iam') };
}

describe('IAM entries with missing fields', () => {
  it('takes names and paths from ARNs', () => {
    expect(iamNameAndPathFromArn(POLICY_ARN)).toEqual({ name: 'unnamed-policy', path: '/team/ml/' });
    expect(iamNameAndPathFromArn('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toEqual({ name: 'AmazonS3ReadOnlyAccess', path: '/' });
    expect(iamNameAndPathFromArn(`arn:aws-us-gov:iam::${ACCOUNT}:user/division/alice`)).toEqual({ name: 'alice', path: '/division/' });
    expect(iamNameAndPathFromArn('arn:aws:iam::123456789012:policy/')).toBeUndefined();
    expect(iamNameAndPathFromArn('not-an-arn')).toBeUndefined();
  });

  it('keeps a managed policy without PolicyName, named from its ARN, with its document', async () => {
    const { parsed, iamErrors } = await collectWith({
      Policies: [
        {
          Arn: POLICY_ARN,
          DefaultVersionId: 'v2',
          AttachmentCount: 3,
          PolicyVersionList: [{ Document: ALLOW_S3, VersionId: 'v2', IsDefaultVersion: true }],
        },
      ],
    });
    expect(iamErrors).toEqual([]);
    const policy = parsed.iam!.policies.find((p) => p.arn === POLICY_ARN);
    expect(policy).toMatchObject({ name: 'unnamed-policy', path: '/team/ml/', awsManaged: false, defaultVersionId: 'v2', attachmentCount: 3 });
    expect(policy!.document).toBeDefined();
  });

  it('keeps a managed policy whose answer has no default version document, without a document, and says so', async () => {
    const { parsed, iamErrors } = await collectWith({
      Policies: [{ PolicyName: 'unnamed-policy', Arn: POLICY_ARN, DefaultVersionId: 'v2', PolicyVersionList: [{ Document: ALLOW_S3, VersionId: 'v1', IsDefaultVersion: false }] }],
    });
    expect(iamErrors).toEqual([
      {
        service: 'iam',
        operation: 'GetAccountAuthorizationDetails',
        resource: POLICY_ARN,
        errorCode: 'IncompleteResponse',
        message: 'managed policy document left out: the answer has no default version document',
      },
    ]);
    const policy = parsed.iam!.policies.find((p) => p.arn === POLICY_ARN);
    expect(policy).toMatchObject({ name: 'unnamed-policy', defaultVersionId: 'v2' });
    expect(policy!.document).toBeUndefined();
  });

  it('keeps users, groups and roles without their names; Path, when sent, wins over the ARN', async () => {
    const { parsed, iamErrors } = await collectWith({
      UserDetailList: [{ Arn: `arn:aws:iam::${ACCOUNT}:user/ops/carol`, UserId: 'AIDACAROL' }],
      GroupDetailList: [{ Arn: `arn:aws:iam::${ACCOUNT}:group/auditors`, Path: '/' }],
      RoleDetailList: [{ Arn: ROLE_ARN, AssumeRolePolicyDocument: TRUST }],
    });
    expect(iamErrors).toEqual([]);
    expect(parsed.iam!.users.find((u) => u.name === 'carol')).toMatchObject({ path: '/ops/', id: 'AIDACAROL' });
    expect(parsed.iam!.groups.find((g) => g.name === 'auditors')).toMatchObject({ path: '/' });
    expect(parsed.iam!.roles.find((r) => r.arn === ROLE_ARN)).toMatchObject({ name: 'unnamed-role', path: '/service-role/' });
  });

  it('an entry without an ARN, a role without a trust policy and an inline policy without a name or document leave a collection error', async () => {
    const { parsed, iamErrors } = await collectWith({
      Policies: [{ PolicyName: 'orphan', PolicyVersionList: [{ Document: ALLOW_S3, IsDefaultVersion: true }] }, { DefaultVersionId: 'v1' }],
      RoleDetailList: [
        { Arn: `arn:aws:iam::${ACCOUNT}:role/no-trust`, RoleName: 'no-trust' },
        {
          Arn: ROLE_ARN,
          RoleName: 'unnamed-role',
          AssumeRolePolicyDocument: TRUST,
          RolePolicyList: [{ PolicyDocument: ALLOW_S3 }, { PolicyName: 'empty' }, { PolicyName: 'kept', PolicyDocument: ALLOW_S3 }],
        },
      ],
    });
    const gaad = { service: 'iam', operation: 'GetAccountAuthorizationDetails', errorCode: 'IncompleteResponse' };
    // In the inventory's canonical order, whatever order they were recorded in.
    expect(iamErrors).toEqual(
      expect.arrayContaining([
        { ...gaad, resource: 'orphan', message: 'managed policy left out: the answer has no ARN (name orphan)' },
        { ...gaad, message: 'managed policy left out: the answer has no ARN' },
        { ...gaad, resource: `arn:aws:iam::${ACCOUNT}:role/no-trust`, message: 'role left out: the answer has no trust policy (AssumeRolePolicyDocument)' },
        { ...gaad, resource: ROLE_ARN, message: 'inline policy #1 left out: the answer has no name' },
        { ...gaad, resource: ROLE_ARN, message: 'inline policy empty left out: the answer has no document' },
      ]),
    );
    expect(iamErrors).toHaveLength(5);
    expect(parsed.iam!.roles.map((r) => r.name)).not.toContain('no-trust');
    expect(parsed.iam!.roles.find((r) => r.arn === ROLE_ARN)!.inlinePolicies.map((p) => p.name)).toEqual(['kept']);
    expect(parsed.iam!.policies.map((p) => p.name)).not.toContain('orphan');
  });
});
