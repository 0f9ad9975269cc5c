/**
 * The SDK work an organization scan does once instead of once per call or per account
 * (src/collectors/clients.ts): one signer per client, middleware handlers used again one request
 * at a time, and client pools handed from account to account with the next account's credentials.
 */
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientPool, SharedClients, reuseHandlers, reuseSigner } from '../../src/collectors/clients.js';
import { CollectRuntime } from '../../src/collectors/runtime.js';
import type { CollectOptions } from '../../src/collectors/options.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Seen {
  authorization: string;
  target: string;
}

/** An HTTP handler that answers every KMS call at once (after `delayMs`) and records what it was sent. */
function fakeHttp(delayMs = 0) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: { headers: Record<string, string> }) {
      seen.push({ authorization: request.headers.authorization ?? '', target: request.headers['x-amz-target'] ?? '' });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      const target = request.headers['x-amz-target'] ?? '';
      const body = target.endsWith('ListKeys') ? { Keys: [{ KeyId: 'k1' }] } : { KeyMetadata: { KeyId: 'k1', Arn: 'arn:aws:kms:us-east-1:111122223333:key/k1' } };
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: new TextEncoder().encode(JSON.stringify(body)) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return { handler, seen, maxInFlight: () => maxInFlight };
}

const KEY_A = { accessKeyId: 'AKIDACCOUNTA', secretAccessKey: 'secret-a' };
const KEY_B = { accessKeyId: 'AKIDACCOUNTB', secretAccessKey: 'secret-b' };

function options(http: ReturnType<typeof fakeHttp>, extra: Partial<CollectOptions> = {}): CollectOptions {
  return { region: 'us-east-1', credentials: KEY_A, maxAttempts: 1, httpHandler: http.handler as unknown as CollectOptions['httpHandler'], ...extra };
}

afterEach(() => vi.restoreAllMocks());

describe('one signer per client', () => {
  it('builds the signer once, and again when the credentials change', async () => {
    const client = new KMSClient({ region: 'us-east-1', credentials: KEY_A });
    const build = vi.spyOn(client.config, 'signer');
    reuseSigner(client);
    const first = await client.config.signer();
    expect(await client.config.signer()).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    (client.config as { credentials: unknown }).credentials = KEY_B;
    const second = await client.config.signer();
    expect(second).not.toBe(first);
    expect(await client.config.signer()).toBe(second);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('signs each request with the credentials the client has when it is sent', async () => {
    const http = fakeHttp();
    const pool = new ClientPool(options(http), 'us-east-1');
    await pool.get('kms', 'us-east-1').send(new ListKeysCommand({}));
    pool.rebind(KEY_B);
    await pool.get('kms', 'us-east-1').send(new ListKeysCommand({}));
    expect(http.seen.map((s) => /Credential=(\w+)\//.exec(s.authorization)?.[1])).toEqual(['AKIDACCOUNTA', 'AKIDACCOUNTB']);
    pool.destroy();
  });
});

describe('middleware handlers used again, one request at a time', () => {
  it('builds a handler per request in flight and hands it to the requests after it', async () => {
    const http = fakeHttp(20);
    const client = new KMSClient({ region: 'us-east-1', credentials: KEY_A, requestHandler: http.handler as never, maxAttempts: 1 });
    reuseHandlers(client as never);
    const builds = vi.spyOn(ListKeysCommand.prototype, 'resolveMiddleware');
    const output = await client.send(new ListKeysCommand({}));
    expect(output.Keys).toEqual([{ KeyId: 'k1' }]);
    await client.send(new ListKeysCommand({}));
    expect(builds).toHaveBeenCalledTimes(1);
    // Three at once: three handlers, each used by one request (none shares a context).
    await Promise.all([1, 2, 3].map(() => client.send(new ListKeysCommand({}))));
    expect(builds).toHaveBeenCalledTimes(3);
    await Promise.all([1, 2, 3].map(() => client.send(new ListKeysCommand({}))));
    expect(builds).toHaveBeenCalledTimes(3);
    // Another command has handlers of its own; its input is the one sent, not the first one's.
    const described = await client.send(new DescribeKeyCommand({ KeyId: 'k1' }));
    expect(described.KeyMetadata?.KeyId).toBe('k1');
    expect(http.seen.filter((s) => s.target.endsWith('DescribeKey'))).toHaveLength(1);
    // A send with options goes through the SDK's own send.
    await client.send(new ListKeysCommand({}), {});
    expect(builds).toHaveBeenCalledTimes(4);
  });

  it('leaves a mocked client to its mock', async () => {
    const mock = mockClient(KMSClient);
    mock.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'mocked' }] });
    try {
      const client = new KMSClient({ region: 'us-east-1', credentials: KEY_A });
      reuseHandlers(client as never);
      expect((await client.send(new ListKeysCommand({}))).Keys).toEqual([{ KeyId: 'mocked' }]);
    } finally {
      mock.restore();
    }
  });
});

describe('client pools handed from account to account', () => {
  it('gives the next account the same clients with its own credentials', async () => {
    const http = fakeHttp();
    const shared = new SharedClients();
    const first = shared.take(options(http), 'us-east-1');
    const kms = first.get('kms', 'us-east-1');
    await kms.send(new ListKeysCommand({}));
    shared.give(first);
    const second = shared.take(options(http, { credentials: KEY_B }), 'us-east-1');
    expect(second).toBe(first);
    expect(second.get('kms', 'us-east-1')).toBe(kms);
    await kms.send(new ListKeysCommand({}));
    expect(http.seen.map((s) => /Credential=(\w+)\//.exec(s.authorization)?.[1])).toEqual(['AKIDACCOUNTA', 'AKIDACCOUNTB']);
    // Two accounts at once: two pools.
    const third = shared.take(options(http), 'us-east-1');
    expect(third).not.toBe(second);
    shared.give(second);
    shared.give(third);
    shared.destroy();
  });

  it('does not hand on a pool whose calls were retried or throttled, nor one that assumes a role itself', () => {
    const http = fakeHttp();
    const shared = new SharedClients();
    const retried = shared.take(options(http), 'us-east-1');
    retried.retried = true;
    shared.give(retried);
    expect(shared.take(options(http), 'us-east-1')).not.toBe(retried);
    const assuming = shared.take(options(http, { roleArn: 'arn:aws:iam::111122223333:role/r' }), 'us-east-1');
    expect(assuming.rebindable).toBe(false);
    shared.give(assuming);
    expect(shared.take(options(http), 'us-east-1')).not.toBe(assuming);
    shared.destroy();
  });

  it('marks the pool when a call was retried, throttled or failed on the server, not for a plain client error', async () => {
    const cases: [string, unknown, boolean][] = [
      ['answered at once', { $metadata: { attempts: 1 }, Keys: [] }, false],
      ['answered after a retry', { $metadata: { attempts: 2 }, Keys: [] }, true],
      ['not found at once', Object.assign(new Error('no'), { name: 'NotFoundException', $metadata: { attempts: 1, httpStatusCode: 400 } }), false],
      ['throttled at once (no retry left)', Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { attempts: 1, httpStatusCode: 400 } }), true],
      ['server error', Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { attempts: 1, httpStatusCode: 500 } }), true],
      ['failed after retries', Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { attempts: 3, httpStatusCode: 400 } }), true],
      ['no answer', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ];
    for (const [label, answer, retried] of cases) {
      const rt = new CollectRuntime(options(fakeHttp()), 'us-east-1');
      await rt.call('kms', 'us-east-1', 'ListKeys', async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      });
      expect(rt.clients.retried, label).toBe(retried);
      rt.releaseClients(false);
    }
  });
});
