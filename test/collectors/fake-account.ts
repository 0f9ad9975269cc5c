/**
 * A fake AWS account behind aws-sdk-client-mock: one handler per read-only operation, answering
 * with SDK output shapes as documented in the AWS API reference (pagination included). Tests
 * replace single handlers to inject faults or edge cases.
 */
import * as accessanalyzer from '@aws-sdk/client-accessanalyzer';
import * as apigateway from '@aws-sdk/client-api-gateway';
import * as bedrock from '@aws-sdk/client-bedrock';
import * as bedrockAgent from '@aws-sdk/client-bedrock-agent';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as config from '@aws-sdk/client-config-service';
import * as ec2 from '@aws-sdk/client-ec2';
import * as guardduty from '@aws-sdk/client-guardduty';
import * as iam from '@aws-sdk/client-iam';
import * as inspector2 from '@aws-sdk/client-inspector2';
import * as kms from '@aws-sdk/client-kms';
import * as macie2 from '@aws-sdk/client-macie2';
import * as opensearchserverless from '@aws-sdk/client-opensearchserverless';
import * as s3 from '@aws-sdk/client-s3';
import * as s3control from '@aws-sdk/client-s3-control';
import * as sagemaker from '@aws-sdk/client-sagemaker';
import * as securityhub from '@aws-sdk/client-securityhub';
import * as sts from '@aws-sdk/client-sts';
import * as organizations from '@aws-sdk/client-organizations';
import * as wafv2 from '@aws-sdk/client-wafv2';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { READ_ONLY_OPERATIONS, type ServiceKey } from '../../src/collectors/operations.js';
import type { CollectOptions } from '../../src/collectors/options.js';

export const ACCOUNT = '111122223333';
export const REGIONS = ['eu-west-1', 'us-east-1'];

type Handler = (input: Record<string, any>, region: string) => unknown;
export type Handlers = Record<string, Handler>;

const MODULES: Record<ServiceKey, { client: string; module: Record<string, any> }> = {
  sts: { client: 'STSClient', module: sts },
  organizations: { client: 'OrganizationsClient', module: organizations },
  s3: { client: 'S3Client', module: s3 },
  s3control: { client: 'S3ControlClient', module: s3control },
  iam: { client: 'IAMClient', module: iam },
  kms: { client: 'KMSClient', module: kms },
  cloudtrail: { client: 'CloudTrailClient', module: cloudtrail },
  bedrock: { client: 'BedrockClient', module: bedrock },
  'bedrock-agent': { client: 'BedrockAgentClient', module: bedrockAgent },
  opensearchserverless: { client: 'OpenSearchServerlessClient', module: opensearchserverless },
  sagemaker: { client: 'SageMakerClient', module: sagemaker },
  accessanalyzer: { client: 'AccessAnalyzerClient', module: accessanalyzer },
  ec2: { client: 'EC2Client', module: ec2 },
  logs: { client: 'CloudWatchLogsClient', module: logs },
  cloudwatch: { client: 'CloudWatchClient', module: cloudwatch },
  macie2: { client: 'Macie2Client', module: macie2 },
  inspector2: { client: 'Inspector2Client', module: inspector2 },
  guardduty: { client: 'GuardDutyClient', module: guardduty },
  securityhub: { client: 'SecurityHubClient', module: securityhub },
  config: { client: 'ConfigServiceClient', module: config },
  apigateway: { client: 'APIGatewayClient', module: apigateway },
  wafv2: { client: 'WAFV2Client', module: wafv2 },
};

/** An error shaped like the SDK's: `name` is the AWS error code. */
export function awsError(name: string, status: number, message = `${name} (injected)`): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

export const FAULTS = {
  AccessDenied: () => awsError('AccessDeniedException', 403, 'User: arn:aws:iam::111122223333:user/scanner is not authorized'),
  Throttling: () => awsError('ThrottlingException', 400, 'Rate exceeded'),
  ServerError: () => awsError('InternalFailure', 500, 'We encountered an internal error'),
  Timeout: () => Object.assign(new Error('socket timed out after 30000 ms'), { name: 'TimeoutError' }),
} satisfies Record<string, () => Error>;

/** Every registered operation as `service:Operation`. */
export function allOperations(): string[] {
  return Object.entries(READ_ONLY_OPERATIONS).flatMap(([service, ops]) => Object.keys(ops).map((op) => `${service}:${op}`));
}

export interface FakeAccount {
  handlers: Handlers;
  calls: { operation: string; region: string; input: Record<string, any> }[];
  stubs: AwsStub<any, any, any>[];
  restore(): void;
}

/** Installs mocks for every client; the returned handlers can be edited before collecting. */
export function installFakeAccount(handlers: Handlers = defaultHandlers()): FakeAccount {
  const calls: FakeAccount['calls'] = [];
  const stubs: AwsStub<any, any, any>[] = [];
  for (const [service, { client, module }] of Object.entries(MODULES) as [ServiceKey, (typeof MODULES)[ServiceKey]][]) {
    const stub = mockClient(module[client]);
    stubs.push(stub);
    for (const operation of Object.keys(READ_ONLY_OPERATIONS[service])) {
      const command = module[`${operation}Command`];
      if (!command) throw new Error(`no ${operation}Command in the ${service} SDK`);
      const key = `${service}:${operation}`;
      stub.on(command).callsFake(async (input: Record<string, any>, getClient: () => any) => {
        const region = await getClient().config.region();
        calls.push({ operation: key, region, input });
        const handler = handlers[key];
        if (!handler) throw awsError('UnmockedOperation', 500, `${key} has no fake handler`);
        return handler(input, region);
      });
    }
  }
  return { handlers, calls, stubs, restore: () => stubs.forEach((s) => s.restore()) };
}

export function testOptions(extra: Partial<CollectOptions> = {}): CollectOptions {
  return {
    region: 'us-east-1',
    regions: REGIONS,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    now: () => new Date('2026-06-01T00:00:00Z'),
    ...extra,
  };
}

const thrown = (error: Error) => () => {
  throw error;
};

const GUARDRAIL_ARN = `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/gr1abc`;
const CMK_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const AWS_S3_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aaaa0000-0000-0000-0000-000000000000`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-audit`;
const EU_TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/eu-data-events`;

const encode = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const READ_DATA = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::training-data/*' }] };

export const CREDENTIAL_REPORT = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  `<root_account>,arn:aws:iam::${ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  `alice,arn:aws:iam::${ACCOUNT}:user/alice,2021-03-01T00:00:00+00:00,true,2026-05-20T08:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,false,true,2024-02-01T00:00:00+00:00,2026-05-30T00:00:00+00:00,us-east-1,s3,false,2023-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A`,
].join('\n');

/** The default fake account: two regions, three buckets, IAM over two GAAD pages, every AI service populated. */
export function defaultHandlers(): Handlers {
  const bucketRegion: Record<string, string> = { 'training-data': 'us-east-1', 'inference-logs': 'eu-west-1', 'public-datasets': 'eu-west-1' };
  const inBucketRegion = (bucket: string, region: string) => {
    if (bucketRegion[bucket] !== region) throw awsError('PermanentRedirect', 301, `bucket ${bucket} is not in ${region}`);
  };
  const notFound = (name: string) => thrown(awsError(name, 404));
  const perBucket =
    (answers: Record<string, Handler>): Handler =>
    (input, region) => {
      inBucketRegion(input.Bucket, region);
      const answer = answers[input.Bucket];
      if (!answer) throw awsError('NoSuchBucket', 404);
      return answer(input, region);
    };

  return {
    'sts:GetCallerIdentity': () => ({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/scanner`, UserId: 'AIDAEXAMPLE' }),
    'ec2:DescribeRegions': () => ({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
      ],
    }),
    'ec2:DescribeVpcEndpoints': (_input, region) => ({
      VpcEndpoints: [
        {
          VpcEndpointId: `vpce-${region}`,
          VpcEndpointType: 'Gateway',
          VpcId: 'vpc-1',
          ServiceName: `com.amazonaws.${region}.s3`,
          State: 'available',
          PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
          PrivateDnsEnabled: false,
          OwnerId: ACCOUNT,
          Tags: [{ Key: 'team', Value: 'ml' }],
        },
      ],
    }),

    // us-east-1: subnet-1 is associated with a private table, subnet-2 falls back to the VPC's main
    // table, which routes 0.0.0.0/0 to an internet gateway. eu-west-1: one subnet, main table local only.
    'ec2:DescribeSubnets': (input, region) =>
      region === 'us-east-1'
        ? input.NextToken === 'p2'
          ? { Subnets: [{ SubnetId: 'subnet-2', VpcId: 'vpc-1', MapPublicIpOnLaunch: true, OwnerId: ACCOUNT, SubnetArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-2` }] }
          : { Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', MapPublicIpOnLaunch: false, OwnerId: ACCOUNT, Tags: [{ Key: 'Name', Value: 'ml-private-a' }] }], NextToken: 'p2' }
        : { Subnets: [{ SubnetId: 'subnet-3', VpcId: 'vpc-2', MapPublicIpOnLaunch: false, OwnerId: ACCOUNT }] },
    'ec2:DescribeRouteTables': (_input, region) =>
      region === 'us-east-1'
        ? {
            RouteTables: [
              {
                RouteTableId: 'rtb-main',
                VpcId: 'vpc-1',
                Associations: [{ Main: true, RouteTableId: 'rtb-main' }],
                Routes: [
                  { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
                  { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0abc', State: 'active' },
                ],
              },
              {
                RouteTableId: 'rtb-private',
                VpcId: 'vpc-1',
                Associations: [{ Main: false, SubnetId: 'subnet-1', RouteTableId: 'rtb-private' }],
                Routes: [
                  { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
                  { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0abc', State: 'active' },
                  { DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-0dead', State: 'blackhole' },
                ],
              },
            ],
          }
        : { RouteTables: [{ RouteTableId: 'rtb-eu', VpcId: 'vpc-2', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local' }] }] },

    // ------------------------------------------------------------ S3
    's3control:GetPublicAccessBlock': notFound('NoSuchPublicAccessBlockConfiguration'),
    's3:ListBuckets': (input) =>
      input.ContinuationToken === 'page-2'
        ? { Buckets: [{ Name: 'public-datasets', CreationDate: new Date('2024-03-01T00:00:00Z') }], Owner: { ID: 'owner' } }
        : {
            Buckets: [
              { Name: 'training-data', CreationDate: new Date('2023-01-15T12:00:00Z') },
              { Name: 'inference-logs', CreationDate: new Date('2023-06-01T00:00:00Z'), BucketRegion: 'eu-west-1' },
            ],
            ContinuationToken: 'page-2',
          },
    's3:GetBucketLocation': (input) => ({ LocationConstraint: input.Bucket === 'training-data' ? undefined : 'EU' }),
    's3:GetPublicAccessBlock': perBucket({
      'training-data': () => ({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
      'inference-logs': notFound('NoSuchPublicAccessBlockConfiguration'),
      'public-datasets': () => ({
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    }),
    's3:GetBucketEncryption': perBucket({
      'training-data': () => ({
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: CMK_ARN }, BucketKeyEnabled: true }],
        },
      }),
      'inference-logs': notFound('ServerSideEncryptionConfigurationNotFoundError'),
      'public-datasets': () => ({
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
      }),
    }),
    's3:GetBucketPolicy': perBucket({
      'training-data': () => ({ Policy: JSON.stringify(READ_DATA) }),
      'inference-logs': notFound('NoSuchBucketPolicy'),
      'public-datasets': () => ({
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-datasets/*' }] }),
      }),
    }),
    's3:GetBucketPolicyStatus': perBucket({
      'training-data': () => ({ PolicyStatus: { IsPublic: false } }),
      'inference-logs': notFound('NoSuchBucketPolicy'),
      'public-datasets': () => ({ PolicyStatus: { IsPublic: true } }),
    }),
    's3:GetBucketVersioning': perBucket({
      'training-data': () => ({ Status: 'Enabled', MFADelete: 'Disabled' }),
      'inference-logs': () => ({}),
      'public-datasets': () => ({ Status: 'Suspended' }),
    }),
    's3:GetBucketLogging': perBucket({
      'training-data': () => ({ LoggingEnabled: { TargetBucket: 'inference-logs', TargetPrefix: 'access/' } }),
      'inference-logs': () => ({}),
      'public-datasets': () => ({}),
    }),
    's3:GetObjectLockConfiguration': perBucket({
      'training-data': () => ({
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
      }),
      'inference-logs': notFound('ObjectLockConfigurationNotFoundError'),
      'public-datasets': notFound('ObjectLockConfigurationNotFoundError'),
    }),
    's3:GetBucketLifecycleConfiguration': perBucket({
      'training-data': () => ({
        Rules: [
          { ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'raw/' }, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 730 } },
          { ID: 'old-versions', Status: 'Disabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
        ],
      }),
      'inference-logs': notFound('NoSuchLifecycleConfiguration'),
      'public-datasets': notFound('NoSuchLifecycleConfiguration'),
    }),
    's3:GetBucketReplication': perBucket({
      'training-data': () => ({
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::111122223333:role/s3-replication',
          Rules: [{ ID: 'dr', Status: 'Enabled', Priority: 1, Filter: { Prefix: '' }, Destination: { Bucket: 'arn:aws:s3:::training-data-dr' } }],
        },
      }),
      'inference-logs': notFound('ReplicationConfigurationNotFoundError'),
      'public-datasets': notFound('ReplicationConfigurationNotFoundError'),
    }),
    's3:GetBucketOwnershipControls': perBucket({
      'training-data': () => ({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
      'inference-logs': notFound('OwnershipControlsNotFoundError'),
      'public-datasets': () => ({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }),
    }),
    's3:GetBucketTagging': perBucket({
      'training-data': () => ({ TagSet: [{ Key: 'data-class', Value: 'phi' }, { Key: 'owner', Value: 'ml-platform' }] }),
      'inference-logs': notFound('NoSuchTagSet'),
      'public-datasets': () => ({ TagSet: [] }),
    }),

    // ------------------------------------------------------------ IAM
    'iam:GetAccountAuthorizationDetails': (input) =>
      input.Marker === 'gaad-2'
        ? {
            RoleDetailList: [
              {
                RoleName: 'sagemaker-trainer',
                RoleId: 'AROAEXAMPLE',
                Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
                Path: '/service-role/',
                CreateDate: new Date('2022-01-01T00:00:00Z'),
                AssumeRolePolicyDocument: encode(TRUST),
                RolePolicyList: [{ PolicyName: 'read-training-data', PolicyDocument: encode(READ_DATA) }],
                AttachedManagedPolicies: [{ PolicyName: 'AmazonSageMakerFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess' }],
                Tags: [{ Key: 'team', Value: 'ml' }],
                RoleLastUsed: { LastUsedDate: new Date('2026-05-30T00:00:00Z'), Region: 'us-east-1' },
              },
            ],
            Policies: [
              {
                PolicyName: 'AmazonSageMakerFullAccess',
                PolicyId: 'ANPAAWS',
                Arn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess',
                Path: '/',
                DefaultVersionId: 'v3',
                AttachmentCount: 1,
                IsAttachable: true,
                PolicyVersionList: [
                  { Document: encode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }] }), VersionId: 'v3', IsDefaultVersion: true },
                  { Document: encode({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }), VersionId: 'v2', IsDefaultVersion: false },
                ],
              },
              {
                PolicyName: 'data-scientists',
                PolicyId: 'ANPACUSTOMER',
                Arn: `arn:aws:iam::${ACCOUNT}:policy/data-scientists`,
                Path: '/',
                DefaultVersionId: 'v1',
                AttachmentCount: 1,
                PolicyVersionList: [{ Document: encode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), VersionId: 'v1', IsDefaultVersion: true }],
              },
            ],
            IsTruncated: false,
          }
        : {
            UserDetailList: [
              {
                UserName: 'alice',
                UserId: 'AIDAALICE',
                Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
                Path: '/',
                CreateDate: new Date('2021-03-01T00:00:00Z'),
                GroupList: ['data-scientists'],
                AttachedManagedPolicies: [],
                UserPolicyList: [],
                PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
              },
              { UserName: 'bob', UserId: 'AIDABOB', Arn: `arn:aws:iam::${ACCOUNT}:user/bob`, Path: '/', GroupList: [] },
            ],
            GroupDetailList: [
              {
                GroupName: 'data-scientists',
                GroupId: 'AGPAEXAMPLE',
                Arn: `arn:aws:iam::${ACCOUNT}:group/data-scientists`,
                Path: '/',
                GroupPolicyList: [],
                AttachedManagedPolicies: [{ PolicyName: 'data-scientists', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/data-scientists` }],
              },
            ],
            IsTruncated: true,
            Marker: 'gaad-2',
          },
    'iam:GetAccountSummary': () => ({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: 2 } }),
    'iam:GetCredentialReport': () => ({
      Content: new TextEncoder().encode(CREDENTIAL_REPORT),
      ReportFormat: 'text/csv',
      GeneratedTime: new Date('2026-05-31T12:00:00Z'),
    }),
    'iam:ListAccountAliases': () => ({ AccountAliases: ['acme-ml'], IsTruncated: false }),

    // ------------------------------------------------------------ KMS
    'kms:ListKeys': (input, region) =>
      region !== 'us-east-1'
        ? { Keys: [], Truncated: false }
        : input.Marker === 'keys-2'
          ? { Keys: [{ KeyId: 'aaaa0000-0000-0000-0000-000000000000', KeyArn: AWS_S3_KEY_ARN }], Truncated: false }
          : { Keys: [{ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', KeyArn: CMK_ARN }], Truncated: true, NextMarker: 'keys-2' },
    'kms:ListAliases': (_input, region) =>
      region !== 'us-east-1'
        ? { Aliases: [], Truncated: false }
        : {
            Aliases: [
              { AliasName: 'alias/training-data', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/training-data`, TargetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
              { AliasName: 'alias/aws/s3', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/s3`, TargetKeyId: 'aaaa0000-0000-0000-0000-000000000000' },
              { AliasName: 'alias/aws/ebs', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/ebs` },
            ],
            Truncated: false,
          },
    'kms:DescribeKey': (input) => {
      const cmk = input.KeyId === '1234abcd-12ab-34cd-56ef-1234567890ab';
      return {
        KeyMetadata: {
          AWSAccountId: ACCOUNT,
          KeyId: input.KeyId,
          Arn: cmk ? CMK_ARN : AWS_S3_KEY_ARN,
          KeyManager: cmk ? 'CUSTOMER' : 'AWS',
          KeyState: 'Enabled',
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
          Origin: 'AWS_KMS',
          Description: cmk ? 'training data key' : 'Default key that protects my S3 objects when no other key is defined',
          Enabled: true,
        },
      };
    },
    'kms:GetKeyRotationStatus': () => ({ KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
    'kms:GetKeyPolicy': () => ({
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }),
      PolicyName: 'default',
    }),

    // ------------------------------------------------------------ CloudTrail
    'cloudtrail:DescribeTrails': (_input, region) => {
      const orgAudit = {
        Name: 'org-audit',
        S3BucketName: 'audit-logs',
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: 'us-east-1',
        TrailARN: TRAIL_ARN,
        LogFileValidationEnabled: true,
        KmsKeyId: CMK_ARN,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:org-audit-trail:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailToLogs`,
        HasCustomEventSelectors: false,
        IsOrganizationTrail: false,
      };
      if (region === 'us-east-1') return { trailList: [orgAudit] };
      return {
        trailList: [
          orgAudit,
          { Name: 'eu-data-events', S3BucketName: 'eu-audit', IsMultiRegionTrail: false, HomeRegion: 'eu-west-1', TrailARN: EU_TRAIL_ARN, LogFileValidationEnabled: false },
        ],
      };
    },
    'cloudtrail:GetTrailStatus': (input, region) => {
      if ((input.Name === TRAIL_ARN && region !== 'us-east-1') || (input.Name === EU_TRAIL_ARN && region !== 'eu-west-1')) {
        throw awsError('TrailNotFoundException', 400, 'status must be read in the home region');
      }
      return { IsLogging: input.Name === TRAIL_ARN };
    },
    'cloudtrail:GetEventSelectors': (input) =>
      input.TrailName === TRAIL_ARN
        ? { TrailARN: TRAIL_ARN, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }] }
        : {
            TrailARN: EU_TRAIL_ARN,
            AdvancedEventSelectors: [
              { Name: 'S3 data events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] },
            ],
          },

    // ------------------------------------------------------------ Bedrock
    'bedrock:GetModelInvocationLoggingConfiguration': (_input, region) =>
      region === 'us-east-1'
        ? {
            loggingConfig: {
              s3Config: { bucketName: 'inference-logs', keyPrefix: 'bedrock/' },
              cloudWatchConfig: { logGroupName: '/bedrock/invocations', roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logging` },
              textDataDeliveryEnabled: true,
              imageDataDeliveryEnabled: false,
              embeddingDataDeliveryEnabled: false,
            },
          }
        : {},
    'bedrock:ListGuardrails': (_input, region) =>
      region === 'us-east-1'
        ? { guardrails: [{ id: 'gr1abc', arn: GUARDRAIL_ARN, status: 'READY', name: 'phi-filter', version: 'DRAFT', createdAt: new Date(), updatedAt: new Date() }] }
        : { guardrails: [] },
    'bedrock:GetGuardrail': () => ({
      name: 'phi-filter',
      guardrailId: 'gr1abc',
      guardrailArn: GUARDRAIL_ARN,
      version: 'DRAFT',
      status: 'READY',
      contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }, { type: 'HATE', inputStrength: 'MEDIUM', outputStrength: 'MEDIUM' }] },
      sensitiveInformationPolicy: { piiEntities: [{ type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCK' }], regexes: [{ name: 'mrn', pattern: 'MRN-\\d{8}', action: 'ANONYMIZE' }] },
      wordPolicy: { words: [{ text: 'confidential' }], managedWordLists: [{ type: 'PROFANITY' }] },
      contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', threshold: 0.75 }] },
      kmsKeyArn: CMK_ARN,
      createdAt: new Date(),
      updatedAt: new Date(),
      blockedInputMessaging: 'blocked',
      blockedOutputsMessaging: 'blocked',
    }),
    'bedrock:ListCustomModels': (input, region) =>
      region !== 'us-east-1'
        ? { modelSummaries: [] }
        : input.nextToken === 'cm-2'
          ? { modelSummaries: [{ modelArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/titan/unencrypted`, modelName: 'unencrypted', creationTime: new Date('2026-01-02T00:00:00Z'), baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1', baseModelName: 'titan', customizationType: 'FINE_TUNING' }] }
          : { modelSummaries: [{ modelArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/titan/clinical`, modelName: 'clinical', creationTime: new Date('2026-01-01T00:00:00Z'), baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1', baseModelName: 'titan', customizationType: 'FINE_TUNING' }], nextToken: 'cm-2' },
    'bedrock:GetCustomModel': (input) => ({
      modelArn: input.modelIdentifier,
      modelName: String(input.modelIdentifier).split('/').pop(),
      jobArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-customization-job/titan/job1`,
      baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
      customizationType: 'FINE_TUNING',
      ...(String(input.modelIdentifier).endsWith('clinical') ? { modelKmsKeyArn: CMK_ARN } : {}),
      creationTime: new Date('2026-01-01T00:00:00Z'),
      trainingDataConfig: { s3Uri: 's3://training-data/bedrock/clinical/train.jsonl' },
      validationDataConfig: { validators: [{ s3Uri: 's3://training-data/bedrock/clinical/validation.jsonl' }] },
      outputDataConfig: { s3Uri: 's3://model-artifacts/bedrock/clinical/' },
    }),
    'bedrock:GetModelCustomizationJob': (input) => ({
      jobArn: input.jobIdentifier,
      jobName: 'job1',
      outputModelName: 'clinical',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/bedrock-customization`,
      status: 'Completed',
      creationTime: new Date('2026-01-01T00:00:00Z'),
      baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
      trainingDataConfig: { s3Uri: 's3://training-data/bedrock/clinical/train.jsonl' },
      validationDataConfig: { validators: [{ s3Uri: 's3://training-data/bedrock/clinical/validation.jsonl' }] },
      outputDataConfig: { s3Uri: 's3://model-artifacts/bedrock/clinical/' },
    }),
    'bedrock-agent:ListAgents': (_input, region) =>
      region === 'us-east-1' ? { agentSummaries: [{ agentId: 'AGENT1', agentName: 'triage', agentStatus: 'PREPARED', updatedAt: new Date() }] } : { agentSummaries: [] },
    'bedrock-agent:GetAgent': () => ({
      agent: {
        agentId: 'AGENT1',
        agentName: 'triage',
        agentArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT1`,
        agentStatus: 'PREPARED',
        agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/agent-role`,
        foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
        idleSessionTTLInSeconds: 600,
        agentVersion: 'DRAFT',
        createdAt: new Date(),
        updatedAt: new Date(),
        guardrailConfiguration: { guardrailIdentifier: 'gr1abc', guardrailVersion: '1' },
      },
    }),

    'bedrock-agent:ListKnowledgeBases': (_input, region) =>
      region === 'us-east-1'
        ? { knowledgeBaseSummaries: [{ knowledgeBaseId: 'KB1', name: 'policies', status: 'ACTIVE', updatedAt: new Date() }] }
        : { knowledgeBaseSummaries: [] },
    'bedrock-agent:GetKnowledgeBase': () => ({
      knowledgeBase: {
        knowledgeBaseId: 'KB1',
        name: 'policies',
        knowledgeBaseArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/kb-role`,
        status: 'ACTIVE',
        knowledgeBaseConfiguration: {
          type: 'VECTOR',
          vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' },
        },
        storageConfiguration: {
          type: 'OPENSEARCH_SERVERLESS',
          opensearchServerlessConfiguration: {
            collectionArn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/abc123`,
            vectorIndexName: 'kb-index',
            fieldMapping: { vectorField: 'v', textField: 't', metadataField: 'm' },
          },
        },
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    }),
    'bedrock-agent:ListDataSources': () => ({
      dataSourceSummaries: [
        { knowledgeBaseId: 'KB1', dataSourceId: 'DS1', name: 'handbook', status: 'AVAILABLE', updatedAt: new Date() },
        { knowledgeBaseId: 'KB1', dataSourceId: 'DS2', name: 'intranet', status: 'AVAILABLE', updatedAt: new Date() },
      ],
    }),
    'bedrock-agent:GetDataSource': (input) => ({
      dataSource:
        input.dataSourceId === 'DS1'
          ? {
              knowledgeBaseId: 'KB1',
              dataSourceId: 'DS1',
              name: 'handbook',
              status: 'AVAILABLE',
              dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::training-data', inclusionPrefixes: ['handbook/'] } },
              serverSideEncryptionConfiguration: { kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
              dataDeletionPolicy: 'DELETE',
              createdAt: new Date(),
              updatedAt: new Date(),
            }
          : {
              knowledgeBaseId: 'KB1',
              dataSourceId: 'DS2',
              name: 'intranet',
              status: 'AVAILABLE',
              dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: 'https://intranet.example' }] } } } },
              createdAt: new Date(),
              updatedAt: new Date(),
            },
    }),
    'bedrock-agent:ListPrompts': (_input, region) =>
      region === 'us-east-1'
        ? { promptSummaries: [{ id: 'PROMPT1', name: 'answer', arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1`, version: 'DRAFT', createdAt: new Date(), updatedAt: new Date() }] }
        : { promptSummaries: [] },
    'bedrock-agent:GetPrompt': () => ({
      id: 'PROMPT1',
      name: 'answer',
      arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1`,
      version: 'DRAFT',
      customerEncryptionKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      createdAt: new Date(),
      updatedAt: new Date(),
    }),
    'bedrock-agent:ListFlows': (_input, region) =>
      region === 'us-east-1'
        ? { flowSummaries: [{ id: 'FLOW1', name: 'router', arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW1`, status: 'Prepared', version: 'DRAFT', createdAt: new Date(), updatedAt: new Date() }] }
        : { flowSummaries: [] },
    'bedrock-agent:GetFlow': () => ({
      id: 'FLOW1',
      name: 'router',
      arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW1`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/flow-role`,
      status: 'Prepared',
      version: 'DRAFT',
      createdAt: new Date(),
      updatedAt: new Date(),
    }),

    'bedrock-agent:ListTagsForResource': (input) => {
      const tags: Record<string, Record<string, string>> = {
        [`arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1`]: { environment: 'production', 'aigis:data-class': 'confidential' },
        [`arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1`]: { team: 'support' },
      };
      return { tags: tags[input.resourceArn] ?? {} };
    },

    // ------------------------------------------------------------ OpenSearch Serverless (the knowledge base's vector store)
    'opensearchserverless:ListCollections': (_input, region) =>
      region === 'us-east-1'
        ? {
            collectionSummaries: [
              { id: 'abc123', name: 'kb-vectors', status: 'ACTIVE', arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/abc123` },
              { id: 'def456', name: 'logs', status: 'ACTIVE', arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/def456` },
            ],
          }
        : { collectionSummaries: [] },
    'opensearchserverless:BatchGetCollection': (input) => ({
      collectionDetails: (input.ids as string[]).flatMap((id) =>
        id === 'abc123'
          ? [{ id, name: 'kb-vectors', type: 'VECTORSEARCH', status: 'ACTIVE', arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/abc123`, kmsKeyArn: CMK_ARN, createdDate: 1_700_000_000_000 }]
          : id === 'def456'
            ? [{ id, name: 'logs', type: 'TIMESERIES', status: 'ACTIVE', arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/def456`, kmsKeyArn: 'auto', createdDate: 1_700_000_000_000 }]
            : [],
      ),
      collectionErrorDetails: [],
    }),

    // ------------------------------------------------------------ SageMaker
    'sagemaker:ListNotebookInstances': (_i, region) =>
      region === 'us-east-1'
        ? { NotebookInstances: [{ NotebookInstanceName: 'explore', NotebookInstanceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/explore`, NotebookInstanceStatus: 'InService', InstanceType: 'ml.t3.medium' }] }
        : { NotebookInstances: [] },
    'sagemaker:DescribeNotebookInstance': () => ({
      NotebookInstanceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/explore`,
      NotebookInstanceName: 'explore',
      NotebookInstanceStatus: 'InService',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
      DirectInternetAccess: 'Enabled',
      RootAccess: 'Enabled',
    }),
    'sagemaker:ListTrainingJobs': (input, region) => {
      if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
      return region === 'us-east-1'
        ? { TrainingJobSummaries: [{ TrainingJobName: 'fine-tune-1', TrainingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/fine-tune-1`, CreationTime: new Date('2026-05-01T00:00:00Z'), TrainingJobStatus: 'Completed' }] }
        : { TrainingJobSummaries: [] };
    },
    'sagemaker:DescribeTrainingJob': () => ({
      TrainingJobName: 'fine-tune-1',
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/fine-tune-1`,
      TrainingJobStatus: 'Completed',
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: false,
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1', 'subnet-2'] },
      ResourceConfig: { InstanceType: 'ml.p3.2xlarge', InstanceCount: 1, VolumeSizeInGB: 50, VolumeKmsKeyId: CMK_ARN },
      OutputDataConfig: { S3OutputPath: 's3://training-data/out', KmsKeyId: 'alias/training-data' },
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://training-data/fine-tune/train/' } } },
        { ChannelName: 'reference', DataSource: { FileSystemDataSource: { FileSystemId: 'fs-0123456789abcdef0', FileSystemType: 'EFS', FileSystemAccessMode: 'ro', DirectoryPath: '/reference' } } },
        { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://training-data/fine-tune/validation/' } } },
      ],
      CheckpointConfig: { S3Uri: 's3://training-data/checkpoints/fine-tune-1', LocalPath: '/opt/ml/checkpoints' },
      AlgorithmSpecification: { TrainingImage: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fine-tune:3`, TrainingInputMode: 'File' },
    }),
    'sagemaker:ListProcessingJobs': (_input, region) =>
      region === 'us-east-1'
        ? { ProcessingJobSummaries: [{ ProcessingJobName: 'prep-1', ProcessingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:processing-job/prep-1`, CreationTime: new Date('2026-05-02T00:00:00Z'), ProcessingJobStatus: 'Completed' }] }
        : { ProcessingJobSummaries: [] },
    'sagemaker:DescribeProcessingJob': () => ({
      ProcessingJobName: 'prep-1',
      ProcessingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:processing-job/prep-1`,
      NetworkConfig: { EnableNetworkIsolation: false },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      ProcessingInputs: [
        { InputName: 'raw', S3Input: { S3Uri: 's3://public-datasets/raw/', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
        { InputName: 'labels', DatasetDefinition: { AthenaDatasetDefinition: { Catalog: 'AwsDataCatalog', Database: 'ml', QueryString: 'SELECT 1', OutputS3Uri: 's3://athena-results/q/', OutputFormat: 'PARQUET' } } },
      ],
      ProcessingOutputConfig: {
        Outputs: [{ OutputName: 'clean', S3Output: { S3Uri: 's3://training-data/clean/', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }],
        KmsKeyId: CMK_ARN,
      },
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
      // An image AWS owns (the SageMaker scikit-learn container), not this account's ECR.
      AppSpecification: { ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' },
    }),
    // clinical-ner runs an image of its own; clinical-ner-v2 was created from the registry's approved ner version 1.
    'sagemaker:ListModels': (_input, region) =>
      region === 'us-east-1'
        ? {
            Models: [
              { ModelName: 'clinical-ner', ModelArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/clinical-ner`, CreationTime: new Date() },
              { ModelName: 'clinical-ner-v2', ModelArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/clinical-ner-v2`, CreationTime: new Date() },
            ],
          }
        : { Models: [] },
    'sagemaker:DescribeModel': (input) => ({
      ModelName: input.ModelName,
      ModelArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/${input.ModelName}`,
      PrimaryContainer:
        input.ModelName === 'clinical-ner-v2'
          ? { ModelPackageName: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/ner/1` }
          : { Image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/ner:1`, ModelDataUrl: 's3://training-data/out/fine-tune-1/output/model.tar.gz' },
      ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
      EnableNetworkIsolation: false,
    }),
    'sagemaker:ListEndpointConfigs': (_input, region) =>
      region === 'us-east-1'
        ? {
            EndpointConfigs: [
              { EndpointConfigName: 'ner-config', EndpointConfigArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/ner-config`, CreationTime: new Date() },
              { EndpointConfigName: 'ner-config-v2', EndpointConfigArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/ner-config-v2`, CreationTime: new Date() },
            ],
          }
        : { EndpointConfigs: [] },
    'sagemaker:DescribeEndpointConfig': (input) => ({
      EndpointConfigName: input.EndpointConfigName,
      EndpointConfigArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/${input.EndpointConfigName}`,
      ProductionVariants: [{ VariantName: 'primary', ModelName: input.EndpointConfigName === 'ner-config-v2' ? 'clinical-ner-v2' : 'clinical-ner', InstanceType: 'ml.m5.large' }],
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 10, DestinationS3Uri: 's3://inference-logs/capture', CaptureOptions: [] },
    }),
    'sagemaker:ListDomains': (_input, region) =>
      region === 'us-east-1' ? { Domains: [{ DomainId: 'd-abc', DomainArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:domain/d-abc`, DomainName: 'studio' }] } : { Domains: [] },
    'sagemaker:DescribeDomain': () => ({
      DomainId: 'd-abc',
      DomainArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:domain/d-abc`,
      DomainName: 'studio',
      AppNetworkAccessType: 'VpcOnly',
      AuthMode: 'IAM',
      KmsKeyId: CMK_ARN,
      VpcId: 'vpc-1',
      SubnetIds: ['subnet-1'],
    }),
    'sagemaker:ListModelPackageGroups': (_input, region) =>
      region === 'us-east-1'
        ? { ModelPackageGroupSummaryList: [{ ModelPackageGroupName: 'ner', ModelPackageGroupArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package-group/ner`, CreationTime: new Date(), ModelPackageGroupStatus: 'Completed' }] }
        : { ModelPackageGroupSummaryList: [] },
    'sagemaker:ListModelPackages': (input) =>
      input.NextToken === 'mp-2'
        ? { ModelPackageSummaryList: [{ ModelPackageArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/ner/2`, ModelPackageVersion: 2, ModelApprovalStatus: 'PendingManualApproval', ModelPackageStatus: 'Completed', CreationTime: new Date() }] }
        : { ModelPackageSummaryList: [{ ModelPackageArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/ner/1`, ModelPackageVersion: 1, ModelApprovalStatus: 'Approved', ModelPackageStatus: 'Completed', CreationTime: new Date() }], NextToken: 'mp-2' },

    // Endpoints, their tags (two pages for ner-prod), monitoring schedules and model cards.
    'sagemaker:ListEndpoints': (_input, region) =>
      region === 'us-east-1'
        ? {
            Endpoints: [
              { EndpointName: 'ner-prod', EndpointArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ner-prod`, EndpointStatus: 'InService', CreationTime: new Date(), LastModifiedTime: new Date() },
              { EndpointName: 'ner-dev', EndpointArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ner-dev`, EndpointStatus: 'Updating', CreationTime: new Date(), LastModifiedTime: new Date() },
            ],
          }
        : { Endpoints: [] },
    'sagemaker:DescribeEndpoint': (input) => ({
      EndpointName: input.EndpointName,
      EndpointArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/${input.EndpointName}`,
      EndpointConfigName: input.EndpointName === 'ner-prod' ? 'ner-config-v2' : 'ner-config',
      EndpointStatus: 'InService',
      CreationTime: new Date(),
      LastModifiedTime: new Date(),
      ...(input.EndpointName === 'ner-prod'
        ? {
            LastDeploymentConfig: {
              BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 300 } },
              AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'ner-prod-latency' }, { AlarmName: 'ner-prod-5xx' }] },
            },
          }
        : {}),
    }),
    'sagemaker:ListTags': (input) => {
      if (String(input.ResourceArn).endsWith('/ner-prod')) {
        return input.NextToken === 't-2' ? { Tags: [{ Key: 'environment', Value: 'prod' }] } : { Tags: [{ Key: 'team', Value: 'nlp' }], NextToken: 't-2' };
      }
      return { Tags: [] };
    },
    'sagemaker:ListMonitoringSchedules': (_input, region) =>
      region === 'us-east-1'
        ? {
            // No MonitoringType in the summary (schedules with an inline job definition): DescribeMonitoringSchedule gives it.
            MonitoringScheduleSummaries: [
              { MonitoringScheduleName: 'ner-prod-dq', MonitoringScheduleArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:monitoring-schedule/ner-prod-dq`, MonitoringScheduleStatus: 'Scheduled', EndpointName: 'ner-prod', CreationTime: new Date(), LastModifiedTime: new Date() },
            ],
          }
        : { MonitoringScheduleSummaries: [] },
    'sagemaker:DescribeMonitoringSchedule': (input) => ({
      MonitoringScheduleName: input.MonitoringScheduleName,
      MonitoringScheduleArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:monitoring-schedule/${input.MonitoringScheduleName}`,
      MonitoringScheduleStatus: 'Scheduled',
      MonitoringType: 'DataQuality',
      EndpointName: 'ner-prod',
      CreationTime: new Date(),
      LastModifiedTime: new Date(),
      MonitoringScheduleConfig: {
        ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
        MonitoringType: 'DataQuality',
        // An embedded job definition: network isolated, no VPC, the volume key but not the report key.
        MonitoringJobDefinition: {
          MonitoringInputs: [{ EndpointInput: { EndpointName: 'ner-prod', LocalPath: '/opt/ml/processing/input' } }],
          MonitoringOutputConfig: { MonitoringOutputs: [{ S3Output: { S3Uri: 's3://training-data/monitoring/', LocalPath: '/opt/ml/processing/output' } }] },
          MonitoringResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20, VolumeKmsKeyId: CMK_ARN } },
          MonitoringAppSpecification: { ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer' },
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
          NetworkConfig: { EnableNetworkIsolation: true },
        },
      },
    }),
    'sagemaker:ListHyperParameterTuningJobs': (input, region) => {
      if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
      return region === 'us-east-1'
        ? {
            HyperParameterTuningJobSummaries: [
              {
                HyperParameterTuningJobName: 'ner-tune',
                HyperParameterTuningJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/ner-tune`,
                HyperParameterTuningJobStatus: 'Completed',
                Strategy: 'Bayesian',
                CreationTime: new Date('2026-05-10T00:00:00Z'),
                TrainingJobStatusCounters: {},
                ObjectiveStatusCounters: {},
              },
            ],
          }
        : { HyperParameterTuningJobSummaries: [] };
    },
    'sagemaker:DescribeHyperParameterTuningJob': (input) => ({
      HyperParameterTuningJobName: input.HyperParameterTuningJobName,
      HyperParameterTuningJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/${input.HyperParameterTuningJobName}`,
      HyperParameterTuningJobStatus: 'Completed',
      CreationTime: new Date('2026-05-10T00:00:00Z'),
      HyperParameterTuningJobConfig: { Strategy: 'Bayesian', ResourceLimits: { MaxParallelTrainingJobs: 2 } },
      // Two algorithms: the second without any of the settings.
      TrainingJobDefinitions: [
        {
          DefinitionName: 'xgb',
          AlgorithmSpecification: { TrainingInputMode: 'File' },
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
          OutputDataConfig: { S3OutputPath: 's3://training-data/tune/', KmsKeyId: CMK_ARN },
          ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30, VolumeKmsKeyId: CMK_ARN },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
          VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
          EnableNetworkIsolation: true,
          EnableInterContainerTrafficEncryption: true,
        },
        {
          DefinitionName: 'linear',
          AlgorithmSpecification: { TrainingInputMode: 'File' },
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`,
          OutputDataConfig: { S3OutputPath: 's3://training-data/tune/' },
          ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
      ],
      TrainingJobStatusCounters: {},
      ObjectiveStatusCounters: {},
    }),
    'sagemaker:ListTransformJobs': (input, region) => {
      if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
      return region === 'us-east-1'
        ? {
            TransformJobSummaries: [
              { TransformJobName: 'ner-batch', TransformJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:transform-job/ner-batch`, CreationTime: new Date('2026-05-11T00:00:00Z'), TransformJobStatus: 'Completed' },
            ],
          }
        : { TransformJobSummaries: [] };
    },
    'sagemaker:DescribeTransformJob': (input) => ({
      TransformJobName: input.TransformJobName,
      TransformJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:transform-job/${input.TransformJobName}`,
      TransformJobStatus: 'Completed',
      ModelName: 'clinical-ner',
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://training-data/batch/in/' } } },
      TransformOutput: { S3OutputPath: 's3://training-data/batch/out/', KmsKeyId: CMK_ARN },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      CreationTime: new Date('2026-05-11T00:00:00Z'),
    }),
    ...monitoringDefinitionHandlers(),
    'sagemaker:ListModelCards': (_input, region) =>
      region === 'us-east-1'
        ? { ModelCardSummaries: [{ ModelCardName: 'ner-card', ModelCardArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-card/ner-card`, ModelCardStatus: 'PendingReview', CreationTime: new Date() }] }
        : { ModelCardSummaries: [] },
    'sagemaker:DescribeModelCard': (input) => {
      // A read-only scan cannot decrypt card content: it must ask for the metadata only.
      if (input.IncludedData !== 'MetadataOnly') throw awsError('AccessDeniedException', 400, 'kms:Decrypt is required for AllData');
      return {
        ModelCardName: input.ModelCardName,
        ModelCardArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-card/${input.ModelCardName}`,
        ModelCardVersion: 2,
        ModelCardStatus: 'Approved',
        SecurityConfig: { KmsKeyId: CMK_ARN },
        Content: JSON.stringify({ model_overview: { model_id: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/clinical-ner-v2`, model_name: 'clinical-ner-v2' } }),
        CreationTime: new Date(),
      };
    },

    // ------------------------------------------------------------ Access Analyzer and detective controls
    'accessanalyzer:ListAnalyzers': (_input, region) => ({
      analyzers: [
        { arn: `arn:aws:access-analyzer:${region}:${ACCOUNT}:analyzer/account-analyzer`, name: 'account-analyzer', type: 'ACCOUNT', status: 'ACTIVE', createdAt: new Date() },
        ...(region === 'us-east-1'
          ? [{ arn: `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/unused`, name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: new Date() }]
          : []),
      ],
    }),
    'accessanalyzer:ListFindings': (input, region) => {
      if (JSON.stringify(input.filter) !== JSON.stringify({ status: { eq: ['ACTIVE'] } })) throw awsError('ValidationException', 400);
      const finding = (id: string, resource: string, resourceType: string, isPublic: boolean) => ({
        id, resource, resourceType, isPublic, status: 'ACTIVE', condition: {}, createdAt: new Date(), analyzedAt: new Date(), updatedAt: new Date(), resourceOwnerAccount: ACCOUNT,
      });
      return region === 'eu-west-1'
        ? { findings: [finding('f-1', 'arn:aws:s3:::public-datasets', 'AWS::S3::Bucket', true)] }
        : input.analyzerArn.endsWith('/account-analyzer')
          ? { findings: [finding('f-2', `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`, 'AWS::IAM::Role', false)] }
          : { findings: [] };
    },
    // ------------------------------------------------------------ CloudWatch Logs (two pages in us-east-1)
    'logs:DescribeLogGroups': (input, region) => {
      if (input.limit !== undefined && (input.limit < 1 || input.limit > 50)) throw awsError('InvalidParameterException', 400, 'limit must be 1..50');
      if (region !== 'us-east-1') return { logGroups: [] };
      const group = (name: string, extra: Record<string, unknown>) => ({
        logGroupName: name,
        creationTime: 1_700_000_000_000,
        metricFilterCount: 0,
        storedBytes: 1024,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
        logGroupClass: 'STANDARD',
        ...extra,
      });
      if (input.nextToken === 'lg-2') {
        return { logGroups: [group('org-audit-trail', {})] };
      }
      if (input.nextToken !== undefined) throw awsError('InvalidParameterException', 400, 'bad token');
      return {
        logGroups: [
          group('/bedrock/invocations', {
            kmsKeyId: CMK_ARN,
            retentionInDays: 365,
            dataProtectionStatus: 'ACTIVATED',
            logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/bedrock/invocations`,
          }),
        ],
        nextToken: 'lg-2',
      };
    },
    // ------------------------------------------------------------ CloudWatch Logs metric filters (two pages in us-east-1)
    'logs:DescribeMetricFilters': (input, region) => {
      if (input.limit !== undefined && (input.limit < 1 || input.limit > 50)) throw awsError('InvalidParameterException', 400, 'limit must be 1..50');
      if (region !== 'us-east-1') return { metricFilters: [] };
      if (input.nextToken === 'mf-2') {
        return {
          metricFilters: [
            {
              filterName: 'root-usage',
              logGroupName: 'org-audit-trail',
              filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
              metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CloudTrailMetrics', metricValue: '1', dimensions: { Source: '$.sourceIPAddress', Agent: '$.userAgent' } }],
              creationTime: 1_700_000_000_000,
            },
          ],
        };
      }
      if (input.nextToken !== undefined) throw awsError('InvalidParameterException', 400, 'bad token');
      return {
        metricFilters: [
          {
            filterName: 'iam-policy-changes',
            logGroupName: 'org-audit-trail',
            filterPattern:
              '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = SetDefaultPolicyVersion) || ($.eventName = UpdateAssumeRolePolicy)) }',
            metricTransformations: [{ metricName: 'IAMPolicyChanges', metricNamespace: 'CloudTrailMetrics', metricValue: '1' }],
            creationTime: 1_700_000_000_000,
          },
        ],
        nextToken: 'mf-2',
      };
    },
    // ------------------------------------------------------------ CloudWatch alarms
    'cloudwatch:DescribeAlarms': (input, region) => {
      if (JSON.stringify(input.AlarmTypes) !== '["MetricAlarm"]') throw awsError('InvalidParameterValue', 400, 'expected AlarmTypes MetricAlarm');
      if (region !== 'us-east-1') {
        return {
          MetricAlarms: [
            {
              AlarmName: 'eu-bedrock-throttles',
              AlarmArn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:eu-bedrock-throttles`,
              ActionsEnabled: false,
              AlarmActions: [`arn:aws:sns:eu-west-1:${ACCOUNT}:ops`],
              StateValue: 'OK',
              Namespace: 'AWS/Bedrock',
              MetricName: 'InvocationThrottles',
              Dimensions: [],
              Statistic: 'Sum',
              Period: 300,
              EvaluationPeriods: 1,
              Threshold: 10,
              ComparisonOperator: 'GreaterThanThreshold',
            },
          ],
        };
      }
      return {
        MetricAlarms: [
          {
            AlarmName: 'iam-policy-changes',
            AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:iam-policy-changes`,
            ActionsEnabled: true,
            AlarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`],
            OKActions: [],
            StateValue: 'OK',
            Namespace: 'CloudTrailMetrics',
            MetricName: 'IAMPolicyChanges',
            Dimensions: [],
            Statistic: 'Sum',
            Period: 300,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          },
          {
            AlarmName: 'bedrock-invocations-anomaly',
            AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:bedrock-invocations-anomaly`,
            AlarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`],
            StateValue: 'INSUFFICIENT_DATA',
            EvaluationPeriods: 3,
            ComparisonOperator: 'GreaterThanUpperThreshold',
            ThresholdMetricId: 'ad1',
            Metrics: [
              { Id: 'm1', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId', Value: 'anthropic.claude-3-haiku-20240307-v1:0' }] }, Period: 300, Stat: 'Sum' } },
              { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', Label: 'expected', ReturnData: true },
            ],
          },
        ],
      };
    },
    'macie2:GetMacieSession': (_input, region) => {
      if (region === 'eu-west-1') throw awsError('AccessDeniedException', 403, 'Macie is not enabled.');
      return { status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: 'x' };
    },
    'macie2:GetAutomatedDiscoveryConfiguration': () => ({
      status: 'ENABLED',
      classificationScopeId: 'scope-1',
      sensitivityInspectionTemplateId: 'template-1',
      autoEnableOrganizationMembers: 'NONE',
    }),
    'macie2:GetClassificationScope': (input) => ({
      id: input.id,
      name: 'automated-sensitive-data-discovery',
      s3: { excludes: { bucketNames: ['public-datasets', 'inference-logs'] } },
    }),
    // Two pages: a scheduled job naming training-data, a finished one-time job choosing buckets by tag.
    'macie2:ListClassificationJobs': (input) =>
      input.nextToken === 'jobs-2'
        ? {
            items: [
              {
                jobId: 'job-b',
                name: 'tagged-once',
                jobType: 'ONE_TIME',
                jobStatus: 'COMPLETE',
                createdAt: new Date('2026-05-01T00:00:00Z'),
                bucketCriteria: { includes: { and: [{ tagCriterion: { comparator: 'EQ', tagValues: [{ key: 'data-class', value: 'pii' }] } }] } },
              },
            ],
          }
        : {
            items: [
              {
                jobId: 'job-a',
                name: 'training-data-weekly',
                jobType: 'SCHEDULED',
                jobStatus: 'IDLE',
                createdAt: new Date('2026-04-01T00:00:00Z'),
                bucketDefinitions: [{ accountId: ACCOUNT, buckets: ['training-data', 'feature-store'] }],
              },
            ],
            nextToken: 'jobs-2',
          },
    'inspector2:BatchGetAccountStatus': (input, region) => ({
      accounts: (input.accountIds as string[]).map((accountId) => ({
        accountId,
        state: { status: region === 'us-east-1' ? 'ENABLED' : 'DISABLED' },
        resourceState:
          region === 'us-east-1'
            ? { ec2: { status: 'ENABLED' }, ecr: { status: 'ENABLED' }, lambda: { status: 'DISABLED' } }
            : { ec2: { status: 'DISABLED' }, ecr: { status: 'DISABLED' } },
      })),
      failedAccounts: [],
    }),
    'guardduty:ListDetectors': () => ({ DetectorIds: ['det1'] }),
    'guardduty:GetDetector': (_input, region) =>
      region === 'us-east-1'
        ? {
            Status: 'ENABLED',
            ServiceRole: 'x',
            DataSources: { S3Logs: { Status: 'ENABLED' } },
            Features: [
              { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
              { Name: 'RUNTIME_MONITORING', Status: 'DISABLED', AdditionalConfiguration: [{ Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'DISABLED' }] },
            ],
          }
        : { Status: 'DISABLED', ServiceRole: 'x', DataSources: { S3Logs: { Status: 'DISABLED' } } },
    'securityhub:DescribeHub': (_input, region) => {
      if (region === 'eu-west-1') throw awsError('InvalidAccessException', 401, `Account ${ACCOUNT} is not subscribed to AWS Security Hub`);
      return { HubArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`, AutoEnableControls: true };
    },
    'securityhub:GetEnabledStandards': () => ({
      StandardsSubscriptions: [
        {
          StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:subscription/aws-foundational-security-best-practices/v/1.0.0`,
          StandardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
          StandardsInput: {},
          StandardsStatus: 'READY',
        },
      ],
    }),
    'config:DescribeConfigurationRecorders': () => ({ ConfigurationRecorders: [{ name: 'default', roleARN: 'x', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } }] }),
    'config:DescribeConfigurationRecorderStatus': (_input, region) => ({ ConfigurationRecordersStatus: [{ name: 'default', recording: region === 'us-east-1' }] }),
    // One REST API in us-east-1 over two pages: a SageMaker-fronting API and a Lambda one.
    'apigateway:GetRestApis': (input, region) => {
      if (region !== 'us-east-1') return { items: [] };
      return input.position
        ? { items: [{ id: 'lam1', name: 'items-api', endpointConfiguration: { types: ['EDGE'] } }] }
        : { items: [{ id: 'sm1', name: 'churn-api', tags: { team: 'ml' }, endpointConfiguration: { types: ['REGIONAL'] } }], position: 'p2' };
    },
    'apigateway:GetResources': (input) =>
      input.restApiId === 'sm1'
        ? {
            items: [
              { id: 'r0', path: '/' },
              {
                id: 'r1',
                path: '/invoke',
                resourceMethods: {
                  POST: {
                    httpMethod: 'POST',
                    apiKeyRequired: true,
                    methodIntegration: { type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/churn/invocations' },
                  },
                  OPTIONS: { httpMethod: 'OPTIONS', apiKeyRequired: false, methodIntegration: { type: 'MOCK' } },
                },
              },
            ],
          }
        : { items: [{ id: 'r2', path: '/items', resourceMethods: { GET: { httpMethod: 'GET', apiKeyRequired: false } } }] },
    'apigateway:GetStages': (input) =>
      input.restApiId === 'sm1'
        ? {
            item: [
              {
                stageName: 'prod',
                webAclArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/ai-acl/acl-1`,
                methodSettings: {
                  '*/*': { throttlingRateLimit: 50, throttlingBurstLimit: 100, metricsEnabled: true },
                  '~1invoke/POST': { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
                },
                tags: { env: 'prod' },
              },
              { stageName: 'dev', methodSettings: {} },
            ],
          }
        : { item: [] },
    'apigateway:GetUsagePlans': (_input, region) =>
      region === 'us-east-1'
        ? {
            items: [
              {
                id: 'up1',
                name: 'partners',
                throttle: { rateLimit: 20, burstLimit: 40 },
                apiStages: [{ apiId: 'sm1', stage: 'prod', throttle: { '/invoke/POST': { rateLimit: 5, burstLimit: 10 } } }],
              },
            ],
          }
        : { items: [] },
    'wafv2:ListWebACLs': (input, region) => {
      if (region !== 'us-east-1') return { WebACLs: [] };
      // WAF hands out a NextMarker with its last page too: an empty page ends the listing.
      if (input.NextMarker === 'm3') return { WebACLs: [], NextMarker: 'm4' };
      return input.NextMarker
        ? { WebACLs: [{ Name: 'other-acl', Id: 'acl-2', ARN: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/other-acl/acl-2` }], NextMarker: 'm3' }
        : { WebACLs: [{ Name: 'ai-acl', Id: 'acl-1', ARN: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/ai-acl/acl-1` }], NextMarker: 'm2' };
    },
    'wafv2:GetWebACL': (input) => ({
      WebACL: {
        Name: input.Name,
        Id: input.Id,
        ARN: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/${input.Name}/${input.Id}`,
        DefaultAction: { Allow: {} },
        Rules:
          input.Id === 'acl-1'
            ? [
                { Name: 'rate-limit', Priority: 1, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 60 } } },
                { Name: 'bots', Priority: 0, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesBotControlRuleSet' } } },
              ]
            : [],
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: input.Name },
      },
      LockToken: 'lock',
    }),
  };
}

/** The four kinds of monitoring job definitions in us-east-1 (model bias on two pages). */
function monitoringDefinitionHandlers(): Handlers {
  const arn = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${kind}-job-definition/${name}`;
  const summary = (kind: string, name: string) => ({ MonitoringJobDefinitionName: name, MonitoringJobDefinitionArn: arn(kind, name), CreationTime: new Date('2026-04-01T00:00:00Z'), EndpointName: 'ner-prod' });
  const resources = (key?: string) => ({ ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20, ...(key ? { VolumeKmsKeyId: key } : {}) } });
  const output = (key?: string) => ({ MonitoringOutputs: [{ S3Output: { S3Uri: 's3://training-data/monitoring/', LocalPath: '/opt/ml/processing/output' } }], ...(key ? { KmsKeyId: key } : {}) });
  const input = { EndpointInput: { EndpointName: 'ner-prod', LocalPath: '/opt/ml/processing/input' } };
  const role = `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`;
  return {
    'sagemaker:ListDataQualityJobDefinitions': (_i, region) => ({ JobDefinitionSummaries: region === 'us-east-1' ? [summary('data-quality', 'ner-dq')] : [] }),
    'sagemaker:DescribeDataQualityJobDefinition': (i) => ({
      JobDefinitionName: i.JobDefinitionName,
      JobDefinitionArn: arn('data-quality', i.JobDefinitionName),
      CreationTime: new Date(),
      DataQualityAppSpecification: { ImageUri: 'monitor' },
      DataQualityJobInput: input,
      DataQualityJobOutputConfig: output(CMK_ARN),
      JobResources: resources(CMK_ARN),
      NetworkConfig: { EnableInterContainerTrafficEncryption: true, EnableNetworkIsolation: true, VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } },
      RoleArn: role,
    }),
    'sagemaker:ListModelQualityJobDefinitions': (_i, region) => ({ JobDefinitionSummaries: region === 'us-east-1' ? [summary('model-quality', 'ner-mq')] : [] }),
    'sagemaker:DescribeModelQualityJobDefinition': (i) => ({
      JobDefinitionName: i.JobDefinitionName,
      JobDefinitionArn: arn('model-quality', i.JobDefinitionName),
      CreationTime: new Date(),
      ModelQualityAppSpecification: { ImageUri: 'monitor' },
      ModelQualityJobInput: { ...input, GroundTruthS3Input: { S3Uri: 's3://training-data/ground-truth/' } },
      ModelQualityJobOutputConfig: output(),
      JobResources: resources(),
      RoleArn: role,
    }),
    'sagemaker:ListModelBiasJobDefinitions': (i, region) =>
      region !== 'us-east-1'
        ? { JobDefinitionSummaries: [] }
        : i.NextToken === 'mb-2'
          ? { JobDefinitionSummaries: [summary('model-bias', 'ner-bias-2')] }
          : { JobDefinitionSummaries: [summary('model-bias', 'ner-bias-1')], NextToken: 'mb-2' },
    'sagemaker:DescribeModelBiasJobDefinition': (i) => {
      return {
        JobDefinitionName: i.JobDefinitionName,
        JobDefinitionArn: arn('model-bias', i.JobDefinitionName),
        CreationTime: new Date(),
        ModelBiasAppSpecification: { ImageUri: 'monitor', ConfigUri: 's3://training-data/bias.json' },
        ModelBiasJobInput: { ...input, GroundTruthS3Input: { S3Uri: 's3://training-data/ground-truth/' } },
        ModelBiasJobOutputConfig: output(CMK_ARN),
        JobResources: resources(CMK_ARN),
        NetworkConfig: { EnableNetworkIsolation: false },
        RoleArn: role,
      };
    },
    'sagemaker:ListModelExplainabilityJobDefinitions': (_i, region) => ({ JobDefinitionSummaries: region === 'us-east-1' ? [summary('model-explainability', 'ner-explain')] : [] }),
    'sagemaker:DescribeModelExplainabilityJobDefinition': (i) => ({
      JobDefinitionName: i.JobDefinitionName,
      JobDefinitionArn: arn('model-explainability', i.JobDefinitionName),
      CreationTime: new Date(),
      ModelExplainabilityAppSpecification: { ImageUri: 'monitor', ConfigUri: 's3://training-data/shap.json' },
      ModelExplainabilityJobInput: input,
      ModelExplainabilityJobOutputConfig: output(CMK_ARN),
      JobResources: resources(CMK_ARN),
      NetworkConfig: { EnableInterContainerTrafficEncryption: true, EnableNetworkIsolation: true },
      RoleArn: role,
    }),
  };
}
