/**
 * What every collector shares: clients, per-service concurrency limits, call accounting and the
 * error ledger. Collectors never see an exception from AWS: `call` returns an outcome, records
 * failures in collectionErrors and keeps going.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { CollectionError } from '../inventory/schema.js';
import { ClientPool, type ClientTypes } from './clients.js';
import { errorCodeOf, errorMessageOf } from './failures.js';
import { READ_ONLY_OPERATIONS, type OperationName, type ServiceKey } from './operations.js';
import { DEFAULTS, type CollectOptions } from './options.js';

/** `ok`: the value; `absent`: an expected "not configured" answer; `failed`: recorded as a collection error. */
export type Outcome<T> = { status: 'ok'; value: T } | { status: 'absent'; code: string } | { status: 'failed'; code: string };

export interface CallOptions {
  /** ARN (or name) of the resource the call is about; omitted for listings (section-level errors). */
  resource?: string;
  /** Error codes that mean "the setting does not exist" rather than a failure. */
  notConfigured?: readonly string[];
  /** Decides from the error whether it is a "not configured" answer (codes alone are ambiguous for some services). */
  isNotConfigured?: (code: string, message: string) => boolean;
  /** Do not record a failure (the caller records a better one, or the failure is expected). */
  silent?: boolean;
  /** The call is about the account as a whole (S3 listing): its error carries no region. */
  global?: boolean;
}

/** SDK attempts of a call (`$metadata.attempts` of its output or error); 0 when not told. */
function attemptsOf(value: unknown): number {
  const attempts = (value as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : 0;
}

const THROTTLING = /thrott|toomanyrequests|limitexceeded|slowdown|priorrequestnotcomplete/i;

/**
 * An error answered at the first attempt with a client error that is not throttling: the SDK's
 * retry state (quota, adaptive sending rate) is as it was before the call.
 */
function answeredFirstTime(error: unknown, code: string): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return attemptsOf(error) === 1 && typeof status === 'number' && status >= 400 && status < 500 && status !== 429 && !THROTTLING.test(code);
}

/** Services with one global endpoint: their errors are not tied to the region used for signing. */
const GLOBAL_SERVICES = new Set<string>(['iam', 's3control', 'sts', 'organizations']);

export interface ProgressEvent {
  kind: 'call' | 'unit';
  unitsDone: number;
  unitsTotal: number;
  calls: number;
  errors: number;
  /** Set for `unit` events. */
  unit?: { service: string; region: string; calls: number; errors: number; ms: number };
}

export interface ServiceStats {
  calls: number;
  errors: number;
  /** Wall time from the first call of the service starting to its last unit finishing. */
  wallMs: number;
}

export interface CollectStats {
  wallMs: number;
  calls: number;
  errors: number;
  /** API calls by `service:Operation`, sorted by key. */
  callsByOperation: Record<string, number>;
  services: Record<string, ServiceStats>;
  /** Median latency of a single call (ms), from a bounded sample. */
  medianCallMs: number;
  /** Effective concurrency limit per service. */
  concurrency: Record<string, number>;
  /** Things the user should know that are not errors (e.g. no IAM credential report). */
  notes: string[];
}

const LATENCY_SAMPLE = 4096;

export class CollectRuntime {
  readonly clients: ClientPool;
  readonly errors: CollectionError[] = [];
  readonly notes: string[] = [];
  private readonly limits = new Map<string, LimitFunction>();
  private readonly callCounts = new Map<string, number>();
  private readonly serviceCalls = new Map<string, number>();
  private readonly serviceErrors = new Map<string, number>();
  private readonly serviceStart = new Map<string, number>();
  private readonly serviceEnd = new Map<string, number>();
  private readonly latencies: number[] = [];
  private latencySeen = 0;
  private calls = 0;
  private unitsDone = 0;
  unitsTotal = 0;
  private readonly started = performance.now();

  constructor(
    readonly options: CollectOptions,
    readonly defaultRegion: string,
    private readonly onProgress?: (event: ProgressEvent) => void,
  ) {
    this.clients = options.sharedClients ? options.sharedClients.take(options, defaultRegion) : new ClientPool(options, defaultRegion);
  }

  /** The clients are no longer used: handed on to the next account when `reusable` (every call answered), else destroyed. */
  releaseClients(reusable: boolean): void {
    if (reusable && this.options.sharedClients) this.options.sharedClients.give(this.clients);
    else this.clients.destroy();
  }

  concurrencyFor(service: string): number {
    const value = this.options.serviceConcurrency?.[service] ?? this.options.concurrency ?? DEFAULTS.concurrency;
    return Math.max(1, Math.floor(value));
  }

  private limiter(service: string): LimitFunction {
    let limit = this.limits.get(service);
    if (!limit) {
      limit = pLimit(this.concurrencyFor(service));
      this.limits.set(service, limit);
    }
    return limit;
  }

  /**
   * One API call under the service's concurrency limit. `operation` must be one of the read-only
   * operations (the type system enforces it; the runtime check guards against casts).
   */
  async call<S extends ServiceKey, T>(
    service: S,
    region: string,
    operation: OperationName<S>,
    run: (client: ClientTypes[S]) => Promise<T>,
    options: CallOptions = {},
  ): Promise<Outcome<T>> {
    if (!(operation in READ_ONLY_OPERATIONS[service])) throw new Error(`${service}:${operation} is not a registered read-only operation`);
    return this.limiter(service)(async () => {
      const start = performance.now();
      if (!this.serviceStart.has(service)) this.serviceStart.set(service, start);
      let outcome: Outcome<T>;
      try {
        const value = await run(this.clients.get(service, region));
        if (attemptsOf(value) > 1) this.clients.retried = true;
        outcome = { status: 'ok', value };
      } catch (error) {
        const code = errorCodeOf(error);
        if (!answeredFirstTime(error, code)) this.clients.retried = true;
        const message = errorMessageOf(error);
        const expected = options.notConfigured?.includes(code) || options.isNotConfigured?.(code, message ?? '') === true;
        if (expected) {
          outcome = { status: 'absent', code };
        } else {
          outcome = { status: 'failed', code };
          const errorRegion = options.global || GLOBAL_SERVICES.has(service) ? undefined : region;
          if (!options.silent) this.recordError({ service, region: errorRegion, operation, resource: options.resource, errorCode: code, message });
        }
      }
      const elapsed = performance.now() - start;
      this.count(service, operation, elapsed);
      return outcome;
    });
  }

  recordError(error: { service: string; region?: string; operation: string; resource?: string; errorCode: string; message?: string }): void {
    const entry: CollectionError = { service: error.service, operation: error.operation, errorCode: error.errorCode };
    if (error.region !== undefined) entry.region = error.region;
    if (error.resource !== undefined) entry.resource = error.resource;
    if (error.message !== undefined) entry.message = error.message;
    this.errors.push(entry);
    this.serviceErrors.set(error.service, (this.serviceErrors.get(error.service) ?? 0) + 1);
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  private count(service: string, operation: string, elapsed: number): void {
    this.calls++;
    const key = `${service}:${operation}`;
    this.callCounts.set(key, (this.callCounts.get(key) ?? 0) + 1);
    this.serviceCalls.set(service, (this.serviceCalls.get(service) ?? 0) + 1);
    this.serviceEnd.set(service, performance.now());
    // Reservoir sample: the median stays meaningful with flat memory however many calls are made.
    this.latencySeen++;
    if (this.latencies.length < LATENCY_SAMPLE) this.latencies.push(elapsed);
    else {
      const slot = Math.floor(Math.random() * this.latencySeen);
      if (slot < LATENCY_SAMPLE) this.latencies[slot] = elapsed;
    }
    this.onProgress?.({ kind: 'call', unitsDone: this.unitsDone, unitsTotal: this.unitsTotal, calls: this.calls, errors: this.errors.length });
  }

  /** Runs one (service, region) unit of work, timing it and reporting progress when it ends. */
  async unit(service: string, region: string, work: () => Promise<void>): Promise<void> {
    const callsBefore = this.serviceCalls.get(service) ?? 0;
    const errorsBefore = this.serviceErrors.get(service) ?? 0;
    const start = performance.now();
    if (!this.serviceStart.has(service)) this.serviceStart.set(service, start);
    try {
      await work();
    } catch (error) {
      // A bug in a mapper must not lose the rest of the scan; it is recorded like an AWS failure.
      this.recordError({ service, region, operation: 'Collect', errorCode: 'InternalError', message: errorMessageOf(error) });
    }
    this.serviceEnd.set(service, Math.max(this.serviceEnd.get(service) ?? 0, performance.now()));
    this.unitsDone++;
    this.onProgress?.({
      kind: 'unit',
      unitsDone: this.unitsDone,
      unitsTotal: this.unitsTotal,
      calls: this.calls,
      errors: this.errors.length,
      unit: {
        service,
        region,
        calls: (this.serviceCalls.get(service) ?? 0) - callsBefore,
        errors: (this.serviceErrors.get(service) ?? 0) - errorsBefore,
        ms: Math.round(performance.now() - start),
      },
    });
  }

  stats(): CollectStats {
    const callsByOperation: Record<string, number> = {};
    for (const key of [...this.callCounts.keys()].sort()) callsByOperation[key] = this.callCounts.get(key)!;
    const services: Record<string, ServiceStats> = {};
    const concurrency: Record<string, number> = {};
    const names = new Set([...this.serviceCalls.keys(), ...this.serviceStart.keys()]);
    for (const service of [...names].sort()) {
      const start = this.serviceStart.get(service) ?? 0;
      const end = this.serviceEnd.get(service) ?? start;
      services[service] = {
        calls: this.serviceCalls.get(service) ?? 0,
        errors: this.serviceErrors.get(service) ?? 0,
        wallMs: Math.round(end - start),
      };
      concurrency[service] = this.concurrencyFor(service);
    }
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
    return {
      wallMs: Math.round(performance.now() - this.started),
      calls: this.calls,
      errors: this.errors.length,
      callsByOperation,
      services,
      medianCallMs: Math.round(median * 100) / 100,
      concurrency,
      notes: [...this.notes],
    };
  }
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight, pulling items lazily so that
 * neither promises nor closures are created for the whole list up front (flat memory with 10,000
 * buckets).
 */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** Follows a token-paginated listing; stops (returning what it has) when a page fails. */
export async function paginate<P>(
  fetchPage: (token: string | undefined) => Promise<Outcome<P>>,
  nextToken: (page: P) => string | undefined,
  onPage: (page: P) => void,
): Promise<'complete' | 'failed'> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const outcome = await fetchPage(token);
    if (outcome.status !== 'ok') return 'failed';
    onPage(outcome.value);
    token = nextToken(outcome.value);
    // A service that hands back the same token twice would loop forever; treat it as the end.
    if (!token || seen.has(token)) return 'complete';
    seen.add(token);
  }
}
