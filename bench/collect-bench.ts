/**
 * Live-collection bench against the loopback AWS (real HTTP, real SDK): 1,000 buckets in two
 * regions and 1,000 IAM roles, a fixed per-response latency. Prints wall time, API calls by
 * operation, peak RSS, and checks two targets:
 * - IAM is read in O(pages) calls (GetAccountAuthorizationDetails pages, not per principal);
 * - wall time is within 1.5x of the ideal `calls x median call latency / concurrency` of the
 *   slowest service (services run in parallel, each under its own limit).
 * AIGIS_COLLECT_BENCH_BUCKETS / _ROLES / _LATENCY_MS change the scale.
 */
import { collectInventory } from '../src/collectors/index.js';
import { defaultWorld, startLoopbackAws, type LoopbackBucket } from '../test/helpers/loopback-aws.js';

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export async function run(): Promise<void> {
  const bucketCount = envNumber('AIGIS_COLLECT_BENCH_BUCKETS', 1000);
  const roleCount = envNumber('AIGIS_COLLECT_BENCH_ROLES', 1000);
  const latencyMs = envNumber('AIGIS_COLLECT_BENCH_LATENCY_MS', 5);
  const concurrency = 16;

  const world = defaultWorld({ roles: roleCount, listBucketRegion: false });
  const cmk = world.buckets[0]!.kmsKeyArn!;
  world.buckets = Array.from({ length: bucketCount }, (_, i): LoopbackBucket => ({
    name: `bench-bucket-${String(i).padStart(5, '0')}`,
    region: i % 2 ? 'eu-west-1' : 'us-east-1',
    encryption: i % 3 === 0 ? 'kms' : i % 3 === 1 ? 'aes' : 'none',
    kmsKeyArn: cmk,
    publicAccessBlock: i % 4 !== 0,
    ...(i % 5 === 0 ? { policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::bench-bucket-${i}/*` }] } } : {}),
    ...(i % 2 ? { tags: { team: 'ml' } } : {}),
  }));

  const server = await startLoopbackAws(world, { latencyMs });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const baselineRss = peakRss;
  (globalThis as { gc?: () => void }).gc?.();
  const baselineHeap = process.memoryUsage().heapUsed;
  try {
    const started = performance.now();
    const { inventory, stats } = await collectInventory({
      region: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1'],
      services: ['s3', 'iam', 'kms'],
      endpointUrl: server.url,
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
      concurrency,
      maxAttempts: 1,
    });
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    // Retained heap once garbage is collected: the inventory itself plus whatever leaked.
    (globalThis as { gc?: () => void }).gc?.();
    const retainedHeap = process.memoryUsage().heapUsed;

    console.log(`  scale: ${bucketCount} buckets (2 regions), ${roleCount} roles, ${latencyMs} ms server latency, concurrency ${concurrency}/service`);
    console.log(`  collected: ${inventory.s3?.buckets.length ?? 0} buckets, ${inventory.iam?.roles?.length ?? 0} roles, ${inventory.kms?.keys.length ?? 0} keys, ${stats.errors} errors`);
    console.log(`  wall time: ${(wallMs / 1000).toFixed(2)} s, ${stats.calls} API calls (${Math.round(stats.calls / (wallMs / 1000))} calls/s), median call ${stats.medianCallMs} ms`);
    console.log('  API calls by operation:');
    for (const [op, count] of Object.entries(stats.callsByOperation)) console.log(`    ${op.padEnd(40)} ${String(count).padStart(7)}`);
    console.log('  wall time by service:');
    for (const [service, s] of Object.entries(stats.services)) console.log(`    ${service.padEnd(12)} ${String(s.wallMs).padStart(7)} ms  ${String(s.calls).padStart(7)} calls`);
    console.log(`  peak RSS: ${(peakRss / 1048576).toFixed(0)} MiB (start ${(baselineRss / 1048576).toFixed(0)} MiB, +${((peakRss - baselineRss) / 1048576).toFixed(0)} MiB)`);
    if ((globalThis as { gc?: () => void }).gc) {
      console.log(`  heap after GC (inventory held): ${(retainedHeap / 1048576).toFixed(0)} MiB (${((retainedHeap - baselineHeap) / bucketCount / 1024).toFixed(1)} KiB per bucket over the start)`);
    }
    const errorCodes = new Map<string, number>();
    for (const e of inventory.collectionErrors ?? []) errorCodes.set(`${e.service}:${e.operation} ${e.errorCode}`, (errorCodes.get(`${e.service}:${e.operation} ${e.errorCode}`) ?? 0) + 1);
    for (const [key, count] of errorCodes) console.log(`  collection error: ${key} x${count}`);

    // Target 1: IAM in O(pages).
    const gaadPages = stats.callsByOperation['iam:GetAccountAuthorizationDetails'] ?? 0;
    const expectedPages = Math.ceil((roleCount + world.users.length + 1) / 1000);
    const iamCalls = Object.entries(stats.callsByOperation).filter(([op]) => op.startsWith('iam:')).reduce((n, [, c]) => n + c, 0);
    const iamOk = gaadPages === expectedPages && iamCalls <= gaadPages + 3;
    console.log(`  IAM: ${iamCalls} calls for ${roleCount} roles (${gaadPages} GAAD pages, expected ${expectedPages}) -> ${iamOk ? 'OK (O(pages))' : 'MISSED'}`);

    // Target 2: wall time within 1.5x of calls x median latency / concurrency, for the slowest service.
    let ideal = 0;
    let slowest = '';
    for (const [service, s] of Object.entries(stats.services)) {
      const serviceIdeal = (s.calls * stats.medianCallMs) / (stats.concurrency[service] ?? concurrency);
      if (serviceIdeal > ideal) {
        ideal = serviceIdeal;
        slowest = service;
      }
    }
    const ratio = wallMs / ideal;
    console.log(`  ideal (${slowest}: calls x median / concurrency): ${(ideal / 1000).toFixed(2)} s; wall/ideal = ${ratio.toFixed(2)} -> ${ratio <= 1.5 ? 'OK (<= 1.5)' : 'MISSED (> 1.5)'}`);
    if (!iamOk || ratio > 1.5 || stats.errors > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await server.close();
  }
}
