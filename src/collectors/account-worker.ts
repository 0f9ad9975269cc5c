/**
 * A worker thread that collects member accounts of an organization scan (src/collectors/account-workers.ts).
 *
 * The SDK spends about 1 ms of CPU per call (middleware, signing, parsing): an organization of a
 * thousand accounts is hundreds of thousands of calls, more than one thread keeps up with at AWS
 * latencies. Each worker collects whole accounts with credentials the main thread assumed; the
 * main thread keeps the Organizations and STS calls, the rules and the reports.
 */
import { parentPort } from 'node:worker_threads';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AccountMismatchError, errorCodeOf, errorMessageOf } from './failures.js';
import { createSharedHttp, SharedClients, type SharedHttp } from './clients.js';
import { collectLiveInventory } from './index.js';
import type { WorkerReply, WorkerRequest } from './account-workers.js';

const REFRESH_MARGIN_MS = 5 * 60_000;
if (!parentPort) throw new Error('account-worker.js runs as a worker thread');
const port = parentPort;

/** Credentials refreshed through the main thread, which owns the assumed-role session. */
const pendingRefresh = new Map<number, (credentials: AwsCredentialIdentity) => void>();

function credentialsFor(job: number, first: AwsCredentialIdentity): () => Promise<AwsCredentialIdentity> {
  let current = first;
  let refreshing: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const expiration = current.expiration?.getTime();
    if (expiration === undefined || expiration - Date.now() > REFRESH_MARGIN_MS) return current;
    refreshing ??= new Promise<AwsCredentialIdentity>((resolve) => {
      pendingRefresh.set(job, resolve);
      port.postMessage({ kind: 'refresh', job } satisfies WorkerReply);
    }).then((fresh) => {
      current = fresh;
      refreshing = undefined;
      return fresh;
    });
    return refreshing;
  };
}

let sharedHttp: SharedHttp | undefined;
const sharedClients = new SharedClients();

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'credentials') {
    pendingRefresh.get(request.job)?.(request.credentials);
    pendingRefresh.delete(request.job);
    return;
  }
  const { job, options, credentials } = request;
  // One HTTP handler and one set of client pools for every account this worker collects (the pool terminates the thread).
  sharedHttp ??= createSharedHttp(options);
  collectLiveInventory({ ...options, httpHandler: sharedHttp.handler, sharedClients, credentials: credentialsFor(job, credentials) })
    .then(({ inventory, parsed }) => port.postMessage({ kind: 'collected', job, inventory, parsed } satisfies WorkerReply))
    .catch((error: unknown) =>
      port.postMessage({
        kind: 'failed',
        job,
        message: errorMessageOf(error) ?? errorCodeOf(error),
        ...(error instanceof AccountMismatchError ? { answeredAs: { expected: error.expected, actual: error.actual } } : {}),
      } satisfies WorkerReply),
    );
});
