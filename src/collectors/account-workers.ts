/**
 * Worker threads for organization scans: whole accounts collected off the main thread, so that a
 * scan of many accounts uses every core instead of one (src/collectors/account-worker.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Inventory } from '../inventory/schema.js';
import { AccountMismatchError } from './failures.js';
import type { CollectOptions } from './options.js';
import type { InventoryInput } from './shapes.js';

/** What a worker is given: options that survive structured cloning, and the account's credentials. */
export type CloneableCollectOptions = Omit<CollectOptions, 'credentials' | 'retryStrategy' | 'now' | 'httpHandler' | 'sharedClients'>;

export type WorkerRequest =
  | { kind: 'collect'; job: number; options: CloneableCollectOptions; credentials: AwsCredentialIdentity }
  | { kind: 'credentials'; job: number; credentials: AwsCredentialIdentity };

export type WorkerReply =
  | { kind: 'collected'; job: number; inventory: InventoryInput; parsed: Inventory }
  | { kind: 'failed'; job: number; message: string; answeredAs?: { expected: string; actual: string } }
  | { kind: 'refresh'; job: number };

const WORKER_FILE = new URL('./account-worker.js', import.meta.url);

/**
 * Options a worker can be given: no function or injected object (tests inject credentials, retry
 * strategies and clocks; those scans stay on the main thread).
 */
export function cloneableOptions(options: CollectOptions): CloneableCollectOptions | undefined {
  // The HTTP handler and clients stay on their thread; each worker shares its own across its accounts.
  const { credentials: _credentials, httpHandler: _httpHandler, sharedClients: _sharedClients, ...rest } = options;
  if (rest.retryStrategy !== undefined || rest.now !== undefined) return undefined;
  return rest;
}

/** Whether workers can run here: the compiled worker exists (not when running from TypeScript sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_FILE));
}

interface Job {
  worker: PooledWorker;
  credentials: AwsCredentialIdentityProvider;
  /** The credentials last sent, sent again when a refresh fails (the calls then fail and are recorded). */
  last: AwsCredentialIdentity;
  resolve: (result: { inventory: InventoryInput; parsed: Inventory }) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  busy: number;
  alive: boolean;
}

export class AccountWorkerPool {
  private readonly workers: PooledWorker[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextJob = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.start());
  }

  /** One account's inventory, collected by the least busy worker with the given credentials. */
  async collect(options: CloneableCollectOptions, credentials: AwsCredentialIdentityProvider): Promise<{ inventory: InventoryInput; parsed: Inventory }> {
    const first = await credentials();
    const live = this.workers.filter((w) => w.alive);
    if (live.length === 0) throw new Error('every collection worker stopped');
    const pooled = live.reduce((a, b) => (b.busy < a.busy ? b : a));
    const job = this.nextJob++;
    return new Promise((resolve, reject) => {
      this.jobs.set(job, { worker: pooled, credentials, last: first, resolve, reject });
      pooled.busy++;
      pooled.worker.postMessage({ kind: 'collect', job, options, credentials: first } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private start(): PooledWorker {
    const worker = new Worker(WORKER_FILE);
    const pooled: PooledWorker = { worker, busy: 0, alive: true };
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    const stopped = (error: Error) => {
      if (!pooled.alive) return;
      pooled.alive = false;
      for (const [id, job] of this.jobs) {
        if (job.worker !== pooled) continue;
        this.jobs.delete(id);
        job.reject(error);
      }
    };
    worker.on('error', (error) => stopped(new Error(`collection worker failed: ${error.message}`)));
    worker.on('exit', (code) => stopped(new Error(`collection worker exited (${code})`)));
    return pooled;
  }

  private onReply(reply: WorkerReply): void {
    const job = this.jobs.get(reply.job);
    if (!job) return;
    if (reply.kind === 'refresh') {
      const send = (credentials: AwsCredentialIdentity) => {
        job.last = credentials;
        job.worker.worker.postMessage({ kind: 'credentials', job: reply.job, credentials } satisfies WorkerRequest);
      };
      job.credentials().then(send, () => send(job.last));
      return;
    }
    this.jobs.delete(reply.job);
    job.worker.busy--;
    if (reply.kind === 'collected') job.resolve({ inventory: reply.inventory, parsed: reply.parsed });
    else job.reject(reply.answeredAs ? new AccountMismatchError(reply.answeredAs.expected, reply.answeredAs.actual) : new Error(reply.message));
  }
}
