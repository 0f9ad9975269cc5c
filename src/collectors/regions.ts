/** Which regions to scan, and the default region when none is configured. */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import type { CollectOptions } from './options.js';
import type { CollectRuntime } from './runtime.js';

/** --region, then AWS_REGION / AWS_DEFAULT_REGION, then the profile's region, then us-east-1. */
export async function resolveDefaultRegion(options: CollectOptions): Promise<string> {
  const explicit = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  try {
    // The SDK's own resolution reads ~/.aws/config for the selected profile.
    const client = new STSClient(options.profile ? { profile: options.profile } : {});
    const region = await client.config.region();
    client.destroy();
    if (region) return region;
  } catch {
    // No region configured anywhere: fall through to the default.
  }
  return 'us-east-1';
}

/**
 * `all` = every region enabled for the account (opt-in regions that were not opted into are
 * skipped, as they would only produce authorization errors). If the region list cannot be read,
 * the scan continues in the default region and the recorded error says the coverage is partial.
 */
export async function resolveRegions(rt: CollectRuntime, options: CollectOptions, defaultRegion: string): Promise<string[]> {
  if (options.regions === undefined) return [defaultRegion];
  if (options.regions !== 'all') return [...new Set(options.regions)].sort();
  const outcome = await rt.call('ec2', defaultRegion, 'DescribeRegions', (c) => c.send(new DescribeRegionsCommand({ AllRegions: false })));
  if (outcome.status !== 'ok') return [defaultRegion];
  const regions = (outcome.value.Regions ?? [])
    .filter((r) => r.RegionName && r.OptInStatus !== 'not-opted-in')
    .map((r) => r.RegionName!);
  return regions.length ? [...new Set(regions)].sort() : [defaultRegion];
}
