/**
 * A simulated AWS Organization on loopback: one endpoint (node:http, 127.0.0.1) that answers, for
 * the management credentials, AWS Organizations (JSON 1.1) and STS (GetCallerIdentity, AssumeRole:
 * query protocol, XML); and, for the temporary credentials AssumeRole hands out (access key id
 * `ASIA` + the account id), forwards every request to that account's own loopback AWS
 * (loopback-aws.ts), so each account answers with its own resources.
 *
 * Accounts can refuse AssumeRole (AccessDenied) or throttle it a number of times first.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultWorld, startLoopbackAws, type LoopbackOptions, type LoopbackServer, type LoopbackWorld } from './loopback-aws.js';

export interface SimulatedAccount {
  id: string;
  name: string;
  parentId: string;
  status?: 'ACTIVE' | 'SUSPENDED';
  /** AssumeRole into this account is refused. */
  denyAssumeRole?: boolean;
  /** AssumeRole is throttled this many times before it succeeds. */
  throttleAssumeRole?: number;
  /** AssumeRole hands out credentials of this other account (a role that reaches the wrong account). */
  answersAs?: string;
  /** This account's resources (default: defaultWorld with bucket names made unique). */
  world?: LoopbackWorld;
  /** This account's own latency per response (a slow account), instead of the organization's. */
  latencyMs?: number;
}

export interface SimulatedOrganization {
  id: string;
  managementAccountId: string;
  rootId: string;
  units: { id: string; name: string; parentId: string }[];
  accounts: SimulatedAccount[];
  policies: { id: string; name: string; type: string; content: string; targets: string[] }[];
  delegatedAdministrators?: { accountId: string; services: string[] }[];
  /** Organizations operations answered with AccessDeniedException. */
  deniedOperations?: string[];
}

export interface LoopbackOrganization {
  url: string;
  /** AssumeRole requests by account id (retries included). */
  assumeRoleCalls: Map<string, number>;
  /** Parameters of every AssumeRole request. */
  assumeRoleParams: URLSearchParams[];
  /** Organizations requests by operation. */
  organizationsRequests: Map<string, number>;
  /** Each member account's own loopback AWS. */
  accounts: Map<string, LoopbackServer>;
  /** TCP connections the organization's endpoint accepted (every call of the scan arrives there). */
  readonly connections: number;
  close(): Promise<void>;
}

/** An account's world: the default resources with its own account id and bucket names. */
export function accountWorld(id: string): LoopbackWorld {
  const base = defaultWorld({ accountId: id });
  return {
    ...base,
    buckets: base.buckets.map((b) => ({ ...b, name: `${b.name}-${id}`, ...(b.policy ? { policy: JSON.parse(JSON.stringify(b.policy).split(`:::${b.name}`).join(`:::${b.name}-${id}`)) } : {}) })),
    roles: 2,
    knowledgeBases: 1,
    sageMakerEndpoints: 1,
  };
}

export async function startLoopbackOrganization(org: SimulatedOrganization, options: LoopbackOptions = {}): Promise<LoopbackOrganization> {
  const accounts = new Map<string, LoopbackServer>();
  for (const account of org.accounts) {
    if (account.status === 'SUSPENDED' || account.denyAssumeRole) continue;
    accounts.set(account.id, await startLoopbackAws(account.world ?? accountWorld(account.id), account.latencyMs === undefined ? options : { ...options, latencyMs: account.latencyMs }));
  }
  const assumeRoleCalls = new Map<string, number>();
  const assumeRoleParams: URLSearchParams[] = [];
  const organizationsRequests = new Map<string, number>();
  const throttled = new Map(org.accounts.map((a) => [a.id, a.throttleAssumeRole ?? 0]));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void handle(req, res, body).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
    if (!scope) return send(res, 403, 'text/plain', 'missing SigV4 signature');
    const [, accessKeyId, , service] = scope as unknown as [string, string, string, string];
    const member = /^ASIA(\d{12})$/.exec(accessKeyId)?.[1];
    if (member) {
      const target = accounts.get(member);
      if (!target) return send(res, 403, 'text/plain', 'unknown temporary credentials');
      return forward(req, res, body, target.url);
    }
    if (service === 'organizations') return organizations(req, res, body.toString('utf8'));
    if (service === 'sts') return sts(res, body.toString('utf8'));
    return jsonError(res, 400, 'UnknownOperationException', `the management account's endpoint serves organizations and sts, not ${service}`);
  }

  function sts(res: ServerResponse, body: string): void {
    const params = new URLSearchParams(body);
    const action = params.get('Action');
    const ns = 'https://sts.amazonaws.com/doc/2011-06-15/';
    const wrap = (result: string) =>
      send(res, 200, 'text/xml', `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`);
    if (action === 'GetCallerIdentity') {
      return wrap(`<Arn>arn:aws:iam::${org.managementAccountId}:user/scanner</Arn><UserId>AIDAMGMT</UserId><Account>${org.managementAccountId}</Account>`);
    }
    if (action === 'AssumeRole') {
      assumeRoleParams.push(params);
      const roleArn = params.get('RoleArn') ?? '';
      const id = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
      assumeRoleCalls.set(id, (assumeRoleCalls.get(id) ?? 0) + 1);
      const account = org.accounts.find((a) => a.id === id);
      const left = throttled.get(id) ?? 0;
      if (left > 0) {
        throttled.set(id, left - 1);
        return queryError(res, 400, 'Throttling', 'Rate exceeded');
      }
      if (!account || account.denyAssumeRole || !accounts.has(id)) {
        return queryError(res, 403, 'AccessDenied', `User: arn:aws:iam::${org.managementAccountId}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      const reached = account.answersAs ?? id;
      return wrap(
        `<Credentials><AccessKeyId>ASIA${reached}</AccessKeyId><SecretAccessKey>secret-${reached}</SecretAccessKey><SessionToken>token-${reached}</SessionToken>` +
          `<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${params.get('RoleSessionName')}</Arn><AssumedRoleId>AROA${id}:${params.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>`,
      );
    }
    return queryError(res, 400, 'InvalidAction', `unknown action ${action}`);
  }

  function organizations(req: IncomingMessage, res: ServerResponse, body: string): void {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    organizationsRequests.set(operation, (organizationsRequests.get(operation) ?? 0) + 1);
    if (org.deniedOperations?.includes(operation)) return jsonError(res, 400, 'AccessDeniedException', `not authorized to perform organizations:${operation}`);
    const input = (body ? JSON.parse(body) : {}) as Record<string, string>;
    const arn = (kind: string, id: string) => `arn:aws:organizations::${org.managementAccountId}:${kind}/${org.id}/${id}`;
    // Two items per page, so that pagination is exercised.
    const page = <T>(items: T[], key: string) => {
      const start = Number(input.NextToken ?? 0);
      const next = start + 2 < items.length ? { NextToken: String(start + 2) } : {};
      return json(res, { [key]: items.slice(start, start + 2), ...next });
    };
    switch (operation) {
      case 'DescribeOrganization':
        return json(res, { Organization: { Id: org.id, Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`, MasterAccountId: org.managementAccountId, FeatureSet: 'ALL' } });
      case 'ListRoots':
        return json(res, { Roots: [{ Id: org.rootId, Arn: arn('root', org.rootId), Name: 'Root', PolicyTypes: [] }] });
      case 'ListOrganizationalUnitsForParent':
        return page(
          org.units.filter((u) => u.parentId === input.ParentId).map((u) => ({ Id: u.id, Arn: arn('ou', u.id), Name: u.name })),
          'OrganizationalUnits',
        );
      case 'ListAccountsForParent':
        return page(
          org.accounts
            .filter((a) => a.parentId === input.ParentId)
            .map((a) => ({ Id: a.id, Arn: arn('account', a.id), Name: a.name, Email: `${a.id}@example.com`, Status: a.status ?? 'ACTIVE', State: a.status ?? 'ACTIVE' })),
          'Accounts',
        );
      case 'ListPolicies':
        return page(
          org.policies.filter((p) => p.type === input.Filter).map((p) => ({ Id: p.id, Arn: arn('policy', p.id), Name: p.name, Type: p.type, AwsManaged: false })),
          'Policies',
        );
      case 'DescribePolicy': {
        const policy = org.policies.find((p) => p.id === input.PolicyId);
        if (!policy) return jsonError(res, 400, 'PolicyNotFoundException', 'no such policy');
        return json(res, { Policy: { PolicySummary: { Id: policy.id, Name: policy.name, Type: policy.type }, Content: policy.content } });
      }
      case 'ListTargetsForPolicy': {
        const policy = org.policies.find((p) => p.id === input.PolicyId);
        return page((policy?.targets ?? []).map((t) => ({ TargetId: t, Arn: arn('target', t), Name: t, Type: t.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : t.startsWith('r-') ? 'ROOT' : 'ACCOUNT' })), 'Targets');
      }
      case 'ListDelegatedAdministrators':
        return page((org.delegatedAdministrators ?? []).map((d) => ({ Id: d.accountId, Arn: arn('account', d.accountId), Name: d.accountId })), 'DelegatedAdministrators');
      case 'ListDelegatedServicesForAccount':
        return page(
          (org.delegatedAdministrators?.find((d) => d.accountId === input.AccountId)?.services ?? []).map((s) => ({ ServicePrincipal: s })),
          'DelegatedServices',
        );
      default:
        return jsonError(res, 400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, target: string): Promise<void> {
    const url = new URL(req.url ?? '/', target);
    return new Promise((resolve, reject) => {
      const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve());
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    assumeRoleCalls,
    assumeRoleParams,
    organizationsRequests,
    accounts,
    get connections() {
      return connections;
    },
    async close() {
      await Promise.all([...accounts.values()].map((a) => a.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'loopback' });
  res.end(body);
}

function json(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(value));
}

function jsonError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, 'application/x-amz-json-1.1', JSON.stringify({ __type: code, message }));
}

function queryError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, 'text/xml', `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
}

const CREDENTIAL_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];

/**
 * Points the SDK's credential chain at the organization's management credentials and endpoint,
 * with no user config in the way (`dir` holds the absent config files). Returns the restore.
 */
export function useManagementEnv(url: string, dir: string): () => void {
  const saved = new Map(CREDENTIAL_ENV.map((key) => [key, process.env[key]]));
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDMANAGEMENT';
  process.env.AWS_SECRET_ACCESS_KEY = 'management-secret';
  process.env.AWS_ENDPOINT_URL = url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = `${dir}/no-config`;
  process.env.AWS_SHARED_CREDENTIALS_FILE = `${dir}/no-credentials`;
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
