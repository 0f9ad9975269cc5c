/**
 * A synthetic inventory of N resources for benchmarks: a realistic mix over every kind in the
 * schema, written the way a snapshot file is (the zod *input* shape: policies as objects, JSON
 * strings and URL-encoded strings), with the cross references rules follow (buckets -> KMS keys
 * by ARN, id and alias; principals -> managed policies; agents -> guardrails) and a sprinkle of
 * collection errors so that the unknown paths run too. Deterministic: the same N gives the same
 * document, byte for byte.
 */
import type { InventoryInput } from '../src/inventory/schema.js';
import { mulberry32 } from './prng.js';

type Input = InventoryInput;
type S3 = NonNullable<Input['s3']>;
type Bucket = S3['buckets'][number];
type Iam = NonNullable<Input['iam']>;
type Bedrock = NonNullable<Input['bedrock']>;
type SageMaker = NonNullable<Input['sagemaker']>;
type Statement = Record<string, unknown>;

export const SYNTHETIC_ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
export const SYNTHETIC_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1'];

/**
 * Share of each kind, roughly the shape of a large ML platform account: many buckets, roles,
 * policies and SageMaker jobs; few trails, domains and analyzers. Subnets and log groups are what
 * the network and logging rules read: a few hundred subnets in two dozen VPCs that thousands of
 * jobs share, and log groups for trails, Bedrock invocation logging, Lambda and SageMaker.
 */
const MIX = {
  buckets: 0.14,
  keys: 0.05,
  trails: 0.0005,
  users: 0.04,
  groups: 0.01,
  roles: 0.15,
  policies: 0.08,
  guardrails: 0.01,
  customModels: 0.02,
  agents: 0.02,
  knowledgeBases: 0.008,
  dataSources: 0.012,
  prompts: 0.008,
  flows: 0.004,
  notebooks: 0.03,
  trainingJobs: 0.16,
  processingJobs: 0.1,
  models: 0.07,
  endpointConfigs: 0.05,
  domains: 0.005,
  modelPackageGroups: 0.02,
  endpoints: 0.03,
  monitoringSchedules: 0.02,
  modelCards: 0.03,
  tuningJobs: 0.01,
  transformJobs: 0.02,
  monitoringJobDefinitions: 0.02,
  analyzers: 0.0002,
  vpcEndpoints: 0.02,
  subnets: 0.005,
  logGroups: 0.02,
  metricFilters: 0.004,
  alarms: 0.008,
} as const;
type Kind = keyof typeof MIX;

/** How many of each kind make exactly `total` resources (at least one of each when total allows). */
export function syntheticCounts(total: number): Record<Kind, number> {
  const kinds = Object.keys(MIX) as Kind[];
  const weight = kinds.reduce((sum, k) => sum + MIX[k], 0);
  const counts = Object.fromEntries(kinds.map((k) => [k, Math.max(total >= kinds.length ? 1 : 0, Math.floor((total * MIX[k]) / weight))])) as Record<Kind, number>;
  let assigned = kinds.reduce((sum, k) => sum + counts[k], 0);
  // The rounding remainder goes to buckets (or comes out of the largest kinds for tiny totals).
  counts.buckets += total - assigned;
  while (counts.buckets < 0) {
    const largest = kinds.reduce((a, b) => (counts[a] >= counts[b] ? a : b));
    counts[largest]--;
    counts.buckets++;
  }
  assigned = kinds.reduce((sum, k) => sum + counts[k], 0);
  if (assigned !== total) throw new Error(`internal: synthetic counts add up to ${assigned}, not ${total}`);
  return counts;
}

export function countResources(inventory: Input): number {
  return (
    (inventory.s3?.buckets.length ?? 0) +
    (inventory.kms?.keys.length ?? 0) +
    (inventory.cloudtrail?.trails.length ?? 0) +
    (inventory.iam?.users?.length ?? 0) +
    (inventory.iam?.groups?.length ?? 0) +
    (inventory.iam?.roles?.length ?? 0) +
    (inventory.iam?.policies?.length ?? 0) +
    (inventory.bedrock?.guardrails?.length ?? 0) +
    (inventory.bedrock?.customModels?.length ?? 0) +
    (inventory.bedrock?.agents?.length ?? 0) +
    (inventory.bedrock?.knowledgeBases?.length ?? 0) +
    (inventory.bedrock?.dataSources?.length ?? 0) +
    (inventory.bedrock?.prompts?.length ?? 0) +
    (inventory.bedrock?.flows?.length ?? 0) +
    (inventory.sagemaker?.notebookInstances?.length ?? 0) +
    (inventory.sagemaker?.trainingJobs?.length ?? 0) +
    (inventory.sagemaker?.processingJobs?.length ?? 0) +
    (inventory.sagemaker?.models?.length ?? 0) +
    (inventory.sagemaker?.endpointConfigs?.length ?? 0) +
    (inventory.sagemaker?.domains?.length ?? 0) +
    (inventory.sagemaker?.modelPackageGroups?.length ?? 0) +
    (inventory.sagemaker?.endpoints?.length ?? 0) +
    (inventory.sagemaker?.monitoringSchedules?.length ?? 0) +
    (inventory.sagemaker?.modelCards?.length ?? 0) +
    (inventory.sagemaker?.hyperParameterTuningJobs?.length ?? 0) +
    (inventory.sagemaker?.transformJobs?.length ?? 0) +
    (inventory.sagemaker?.monitoringJobDefinitions?.length ?? 0) +
    (inventory.accessAnalyzer?.analyzers.length ?? 0) +
    (inventory.ec2?.vpcEndpoints.length ?? 0) +
    (inventory.ec2?.subnets?.length ?? 0) +
    (inventory.logs?.logGroups.length ?? 0) +
    (inventory.logs?.metricFilters?.length ?? 0) +
    (inventory.cloudwatch?.alarms.length ?? 0)
  );
}

const prng = mulberry32;

const APPROVED_MODELS = [
  'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.titan-text-express-v1',
  'amazon.titan-embed-text-v2:0',
  'meta.llama3-70b-instruct-v1:0',
  'cohere.command-r-plus-v1:0',
];
const UNAPPROVED_MODELS = ['ai21.j2-ultra-v1', 'anthropic.claude-v2:1', 'anthropic.claude-instant-v1', 'stability.stable-diffusion-xl-v1'];
const AWS_MANAGED = {
  s3Full: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
  s3Read: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  admin: 'arn:aws:iam::aws:policy/AdministratorAccess',
  bedrockFull: 'arn:aws:iam::aws:policy/AmazonBedrockFullAccess',
};

export interface SyntheticOptions {
  seed?: number;
}

export function buildSyntheticInventory(total: number, options: SyntheticOptions = {}): Input {
  const random = prng(options.seed ?? 0x5eed + total);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number): boolean => random() < p;
  const counts = syntheticCounts(total);
  const A = SYNTHETIC_ACCOUNT;
  const regionOf = (i: number): string => SYNTHETIC_REGIONS[i % SYNTHETIC_REGIONS.length]!;
  const pad = (i: number): string => i.toString(36).padStart(5, '0');
  const collectionErrors: NonNullable<Input['collectionErrors']> = [];
  const policyText = (doc: Record<string, unknown>, i: number): unknown =>
    // Mostly objects; some JSON strings and URL-encoded strings, as IAM exports contain.
    i % 20 === 0 ? encodeURIComponent(JSON.stringify(doc)) : i % 10 === 0 ? JSON.stringify(doc) : doc;
  const doc = (...statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });

  // ---------------------------------------------------------------- KMS
  const keys: NonNullable<Input['kms']>['keys'] = [];
  for (let i = 0; i < counts.keys; i++) {
    const region = regionOf(i);
    const keyId = `${pad(i)}abc-1234-4def-8abc-${(i * 7919).toString(16).padStart(12, '0')}`.slice(0, 36);
    // The first key of each region is that region's AWS managed aws/s3 key.
    const awsManaged = i < SYNTHETIC_REGIONS.length;
    keys.push({
      arn: `arn:aws:kms:${region}:${A}:key/${keyId}`,
      region,
      keyId,
      aliases: awsManaged ? ['alias/aws/s3'] : [`alias/ml-key-${i}`],
      keyManager: awsManaged ? 'AWS' : 'CUSTOMER',
      keyState: chance(0.02) ? 'PendingDeletion' : 'Enabled',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      rotationEnabled: chance(0.7),
      policy: doc(
        { Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'AllowUseViaS3',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:role/ml-role-${i}` },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
      ),
    });
  }
  const keyRef = (i: number, region: string): string | undefined => {
    // Keys live round-robin by region, so key j is in region j % regions: pick one in this region.
    const regionIndex = SYNTHETIC_REGIONS.indexOf(region);
    const perRegion = Math.floor(keys.length / SYNTHETIC_REGIONS.length);
    if (perRegion === 0) return undefined;
    const key = keys[(i % perRegion) * SYNTHETIC_REGIONS.length + regionIndex];
    if (!key) return undefined;
    const style = i % 4;
    return style === 0 ? key.arn : style === 1 ? key.keyId : style === 2 ? (key.aliases?.[0] ?? key.keyId) : `arn:aws:kms:${region}:${A}:${key.aliases?.[0] ?? ''}`;
  };

  // ---------------------------------------------------------------- VPC subnets
  // A few VPCs per region; jobs, models, notebooks and domains of a region share their subnets.
  const VPCS_PER_REGION = 4;
  const vpcIdOf = (region: string, i: number): string => `vpc-${SYNTHETIC_REGIONS.indexOf(region)}${i % VPCS_PER_REGION}synth`;
  const subnets: NonNullable<NonNullable<Input['ec2']>['subnets']> = [];
  const subnetsByVpc = new Map<string, string[]>();
  for (let k = 0; k < counts.subnets; k++) {
    const region = regionOf(k);
    const vpcId = vpcIdOf(region, Math.floor(k / SYNTHETIC_REGIONS.length));
    const id = `subnet-${pad(k)}synth`;
    const isPublic = k % 7 === 3;
    subnets.push({
      arn: `arn:aws:ec2:${region}:${A}:subnet/${id}`,
      region,
      id,
      vpcId,
      mapPublicIpOnLaunch: isPublic,
      // Some subnets' route tables were not read: their privacy is unknown.
      ...(k % 53 === 52
        ? {}
        : { public: isPublic, routeTableId: `rtb-${pad(k % 40)}`, ...(isPublic ? { internetRoute: { destination: '0.0.0.0/0', gatewayId: `igw-${pad(k % 24)}` } } : {}) }),
    });
    const list = subnetsByVpc.get(`${region}/${vpcId}`);
    if (list) list.push(id);
    else subnetsByVpc.set(`${region}/${vpcId}`, [id]);
  }
  /** Two subnets of one VPC of the region (one that is not in the inventory, now and then). */
  const subnetsFor = (i: number, region: string): { vpcId: string; subnets: string[] } => {
    const vpcId = vpcIdOf(region, i);
    const pool = subnetsByVpc.get(`${region}/${vpcId}`) ?? [];
    if (pool.length === 0 || i % 211 === 0) return { vpcId, subnets: [`subnet-gone${pad(i)}`] };
    return { vpcId, subnets: [...new Set([pool[i % pool.length]!, pool[(i + 1) % pool.length]!])] };
  };

  // ---------------------------------------------------------------- S3
  const allOn = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const buckets: Bucket[] = [];
  for (let i = 0; i < counts.buckets; i++) {
    const region = regionOf(i);
    // Bucket 1 is the one the trails and Bedrock invocation logging write to.
    const name = i === 1 ? `ml-logs-${A}` : `ml-data-${pad(i)}-${A}`;
    const arn = `arn:aws:s3:::${name}`;
    // Every tenth bucket holds AI data (jobs, models and custom models read and write it).
    const dataClass = i % 10 === 0 ? pick(['confidential', 'restricted', 'internal']) : chance(0.3) ? pick(['public', 'internal', 'confidential']) : undefined;
    const bucket: Bucket = {
      arn,
      region,
      name,
      creationDate: '2025-01-01T00:00:00.000Z',
      tags: { team: `team-${i % 17}`, ...(dataClass ? { 'aigis:data-class': dataClass } : {}) },
    };
    const encryptionStyle = random();
    if (i % 200 === 199) {
      collectionErrors.push({ service: 's3', region, operation: 'GetBucketEncryption', resource: arn, errorCode: 'AccessDenied' });
    } else if (encryptionStyle < 0.55) {
      const ref = keyRef(i, region);
      bucket.encryption = { rules: [{ sseAlgorithm: 'aws:kms', ...(ref ? { kmsMasterKeyId: ref } : {}), bucketKeyEnabled: true }] };
    } else if (encryptionStyle < 0.6) {
      bucket.encryption = {
        rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:${region}:${OTHER_ACCOUNT}:key/${pad(i)}-shared`, bucketKeyEnabled: true }],
      };
    } else if (encryptionStyle < 0.7) {
      bucket.encryption = { rules: [{ sseAlgorithm: 'aws:kms' }] };
    } else {
      bucket.encryption = { rules: [{ sseAlgorithm: 'AES256', bucketKeyEnabled: false }] };
    }
    const bpa = random();
    if (i % 250 === 249) {
      collectionErrors.push({ service: 's3', region, operation: 'GetPublicAccessBlock', resource: arn, errorCode: 'AccessDenied' });
    } else {
      bucket.publicAccessBlock =
        bpa < 0.7 ? allOn : bpa < 0.85 ? { ...allOn, blockPublicPolicy: false, restrictPublicBuckets: false } : bpa < 0.95 ? { ...allOn, blockPublicAcls: false, ignorePublicAcls: false } : null;
    }
    if (chance(0.3)) {
      const isPublic = bucket.publicAccessBlock === null && chance(0.5);
      bucket.policy = policyText(
        doc(
          isPublic
            ? { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*` }
            : {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
        ),
        i,
      );
      bucket.policyStatus = { isPublic };
    } else {
      bucket.policy = null;
      bucket.policyStatus = null;
    }
    bucket.versioning = { status: chance(0.6) ? 'Enabled' : 'Off', mfaDelete: 'Disabled' };
    bucket.objectLock = chance(0.1) ? { enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 30 } } : null;
    bucket.logging = chance(0.5) ? { targetBucket: `ml-logs-${A}`, targetPrefix: `${name}/` } : null;
    // From the index, not the PRNG, so the rest of the generated account is unchanged (ownership stays the last key).
    bucket.lifecycle =
      i % 3 === 0
        ? { rules: [{ id: 'retention', enabled: true, prefix: 'raw/', transitions: ['GLACIER'], expirationDays: 365 }, { id: 'uploads', enabled: true, abortIncompleteMultipartUploadDays: 7 }] }
        : i % 3 === 1
          ? null
          : { rules: [{ id: 'noncurrent', enabled: i % 2 === 0, noncurrentExpirationDays: 30 }] };
    bucket.replication = i % 4 === 0 ? { role: `arn:aws:iam::${A}:role/s3-replication`, rules: [{ id: 'dr', enabled: true, destinationBucket: `arn:aws:s3:::${name}-dr` }] } : null;
    bucket.ownership = { objectOwnership: 'BucketOwnerEnforced' };
    buckets.push(bucket);
  }
  const bucketArn = (i: number): string => buckets[i % Math.max(1, buckets.length)]?.arn ?? `arn:aws:s3:::ml-data-${A}`;
  const aiBuckets = buckets.filter((_, i) => i % 10 === 0);
  const aiBucket = (i: number): string => aiBuckets[i % Math.max(1, aiBuckets.length)]?.name ?? `ml-data-${A}`;

  // ---------------------------------------------------------------- IAM managed policies
  const policies: Iam['policies'] = [];
  const awsManagedDocs: [string, string, Record<string, unknown>][] = [
    [AWS_MANAGED.s3Full, 'AmazonS3FullAccess', doc({ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' })],
    [AWS_MANAGED.s3Read, 'AmazonS3ReadOnlyAccess', doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' })],
    [AWS_MANAGED.admin, 'AdministratorAccess', doc({ Effect: 'Allow', Action: '*', Resource: '*' })],
    [AWS_MANAGED.bedrockFull, 'AmazonBedrockFullAccess', doc({ Sid: 'BedrockAll', Effect: 'Allow', Action: ['bedrock:*'], Resource: '*' })],
  ];
  for (const [arn, name, document] of awsManagedDocs.slice(0, Math.min(awsManagedDocs.length, counts.policies))) {
    policies.push({ arn, region: 'global', name, awsManaged: true, defaultVersionId: 'v1', document });
  }
  const customerPolicyArns: string[] = [];
  for (let i = policies.length; i < counts.policies; i++) {
    const arn = `arn:aws:iam::${A}:policy/ml-policy-${pad(i)}`;
    customerPolicyArns.push(arn);
    const shape = i % 10;
    const statements: Statement[] = [];
    const target = bucketArn(i);
    if (shape === 0) statements.push({ Sid: 'AllS3', Effect: 'Allow', Action: 's3:*', Resource: [target, `${target}/*`] });
    else if (shape === 1) statements.push({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: [target, `${target}/*`] });
    else if (shape === 2) statements.push({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' });
    else if (shape === 3)
      statements.push({
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: `arn:aws:bedrock:${regionOf(i)}::foundation-model/${pick(chance(0.7) ? APPROVED_MODELS : UNAPPROVED_MODELS)}`,
      });
    else if (shape === 4) statements.push({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' });
    else
      statements.push({
        Sid: 'ReadWriteData',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
        Resource: [target, `${target}/*`],
        Condition: { StringEquals: { 'aws:PrincipalTag/team': `team-${i % 17}` } },
      });
    statements.push({ Effect: 'Allow', Action: ['sagemaker:Describe*', 'sagemaker:List*', 'logs:PutLogEvents'], Resource: '*' });
    const unreadable = i % 300 === 299;
    if (unreadable) collectionErrors.push({ service: 'iam', operation: 'GetPolicyVersion', resource: arn, errorCode: 'AccessDenied' });
    policies.push({
      arn,
      region: 'global',
      name: `ml-policy-${pad(i)}`,
      awsManaged: false,
      defaultVersionId: 'v2',
      ...(unreadable ? {} : { document: policyText(doc(...statements), i) }),
    });
  }
  const attach = (i: number): string[] => {
    const out: string[] = [];
    const n = 1 + (i % 3);
    for (let j = 0; j < n && customerPolicyArns.length; j++) out.push(customerPolicyArns[(i * 7 + j * 13) % customerPolicyArns.length]!);
    if (i % 50 === 0) out.push(AWS_MANAGED.s3Full);
    if (i % 97 === 0) out.push(AWS_MANAGED.admin);
    if (i % 11 === 0) out.push(AWS_MANAGED.s3Read);
    if (i % 31 === 0) out.push(AWS_MANAGED.bedrockFull);
    return [...new Set(out)];
  };
  const inline = (i: number, count: number) =>
    Array.from({ length: count }, (_, j) => ({
      name: `inline-${j}`,
      policy: policyText(
        doc(
          j % 2 === 0
            ? { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [bucketArn(i + j), `${bucketArn(i + j)}/*`] }
            : { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:us-east-1::foundation-model/${pick(APPROVED_MODELS)}` },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keys[i % Math.max(1, keys.length)]?.arn ?? '*' },
        ),
        i + j,
      ),
    }));

  const groups: Iam['groups'] = [];
  for (let i = 0; i < counts.groups; i++) {
    groups.push({ arn: `arn:aws:iam::${A}:group/ml-group-${pad(i)}`, region: 'global', name: `ml-group-${pad(i)}`, attachedManagedPolicies: attach(i + 1), inlinePolicies: inline(i, i % 2) });
  }
  const users: Iam['users'] = [];
  for (let i = 0; i < counts.users; i++) {
    users.push({
      arn: `arn:aws:iam::${A}:user/ml-user-${pad(i)}`,
      region: 'global',
      name: `ml-user-${pad(i)}`,
      groups: groups.length ? [groups[i % groups.length]!.name] : [],
      attachedManagedPolicies: i % 4 === 0 ? attach(i + 2) : [],
      inlinePolicies: inline(i, i % 3 === 0 ? 1 : 0),
      consoleAccess: chance(0.6),
      mfaEnabled: chance(0.7),
      accessKeys: chance(0.5) ? [{ id: `AKIA${pad(i).toUpperCase()}EXAMPLE`, status: 'Active', createDate: '2024-03-01T00:00:00Z', lastUsedDate: null }] : [],
    });
  }
  const trustServices = ['sagemaker.amazonaws.com', 'bedrock.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'];
  const roles: Iam['roles'] = [];
  for (let i = 0; i < counts.roles; i++) {
    const trust =
      i % 40 === 0
        ? doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}` } } })
        : doc({ Effect: 'Allow', Principal: { Service: trustServices[i % trustServices.length] }, Action: 'sts:AssumeRole' });
    roles.push({
      arn: `arn:aws:iam::${A}:role/ml-role-${i}`,
      region: 'global',
      name: `ml-role-${i}`,
      trustPolicy: policyText(trust, i),
      attachedManagedPolicies: attach(i),
      inlinePolicies: inline(i, i % 3),
      maxSessionDuration: 3600,
    });
  }

  // ---------------------------------------------------------------- CloudTrail, log groups
  // Log groups: first those trails and Bedrock invocation logging write to, then Lambda and SageMaker ones.
  const logGroups: NonNullable<Input['logs']>['logGroups'] = [];
  const customerKeyIn = (region: string, i: number): string | undefined => {
    const perRegion = Math.floor(keys.length / SYNTHETIC_REGIONS.length);
    // Key j is in region j % regions; the first of each region is its AWS managed key.
    return perRegion > 1 ? keys[(1 + (i % (perRegion - 1))) * SYNTHETIC_REGIONS.length + SYNTHETIC_REGIONS.indexOf(region)]?.arn : undefined;
  };
  const addLogGroup = (region: string, name: string, i: number): string | undefined => {
    if (logGroups.length >= counts.logGroups) return undefined;
    const arn = `arn:aws:logs:${region}:${A}:log-group:${name}`;
    const style = i % 9;
    logGroups.push({
      arn,
      region,
      name,
      kmsKeyId: style < 4 ? (customerKeyIn(region, i) ?? null) : style === 4 ? (keys[SYNTHETIC_REGIONS.indexOf(region)]?.arn ?? null) : null,
      retentionInDays: [null, 30, 90, 365, 3653][i % 5]!,
      dataProtectionStatus: i % 6 === 0 ? 'ACTIVATED' : null,
    });
    return arn;
  };
  const trails: NonNullable<Input['cloudtrail']>['trails'] = [];
  for (let i = 0; i < counts.trails; i++) {
    const region = regionOf(i);
    const arn = `arn:aws:cloudtrail:${region}:${A}:trail/trail-${i}`;
    const advanced = i % 3 === 2;
    const logGroup = i % 3 === 1 ? undefined : addLogGroup(region, `/aws/cloudtrail/trail-${i}`, i);
    // Data events: all S3 objects, the objects of a few AI buckets, or none; Bedrock types on some advanced trails.
    const s3Data = i % 4 === 0 ? ['arn:aws:s3'] : i % 4 === 1 ? [0, 1, 2].map((k) => `arn:aws:s3:::${aiBucket(i + k)}/`) : [];
    trails.push({
      arn,
      region,
      name: `trail-${i}`,
      homeRegion: region,
      isMultiRegionTrail: i % 2 === 0,
      isOrganizationTrail: i === 0,
      ...(i % 7 === 6 ? {} : { isLogging: i % 5 !== 4 }),
      logFileValidationEnabled: true,
      s3BucketName: `ml-logs-${A}`,
      kmsKeyId: i % 2 === 0 ? (customerKeyIn(region, i) ?? null) : null,
      cloudWatchLogsLogGroupArn: logGroup ? `${logGroup}:*` : null,
      eventSelectors: advanced
        ? null
        : [
            {
              readWriteType: i % 4 === 3 ? 'WriteOnly' : 'All',
              includeManagementEvents: true,
              dataResources: s3Data.length ? [{ type: 'AWS::S3::Object', values: s3Data }] : [],
            },
          ],
      advancedEventSelectors: advanced
        ? [
            { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
            { name: 'S3 data', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] },
            ...(i % 6 === 2
              ? ['AWS::Bedrock::Model', 'AWS::Bedrock::AgentAlias', 'AWS::Bedrock::Guardrail'].map((type) => ({
                  name: `Bedrock ${type}`,
                  fieldSelectors: [
                    { field: 'eventCategory', equals: ['Data'] },
                    { field: 'resources.type', equals: [type] },
                  ],
                }))
              : []),
          ]
        : null,
    });
    if (i % 7 === 6) collectionErrors.push({ service: 'cloudtrail', region, operation: 'GetTrailStatus', resource: arn, errorCode: 'AccessDeniedException' });
  }

  // ---------------------------------------------------------------- Bedrock
  const bedrock: Bedrock = { invocationLogging: [], guardrails: [], customModels: [], agents: [], knowledgeBases: [], dataSources: [], prompts: [], flows: [] };
  for (const [r, region] of SYNTHETIC_REGIONS.entries()) {
    const logGroup = r % 2 === 0 ? addLogGroup(region, '/aws/bedrock/model-invocations', r) : undefined;
    bedrock.invocationLogging!.push({
      region,
      config:
        r % 2 === 0
          ? {
              textDataDeliveryEnabled: true,
              s3Config: { bucketName: `ml-logs-${A}`, keyPrefix: 'bedrock' },
              cloudWatchConfig: logGroup ? { logGroupName: '/aws/bedrock/model-invocations', roleArn: roles[0]?.arn } : null,
            }
          : null,
    });
  }
  for (let i = 0; i < counts.guardrails; i++) {
    const region = regionOf(i);
    const id = `gr${pad(i)}synth`;
    bedrock.guardrails!.push({
      arn: `arn:aws:bedrock:${region}:${A}:guardrail/${id}`,
      region,
      id,
      name: `guardrail-${i}`,
      version: '1',
      status: 'READY',
      kmsKeyArn: null,
      contentPolicy: {
        filters: [
          { type: 'PROMPT_ATTACK', inputStrength: i % 2 === 0 ? 'HIGH' : 'LOW', outputStrength: 'NONE' },
          { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
        ],
      },
      sensitiveInformationPolicy: i % 3 === 0 ? { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }], regexes: [] } : null,
    });
  }
  for (let i = 0; i < counts.customModels; i++) {
    const region = regionOf(i);
    const base = chance(0.8) ? pick(APPROVED_MODELS) : pick(UNAPPROVED_MODELS);
    const arn = `arn:aws:bedrock:${region}:${A}:custom-model/${base}/${pad(i)}`;
    const unreadable = i % 100 === 99;
    if (unreadable) collectionErrors.push({ service: 'bedrock', region, operation: 'GetCustomModel', resource: arn, errorCode: 'AccessDeniedException' });
    bedrock.customModels!.push({
      arn,
      region,
      name: `custom-${i}`,
      ...(unreadable
        ? {}
        : {
            baseModelArn: `arn:aws:bedrock:${region}::foundation-model/${base}`,
            customizationType: 'FINE_TUNING',
            kmsKeyArn: null,
            trainingDataS3Uri: `s3://${aiBucket(i)}/fine-tuning/${i % 20}/train.jsonl`,
            validationDataS3Uris: i % 3 === 0 ? [`s3://${aiBucket(i)}/fine-tuning/${i % 20}/validation.jsonl`] : [],
            outputDataS3Uri: `s3://${aiBucket(i + 2)}/fine-tuning-output/`,
            roleArn: roles[i % Math.max(1, roles.length)]?.arn ?? null,
          }),
    });
  }
  for (let i = 0; i < counts.agents; i++) {
    const region = regionOf(i);
    const guardrail = bedrock.guardrails![i % Math.max(1, bedrock.guardrails!.length)];
    bedrock.agents!.push({
      arn: `arn:aws:bedrock:${region}:${A}:agent/AGT${pad(i).toUpperCase()}`,
      region,
      id: `AGT${pad(i).toUpperCase()}`,
      name: `agent-${i}`,
      status: 'PREPARED',
      roleArn: roles[i % Math.max(1, roles.length)]?.arn,
      foundationModel: pick(chance(0.8) ? APPROVED_MODELS : UNAPPROVED_MODELS),
      guardrail: guardrail && i % 3 !== 0 ? { id: guardrail.id, version: '1' } : null,
    });
  }
  // Knowledge bases (vector stores in OpenSearch Serverless or Aurora, a few Kendra ones), their S3
  // data sources spread over them, prompts and flows; a share with customer managed keys.
  const kbId = (i: number) => `KB${pad(i).toUpperCase()}`;
  for (let i = 0; i < counts.knowledgeBases; i++) {
    const region = regionOf(i);
    const unreadable = i % 50 === 49;
    const arn = `arn:aws:bedrock:${region}:${A}:knowledge-base/${kbId(i)}`;
    if (unreadable) collectionErrors.push({ service: 'bedrock-agent', region, operation: 'GetKnowledgeBase', resource: arn, errorCode: 'AccessDeniedException' });
    const kendra = i % 10 === 9;
    bedrock.knowledgeBases!.push({
      arn,
      region,
      id: kbId(i),
      name: `kb-${i}`,
      status: 'ACTIVE',
      ...(unreadable
        ? {}
        : {
            type: kendra ? 'KENDRA' : 'VECTOR',
            roleArn: roles[(i * 7) % Math.max(1, roles.length)]?.arn,
            embeddingModelArn: kendra ? null : `arn:aws:bedrock:${region}::foundation-model/amazon.titan-embed-text-v2:0`,
            vectorStore: kendra
              ? null
              : i % 3 === 0
                ? { type: 'RDS', resourceArn: `arn:aws:rds:${region}:${A}:cluster:kb-${i}`, credentialsSecretArn: `arn:aws:secretsmanager:${region}:${A}:secret:kb-${i}` }
                : { type: 'OPENSEARCH_SERVERLESS', resourceArn: `arn:aws:aoss:${region}:${A}:collection/kb${pad(i)}` },
            supplementalDataS3Uris: i % 8 === 0 ? [`s3://${aiBucket(i + 3)}/kb-images/`] : [],
          }),
    });
  }
  for (let i = 0; i < counts.dataSources; i++) {
    const kb = bedrock.knowledgeBases![i % Math.max(1, bedrock.knowledgeBases!.length)];
    if (!kb) break;
    const id = `DS${pad(i).toUpperCase()}`;
    const arn = `${kb.arn}/data-source/${id}`;
    const unreadable = i % 40 === 39;
    if (unreadable) collectionErrors.push({ service: 'bedrock-agent', region: kb.region, operation: 'GetDataSource', resource: arn, errorCode: 'AccessDeniedException' });
    const style = i % 5;
    bedrock.dataSources!.push({
      arn,
      region: kb.region,
      id,
      name: `docs-${i}`,
      knowledgeBaseId: kb.id,
      knowledgeBaseArn: kb.arn,
      status: 'AVAILABLE',
      ...(unreadable
        ? {}
        : {
            type: style === 4 ? 'WEB' : 'S3',
            s3BucketArn: style === 4 ? null : `arn:aws:s3:::${aiBucket(i)}`,
            ...(style === 4 ? {} : { s3InclusionPrefixes: [`kb/${i % 20}/`] }),
            kmsKeyArn: style < 2 ? (customerKeyIn(kb.region, i) ?? null) : style === 2 ? `arn:aws:kms:${kb.region}:${A}:alias/aws/bedrock` : null,
            dataDeletionPolicy: 'DELETE',
          }),
    });
  }
  for (let i = 0; i < counts.prompts; i++) {
    const region = regionOf(i);
    const id = `PR${pad(i).toUpperCase()}`;
    const arn = `arn:aws:bedrock:${region}:${A}:prompt/${id}`;
    const unreadable = i % 60 === 59;
    if (unreadable) collectionErrors.push({ service: 'bedrock-agent', region, operation: 'GetPrompt', resource: arn, errorCode: 'AccessDeniedException' });
    bedrock.prompts!.push({ arn, region, id, name: `prompt-${i}`, version: 'DRAFT', ...(unreadable ? {} : { kmsKeyArn: i % 2 === 0 ? (customerKeyIn(region, i) ?? null) : null }) });
  }
  for (let i = 0; i < counts.flows; i++) {
    const region = regionOf(i);
    const id = `FL${pad(i).toUpperCase()}`;
    bedrock.flows!.push({
      arn: `arn:aws:bedrock:${region}:${A}:flow/${id}`,
      region,
      id,
      name: `flow-${i}`,
      status: 'Prepared',
      roleArn: roles[(i * 11) % Math.max(1, roles.length)]?.arn,
      kmsKeyArn: i % 3 === 0 ? null : (customerKeyIn(region, i) ?? null),
    });
  }

  // ---------------------------------------------------------------- SageMaker
  const sagemaker: SageMaker = {
    notebookInstances: [],
    trainingJobs: [],
    processingJobs: [],
    models: [],
    endpointConfigs: [],
    domains: [],
    modelPackageGroups: [],
    endpoints: [],
    monitoringSchedules: [],
    modelCards: [],
    hyperParameterTuningJobs: [],
    transformJobs: [],
    monitoringJobDefinitions: [],
  };
  const smArn = (region: string, kind: string, name: string) => `arn:aws:sagemaker:${region}:${A}:${kind}/${name}`;
  const vpc = (i: number, region: string) => ({ subnets: subnetsFor(i, region).subnets, securityGroupIds: [`sg-${pad(i % 500)}`] });
  const roleArn = (i: number) => roles[i % Math.max(1, roles.length)]?.arn;
  for (let i = 0; i < counts.notebooks; i++) {
    const region = regionOf(i);
    const open = i % 3 === 0;
    sagemaker.notebookInstances!.push({
      arn: smArn(region, 'notebook-instance', `nb-${i}`),
      region,
      name: `nb-${i}`,
      status: 'InService',
      ...(i % 50 === 49 ? {} : { directInternetAccess: open ? 'Enabled' : 'Disabled', subnetId: open ? null : subnetsFor(i, region).subnets[0]! }),
      kmsKeyId: open ? null : (keyRef(i, region) ?? null),
      rootAccess: open ? 'Enabled' : 'Disabled',
      roleArn: roleArn(i),
      instanceType: 'ml.t3.medium',
    });
  }
  const job = (kind: 'training-job' | 'processing-job', i: number) => {
    const region = regionOf(i);
    const name = `${kind === 'training-job' ? 'train' : 'proc'}-${pad(i)}`;
    const arn = smArn(region, kind, name);
    const unreadable = i % 150 === 149;
    if (unreadable) {
      collectionErrors.push({
        service: 'sagemaker',
        region,
        operation: kind === 'training-job' ? 'DescribeTrainingJob' : 'DescribeProcessingJob',
        resource: arn,
        errorCode: 'ThrottlingException',
      });
      return { arn, region, name, status: 'Completed' };
    }
    const isolated = chance(0.6);
    return {
      arn,
      region,
      name,
      status: 'Completed',
      creationTime: '2026-01-01T00:00:00Z',
      enableNetworkIsolation: isolated,
      enableInterContainerTrafficEncryption: isolated,
      vpcConfig: isolated ? vpc(i, region) : null,
      volumeKmsKeyId: isolated ? (keyRef(i, region) ?? null) : null,
      outputKmsKeyId: isolated ? (keyRef(i + 1, region) ?? null) : null,
      roleArn: roleArn(i),
      // The job's S3 data: a dataset prefix in one AI bucket, output (and checkpoints) in another.
      inputS3Uris: [`s3://${aiBucket(i)}/datasets/${i % 50}/`],
      ...(kind === 'training-job'
        ? { outputS3Path: `s3://${aiBucket(i + 1)}/output/`, checkpointS3Uri: i % 4 === 0 ? `s3://${aiBucket(i)}/checkpoints/${name}/` : null }
        : { outputS3Uris: [`s3://${aiBucket(i + 1)}/processed/${name}/`] }),
    };
  };
  for (let i = 0; i < counts.trainingJobs; i++) sagemaker.trainingJobs!.push(job('training-job', i));
  for (let i = 0; i < counts.processingJobs; i++) sagemaker.processingJobs!.push(job('processing-job', i));
  /** A model package of the region's registry (package group j is in region j % regions), or undefined when there is none. */
  const packageIn = (region: string, i: number): string | undefined => {
    const r = SYNTHETIC_REGIONS.indexOf(region);
    const perRegion = Math.floor((counts.modelPackageGroups - 1 - r) / SYNTHETIC_REGIONS.length) + 1;
    if (counts.modelPackageGroups <= r) return undefined;
    const j = (i % perRegion) * SYNTHETIC_REGIONS.length + r;
    return smArn(region, 'model-package', `mpg-${j}/1`);
  };
  for (let i = 0; i < counts.models; i++) {
    const region = regionOf(i);
    const isolated = chance(0.5);
    // Two models in three come from the registry (packages approved or pending), now and then from
    // a package the inventory does not hold; the others from an image and model data.
    const fromPackage = i % 3 === 2 ? null : i % 31 === 30 ? smArn(region, 'model-package', `central-${i}/1`) : (packageIn(region, i) ?? null);
    sagemaker.models!.push({
      arn: smArn(region, 'model', `model-${i}`),
      region,
      name: `model-${i}`,
      ...(i % 200 === 199 ? {} : { enableNetworkIsolation: isolated }),
      vpcConfig: isolated ? vpc(i, region) : null,
      executionRoleArn: roleArn(i),
      primaryContainerImage: `${A}.dkr.ecr.${region}.amazonaws.com/inference:${i % 9}`,
      modelDataUrls: [`s3://${aiBucket(i + 1)}/output/model-${i}/model.tar.gz`],
      modelPackageName: fromPackage,
    });
  }
  for (let i = 0; i < counts.endpointConfigs; i++) {
    const region = regionOf(i);
    sagemaker.endpointConfigs!.push({
      arn: smArn(region, 'endpoint-config', `epc-${i}`),
      region,
      name: `epc-${i}`,
      kmsKeyId: chance(0.6) ? (keyRef(i, region) ?? null) : null,
      dataCaptureEnabled: chance(0.4),
      productionVariants: [
        { variantName: 'AllTraffic', modelName: `model-${i % Math.max(1, counts.models)}`, instanceType: 'ml.m5.large', initialInstanceCount: i % 3 === 0 ? 1 : 2 },
      ],
    });
  }
  // Endpoints run configurations of their region (endpoint i runs epc-i, in the same region as it);
  // production by tag or untagged, some staging; guardrails on some; one in 100 not described.
  for (let i = 0; i < counts.endpoints; i++) {
    const region = regionOf(i);
    const arn = smArn(region, 'endpoint', `ep-${i}`);
    const environment = i % 4 === 0 ? undefined : i % 4 === 3 ? 'staging' : 'prod';
    const base = { arn, region, name: `ep-${i}`, status: 'InService', tags: { team: 'ml', ...(environment ? { environment } : {}) } };
    if (i % 100 === 99) {
      collectionErrors.push({ service: 'sagemaker', region, operation: 'DescribeEndpoint', resource: arn, errorCode: 'ThrottlingException' });
      sagemaker.endpoints!.push(base);
      continue;
    }
    sagemaker.endpoints!.push({
      ...base,
      endpointConfigName: `epc-${i % Math.max(1, counts.endpointConfigs)}`,
      deploymentConfig: chance(0.5) ? { updatePolicy: 'BlueGreen', trafficRouting: i % 2 === 0 ? 'CANARY' : 'LINEAR', rollbackAlarms: [`ep-${i}-errors`] } : chance(0.5) ? { updatePolicy: 'Rolling', rollbackAlarms: [] } : null,
    });
  }
  // Schedules watch endpoints of their region (types mixed, a few stopped); one in 50 over batch transform output.
  const monitorTypes = ['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'];
  for (let i = 0; i < counts.monitoringSchedules; i++) {
    const region = regionOf(i);
    sagemaker.monitoringSchedules!.push({
      arn: smArn(region, 'monitoring-schedule', `mon-${i}`),
      region,
      name: `mon-${i}`,
      status: i % 10 === 9 ? 'Stopped' : 'Scheduled',
      monitoringType: monitorTypes[i % monitorTypes.length]!,
      endpointName: i % 50 === 49 ? null : `ep-${i % Math.max(1, counts.endpoints)}`,
      // Half run a job definition of their region, half embed theirs (settings as for jobs, by index).
      ...(i % 2 === 0
        ? { monitoringJobDefinitionName: `mjd-${i % Math.max(1, counts.monitoringJobDefinitions)}`, jobDefinition: null }
        : { monitoringJobDefinitionName: null, jobDefinition: jobSecurity(i, region) }),
    });
  }
  // Job settings without the random stream (so the kinds generated after keep their draws).
  function jobSecurity(i: number, region: string) {
    const isolated = i % 5 < 3;
    return {
      enableNetworkIsolation: isolated,
      enableInterContainerTrafficEncryption: i % 4 !== 0,
      vpcConfig: isolated ? vpc(i, region) : null,
      volumeKmsKeyId: isolated ? (keyRef(i, region) ?? null) : null,
      outputKmsKeyId: i % 3 === 0 ? null : (keyRef(i + 1, region) ?? null),
      roleArn: roleArn(i),
    };
  }
  const definitionKinds = { DataQuality: 'data-quality', ModelQuality: 'model-quality', ModelBias: 'model-bias', ModelExplainability: 'model-explainability' } as const;
  for (let i = 0; i < counts.monitoringJobDefinitions; i++) {
    const region = regionOf(i);
    const type = (['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'] as const)[i % 4]!;
    const arn = smArn(region, `${definitionKinds[type]}-job-definition`, `mjd-${i}`);
    if (i % 60 === 59) {
      collectionErrors.push({ service: 'sagemaker', region, operation: `Describe${type}JobDefinition`, resource: arn, errorCode: 'ThrottlingException' });
      sagemaker.monitoringJobDefinitions!.push({ arn, region, name: `mjd-${i}`, monitoringType: type });
      continue;
    }
    sagemaker.monitoringJobDefinitions!.push({ arn, region, name: `mjd-${i}`, monitoringType: type, endpointName: `ep-${i % Math.max(1, counts.endpoints)}`, ...jobSecurity(i, region) });
  }
  for (let i = 0; i < counts.tuningJobs; i++) {
    const region = regionOf(i);
    // Most tune one algorithm; one in four several.
    const definitions = i % 4 === 3 ? 3 : 1;
    sagemaker.hyperParameterTuningJobs!.push({
      arn: smArn(region, 'hyper-parameter-tuning-job', `tune-${pad(i)}`),
      region,
      name: `tune-${pad(i)}`,
      status: 'Completed',
      creationTime: '2026-01-01T00:00:00Z',
      trainingJobDefinitions: Array.from({ length: definitions }, (_, d) => ({ definitionName: definitions > 1 ? `algo-${d}` : null, ...jobSecurity(i + d, region) })),
    });
  }
  for (let i = 0; i < counts.transformJobs; i++) {
    const region = regionOf(i);
    // Models are spread over regions the same way: model-i is in the region of i.
    const model = i % Math.max(1, counts.models);
    sagemaker.transformJobs!.push({
      arn: smArn(region, 'transform-job', `batch-${pad(i)}`),
      region,
      name: `batch-${pad(i)}`,
      status: 'Completed',
      creationTime: '2026-01-01T00:00:00Z',
      modelName: `model-${model}`,
      volumeKmsKeyId: i % 3 === 0 ? null : (keyRef(i, region) ?? null),
      outputKmsKeyId: i % 5 === 0 ? null : (keyRef(i + 1, region) ?? null),
    });
  }
  // Model cards name models of their region; statuses and keys mixed; one in 80 not described.
  const cardStatuses = ['Approved', 'Approved', 'Draft', 'PendingReview', 'Archived'];
  for (let i = 0; i < counts.modelCards; i++) {
    const region = regionOf(i);
    const arn = smArn(region, 'model-card', `card-${i}`);
    if (i % 80 === 79) {
      collectionErrors.push({ service: 'sagemaker', region, operation: 'DescribeModelCard', resource: arn, errorCode: 'AccessDeniedException' });
      sagemaker.modelCards!.push({ arn, region, name: `card-${i}`, status: 'Approved' });
      continue;
    }
    const model = i % Math.max(1, counts.models);
    sagemaker.modelCards!.push({
      arn,
      region,
      name: `card-${i}`,
      status: cardStatuses[i % cardStatuses.length]!,
      kmsKeyId: chance(0.6) ? (keyRef(i, region) ?? null) : null,
      modelId: i % 2 === 0 ? smArn(region, 'model', `model-${model}`) : null,
      modelName: `model-${model}`,
    });
  }
  for (let i = 0; i < counts.domains; i++) {
    const region = regionOf(i);
    sagemaker.domains!.push({
      arn: smArn(region, 'domain', `d-${pad(i)}`),
      region,
      id: `d-${pad(i)}`,
      name: `studio-${i}`,
      appNetworkAccessType: i % 2 === 0 ? 'VpcOnly' : 'PublicInternetOnly',
      kmsKeyId: null,
      vpcId: subnetsFor(i, region).vpcId,
      subnetIds: subnetsFor(i, region).subnets,
      authMode: 'IAM',
    });
  }
  for (let i = 0; i < counts.modelPackageGroups; i++) {
    const region = regionOf(i);
    sagemaker.modelPackageGroups!.push({
      arn: smArn(region, 'model-package-group', `mpg-${i}`),
      region,
      name: `mpg-${i}`,
      packages: [{ arn: smArn(region, 'model-package', `mpg-${i}/1`), version: 1, approvalStatus: i % 2 === 0 ? 'Approved' : 'PendingManualApproval' }],
    });
  }

  // ---------------------------------------------------------------- Access Analyzer, network
  const analyzers: NonNullable<Input['accessAnalyzer']>['analyzers'] = [];
  for (let i = 0; i < counts.analyzers; i++) {
    const region = regionOf(i);
    analyzers.push({
      arn: `arn:aws:access-analyzer:${region}:${A}:analyzer/analyzer-${i}`,
      region,
      name: `analyzer-${i}`,
      type: 'ACCOUNT',
      status: 'ACTIVE',
      // Findings on AI buckets, on ordinary buckets and on roles trusted from outside; some analyzers have none.
      activeFindings:
        i % 4 === 3
          ? []
          : Array.from({ length: 10 }, (_, k) => {
              const n = i * 10 + k;
              return k % 3 === 0
                ? { id: `finding-${n}`, resource: `arn:aws:s3:::${aiBucket(n)}`, resourceType: 'AWS::S3::Bucket', isPublic: k % 2 === 0 }
                : k % 3 === 1
                  ? { id: `finding-${n}`, resource: bucketArn(n * 7 + 3), resourceType: 'AWS::S3::Bucket', isPublic: false }
                  : { id: `finding-${n}`, resource: roles[(n * 40) % Math.max(1, roles.length)]?.arn ?? bucketArn(n), resourceType: 'AWS::IAM::Role', isPublic: false };
            }),
    });
  }
  const vpcEndpoints: NonNullable<Input['ec2']>['vpcEndpoints'] = [];
  for (let i = 0; i < counts.vpcEndpoints; i++) {
    const region = regionOf(i);
    const service = pick(['bedrock-runtime', 's3', 'sagemaker.api', 'sagemaker.runtime', 'kms']);
    vpcEndpoints.push({
      arn: `arn:aws:ec2:${region}:${A}:vpc-endpoint/vpce-${pad(i)}`,
      region,
      id: `vpce-${pad(i)}`,
      vpcId: vpcIdOf(region, i),
      serviceName: `com.amazonaws.${region}.${service}`,
      type: service === 's3' ? 'Gateway' : 'Interface',
      state: 'available',
      ...(service === 's3' ? {} : { privateDnsEnabled: true }),
      policy:
        service === 's3' && i % 3 === 0
          ? doc({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [0, 1].flatMap((k) => [`arn:aws:s3:::${aiBucket(i + k)}`, `arn:aws:s3:::${aiBucket(i + k)}/*`]) })
          : i % 2 === 0
            ? null
            : doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': A } } }),
    });
  }
  // The rest of the log groups: Lambda functions and SageMaker endpoints.
  for (let i = 0; logGroups.length < counts.logGroups; i++) {
    addLogGroup(regionOf(i), i % 4 === 0 ? `/aws/sagemaker/Endpoints/epc-${i}` : `/aws/lambda/fn-${pad(i)}`, i);
  }

  // ---------------------------------------------------------------- metric filters and alarms
  // Filters on the trails' log groups first (a full IAM policy change list, the CIS list, one limited
  // to one role, one regular expression), then application filters; alarms on their metrics, on
  // Bedrock usage (static and anomaly detection) and on guardrail interventions, some silenced.
  const IAM_EVENTS = ['PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'UpdateAssumeRolePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion'];
  const patterns = [
    `{ ($.eventSource = iam.amazonaws.com) && (${IAM_EVENTS.map((e) => `($.eventName = ${e})`).join(' || ')}) }`,
    `{${['DeleteGroupPolicy', 'DeleteRolePolicy', 'PutRolePolicy', 'CreatePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy'].map((e) => `($.eventName=${e})`).join('||')}}`,
    '{ $.eventSource = iam.amazonaws.com && $.requestParameters.roleName = "role-000*" }',
    '{ $.eventName = %Put.*Policy% }',
    '{ $.level = "ERROR" && $.service = "inference" }',
    '?Exception ?Timeout',
  ];
  const metricFilters: NonNullable<NonNullable<Input['logs']>['metricFilters']> = [];
  for (let i = 0; metricFilters.length < counts.metricFilters && logGroups.length; i++) {
    const group = logGroups[i % logGroups.length]!;
    const trailGroup = group.name.startsWith('/aws/cloudtrail/');
    const pattern = patterns[trailGroup ? i % 4 : 4 + (i % 2)]!;
    metricFilters.push({
      arn: `${group.arn}:metric-filter:filter-${i}`,
      region: group.region,
      name: `filter-${i}`,
      logGroupName: group.name,
      filterPattern: pattern,
      metricTransformations: [{ metricName: `Metric${i}`, metricNamespace: trailGroup ? 'CloudTrailMetrics' : 'App', ...(i % 11 === 10 ? { dimensions: ['Role'] } : {}) }],
    });
  }
  const alarms: NonNullable<Input['cloudwatch']>['alarms'] = [];
  for (let i = 0; alarms.length < counts.alarms; i++) {
    const region = regionOf(i);
    const name = `alarm-${pad(i)}`;
    const style = i % 5;
    const base = {
      arn: `arn:aws:cloudwatch:${region}:${A}:alarm:${name}`,
      region,
      name,
      actionsEnabled: i % 7 !== 3,
      alarmActions: i % 13 === 5 ? [] : [`arn:aws:sns:${region}:${A}:alerts`],
      stateValue: 'OK',
    };
    const metric = metricFilters.length ? metricFilters[i % metricFilters.length]!.metricTransformations?.[0] : undefined;
    const guardrails = bedrock.guardrails ?? [];
    if (style === 0 && metric) {
      alarms.push({ ...base, namespace: metric.metricNamespace, metricName: metric.metricName, dimensions: [] });
    } else if (style === 1) {
      alarms.push({ ...base, namespace: 'AWS/Bedrock', metricName: ['Invocations', 'InputTokenCount', 'InvocationLatency'][i % 3]!, dimensions: i % 2 ? [{ name: 'ModelId', value: APPROVED_MODELS[i % APPROVED_MODELS.length]! }] : [] });
    } else if (style === 2) {
      alarms.push({
        ...base,
        dimensions: [],
        thresholdMetricId: 'ad1',
        metrics: [
          { id: 'm1', namespace: 'AWS/Bedrock', metricName: 'OutputTokenCount', dimensions: [], returnData: true },
          { id: 'ad1', expression: 'ANOMALY_DETECTION_BAND(m1, 2)', dimensions: [], returnData: true },
        ],
      });
    } else if (style === 3 && guardrails.length) {
      const guardrail = guardrails[i % guardrails.length]!;
      alarms.push({ ...base, region: guardrail.region, arn: `arn:aws:cloudwatch:${guardrail.region}:${A}:alarm:${name}`, namespace: 'AWS/Bedrock/Guardrails', metricName: 'InvocationsIntervened', dimensions: i % 2 ? [{ name: 'GuardrailArn', value: guardrail.arn }] : [] });
    } else {
      alarms.push({ ...base, namespace: 'AWS/SageMaker', metricName: 'Invocation5XXErrors', dimensions: [{ name: 'EndpointName', value: `ep-${i}` }] });
    }
  }
  alarms.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));

  const inventory: Input = {
    schemaVersion: '1.0',
    account: { id: A, partition: 'aws', alias: 'synthetic-ml-platform' },
    regions: [...SYNTHETIC_REGIONS],
    source: { kind: 'synthetic', detail: `aigis bench: ${total} resources` },
    collectionErrors,
    s3: { accountPublicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }, buckets },
    kms: { keys },
    cloudtrail: { trails },
    iam: { users, groups, roles, policies, accountSummary: { rootMfaEnabled: true, rootAccessKeysPresent: false } },
    bedrock,
    sagemaker,
    accessAnalyzer: { analyzers },
    ec2: { vpcEndpoints, subnets },
    logs: { logGroups, metricFilters },
    cloudwatch: { alarms },
    detective: {
      macie: SYNTHETIC_REGIONS.map((region, r) => ({ region, status: r % 2 === 0 ? 'ENABLED' : 'DISABLED' })),
      guardDuty: SYNTHETIC_REGIONS.map((region, r) => ({
        region,
        detectors:
          r % 3 === 2
            ? []
            : [{ id: `det${r}`, status: 'ENABLED', features: [{ name: 'RUNTIME_MONITORING', status: 'DISABLED' }, { name: 'S3_DATA_EVENTS', status: r % 2 === 0 ? 'ENABLED' : 'DISABLED' }] }],
      })),
      securityHub: SYNTHETIC_REGIONS.map((region, r) => ({
        region,
        enabled: r % 2 === 0,
        ...(r % 2 === 0 ? { standards: r % 4 === 0 ? [{ arn: `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`, status: 'READY' }] : [] } : {}),
      })),
      config: SYNTHETIC_REGIONS.map((region, r) => ({ region, recorders: [{ name: 'default', recording: r % 4 !== 3, allSupported: true }] })),
    },
  };
  return inventory;
}
