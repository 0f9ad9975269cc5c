/**
 * A loopback AWS endpoint (node:http on 127.0.0.1, random port) that answers STS and IAM (query
 * protocol, XML), S3 and S3 Control (REST-XML, path-style), KMS (JSON 1.1) and Bedrock (REST-JSON:
 * the bedrock and bedrock-agent operations the collector calls, with knowledge bases, data sources,
 * prompts and flows in us-east-1, and their tags), OpenSearch Serverless (JSON 1.0: the knowledge
 * bases' collections and their keys), GuardDuty and Security Hub (REST-JSON: detectors with their
 * protection plans, hubs with their standards, and BatchImportFindings, recorded), CloudWatch Logs (JSON 1.1: log groups and metric
 * filters), CloudWatch (JSON 1.0, query-compatible: metric alarms), API Gateway (REST-JSON: REST
 * APIs, resources with methods, stages, usage plans), WAFv2 (JSON 1.1: web ACLs), Macie and
 * Inspector (REST-JSON: Macie with automated discovery and classification jobs in us-east-1, not
 * enabled elsewhere; Inspector ECR scanning on in us-east-1 only) in their real wire formats, so
 * that tests and benches exercise the SDK's signing, serialization and parsing path.
 *
 * The service is taken from the SigV4 credential scope (as emulators do), the operation from the
 * protocol (Action=, X-Amz-Target, or the S3 sub-resource). Faults can be injected per operation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackBucket {
  name: string;
  region: string;
  /** 'kms' = SSE-KMS with `kmsKeyArn`, 'aes' = SSE-S3, 'none' = no default encryption configuration. */
  encryption: 'kms' | 'aes' | 'none';
  kmsKeyArn?: string;
  publicAccessBlock: boolean;
  policy?: object;
  versioning?: 'Enabled' | 'Suspended';
  tags?: Record<string, string>;
  /** One enabled lifecycle rule expiring current objects after this many days; absent: no lifecycle configuration. */
  expireDays?: number;
  /** Destination bucket ARN of one enabled replication rule; absent: no replication configuration. */
  replicateTo?: string;
}

export interface LoopbackKey {
  id: string;
  region: string;
  manager: 'AWS' | 'CUSTOMER';
  rotation: boolean;
  aliases: string[];
}

export interface LoopbackWorld {
  accountId: string;
  buckets: LoopbackBucket[];
  /** Number of IAM roles (named role-0000...). */
  roles: number;
  users: string[];
  keys: LoopbackKey[];
  accountPublicAccessBlock: boolean;
  /** Whether ListBuckets reports BucketRegion (if not, the scanner calls GetBucketLocation). */
  listBucketRegion: boolean;
  /** Bedrock knowledge bases in us-east-1 (kb-0 ...), each with one S3 data source; default 3. */
  knowledgeBases?: number;
  /**
   * SageMaker endpoints in us-east-1 (ep-0 ...; default 3), each running its own endpoint config
   * (epc-i, i+1 instances); even ones tagged environment=prod with blue/green guardrails, a data
   * quality schedule on ep-0 and one model card per endpoint model.
   */
  sageMakerEndpoints?: number;
}

export type LoopbackFault =
  | { kind: 'status'; status: number; code: string; message?: string }
  | { kind: 'hang' }
  /** Answer with this fault only for the first `times` requests, then normally. */
  | { kind: 'flaky'; times: number; status: number; code: string };

export interface LoopbackOptions {
  /** Added before every response (models network latency). */
  latencyMs?: number;
  /** Items per page for ListBuckets / GetAccountAuthorizationDetails / ListKeys (servers may return fewer than asked). */
  pageSize?: number;
}

export interface LoopbackServer {
  url: string;
  /** Requests received per `service:Operation` (retries included). */
  requests: Map<string, number>;
  /** Authorization headers seen (to check the SDK really signed with the given credentials). */
  accessKeyIds: Set<string>;
  faults: Map<string, LoopbackFault>;
  /** Parameters of every sts:AssumeRole request. */
  assumeRoleCalls: URLSearchParams[];
  /** Access key id of every request, by `service:Operation`. */
  signers: Map<string, Set<string>>;
  /** Every securityhub:BatchImportFindings request answered (not faulted), in order: the signing Region and the findings. */
  securityHubImports: { region: string; findings: Record<string, unknown>[] }[];
  /** Finding Ids that BatchImportFindings lists in FailedFindings, with the error (fault injection). */
  securityHubRejects: Map<string, { code: string; message: string }>;
  close(): Promise<void>;
}

/** The temporary access key id the loopback hands out for sts:AssumeRole. */
export const ASSUMED_ACCESS_KEY_ID = 'ASIALOOPBACKTEMP';

const xmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, value: string | number | boolean | undefined) => (value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`);
const members = (items: string[]) => items.map((i) => `<member>${i}</member>`).join('');
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function defaultWorld(overrides: Partial<LoopbackWorld> = {}): LoopbackWorld {
  const accountId = overrides.accountId ?? '123456789012';
  const cmk = `arn:aws:kms:us-east-1:${accountId}:key/0b5c1f0e-1111-2222-3333-444455556666`;
  return {
    accountId,
    buckets: [
      { name: 'training-data', region: 'us-east-1', encryption: 'kms', kmsKeyArn: cmk, publicAccessBlock: true, versioning: 'Enabled', tags: { 'data-class': 'phi' }, expireDays: 365, replicateTo: 'arn:aws:s3:::training-data-dr' },
      { name: 'eu-features', region: 'eu-west-1', encryption: 'aes', publicAccessBlock: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::eu-features/*' }] } },
      { name: 'scratch', region: 'us-east-1', encryption: 'none', publicAccessBlock: false },
    ],
    roles: 5,
    users: ['alice'],
    keys: [
      { id: '0b5c1f0e-1111-2222-3333-444455556666', region: 'us-east-1', manager: 'CUSTOMER', rotation: false, aliases: ['alias/training'] },
      { id: 'aaaa0000-1111-2222-3333-444455556666', region: 'us-east-1', manager: 'AWS', rotation: true, aliases: ['alias/aws/s3'] },
    ],
    accountPublicAccessBlock: false,
    listBucketRegion: false,
    ...overrides,
  };
}

export async function startLoopbackAws(world: LoopbackWorld, options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const requests = new Map<string, number>();
  const accessKeyIds = new Set<string>();
  const faults = new Map<string, LoopbackFault>();
  const assumeRoleCalls: URLSearchParams[] = [];
  const signers = new Map<string, Set<string>>();
  const securityHubImports: LoopbackServer['securityHubImports'] = [];
  const securityHubRejects: LoopbackServer['securityHubRejects'] = new Map();
  const pageSize = options.pageSize ?? 1000;
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void handle(req, res, body).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    if (!scope) return send(res, 403, 'text/plain', 'missing SigV4 signature');
    const [, accessKeyId, region, signingService] = scope as unknown as [string, string, string, string];
    accessKeyIds.add(accessKeyId);
    const url = new URL(req.url ?? '/', 'http://loopback');
    let route: Route;
    if (signingService === 's3' && url.pathname.startsWith('/v20180820/')) route = s3ControlRoute(req, url);
    else if (signingService === 's3') route = s3Route(url, region);
    else if (signingService === 'sts' || signingService === 'iam') route = queryRoute(signingService, body, accessKeyId);
    else if (signingService === 'kms') route = kmsRoute(req, body, region);
    else if (signingService === 'bedrock') route = bedrockRoute(req, url, body, region);
    else if (signingService === 'sagemaker') route = sageMakerRoute(req, body, region);
    else if (signingService === 'aoss') route = openSearchServerlessRoute(req, body, region);
    else if (signingService === 'guardduty') route = guardDutyRoute(req, url, region);
    else if (signingService === 'securityhub') route = securityHubRoute(req, url, body, region);
    else if (signingService === 'logs') route = logsRoute(req, body, region);
    else if (signingService === 'monitoring') route = cloudWatchRoute(req, body, region);
    else if (signingService === 'apigateway') route = apiGatewayRoute(req, url, region);
    else if (signingService === 'wafv2') route = wafRoute(req, body, region);
    else if (signingService === 'macie2' || signingService === 'inspector2') route = detectiveRoute(signingService, req, url, body, region);
    else route = { service: signingService, operation: 'Unknown', protocol: 'json', answer: () => ({ status: 400, code: 'UnknownOperationException' }) };

    const key = `${route.service}:${route.operation}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    if (!signers.has(key)) signers.set(key, new Set());
    signers.get(key)!.add(accessKeyId);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    const fault = faults.get(key);
    if (fault?.kind === 'hang') {
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'flaky' && fault.times > 0) {
      fault.times--;
      return sendError(res, route.protocol, fault.status, fault.code, 'injected transient fault');
    }
    if (fault?.kind === 'status') return sendError(res, route.protocol, fault.status, fault.code, fault.message ?? 'injected fault');

    const answer = route.answer();
    if ('code' in answer) return sendError(res, route.protocol, answer.status, answer.code, answer.message ?? answer.code);
    send(res, 200, answer.contentType, answer.body, answer.headers);
  }

  type Answer = { status: number; code: string; message?: string } | { contentType: string; body: string; headers?: Record<string, string> };
  interface Route {
    service: string;
    operation: string;
    protocol: 'query' | 'restxml' | 'json';
    answer: () => Answer;
  }

  const xml = (body: string): Answer => ({ contentType: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
  const notFound = (code: string): Answer => ({ status: 404, code });

  // ---------------------------------------------------------------- STS and IAM (query protocol)
  function queryRoute(service: 'sts' | 'iam', body: string, accessKeyId: string): Route {
    const params = new URLSearchParams(body);
    const operation = params.get('Action') ?? 'Unknown';
    const ns = service === 'sts' ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'https://iam.amazonaws.com/doc/2010-05-08/';
    const wrap = (result: string): Answer =>
      xml(`<${operation}Response xmlns="${ns}"><${operation}Result>${result}</${operation}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${operation}Response>`);
    return {
      service,
      operation,
      protocol: 'query',
      answer: () => {
        if (service === 'sts' && operation === 'GetCallerIdentity') {
          const arn = accessKeyId === ASSUMED_ACCESS_KEY_ID ? `arn:aws:sts::${world.accountId}:assumed-role/aigis-readonly/aigis-readonly-scan` : `arn:aws:iam::${world.accountId}:user/scanner`;
          return wrap(el('Arn', arn) + el('UserId', 'AIDASCANNER') + el('Account', world.accountId));
        }
        if (service === 'sts' && operation === 'AssumeRole') {
          assumeRoleCalls.push(params);
          const expiration = new Date(Date.now() + 3600_000).toISOString();
          return wrap(
            `<AssumedRoleUser>${el('Arn', `arn:aws:sts::${world.accountId}:assumed-role/aigis-readonly/${params.get('RoleSessionName') ?? ''}`)}${el('AssumedRoleId', 'AROAREADONLY:session')}</AssumedRoleUser>` +
              `<Credentials>${el('AccessKeyId', ASSUMED_ACCESS_KEY_ID)}${el('SecretAccessKey', 'temp-secret')}${el('SessionToken', 'temp-token')}${el('Expiration', expiration)}</Credentials>`,
          );
        }
        if (service === 'iam') {
          if (operation === 'GetAccountAuthorizationDetails') return wrap(gaadPage(params.get('Marker')));
          if (operation === 'GetAccountSummary') {
            return wrap(`<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry><entry><key>Roles</key><value>${world.roles}</value></entry></SummaryMap>`);
          }
          if (operation === 'GetCredentialReport') return { status: 410, code: 'ReportNotPresent', message: 'Credential report does not exist.' };
          if (operation === 'ListAccountAliases') return wrap(`<AccountAliases>${members(['loopback-lab'])}</AccountAliases><IsTruncated>false</IsTruncated>`);
        }
        return { status: 400, code: 'InvalidAction', message: `${operation} is not supported by the loopback` };
      },
    };
  }

  function gaadPage(marker: string | null): string {
    // Entities in one stream: users, then roles, then customer policies, paginated by `pageSize`.
    const start = marker ? Number(marker) : 0;
    const total = world.users.length + world.roles + 1;
    const end = Math.min(total, start + pageSize);
    const users: string[] = [];
    const roles: string[] = [];
    const policies: string[] = [];
    const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
    const inline = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*'] }] }));
    for (let i = start; i < end; i++) {
      if (i < world.users.length) {
        const name = world.users[i]!;
        users.push(
          el('Path', '/') + el('UserName', name) + el('UserId', `AIDA${i}`) + el('Arn', `arn:aws:iam::${world.accountId}:user/${name}`) + el('CreateDate', '2024-01-01T00:00:00Z') +
            '<UserPolicyList/><GroupList/><AttachedManagedPolicies/><Tags/>',
        );
      } else if (i < world.users.length + world.roles) {
        const n = i - world.users.length;
        const name = `role-${String(n).padStart(4, '0')}`;
        roles.push(
          el('Path', '/') + el('RoleName', name) + el('RoleId', `AROA${n}`) + el('Arn', `arn:aws:iam::${world.accountId}:role/${name}`) + el('CreateDate', '2024-01-01T00:00:00Z') +
            el('AssumeRolePolicyDocument', trust) + '<InstanceProfileList/>' +
            `<RolePolicyList><member>${el('PolicyName', 'read-training')}${el('PolicyDocument', inline)}</member></RolePolicyList>` +
            `<AttachedManagedPolicies><member>${el('PolicyName', 'ml-data')}${el('PolicyArn', `arn:aws:iam::${world.accountId}:policy/ml-data`)}</member></AttachedManagedPolicies>` +
            `<Tags><member>${el('Key', 'team')}${el('Value', 'ml')}</member></Tags>` +
            `<RoleLastUsed>${el('LastUsedDate', '2026-01-01T00:00:00Z')}${el('Region', 'us-east-1')}</RoleLastUsed>`,
        );
      } else {
        const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }));
        policies.push(
          el('PolicyName', 'ml-data') + el('PolicyId', 'ANPAMLDATA') + el('Arn', `arn:aws:iam::${world.accountId}:policy/ml-data`) + el('Path', '/') + el('DefaultVersionId', 'v1') +
            el('AttachmentCount', world.roles) + el('IsAttachable', true) +
            `<PolicyVersionList><member>${el('Document', doc)}${el('VersionId', 'v1')}${el('IsDefaultVersion', true)}</member></PolicyVersionList>`,
        );
      }
    }
    const truncated = end < total;
    return (
      `<UserDetailList>${members(users)}</UserDetailList><GroupDetailList/><RoleDetailList>${members(roles)}</RoleDetailList><Policies>${members(policies)}</Policies>` +
      el('IsTruncated', truncated) +
      (truncated ? el('Marker', String(end)) : '')
    );
  }

  // ---------------------------------------------------------------- S3 (REST-XML, path style)
  function s3Route(url: URL, region: string): Route {
    const [, bucketName] = url.pathname.split('/');
    const query = url.searchParams;
    if (!bucketName) {
      return {
        service: 's3',
        operation: 'ListBuckets',
        protocol: 'restxml',
        answer: () => {
          const start = query.get('continuation-token') ? Number(query.get('continuation-token')) : 0;
          const max = Math.min(pageSize, Number(query.get('max-buckets') ?? 10000));
          const page = world.buckets.slice(start, start + max);
          const next = start + max < world.buckets.length ? String(start + max) : undefined;
          return xml(
            `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner><ID>owner</ID></Owner><Buckets>` +
              page.map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', '2024-05-01T00:00:00.000Z')}${world.listBucketRegion ? el('BucketRegion', b.region) : ''}</Bucket>`).join('') +
              `</Buckets>${el('ContinuationToken', next)}</ListAllMyBucketsResult>`,
          );
        },
      };
    }
    const sub = ['location', 'publicAccessBlock', 'encryption', 'policy', 'policyStatus', 'versioning', 'logging', 'object-lock', 'ownershipControls', 'tagging', 'lifecycle', 'replication'].find((s) => query.has(s));
    const operation =
      {
        location: 'GetBucketLocation',
        publicAccessBlock: 'GetPublicAccessBlock',
        encryption: 'GetBucketEncryption',
        policy: 'GetBucketPolicy',
        policyStatus: 'GetBucketPolicyStatus',
        versioning: 'GetBucketVersioning',
        logging: 'GetBucketLogging',
        'object-lock': 'GetObjectLockConfiguration',
        ownershipControls: 'GetBucketOwnershipControls',
        tagging: 'GetBucketTagging',
        lifecycle: 'GetBucketLifecycleConfiguration',
        replication: 'GetBucketReplication',
      }[sub ?? ''] ?? 'Unknown';
    return {
      service: 's3',
      operation,
      protocol: 'restxml',
      answer: () => {
        const bucket = world.buckets.find((b) => b.name === bucketName);
        if (!bucket) return notFound('NoSuchBucket');
        // Like S3: a request signed for the wrong region is refused (the SDK then needs the location).
        if (operation !== 'GetBucketLocation' && region !== bucket.region) {
          return { status: 400, code: 'AuthorizationHeaderMalformed', message: `the region '${region}' is wrong; expecting '${bucket.region}'` };
        }
        switch (operation) {
          case 'GetBucketLocation':
            return xml(`<LocationConstraint xmlns="${S3_NS}">${bucket.region === 'us-east-1' ? '' : xmlEscape(bucket.region)}</LocationConstraint>`);
          case 'GetPublicAccessBlock':
            return bucket.publicAccessBlock ? xml(pab(true)) : notFound('NoSuchPublicAccessBlockConfiguration');
          case 'GetBucketEncryption':
            if (bucket.encryption === 'none') return notFound('ServerSideEncryptionConfigurationNotFoundError');
            return xml(
              `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault>` +
                (bucket.encryption === 'kms' ? el('SSEAlgorithm', 'aws:kms') + el('KMSMasterKeyID', bucket.kmsKeyArn) : el('SSEAlgorithm', 'AES256')) +
                `</ApplyServerSideEncryptionByDefault>${el('BucketKeyEnabled', bucket.encryption === 'kms')}</Rule></ServerSideEncryptionConfiguration>`,
            );
          case 'GetBucketPolicy':
            return bucket.policy ? { contentType: 'application/json', body: JSON.stringify(bucket.policy) } : notFound('NoSuchBucketPolicy');
          case 'GetBucketPolicyStatus':
            return bucket.policy ? xml(`<PolicyStatus xmlns="${S3_NS}">${el('IsPublic', JSON.stringify(bucket.policy).includes('"Principal":"*"'))}</PolicyStatus>`) : notFound('NoSuchBucketPolicy');
          case 'GetBucketVersioning':
            return xml(`<VersioningConfiguration xmlns="${S3_NS}">${el('Status', bucket.versioning)}</VersioningConfiguration>`);
          case 'GetBucketLogging':
            return xml(`<BucketLoggingStatus xmlns="${S3_NS}"/>`);
          case 'GetObjectLockConfiguration':
            return notFound('ObjectLockConfigurationNotFoundError');
          case 'GetBucketOwnershipControls':
            return xml(`<OwnershipControls xmlns="${S3_NS}"><Rule>${el('ObjectOwnership', 'BucketOwnerEnforced')}</Rule></OwnershipControls>`);
          case 'GetBucketTagging':
            if (!bucket.tags) return notFound('NoSuchTagSet');
            return xml(`<Tagging xmlns="${S3_NS}"><TagSet>${Object.entries(bucket.tags).map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`).join('')}</TagSet></Tagging>`);
          case 'GetBucketLifecycleConfiguration':
            if (bucket.expireDays === undefined) return notFound('NoSuchLifecycleConfiguration');
            return xml(
              `<LifecycleConfiguration xmlns="${S3_NS}"><Rule>${el('ID', 'expire')}<Filter>${el('Prefix', '')}</Filter>${el('Status', 'Enabled')}` +
                `<Expiration>${el('Days', bucket.expireDays)}</Expiration></Rule></LifecycleConfiguration>`,
            );
          case 'GetBucketReplication':
            if (bucket.replicateTo === undefined) return notFound('ReplicationConfigurationNotFoundError');
            return xml(
              `<ReplicationConfiguration xmlns="${S3_NS}">${el('Role', `arn:aws:iam::${world.accountId}:role/s3-replication`)}<Rule>${el('ID', 'dr')}${el('Priority', 1)}` +
                `<Filter>${el('Prefix', '')}</Filter>${el('Status', 'Enabled')}<Destination>${el('Bucket', bucket.replicateTo)}</Destination></Rule></ReplicationConfiguration>`,
            );
          default:
            return { status: 400, code: 'NotImplemented' };
        }
      },
    };
  }

  const pab = (on: boolean) =>
    `<PublicAccessBlockConfiguration xmlns="${S3_NS}">${el('BlockPublicAcls', on)}${el('IgnorePublicAcls', on)}${el('BlockPublicPolicy', on)}${el('RestrictPublicBuckets', on)}</PublicAccessBlockConfiguration>`;

  function s3ControlRoute(req: IncomingMessage, url: URL): Route {
    const operation = url.pathname === '/v20180820/configuration/publicAccessBlock' && req.method === 'GET' ? 'GetPublicAccessBlock' : 'Unknown';
    return {
      service: 's3control',
      operation,
      protocol: 'restxml',
      answer: () => {
        if (req.headers['x-amz-account-id'] !== world.accountId) return { status: 403, code: 'AccessDenied', message: 'wrong x-amz-account-id' };
        if (operation === 'Unknown') return { status: 400, code: 'NotImplemented' };
        return world.accountPublicAccessBlock ? xml(pab(true)) : notFound('NoSuchPublicAccessBlockConfiguration');
      },
    };
  }

  // ---------------------------------------------------------------- KMS (JSON 1.1)
  function kmsRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.1', body: JSON.stringify(value) });
    const keys = world.keys.filter((k) => k.region === region);
    const arnOf = (k: LoopbackKey) => `arn:aws:kms:${k.region}:${world.accountId}:key/${k.id}`;
    const find = () => keys.find((k) => k.id === input.KeyId || arnOf(k) === input.KeyId);
    return {
      service: 'kms',
      operation,
      protocol: 'json',
      answer: () => {
        switch (operation) {
          case 'ListKeys': {
            const start = input.Marker ? Number(input.Marker) : 0;
            const max = Math.min(pageSize, Number(input.Limit ?? 100));
            const page = keys.slice(start, start + max);
            const truncated = start + max < keys.length;
            return json({ Keys: page.map((k) => ({ KeyId: k.id, KeyArn: arnOf(k) })), Truncated: truncated, ...(truncated ? { NextMarker: String(start + max) } : {}) });
          }
          case 'ListAliases':
            return json({
              Aliases: keys.flatMap((k) => k.aliases.map((a) => ({ AliasName: a, AliasArn: `arn:aws:kms:${region}:${world.accountId}:${a}`, TargetKeyId: k.id }))),
              Truncated: false,
            });
          case 'DescribeKey': {
            const key = find();
            if (!key) return { status: 400, code: 'NotFoundException' };
            return json({
              KeyMetadata: {
                AWSAccountId: world.accountId,
                KeyId: key.id,
                Arn: arnOf(key),
                CreationDate: 1700000000,
                Enabled: true,
                KeyUsage: 'ENCRYPT_DECRYPT',
                KeyState: 'Enabled',
                Origin: 'AWS_KMS',
                KeyManager: key.manager,
                KeySpec: 'SYMMETRIC_DEFAULT',
                CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
                EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
              },
            });
          }
          case 'GetKeyRotationStatus': {
            const key = find();
            return key ? json({ KeyRotationEnabled: key.rotation, KeyId: arnOf(key) }) : { status: 400, code: 'NotFoundException' };
          }
          case 'GetKeyPolicy':
            return json({
              Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${world.accountId}:root` }, Action: 'kms:*', Resource: '*' }] }),
              PolicyName: 'default',
            });
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  // ---------------------------------------------------------------- Macie and Inspector (REST-JSON)
  function detectiveRoute(service: 'macie2' | 'inspector2', req: IncomingMessage, url: URL, body: string, region: string): Route {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      input = {};
    }
    const jsonOk = (value: unknown): Answer => ({ contentType: 'application/json', body: JSON.stringify(value) });
    const route = (operation: string, answer: () => Answer): Route => ({ service, operation, protocol: 'json', answer });
    const here = region === 'us-east-1';
    const account = world.accountId;
    const path = parts.join('/');
    if (service === 'inspector2') {
      if (method === 'POST' && path === 'status/batch/get') {
        return route('BatchGetAccountStatus', () => {
          const ids = Array.isArray(input.accountIds) ? (input.accountIds as string[]) : [];
          const on = here ? 'ENABLED' : 'DISABLED';
          return jsonOk({
            accounts: ids.map((accountId) => ({
              accountId,
              state: { status: on },
              resourceState: { ec2: { status: 'DISABLED' }, ecr: { status: on }, lambda: { status: 'DISABLED' }, lambdaCode: { status: 'DISABLED' } },
            })),
            failedAccounts: [],
          });
        });
      }
      return route('Unknown', () => ({ status: 400, code: 'UnknownOperationException' }));
    }
    const notEnabled: Answer = { status: 403, code: 'AccessDeniedException', message: 'Macie is not enabled.' };
    if (method === 'GET' && path === 'macie') {
      return route('GetMacieSession', () =>
        here ? jsonOk({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: `arn:aws:iam::${account}:role/macie`, createdAt: '2026-01-01T00:00:00Z' }) : notEnabled,
      );
    }
    if (method === 'GET' && path === 'automated-discovery/configuration') {
      return route('GetAutomatedDiscoveryConfiguration', () => (here ? jsonOk({ status: 'ENABLED', classificationScopeId: 'scope0001', autoEnableOrganizationMembers: 'NONE' }) : notEnabled));
    }
    if (method === 'GET' && parts[0] === 'classification-scopes' && parts.length === 2) {
      return route('GetClassificationScope', () =>
        here && parts[1] === 'scope0001'
          ? jsonOk({ id: 'scope0001', name: 'automated-sensitive-data-discovery', s3: { excludes: { bucketNames: ['scratch'] } } })
          : { status: 404, code: 'ResourceNotFoundException' },
      );
    }
    if (method === 'POST' && path === 'jobs/list') {
      // One job per page: the second page comes with the token of the first.
      return route('ListClassificationJobs', () => {
        if (!here) return notEnabled;
        const jobs = [
          { jobId: 'job0001', name: 'training-weekly', jobType: 'SCHEDULED', jobStatus: 'IDLE', createdAt: '2026-02-01T00:00:00Z', bucketDefinitions: [{ accountId: account, buckets: ['training-data'] }] },
          {
            jobId: 'job0002',
            name: 'pii-tagged',
            jobType: 'ONE_TIME',
            jobStatus: 'RUNNING',
            createdAt: '2026-03-01T00:00:00Z',
            bucketCriteria: { includes: { and: [{ tagCriterion: { comparator: 'EQ', tagValues: [{ key: 'data-class', value: 'phi' }] } }] } },
          },
        ];
        const start = input.nextToken === 'j1' ? 1 : 0;
        return jsonOk({ items: jobs.slice(start, start + 1), ...(start === 0 ? { nextToken: 'j1' } : {}) });
      });
    }
    return route('Unknown', () => ({ status: 400, code: 'UnknownOperationException' }));
  }

  // ---------------------------------------------------------------- Bedrock (REST-JSON)
  function bedrockRoute(req: IncomingMessage, url: URL, body: string, region: string): Route {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      input = {};
    }
    const token = String(input.nextToken ?? url.searchParams.get('nextToken') ?? '');
    const jsonOk = (value: unknown): Answer => ({ contentType: 'application/json', body: JSON.stringify(value) });
    /** Token pagination, `pageSize` per page; tokens are `p<index>`. */
    const paged = <T>(items: T[]) => {
      const start = token.startsWith('p') ? Number(token.slice(1)) || 0 : 0;
      const next = start + pageSize < items.length ? `p${start + pageSize}` : undefined;
      return { items: items.slice(start, start + pageSize), next };
    };
    const account = world.accountId;
    const here = region === 'us-east-1';
    const kbCount = here ? (world.knowledgeBases ?? 3) : 0;
    const kbId = (i: number) => `KB${String(i).padStart(8, '0')}`;
    const kbIndex = (id: string | undefined) => {
      const i = id && /^KB\d{8}$/.test(id) ? Number(id.slice(2)) : -1;
      return i >= 0 && i < kbCount ? i : -1;
    };
    const cmk = `arn:aws:kms:us-east-1:${account}:key/0b5c1f0e-1111-2222-3333-444455556666`;
    const route = (service: string, operation: string, answer: () => Answer): Route => ({ service, operation, protocol: 'json', answer });
    const unknownOperation = route('bedrock', 'Unknown', () => ({ status: 400, code: 'UnknownOperationException' }));
    const [first, second, third, fourth] = parts;

    if (method === 'GET' && first === 'logging' && second === 'modelinvocations') return route('bedrock', 'GetModelInvocationLoggingConfiguration', () => jsonOk({}));
    if (method === 'GET' && first === 'guardrails' && !second) return route('bedrock', 'ListGuardrails', () => jsonOk({ guardrails: [] }));
    if (method === 'GET' && first === 'custom-models' && !second) return route('bedrock', 'ListCustomModels', () => jsonOk({ modelSummaries: [] }));
    if (method === 'POST' && first === 'agents' && !second) return route('bedrock-agent', 'ListAgents', () => jsonOk({ agentSummaries: [] }));
    if (first === 'knowledgebases') {
      if (method === 'POST' && !second) {
        return route('bedrock-agent', 'ListKnowledgeBases', () => {
          const { items, next } = paged(Array.from({ length: kbCount }, (_, i) => i));
          return jsonOk({ knowledgeBaseSummaries: items.map((i) => ({ knowledgeBaseId: kbId(i), name: `kb-${i}`, status: 'ACTIVE' })), ...(next ? { nextToken: next } : {}) });
        });
      }
      const i = kbIndex(second);
      if (method === 'GET' && second && !third) {
        return route('bedrock-agent', 'GetKnowledgeBase', () =>
          i < 0
            ? { status: 404, code: 'ResourceNotFoundException' }
            : jsonOk({
                knowledgeBase: {
                  knowledgeBaseId: kbId(i),
                  name: `kb-${i}`,
                  knowledgeBaseArn: `arn:aws:bedrock:us-east-1:${account}:knowledge-base/${kbId(i)}`,
                  roleArn: `arn:aws:iam::${account}:role/role-000${i % 5}`,
                  status: 'ACTIVE',
                  knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' } },
                  storageConfiguration: {
                    type: 'OPENSEARCH_SERVERLESS',
                    opensearchServerlessConfiguration: {
                      collectionArn: `arn:aws:aoss:us-east-1:${account}:collection/coll${i}`,
                      vectorIndexName: 'index',
                      fieldMapping: { vectorField: 'v', textField: 't', metadataField: 'm' },
                    },
                  },
                },
              }),
        );
      }
      if (method === 'POST' && second && third === 'datasources' && !fourth) {
        return route('bedrock-agent', 'ListDataSources', () =>
          i < 0
            ? { status: 404, code: 'ResourceNotFoundException' }
            : jsonOk({ dataSourceSummaries: [{ knowledgeBaseId: kbId(i), dataSourceId: `DS${String(i).padStart(8, '0')}`, name: `docs-${i}`, status: 'AVAILABLE' }] }),
        );
      }
      if (method === 'GET' && second && third === 'datasources' && fourth) {
        return route('bedrock-agent', 'GetDataSource', () =>
          i < 0 || fourth !== `DS${String(i).padStart(8, '0')}`
            ? { status: 404, code: 'ResourceNotFoundException' }
            : jsonOk({
                dataSource: {
                  knowledgeBaseId: kbId(i),
                  dataSourceId: fourth,
                  name: `docs-${i}`,
                  status: 'AVAILABLE',
                  dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::training-data', inclusionPrefixes: [`kb-${i}/`] } },
                  // Even knowledge bases name a customer managed key for ingestion; odd ones none.
                  ...(i % 2 === 0 ? { serverSideEncryptionConfiguration: { kmsKeyArn: cmk } } : {}),
                  dataDeletionPolicy: 'DELETE',
                },
              }),
        );
      }
      return unknownOperation;
    }
    if (first === 'prompts' && method === 'GET') {
      const prompt = { id: 'PROMPT0001', name: 'answer', arn: `arn:aws:bedrock:us-east-1:${account}:prompt/PROMPT0001`, version: 'DRAFT' };
      if (!second) return route('bedrock-agent', 'ListPrompts', () => jsonOk({ promptSummaries: here ? [prompt] : [] }));
      return route('bedrock-agent', 'GetPrompt', () => (here && second === prompt.id ? jsonOk({ ...prompt, customerEncryptionKeyArn: cmk }) : { status: 404, code: 'ResourceNotFoundException' }));
    }
    if (first === 'flows' && method === 'GET') {
      const flow = { id: 'FLOW000001', name: 'router', arn: `arn:aws:bedrock:us-east-1:${account}:flow/FLOW000001`, status: 'Prepared', version: 'DRAFT' };
      if (!second) return route('bedrock-agent', 'ListFlows', () => jsonOk({ flowSummaries: here ? [flow] : [] }));
      return route('bedrock-agent', 'GetFlow', () =>
        here && second === flow.id ? jsonOk({ ...flow, executionRoleArn: `arn:aws:iam::${account}:role/role-0004` }) : { status: 404, code: 'ResourceNotFoundException' },
      );
    }
    // ---- bedrock-agent tags: kb-0 is production and confidential, the prompt belongs to a team, the rest have none.
    if (first === 'tags' && second && method === 'GET' && !third) {
      return route('bedrock-agent', 'ListTagsForResource', () => {
        const tags: Record<string, Record<string, string>> = {
          [`arn:aws:bedrock:us-east-1:${account}:knowledge-base/${kbId(0)}`]: { environment: 'production', 'aigis:data-class': 'confidential' },
          [`arn:aws:bedrock:us-east-1:${account}:prompt/PROMPT0001`]: { team: 'support' },
        };
        return jsonOk({ tags: tags[second] ?? {} });
      });
    }
    return unknownOperation;
  }

  // ---------------------------------------------------------------- SageMaker (JSON 1.1)
  function sageMakerRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.1', body: JSON.stringify(value) });
    const count = region === 'us-east-1' ? (world.sageMakerEndpoints ?? 3) : 0;
    const arn = (kind: string, name: string) => `arn:aws:sagemaker:${region}:${world.accountId}:${kind}/${name}`;
    const indexOf = (name: unknown, prefix: string) => {
      const match = typeof name === 'string' && name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
      return Number.isInteger(match) && match >= 0 && match < count ? match : undefined;
    };
    const notFound = (what: string): Answer => ({ status: 400, code: 'ValidationException', message: `Could not find ${what}` });
    /** Token pagination, `pageSize` per page (the token is the next index). */
    const paged = <T>(items: T[], key: string) => {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const max = Math.min(pageSize, Number(input.MaxResults ?? 100));
      const next = start + max < items.length ? String(start + max) : undefined;
      return json({ [key]: items.slice(start, start + max), ...(next ? { NextToken: next } : {}) });
    };
    const indices = Array.from({ length: count }, (_, i) => i);
    const epoch = 1_700_000_000;
    return {
      service: 'sagemaker',
      operation,
      protocol: 'json',
      answer: () => {
        switch (operation) {
          case 'ListNotebookInstances':
            return json({ NotebookInstances: [] });
          case 'ListTrainingJobs':
            return json({ TrainingJobSummaries: [] });
          case 'ListProcessingJobs':
            return json({ ProcessingJobSummaries: [] });
          case 'ListModels':
            return json({ Models: [] });
          case 'ListDomains':
            return json({ Domains: [] });
          case 'ListModelPackageGroups':
            return json({ ModelPackageGroupSummaryList: [] });
          case 'ListEndpointConfigs':
            return paged(indices.map((i) => ({ EndpointConfigName: `epc-${i}`, EndpointConfigArn: arn('endpoint-config', `epc-${i}`), CreationTime: epoch })), 'EndpointConfigs');
          case 'DescribeEndpointConfig': {
            const i = indexOf(input.EndpointConfigName, 'epc-');
            if (i === undefined) return notFound(String(input.EndpointConfigName));
            return json({
              EndpointConfigName: `epc-${i}`,
              EndpointConfigArn: arn('endpoint-config', `epc-${i}`),
              ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `model-${i}`, InstanceType: 'ml.m5.large', InitialInstanceCount: i + 1 }],
              CreationTime: epoch,
            });
          }
          case 'ListEndpoints':
            return paged(
              indices.map((i) => ({ EndpointName: `ep-${i}`, EndpointArn: arn('endpoint', `ep-${i}`), EndpointStatus: 'InService', CreationTime: epoch, LastModifiedTime: epoch })),
              'Endpoints',
            );
          case 'DescribeEndpoint': {
            const i = indexOf(input.EndpointName, 'ep-');
            if (i === undefined) return notFound(String(input.EndpointName));
            return json({
              EndpointName: `ep-${i}`,
              EndpointArn: arn('endpoint', `ep-${i}`),
              EndpointConfigName: `epc-${i}`,
              EndpointStatus: 'InService',
              CreationTime: epoch,
              LastModifiedTime: epoch,
              ...(i % 2 === 0
                ? {
                    LastDeploymentConfig: {
                      BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 }, WaitIntervalInSeconds: 60 } },
                      AutoRollbackConfiguration: { Alarms: [{ AlarmName: `ep-${i}-errors` }] },
                    },
                  }
                : {}),
            });
          }
          case 'ListTags': {
            const i = indexOf(String(input.ResourceArn ?? '').split('/').pop(), 'ep-');
            if (i === undefined) return json({ Tags: [] });
            return json({ Tags: i % 2 === 0 ? [{ Key: 'environment', Value: 'prod' }] : [{ Key: 'environment', Value: 'dev' }] });
          }
          case 'ListMonitoringSchedules':
            return json({
              MonitoringScheduleSummaries: count
                ? [{ MonitoringScheduleName: 'ep-0-quality', MonitoringScheduleArn: arn('monitoring-schedule', 'ep-0-quality'), MonitoringScheduleStatus: 'Scheduled', EndpointName: 'ep-0', CreationTime: epoch, LastModifiedTime: epoch }]
                : [],
            });
          case 'DescribeMonitoringSchedule':
            if (!count || input.MonitoringScheduleName !== 'ep-0-quality') return notFound(String(input.MonitoringScheduleName));
            return json({
              MonitoringScheduleName: 'ep-0-quality',
              MonitoringScheduleArn: arn('monitoring-schedule', 'ep-0-quality'),
              MonitoringScheduleStatus: 'Scheduled',
              MonitoringType: 'DataQuality',
              EndpointName: 'ep-0',
              MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'dq-0', MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
              CreationTime: epoch,
              LastModifiedTime: epoch,
            });
          case 'ListHyperParameterTuningJobs':
            // The --since window goes on the wire as epoch seconds.
            if (typeof input.CreationTimeAfter !== 'number') return { status: 400, code: 'ValidationException', message: 'CreationTimeAfter missing' };
            return json({
              HyperParameterTuningJobSummaries: count
                ? [{ HyperParameterTuningJobName: 'tune-0', HyperParameterTuningJobArn: arn('hyper-parameter-tuning-job', 'tune-0'), HyperParameterTuningJobStatus: 'Completed', Strategy: 'Bayesian', CreationTime: epoch, TrainingJobStatusCounters: {}, ObjectiveStatusCounters: {} }]
                : [],
            });
          case 'DescribeHyperParameterTuningJob':
            if (!count || input.HyperParameterTuningJobName !== 'tune-0') return notFound(String(input.HyperParameterTuningJobName));
            return json({
              HyperParameterTuningJobName: 'tune-0',
              HyperParameterTuningJobArn: arn('hyper-parameter-tuning-job', 'tune-0'),
              HyperParameterTuningJobStatus: 'Completed',
              HyperParameterTuningJobConfig: { Strategy: 'Bayesian', ResourceLimits: { MaxParallelTrainingJobs: 1 } },
              TrainingJobDefinition: {
                AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'xgboost' },
                RoleArn: `arn:aws:iam::${world.accountId}:role/role-0000`,
                OutputDataConfig: { S3OutputPath: 's3://training-data/tune/' },
                ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 },
                StoppingCondition: { MaxRuntimeInSeconds: 3600 },
                VpcConfig: { Subnets: ['subnet-0'], SecurityGroupIds: ['sg-0'] },
                EnableNetworkIsolation: true,
                EnableInterContainerTrafficEncryption: false,
              },
              CreationTime: epoch,
              TrainingJobStatusCounters: {},
              ObjectiveStatusCounters: {},
            });
          case 'ListTransformJobs':
            if (typeof input.CreationTimeAfter !== 'number') return { status: 400, code: 'ValidationException', message: 'CreationTimeAfter missing' };
            return json({
              TransformJobSummaries: count ? [{ TransformJobName: 'batch-0', TransformJobArn: arn('transform-job', 'batch-0'), TransformJobStatus: 'Completed', CreationTime: epoch }] : [],
            });
          case 'DescribeTransformJob': {
            if (!count || input.TransformJobName !== 'batch-0') return notFound(String(input.TransformJobName));
            const cmk = world.keys.find((k) => k.manager === 'CUSTOMER' && k.region === region);
            return json({
              TransformJobName: 'batch-0',
              TransformJobArn: arn('transform-job', 'batch-0'),
              TransformJobStatus: 'Completed',
              ModelName: 'model-0',
              TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://training-data/batch/' } } },
              TransformOutput: { S3OutputPath: 's3://training-data/batch-out/', ...(cmk ? { KmsKeyId: `arn:aws:kms:${region}:${world.accountId}:key/${cmk.id}` } : {}) },
              TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
              CreationTime: epoch,
            });
          }
          case 'ListDataQualityJobDefinitions':
            // One data quality job definition per endpoint, paginated.
            return paged(
              indices.map((i) => ({ MonitoringJobDefinitionName: `dq-${i}`, MonitoringJobDefinitionArn: arn('data-quality-job-definition', `dq-${i}`), CreationTime: epoch, EndpointName: `ep-${i}` })),
              'JobDefinitionSummaries',
            );
          case 'DescribeDataQualityJobDefinition': {
            const i = indexOf(input.JobDefinitionName, 'dq-');
            if (i === undefined) return notFound(String(input.JobDefinitionName));
            return json({
              JobDefinitionName: `dq-${i}`,
              JobDefinitionArn: arn('data-quality-job-definition', `dq-${i}`),
              CreationTime: epoch,
              DataQualityAppSpecification: { ImageUri: 'model-monitor' },
              DataQualityJobInput: { EndpointInput: { EndpointName: `ep-${i}`, LocalPath: '/opt/ml/processing/input' } },
              DataQualityJobOutputConfig: { MonitoringOutputs: [{ S3Output: { S3Uri: 's3://training-data/monitoring/', LocalPath: '/opt/ml/processing/output' } }] },
              JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20 } },
              ...(i === 0 ? { NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['subnet-0'], SecurityGroupIds: ['sg-0'] } } } : {}),
              RoleArn: `arn:aws:iam::${world.accountId}:role/role-0000`,
            });
          }
          case 'ListModelQualityJobDefinitions':
          case 'ListModelBiasJobDefinitions':
          case 'ListModelExplainabilityJobDefinitions':
            return json({ JobDefinitionSummaries: [] });
          case 'ListModelCards':
            return paged(indices.map((i) => ({ ModelCardName: `card-${i}`, ModelCardArn: arn('model-card', `card-${i}`), ModelCardStatus: i === 0 ? 'Approved' : 'Draft', CreationTime: epoch })), 'ModelCardSummaries');
          case 'DescribeModelCard': {
            // Without kms:Decrypt only the metadata can be read.
            if (input.IncludedData !== 'MetadataOnly') return { status: 400, code: 'AccessDeniedException', message: 'kms:Decrypt is required' };
            const i = indexOf(input.ModelCardName, 'card-');
            if (i === undefined) return notFound(String(input.ModelCardName));
            const cmk = world.keys.find((k) => k.manager === 'CUSTOMER' && k.region === region);
            return json({
              ModelCardName: `card-${i}`,
              ModelCardArn: arn('model-card', `card-${i}`),
              ModelCardVersion: 1,
              ModelCardStatus: i === 0 ? 'Approved' : 'Draft',
              ...(i === 0 && cmk ? { SecurityConfig: { KmsKeyId: `arn:aws:kms:${region}:${world.accountId}:key/${cmk.id}` } } : {}),
              Content: JSON.stringify({ model_overview: { model_id: arn('model', `model-${i}`), model_name: `model-${i}` } }),
              CreationTime: epoch,
            });
          }
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  // ---------------------------------------------------------------- OpenSearch Serverless (JSON 1.0)
  /** The collections of the knowledge bases (coll0 ...): even ones with the customer managed key, odd ones `auto` (an AWS owned key). */
  function openSearchServerlessRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('OpenSearchServerless.') ? target.slice('OpenSearchServerless.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.0', body: JSON.stringify(value) });
    const count = region === 'us-east-1' ? (world.knowledgeBases ?? 3) : 0;
    const cmk = world.keys.find((k) => k.manager === 'CUSTOMER' && k.region === region);
    const collection = (i: number) => ({ id: `coll${i}`, name: `kb-${i}-vectors`, status: 'ACTIVE', arn: `arn:aws:aoss:${region}:${world.accountId}:collection/coll${i}` });
    const keyOf = (i: number) => (i % 2 === 0 && cmk ? `arn:aws:kms:${region}:${world.accountId}:key/${cmk.id}` : 'auto');
    return {
      service: 'opensearchserverless',
      operation,
      protocol: 'json',
      answer: () => {
        switch (operation) {
          case 'ListCollections': {
            const start = typeof input.nextToken === 'string' ? Number(input.nextToken) || 0 : 0;
            const max = Math.min(pageSize, Number(input.maxResults ?? 100));
            const next = start + max < count ? String(start + max) : undefined;
            const items = Array.from({ length: Math.max(0, Math.min(max, count - start)) }, (_, k) => collection(start + k));
            return json({ collectionSummaries: items.map((c, k) => ({ ...c, kmsKeyArn: keyOf(start + k) })), ...(next ? { nextToken: next } : {}) });
          }
          case 'BatchGetCollection': {
            const ids = Array.isArray(input.ids) ? (input.ids as unknown[]) : [];
            if (ids.length === 0 || ids.length > 100) return { status: 400, code: 'ValidationException', message: 'ids: 1 to 100' };
            const found = ids.flatMap((id) => {
              const i = typeof id === 'string' && /^coll\d+$/.test(id) ? Number(id.slice(4)) : -1;
              return i >= 0 && i < count ? [i] : [];
            });
            return json({
              collectionDetails: found.map((i) => ({ ...collection(i), type: 'VECTORSEARCH', kmsKeyArn: keyOf(i), standbyReplicas: 'ENABLED', createdDate: 1_700_000_000_000, lastModifiedDate: 1_700_000_000_000 })),
              collectionErrorDetails: ids.filter((id) => !found.some((i) => `coll${i}` === id)).map((id) => ({ id, errorCode: 'NOT_FOUND', errorMessage: 'collection not found' })),
            });
          }
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  // ---------------------------------------------------------------- CloudWatch Logs (JSON 1.1)
  /** us-east-1: the trail's log group with three metric filters (IAM policy changes first); elsewhere none. */
  function logsRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('Logs_20140328.') ? target.slice('Logs_20140328.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.1', body: JSON.stringify(value) });
    const group = 'trail-events';
    const filters =
      region === 'us-east-1'
        ? [
            { filterName: 'iam-policy-changes', filterPattern: '{ ($.eventSource = iam.amazonaws.com) && ($.eventName = Put*Policy || $.eventName = Attach*Policy) }', metricName: 'IAMPolicyChanges' },
            { filterName: 'console-signin-failures', filterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }', metricName: 'ConsoleSigninFailures' },
            { filterName: 'all-events', filterPattern: '', metricName: 'Events' },
          ]
        : [];
    const paged = <T>(items: T[]) => {
      const start = typeof input.nextToken === 'string' ? Number(input.nextToken) || 0 : 0;
      const max = Math.min(pageSize, Number(input.limit ?? 50));
      const next = start + max < items.length ? String(start + max) : undefined;
      return { page: items.slice(start, start + max), next };
    };
    return {
      service: 'logs',
      operation,
      protocol: 'json',
      answer: () => {
        switch (operation) {
          case 'DescribeLogGroups':
            return json({
              logGroups: region === 'us-east-1' ? [{ logGroupName: group, arn: `arn:aws:logs:${region}:${world.accountId}:log-group:${group}:*`, creationTime: 1_700_000_000_000, retentionInDays: 365 }] : [],
            });
          case 'DescribeMetricFilters': {
            const { page, next } = paged(filters);
            return json({
              metricFilters: page.map((f) => ({
                filterName: f.filterName,
                filterPattern: f.filterPattern,
                logGroupName: group,
                creationTime: 1_700_000_000_000,
                metricTransformations: [{ metricName: f.metricName, metricNamespace: 'CloudTrailMetrics', metricValue: '1', ...(f.metricName === 'Events' ? { dimensions: { Source: '$.eventSource' } } : {}) }],
              })),
              ...(next ? { nextToken: next } : {}),
            });
          }
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  // ---------------------------------------------------------------- CloudWatch (JSON 1.0, query-compatible)
  /** us-east-1: an IAM policy change alarm, a Bedrock token anomaly detection alarm and a guardrail alarm with actions disabled. */
  // ---------------------------------------------------------------- API Gateway (REST-JSON)
  /**
   * us-east-1: `chat-api` (POST /chat, a Bedrock runtime integration; OPTIONS /chat, a mock) with
   * stage prod (web ACL ai-acl, stage default throttle) and stage dev (neither), and `items-api` (a
   * Lambda proxy); a usage plan on chat-api prod. Other regions: none. Listings page `pageSize` at a time.
   */
  function apiGatewayRoute(req: IncomingMessage, url: URL, region: string): Route {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (value: object): Answer => ({ contentType: 'application/json', body: JSON.stringify(value) });
    const route = (operation: string, answer: () => Answer): Route => ({ service: 'apigateway', operation, protocol: 'json', answer });
    const here = region === 'us-east-1';
    const paged = <T>(items: T[]) => {
      const position = url.searchParams.get('position') ?? '';
      const start = position.startsWith('p') ? Number(position.slice(1)) || 0 : 0;
      const max = Math.min(pageSize, Number(url.searchParams.get('limit') ?? 25));
      const next = start + max < items.length ? `p${start + max}` : undefined;
      // The wire name of every API Gateway listing is `item` (the SDK calls it `items`).
      return { item: items.slice(start, start + max), ...(next ? { position: next } : {}) };
    };
    const apis = here
      ? [
          { id: 'chat000001', name: 'chat-api', endpointConfiguration: { types: ['REGIONAL'] }, tags: { team: 'support' } },
          { id: 'items00001', name: 'items-api', endpointConfiguration: { types: ['EDGE'] } },
          { id: 'spare00001', name: 'spare-api', endpointConfiguration: { types: ['PRIVATE'] } },
        ]
      : [];
    if (req.method !== 'GET') return route('Unknown', () => ({ status: 400, code: 'BadRequestException' }));
    if (parts[0] === 'restapis' && !parts[1]) return route('GetRestApis', () => json(paged(apis)));
    if (parts[0] === 'restapis' && parts[2] === 'resources') {
      return route('GetResources', () => {
        if (!apis.some((a) => a.id === parts[1])) return { status: 404, code: 'NotFoundException', message: 'Invalid API identifier specified' };
        if (url.searchParams.get('embed') !== 'methods') return json({ item: [] });
        const resources: object[] =
          parts[1] === 'chat000001'
            ? [
                { id: 'root1', path: '/' },
                {
                  id: 'chat1',
                  parentId: 'root1',
                  pathPart: 'chat',
                  path: '/chat',
                  resourceMethods: {
                    POST: {
                      httpMethod: 'POST',
                      authorizationType: 'AWS_IAM',
                      apiKeyRequired: false,
                      methodIntegration: { type: 'AWS', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:bedrock-runtime:path/model/amazon.nova-lite-v1:0/converse', passthroughBehavior: 'WHEN_NO_MATCH' },
                    },
                    OPTIONS: { httpMethod: 'OPTIONS', authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: { type: 'MOCK' } },
                  },
                },
              ]
            : parts[1] === 'items00001'
              ? [{ id: 'items1', path: '/items', resourceMethods: { GET: { httpMethod: 'GET', apiKeyRequired: false, methodIntegration: { type: 'AWS_PROXY', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${world.accountId}:function:items/invocations` } } } }]
              : [{ id: 'root3', path: '/' }];
        return json(paged(resources));
      });
    }
    if (parts[0] === 'restapis' && parts[2] === 'stages' && !parts[3]) {
      return route('GetStages', () => {
        if (!apis.some((a) => a.id === parts[1])) return { status: 404, code: 'NotFoundException', message: 'Invalid API identifier specified' };
        if (parts[1] !== 'chat000001') return json({ item: [] });
        return json({
          item: [
            {
              stageName: 'prod',
              deploymentId: 'dep1',
              webAclArn: `arn:aws:wafv2:us-east-1:${world.accountId}:regional/webacl/ai-acl/11111111-2222-3333-4444-555555555555`,
              methodSettings: { '*/*': { throttlingRateLimit: 25.0, throttlingBurstLimit: 50, metricsEnabled: true, loggingLevel: 'INFO' } },
              tags: { environment: 'production' },
              createdDate: 1_704_067_200,
            },
            { stageName: 'dev', deploymentId: 'dep1', methodSettings: {}, createdDate: 1_704_067_200 },
          ],
        });
      });
    }
    if (parts[0] === 'usageplans' && !parts[1]) {
      return route('GetUsagePlans', () =>
        json(paged(here ? [{ id: 'plan01', name: 'partners', throttle: { burstLimit: 10, rateLimit: 5.0 }, apiStages: [{ apiId: 'chat000001', stage: 'prod', throttle: { '/chat/POST': { burstLimit: 4, rateLimit: 2.0 } } }] }] : [])),
      );
    }
    return route('Unknown', () => ({ status: 400, code: 'BadRequestException' }));
  }

  // ---------------------------------------------------------------- WAFv2 (JSON 1.1)
  /** us-east-1: ai-acl (bot control, a blocking rate-based rule) and open-acl (no rules); a NextMarker on every page, as WAF gives. */
  function wafRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSWAF_20190729.') ? target.slice('AWSWAF_20190729.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.1', body: JSON.stringify(value) });
    const acls =
      region === 'us-east-1'
        ? [
            { Name: 'ai-acl', Id: '11111111-2222-3333-4444-555555555555' },
            { Name: 'open-acl', Id: '66666666-7777-8888-9999-000000000000' },
          ].map((a) => ({ ...a, ARN: `arn:aws:wafv2:us-east-1:${world.accountId}:regional/webacl/${a.Name}/${a.Id}`, LockToken: 'lock', Description: '' }))
        : [];
    const visibility = (name: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });
    return {
      service: 'wafv2',
      operation,
      protocol: 'json',
      answer: () => {
        if (input.Scope !== 'REGIONAL') return { status: 400, code: 'WAFInvalidParameterException', message: 'Scope' };
        switch (operation) {
          case 'ListWebACLs': {
            const start = typeof input.NextMarker === 'string' ? Number(input.NextMarker) || 0 : 0;
            const max = Math.min(pageSize, Number(input.Limit ?? 100));
            // WAF hands out a NextMarker with the last page too.
            return json({ WebACLs: acls.slice(start, start + max), NextMarker: String(start + max) });
          }
          case 'GetWebACL': {
            const acl = acls.find((a) => a.Id === input.Id && a.Name === input.Name);
            if (!acl) return { status: 400, code: 'WAFNonexistentItemException', message: "AWS WAF couldn't perform the operation because your resource doesn't exist." };
            return json({
              WebACL: {
                Name: acl.Name,
                Id: acl.Id,
                ARN: acl.ARN,
                DefaultAction: { Allow: {} },
                Capacity: 53,
                VisibilityConfig: visibility(acl.Name),
                Rules:
                  acl.Name === 'ai-acl'
                    ? [
                        { Name: 'bots', Priority: 0, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesBotControlRuleSet' } }, VisibilityConfig: visibility('bots') },
                        {
                          Name: 'per-ip',
                          Priority: 1,
                          Action: { Block: {} },
                          Statement: { RateBasedStatement: { Limit: 500, EvaluationWindowSec: 300, AggregateKeyType: 'IP', ScopeDownStatement: { ByteMatchStatement: { SearchString: 'L2NoYXQ=', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }], PositionalConstraint: 'STARTS_WITH' } } } },
                          VisibilityConfig: visibility('per-ip'),
                        },
                      ]
                    : [],
              },
              LockToken: 'lock',
            });
          }
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  function cloudWatchRoute(req: IncomingMessage, body: string, region: string): Route {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('GraniteServiceVersion20100801.') ? target.slice('GraniteServiceVersion20100801.'.length) : 'Unknown';
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const json = (value: object): Answer => ({ contentType: 'application/x-amz-json-1.0', body: JSON.stringify(value) });
    const topic = `arn:aws:sns:${region}:${world.accountId}:security-alerts`;
    const alarm = (name: string, extra: object) => ({
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${region}:${world.accountId}:alarm:${name}`,
      ActionsEnabled: true,
      AlarmActions: [topic],
      OKActions: [],
      StateValue: 'OK',
      StateUpdatedTimestamp: 1_700_000_000.5,
      AlarmConfigurationUpdatedTimestamp: 1_700_000_000,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...extra,
    });
    const alarms =
      region === 'us-east-1'
        ? [
            alarm('bedrock-tokens-anomaly', {
              ComparisonOperator: 'GreaterThanUpperThreshold',
              ThresholdMetricId: 'ad1',
              Metrics: [
                { Id: 'm1', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/Bedrock', MetricName: 'InputTokenCount', Dimensions: [{ Name: 'ModelId', Value: 'amazon.nova-lite-v1:0' }] }, Period: 300, Stat: 'Sum' } },
                { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
              ],
            }),
            alarm('guardrail-interventions', { Namespace: 'AWS/Bedrock/Guardrails', MetricName: 'InvocationsIntervened', Dimensions: [], Statistic: 'Sum', Period: 300, Threshold: 20, ActionsEnabled: false }),
            alarm('iam-policy-changes', { Namespace: 'CloudTrailMetrics', MetricName: 'IAMPolicyChanges', Dimensions: [], Statistic: 'Sum', Period: 300, Threshold: 1 }),
          ]
        : [];
    return {
      service: 'cloudwatch',
      operation,
      protocol: 'json',
      answer: () => {
        switch (operation) {
          case 'DescribeAlarms': {
            const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes : ['MetricAlarm'];
            if (!types.includes('MetricAlarm')) return json({ MetricAlarms: [], CompositeAlarms: [] });
            const start = typeof input.NextToken === 'string' ? Number(input.NextToken) || 0 : 0;
            const max = Math.min(pageSize, Number(input.MaxRecords ?? 50));
            const next = start + max < alarms.length ? String(start + max) : undefined;
            return json({ MetricAlarms: alarms.slice(start, start + max), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) });
          }
          default:
            return { status: 400, code: 'UnknownOperationException' };
        }
      },
    };
  }

  // ---------------------------------------------------------------- GuardDuty (REST-JSON)
  /** us-east-1: a detector with S3 Protection on (Features); eu-west-1: one that answers only the legacy DataSources, S3 logs off. */
  function guardDutyRoute(req: IncomingMessage, url: URL, region: string): Route {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (value: object): Answer => ({ contentType: 'application/json', body: JSON.stringify(value) });
    const detectorId = region === 'us-east-1' ? '12abc34d567e8fa901bc2d34e56789f0' : region === 'eu-west-1' ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : undefined;
    const route = (operation: string, answer: () => Answer): Route => ({ service: 'guardduty', operation, protocol: 'json', answer });
    if (req.method === 'GET' && parts[0] === 'detector' && !parts[1]) return route('ListDetectors', () => json({ detectorIds: detectorId ? [detectorId] : [] }));
    if (req.method === 'GET' && parts[0] === 'detector' && parts[1] && !parts[2]) {
      return route('GetDetector', () => {
        if (parts[1] !== detectorId) return { status: 400, code: 'BadRequestException', message: 'The request is rejected because the input detectorId is not owned by the current account.' };
        const common = { createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', serviceRole: `arn:aws:iam::${world.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`, status: 'ENABLED', findingPublishingFrequency: 'SIX_HOURS' };
        if (region === 'us-east-1') {
          return json({
            ...common,
            features: [
              { name: 'S3_DATA_EVENTS', status: 'ENABLED', updatedAt: 1_704_067_200 },
              { name: 'RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'ENABLED' }, { name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' }] },
            ],
          });
        }
        return json({ ...common, dataSources: { s3Logs: { status: 'DISABLED' }, cloudTrail: { status: 'ENABLED' }, dnsLogs: { status: 'ENABLED' }, flowLogs: { status: 'ENABLED' } } });
      });
    }
    return route('Unknown', () => ({ status: 400, code: 'UnknownOperationException' }));
  }

  // ---------------------------------------------------------------- Security Hub (REST-JSON)
  /** us-east-1: a hub running two standards; elsewhere: not subscribed. */
  function securityHubRoute(req: IncomingMessage, url: URL, body: string, region: string): Route {
    const json = (value: object): Answer => ({ contentType: 'application/json', body: JSON.stringify(value) });
    const enabled = region === 'us-east-1';
    const hubArn = `arn:aws:securityhub:${region}:${world.accountId}:hub/default`;
    const notSubscribed: Answer = { status: 400, code: 'InvalidAccessException', message: `Account ${world.accountId} is not subscribed to AWS Security Hub` };
    const route = (operation: string, answer: () => Answer): Route => ({ service: 'securityhub', operation, protocol: 'json', answer });
    if (req.method === 'GET' && url.pathname === '/accounts') {
      return route('DescribeHub', () => (enabled ? json({ HubArn: hubArn, SubscribedAt: '2024-01-01T00:00:00.000Z', AutoEnableControls: true, ControlFindingGenerator: 'SECURITY_CONTROL' }) : notSubscribed));
    }
    if (req.method === 'POST' && url.pathname === '/standards/get') {
      return route('GetEnabledStandards', () => {
        if (!enabled) return notSubscribed;
        const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
        const standards = [
          'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
          'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
        ];
        const start = typeof input.NextToken === 'string' ? Number(input.NextToken) || 0 : 0;
        const max = Math.min(pageSize, Number(input.MaxResults ?? 100));
        const next = start + max < standards.length ? String(start + max) : undefined;
        return json({
          StandardsSubscriptions: standards.slice(start, start + max).map((arn, i) => ({
            StandardsSubscriptionArn: `arn:aws:securityhub:${region}:${world.accountId}:subscription/standard-${start + i}`,
            StandardsArn: arn,
            StandardsInput: {},
            StandardsStatus: 'READY',
          })),
          ...(next ? { NextToken: next } : {}),
        });
      });
    }
    if (req.method === 'POST' && url.pathname === '/findings/import') {
      // Like Security Hub: 1 to 100 findings per request, 6 MB at most; a finding whose ProductArn
      // is not this account's default product in this Region, or whose account is not the caller's,
      // is listed in FailedFindings; so are the Ids in `securityHubRejects`.
      return route('BatchImportFindings', () => {
        if (Buffer.byteLength(body) > 6 * 1024 * 1024) return { status: 413, code: 'InvalidInputException', message: 'request larger than 6 MB' };
        const input = JSON.parse(body) as { Findings?: Record<string, unknown>[] };
        const findings = input.Findings ?? [];
        if (findings.length < 1 || findings.length > 100) return { status: 400, code: 'InvalidInputException', message: `Findings: ${findings.length} items, 1 to 100 allowed` };
        securityHubImports.push({ region, findings });
        const failed: { Id: unknown; ErrorCode: string; ErrorMessage: string }[] = [];
        for (const finding of findings) {
          const injected = securityHubRejects.get(String(finding.Id));
          if (injected) failed.push({ Id: finding.Id, ErrorCode: injected.code, ErrorMessage: injected.message });
          else if (finding.AwsAccountId !== world.accountId) failed.push({ Id: finding.Id, ErrorCode: 'AccessDeniedException', ErrorMessage: `account ${world.accountId} cannot import findings of ${String(finding.AwsAccountId)}` });
          else if (finding.ProductArn !== `arn:aws:securityhub:${region}:${world.accountId}:product/${world.accountId}/default`) failed.push({ Id: finding.Id, ErrorCode: 'InvalidInput', ErrorMessage: `ProductArn ${String(finding.ProductArn)} is not the default product of ${world.accountId} in ${region}` });
        }
        return json({ FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed });
      });
    }
    return route('Unknown', () => ({ status: 400, code: 'UnknownOperationException' }));
  }

  function sendError(res: ServerResponse, protocol: Route['protocol'], status: number, code: string, message: string): void {
    if (protocol === 'json') {
      send(res, status, 'application/x-amz-json-1.1', JSON.stringify({ __type: code, message }), { 'x-amzn-errortype': code });
    } else if (protocol === 'query') {
      send(res, status, 'text/xml', `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>${el('Code', code)}${el('Message', message)}</Error><RequestId>req-1</RequestId></ErrorResponse>`);
    } else {
      send(res, status, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', code)}${el('Message', message)}<RequestId>req-1</RequestId></Error>`);
    }
  }

  function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'req-1', 'x-amz-request-id': 'req-1', ...headers });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accessKeyIds,
    faults,
    assumeRoleCalls,
    signers,
    securityHubImports,
    securityHubRejects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
