/**
 * SDK client construction: one client per (service, region), all sharing one credential provider,
 * adaptive retries, request timeouts and the endpoint override. The SDK's CPU per call is most of
 * an organization scan's: each client keeps one signer and its commands' middleware handlers, and
 * an organization scan hands each account's clients on to the next account (SharedClients).
 */
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { KMSClient } from '@aws-sdk/client-kms';
import { Macie2Client } from '@aws-sdk/client-macie2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULTS, type CollectOptions } from './options.js';
import type { ServiceKey } from './operations.js';

export interface ClientTypes {
  sts: STSClient;
  organizations: OrganizationsClient;
  s3: S3Client;
  s3control: S3ControlClient;
  iam: IAMClient;
  kms: KMSClient;
  cloudtrail: CloudTrailClient;
  bedrock: BedrockClient;
  'bedrock-agent': BedrockAgentClient;
  opensearchserverless: OpenSearchServerlessClient;
  sagemaker: SageMakerClient;
  accessanalyzer: AccessAnalyzerClient;
  ec2: EC2Client;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  macie2: Macie2Client;
  inspector2: Inspector2Client;
  guardduty: GuardDutyClient;
  securityhub: SecurityHubClient;
  config: ConfigServiceClient;
  apigateway: APIGatewayClient;
  wafv2: WAFV2Client;
}

// Every client constructor takes the same common configuration; the per-service extras (S3 path
// style) are added in `clientConfig`.
type AnyClientConstructor = new (config: Record<string, unknown>) => { destroy(): void };
const CONSTRUCTORS: Record<ServiceKey, AnyClientConstructor> = {
  sts: STSClient as unknown as AnyClientConstructor,
  organizations: OrganizationsClient as unknown as AnyClientConstructor,
  s3: S3Client as unknown as AnyClientConstructor,
  s3control: S3ControlClient as unknown as AnyClientConstructor,
  iam: IAMClient as unknown as AnyClientConstructor,
  kms: KMSClient as unknown as AnyClientConstructor,
  cloudtrail: CloudTrailClient as unknown as AnyClientConstructor,
  bedrock: BedrockClient as unknown as AnyClientConstructor,
  'bedrock-agent': BedrockAgentClient as unknown as AnyClientConstructor,
  opensearchserverless: OpenSearchServerlessClient as unknown as AnyClientConstructor,
  sagemaker: SageMakerClient as unknown as AnyClientConstructor,
  accessanalyzer: AccessAnalyzerClient as unknown as AnyClientConstructor,
  ec2: EC2Client as unknown as AnyClientConstructor,
  logs: CloudWatchLogsClient as unknown as AnyClientConstructor,
  cloudwatch: CloudWatchClient as unknown as AnyClientConstructor,
  macie2: Macie2Client as unknown as AnyClientConstructor,
  inspector2: Inspector2Client as unknown as AnyClientConstructor,
  guardduty: GuardDutyClient as unknown as AnyClientConstructor,
  securityhub: SecurityHubClient as unknown as AnyClientConstructor,
  config: ConfigServiceClient as unknown as AnyClientConstructor,
  apigateway: APIGatewayClient as unknown as AnyClientConstructor,
  wafv2: WAFV2Client as unknown as AnyClientConstructor,
};

/**
 * On Node < 22 every SDK client's first construction prints a multi-line NodeVersionSupportWarning
 * to stderr, before aigis's own one-line messages. The SDK's documented switch
 * (@aws-sdk/core emitWarningIfUnsupportedVersion) turns off only that warning; a value the user set
 * is left alone.
 */
export function silenceSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The endpoint override: the option, else the SDK's own AWS_ENDPOINT_URL variable. */
export function endpointOverride(options: CollectOptions): string | undefined {
  const value = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  return value && value.trim() ? value.trim() : undefined;
}

export class ClientPool {
  private readonly clients = new Map<string, { destroy(): void }>();
  private credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private readonly endpoint: string | undefined;
  /** The clients sign with the given credentials, so that another account's can take their place (`rebind`). */
  readonly rebindable: boolean;
  /**
   * A call was retried, or answered with a throttling or server error: the clients' retry state
   * (retry quota, adaptive sending rate) then belongs to this account and is not handed on.
   */
  retried = false;

  constructor(
    private readonly options: CollectOptions,
    /** Region used for STS when assuming a role. */
    readonly homeRegion: string,
  ) {
    this.endpoint = endpointOverride(options);
    this.rebindable = options.credentials !== undefined && !options.roleArn;
    // Injected credentials are used as they are, unless a role is to be assumed with them.
    this.credentials = options.credentials && !options.roleArn ? options.credentials : buildCredentialProvider(options, homeRegion, this.endpoint);
  }

  get<S extends ServiceKey>(service: S, region: string): ClientTypes[S] {
    const key = `${service}/${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new CONSTRUCTORS[service](this.clientConfig(service, region));
      reuseSigner(client);
      reuseHandlers(client as unknown as SendingClient);
      this.clients.set(key, client);
    }
    return client as unknown as ClientTypes[S];
  }

  /**
   * The same clients for another account of the same scan (same options but the credentials):
   * each client's credentials are replaced through the SDK's own `config.credentials` setter,
   * which resolves and caches them as a new client would.
   */
  rebind(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): void {
    this.credentials = credentials;
    for (const client of this.clients.values()) (client as unknown as { config: { credentials: unknown } }).config.credentials = credentials;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private clientConfig(service: ServiceKey, region: string): Record<string, unknown> {
    const config: Record<string, unknown> = {
      region,
      credentials: this.credentials,
      maxAttempts: this.options.maxAttempts ?? DEFAULTS.maxAttempts,
      retryMode: 'adaptive',
      requestHandler: this.options.httpHandler ?? httpHandler(this.options),
    };
    if (this.options.retryStrategy) config.retryStrategy = this.options.retryStrategy;
    if (this.options.profile && !this.options.credentials) config.profile = this.options.profile;
    if (this.endpoint) {
      config.endpoint = this.endpoint;
      // Emulators serve every bucket under one host: path-style addressing.
      if (service === 's3') config.forcePathStyle = true;
      if (service === 's3control') {
        // S3 Control's endpoint rules put the account id in the host name ({account}.host), which
        // an emulator on an IP address cannot serve; the account id still travels in x-amz-account-id.
        const url = this.endpoint;
        config.endpointProvider = () => ({ url: new URL(url) });
      }
    }
    if (service === 's3') config.followRegionRedirects = true;
    return config;
  }
}

/**
 * Client pools handed from one account of an organization scan to the next (the accounts
 * collected at once each hold one): an account's clients, their middleware handlers and signers
 * are made once per scan instead of once per account. Only a pool whose clients sign with the
 * account's own credentials, and whose calls were all answered without retries or throttling,
 * is handed on; any other is destroyed when its account is done.
 */
export class SharedClients {
  private readonly idle: ClientPool[] = [];

  /** A pool for an account: an idle one rebound to its credentials, or a new one. */
  take(options: CollectOptions, homeRegion: string): ClientPool {
    const index = options.credentials !== undefined && !options.roleArn ? this.idle.findIndex((pool) => pool.homeRegion === homeRegion) : -1;
    if (index < 0) return new ClientPool(options, homeRegion);
    const pool = this.idle.splice(index, 1)[0]!;
    pool.rebind(options.credentials!);
    return pool;
  }

  /** The account is done (every call answered): its pool for the next account, or destroyed. */
  give(pool: ClientPool): void {
    if (pool.rebindable && !pool.retried) this.idle.push(pool);
    else pool.destroy();
  }

  destroy(): void {
    for (const pool of this.idle.splice(0)) pool.destroy();
  }
}

type SignerProvider = (authScheme?: unknown) => Promise<unknown>;

/**
 * One request signer per client. The SDK's default `signer` builds a new SigV4 signer for every
 * request: a copy of the whole client configuration, and a new signer whose signing-key cache
 * starts empty, so that every request derives its signing key again (four HMACs). The signer's
 * own region and service are fixed by the client's first request (the SDK keeps them in
 * `config.signingRegion` and `signingName`), and every request hands its own signing region
 * and service to `sign()`: the one signer signs exactly as the per-request ones would, and its
 * signing-key cache (keyed by credentials, date, region and service) is used as designed. The
 * signer is built again when the client's credentials change (`ClientPool.rebind`), as it reads
 * them from the configuration when built.
 */
export function reuseSigner(client: unknown): void {
  const config = (client as { config?: { signer?: SignerProvider } }).config;
  const build = config?.signer;
  if (!config || typeof build !== 'function') return;
  let signer: Promise<unknown> | undefined;
  let signerCredentials: unknown;
  config.signer = (authScheme) => {
    const credentials = (config as { credentials?: unknown }).credentials;
    if (!signer || signerCredentials !== credentials) {
      signerCredentials = credentials;
      signer = build(authScheme).catch((error: unknown) => {
        signer = undefined;
        throw error;
      });
    }
    return signer;
  };
}

/** What `reuseHandlers` uses of an SDK client and command (public members of both). */
interface SendingClient {
  send(command: unknown, ...rest: unknown[]): Promise<unknown>;
  middlewareStack: unknown;
  config: unknown;
}
interface SentCommand {
  middlewareStack: { add(middleware: (next: unknown, context: Record<string, unknown>) => unknown, options: Record<string, unknown>): void };
  resolveMiddleware(stack: unknown, config: unknown, options: unknown): (command: SentCommand) => Promise<{ output: unknown }>;
}
interface PooledHandler {
  handler: (command: SentCommand) => Promise<{ output: unknown }>;
  context: Record<string, unknown>;
}

/**
 * Request state an SDK middleware leaves in a handler's context for the requests after it (S3's
 * region redirect forces the redirected region on later requests; an S3 Express session identity
 * signs them): a handler whose context holds one is not used again.
 */
const STICKY_CONTEXT = ['__s3RegionRedirect', 's3ExpressIdentity'];

/**
 * Each command's middleware handler built once and used again, one request at a time. The SDK
 * builds a command's handler on every `send` (the client's and the command's middleware lists,
 * merged and sorted, then each middleware bound), a large part of the CPU of a call. Its
 * own switch for this (`cacheMiddleware`) shares one handler, and the context each middleware
 * writes its per-request state into (endpoint, auth scheme, region redirect), between all
 * requests of a command in flight at once; here each request in flight has a handler of its own,
 * taken from the command's free handlers or built, and handed back when the request is done. A
 * `send` with options or a callback, and a client whose `send` was replaced (tests mock it),
 * go through the client's own `send`.
 */
export function reuseHandlers(client: SendingClient): void {
  let sdkSend: unknown;
  for (let proto = Object.getPrototypeOf(client) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.prototype.hasOwnProperty.call(proto, 'send')) sdkSend = (proto as SendingClient).send;
  }
  const free = new Map<unknown, PooledHandler[]>();
  let commandConfig: unknown;
  client.send = async (command: unknown, ...rest: unknown[]) => {
    const send = (Object.getPrototypeOf(client) as SendingClient).send;
    if (send !== sdkSend || rest.some((arg) => arg !== undefined)) return send.call(client, command, ...rest);
    const sent = command as SentCommand;
    const key = (command as object).constructor;
    const pooled = free.get(key)?.pop() ?? build(sent);
    try {
      return (await pooled.handler(sent)).output;
    } finally {
      if (!STICKY_CONTEXT.some((name) => pooled.context[name] !== undefined)) {
        const list = free.get(key);
        if (list) list.push(pooled);
        else free.set(key, [pooled]);
      }
    }
  };
  function build(command: SentCommand): PooledHandler {
    let context: Record<string, unknown> = {};
    // Sees the handler's context when the handler is built; adds nothing to a request's work.
    command.middlewareStack.add(
      (next, handlerContext) => {
        context = handlerContext;
        return next;
      },
      { step: 'initialize', priority: 'high', name: 'aigisHandlerContext', override: true },
    );
    commandConfig ??= fastCopy(client.config);
    const handler = command.resolveMiddleware(client.middlewareStack, commandConfig, undefined);
    return { handler, context };
  }
}

/**
 * The client configuration as the command's own middleware sees it: the same properties, with
 * the same values and accessors (`credentials` stays the SDK's getter and setter, so a client
 * handed to another account signs with that account's credentials), in an object V8 keeps in
 * its fast layout. The SDK's configuration object is built by adding dozens of properties one
 * resolver at a time and ends in V8's dictionary mode, and the endpoint middleware copies it
 * (`{ ...config }`) on every request: about 17 us a call for S3 from the dictionary, 3 us from
 * the copy. The client's own middleware (signing, retries, serialization) keeps the original.
 */
function fastCopy(config: unknown): unknown {
  if (typeof config !== 'object' || config === null) return config;
  return Object.defineProperties(Object.create(Object.getPrototypeOf(config) as object | null) as object, Object.getOwnPropertyDescriptors(config));
}

function httpHandler(options: CollectOptions, agents?: { httpAgent: HttpAgent; httpsAgent: HttpsAgent }): NodeHttpHandler {
  return new NodeHttpHandler({
    requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
    // Without this the handler only logs a warning and a hung endpoint stalls the scan forever.
    throwOnRequestTimeout: true,
    ...agents,
  });
}

export interface SharedHttp {
  /** Given to every client; destroying a client leaves it open. */
  handler: NodeHttpHandler;
  /** Closes its connections (once every client using it is done). */
  destroy(): void;
}

/**
 * One HTTP handler for the clients of many accounts: each account's clients are destroyed when the
 * account is done, but the keep-alive connections (and their TLS sessions, a few milliseconds of
 * CPU each against AWS) to each service endpoint stay for the next account. The sockets are not
 * capped here: the per-service limits bound the calls in flight.
 */
export function createSharedHttp(options: CollectOptions): SharedHttp {
  const agents = { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
  const handler = Object.create(httpHandler(options, agents), { destroy: { value: () => undefined } }) as NodeHttpHandler;
  return {
    handler,
    destroy: () => {
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
    },
  };
}

/**
 * The standard chain (env, SSO, profile, web identity, container, IMDS), optionally as the source
 * of an assumed role. Memoized across all clients so that a scan assumes the role once, not once
 * per (service, region) client, and refreshes it shortly before it expires.
 */
export function buildCredentialProvider(options: CollectOptions, homeRegion: string, endpoint: string | undefined): AwsCredentialIdentityProvider {
  const given = options.credentials;
  const chain: AwsCredentialIdentityProvider = given
    ? typeof given === 'function'
      ? given
      : async () => given
    : fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  if (!options.roleArn) return memoizeCredentials(chain);
  const assumed = fromTemporaryCredentials({
    masterCredentials: chain,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: 'aigis-readonly-scan',
      ...(options.externalId ? { ExternalId: options.externalId } : {}),
    },
    clientConfig: { region: homeRegion, ...(endpoint ? { endpoint } : {}) },
  });
  return memoizeCredentials(assumed);
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/** The provider's identity, reused until five minutes before it expires. */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (pending) {
      const current = await pending.catch(() => undefined);
      const expiration = current?.expiration?.getTime();
      if (current && (expiration === undefined || expiration - Date.now() > REFRESH_MARGIN_MS)) return current;
    }
    pending = provider();
    return pending;
  };
}
