/**
 * Organization bench (issue 13): a simulated organization on loopback (this process serves
 * Organizations, STS and every account's own AWS; aigis runs as a child process, so its figures
 * are its own), N accounts (default 1,000; AIGIS_ORG_BENCH_ACCOUNTS) x 2 Regions x about 50 AI
 * resources each, a fixed per-response latency. Prints and checks:
 * - `scan --org` wall time against the busiest service's calls x latency / (accounts in flight x
 *   per-service limit: the slots that service has; the others run beside it), at
 *   aigis's default concurrency (4 accounts, 8 calls per service) and an AWS-like latency (50 ms:
 *   the List/Get/Describe calls of a scan answer in tens of milliseconds; AIGIS_ORG_BENCH_LATENCY_MS
 *   changes it). The SDK spends about 1 ms of CPU per call, so at a few milliseconds per response any
 *   SDK client is CPU-bound and the figure would measure the CPU, not the scheduling; the CPU per
 *   call is printed beside it;
 * - peak memory flat in the number of accounts: the run at N against the run at N/4;
 * - the same with 4 shards (`collect --org --shard K/4`) plus `merge`: byte-identical report.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountWorld, startLoopbackOrganization, type SimulatedOrganization } from '../test/helpers/loopback-org.js';
import { AIGIS_BIN, accounting, check, fmtMb, fmtS, runNode } from './whole-process.js';

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const SERVICES = 's3,iam,kms,bedrock,opensearchserverless,sagemaker';
/** aigis's defaults (--account-concurrency, --concurrency). */
const ACCOUNT_CONCURRENCY = 4;
const SERVICE_CONCURRENCY = 8;
/** --workers for the scans (AIGIS_ORG_BENCH_WORKERS; default 0, aigis's default). */
const WORKERS = String(Math.max(0, Math.floor(Number(process.env.AIGIS_ORG_BENCH_WORKERS) || 0)));

/** An organization of `count` accounts in 10 units; every 50th account refuses AssumeRole. */
function simulated(count: number): SimulatedOrganization {
  const units = Array.from({ length: 10 }, (_, i) => ({ id: `ou-bench-unit${String(i).padStart(4, '0')}`, name: `unit-${i}`, parentId: 'r-bnch' }));
  const accounts = Array.from({ length: count }, (_, i) => {
    const id = String(200000000000 + i);
    const world = accountWorld(id);
    // About 50 resources: 10 buckets over 2 Regions, 20 roles, 2 keys, 5 knowledge bases (with data
    // sources and collections), 5 SageMaker endpoints (with configs, models, schedules and cards).
    world.buckets = Array.from({ length: 10 }, (_, b) => ({ ...world.buckets[b % world.buckets.length]!, name: `bench-${id}-${b}`, region: b % 2 ? 'eu-west-1' : 'us-east-1' }));
    world.roles = 20;
    world.knowledgeBases = 5;
    world.sageMakerEndpoints = 5;
    return { id, name: `account-${i}`, parentId: units[i % units.length]!.id, world, ...(i % 50 === 49 ? { denyAssumeRole: true } : {}) };
  });
  return { id: 'o-benchorg001', managementAccountId: accounts[0]!.id, rootId: 'r-bnch', units, accounts, policies: [] };
}

interface OrgRun {
  wallMs: number;
  cpuMs: number;
  maxRss: number;
  calls: number;
  busiest: { service: string; calls: number };
}

async function scanOrg(count: number, latencyMs: number, dir: string): Promise<OrgRun & { report: string }> {
  const org = await startLoopbackOrganization(simulated(count), { latencyMs });
  try {
    const out = path.join(dir, `org-${count}`);
    const run = await runNode(
      [AIGIS_BIN, 'scan', '--org', '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1', '--services', SERVICES, '--account-concurrency', String(ACCOUNT_CONCURRENCY), '--concurrency', String(SERVICE_CONCURRENCY), '--workers', WORKERS, '-f', 'json', '-o', `${out}.json`, '--fail-on', 'none'],
      { dir, env: benchEnv(org.url) },
    );
    if (run.exitCode !== 0) throw new Error(`scan --org exited ${run.exitCode}: ${run.stderr.slice(-500)}`);
    return { wallMs: run.wallMs, cpuMs: run.cpuMs, maxRss: run.maxRss, calls: totalCalls(org), busiest: busiestService(org), report: await readFile(`${out}.json`, 'utf8') };
  } finally {
    await org.close();
  }
}

function totalCalls(org: Awaited<ReturnType<typeof startLoopbackOrganization>>): number {
  let calls = [...org.organizationsRequests.values()].reduce((n, c) => n + c, 0) + [...org.assumeRoleCalls.values()].reduce((n, c) => n + c, 0);
  for (const server of org.accounts.values()) for (const c of server.requests.values()) calls += c;
  return calls;
}

/**
 * The service with the most calls in the member accounts, and how many. Each account has its own
 * limit per service, so that service's calls bound the wall time from below: at most accounts in
 * flight x the per-service limit of them are in flight at once (other services run beside them).
 */
function busiestService(org: Awaited<ReturnType<typeof startLoopbackOrganization>>): { service: string; calls: number } {
  const byService = new Map<string, number>();
  for (const server of org.accounts.values()) {
    for (const [key, c] of server.requests) {
      const service = key.slice(0, key.indexOf(':'));
      byService.set(service, (byService.get(service) ?? 0) + c);
    }
  }
  const [service, calls] = [...byService].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['none', 0];
  return { service, calls };
}

function benchEnv(url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'AKIDMANAGEMENT',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL: url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aigis-bench-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aigis-bench-credentials',
  };
}

/** Minutes of whole-organization scans: after the quicker benches. */
export const runLast = true;

export async function run(): Promise<void> {
  const count = envNumber('AIGIS_ORG_BENCH_ACCOUNTS', 1000);
  const latencyMs = envNumber('AIGIS_ORG_BENCH_LATENCY_MS', 50);
  const dir = await mkdtemp(path.join(tmpdir(), 'aigis-org-bench-'));
  try {
    console.log(`  organization: ${count} accounts in 10 units (every 50th refuses AssumeRole), 2 Regions, about 50 AI resources each; ${latencyMs} ms per response`);
    console.log(`  services ${SERVICES}; ${ACCOUNT_CONCURRENCY} accounts at a time, ${SERVICE_CONCURRENCY} calls per service per account, ${WORKERS} worker threads; ${accounting()}`);
    const quarter = Math.max(4, Math.round(count / 4));
    const small = await scanOrg(quarter, latencyMs, dir);
    const full = await scanOrg(count, latencyMs, dir);
    for (const [label, r] of [[`${quarter} accounts`, small], [`${count} accounts`, full]] as const) {
      console.log(
        `    scan --org, ${label.padEnd(14)} wall ${fmtS(r.wallMs)}, CPU ${fmtS(r.cpuMs)} (${(r.cpuMs / r.calls).toFixed(2)} ms a call), peak ${fmtMb(r.maxRss)}, ${r.calls} API calls (${Math.round(r.calls / (r.wallMs / 1000))}/s)`,
      );
    }
    // The busiest service's calls over the slots it has (accounts in flight x per-service limit):
    // the wall time no schedule within these limits can beat; the other services run beside it.
    const ideal = (full.busiest.calls * latencyMs) / (ACCOUNT_CONCURRENCY * SERVICE_CONCURRENCY);
    check(
      `    wall / (${full.busiest.service} calls ${full.busiest.calls} x ${latencyMs} ms / ${ACCOUNT_CONCURRENCY * SERVICE_CONCURRENCY} in flight) = ${(full.wallMs / ideal).toFixed(2)} (ideal ${fmtS(ideal)}; target <= 1.5)`,
      full.wallMs <= 1.5 * ideal,
    );
    const findingsBytes = full.report.length;
    check(
      `    peak memory ${count} vs ${quarter} accounts: ${(full.maxRss / small.maxRss).toFixed(2)}x for ${(count / quarter).toFixed(0)}x the accounts (report ${fmtMb(findingsBytes)}; target <= 1.5x)`,
      full.maxRss <= 1.5 * small.maxRss,
    );

    // Four shards and a merge, against the same organization.
    const org = await startLoopbackOrganization(simulated(count), { latencyMs });
    let shardWall = 0;
    let shardPeak = 0;
    try {
      // At the same time, as four machines would run them (they share this machine's cores here).
      const runs = await Promise.all(
        [0, 1, 2, 3].map((k) =>
          runNode(
            [AIGIS_BIN, 'collect', '--org', '--shard', `${k}/4`, '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1', '--services', SERVICES, '--account-concurrency', String(ACCOUNT_CONCURRENCY), '--concurrency', String(SERVICE_CONCURRENCY), '--workers', WORKERS, '-o', path.join(dir, `shard-${k}.jsonl`)],
            { dir, env: benchEnv(org.url) },
          ),
        ),
      );
      runs.forEach((r, k) => {
        if (r.exitCode !== 0) throw new Error(`collect --shard ${k}/4 exited ${r.exitCode}: ${r.stderr.slice(-500)}`);
        shardWall = Math.max(shardWall, r.wallMs);
        shardPeak = Math.max(shardPeak, r.maxRss);
      });
    } finally {
      await org.close();
    }
    const merge = await runNode([AIGIS_BIN, 'merge', ...[0, 1, 2, 3].map((k) => path.join(dir, `shard-${k}.jsonl`)), '-f', 'json', '-o', path.join(dir, 'merged.json'), '--fail-on', 'none'], { dir });
    if (merge.exitCode !== 0) throw new Error(`merge exited ${merge.exitCode}: ${merge.stderr.slice(-500)}`);
    console.log(`    4 shards at once (4 processes on this machine's cores; on 4 machines each would have its own): slowest ${fmtS(shardWall)}, peak ${fmtMb(shardPeak)}; merge wall ${fmtS(merge.wallMs)}, peak ${fmtMb(merge.maxRss)}`);
    check(`    merged report identical to the single-machine scan --org (${fmtMb(full.report.length)})`, (await readFile(path.join(dir, 'merged.json'), 'utf8')) === full.report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
