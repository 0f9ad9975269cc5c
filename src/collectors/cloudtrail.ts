/**
 * CloudTrail: trails are listed in every scanned region with shadow trails included (a
 * multi-region trail shows up in each region), de-duplicated by ARN, then their status and
 * selectors are read once, in the trail's home region.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { forEachBounded, type CollectRuntime } from './runtime.js';
import type { CloudTrailInput } from './shapes.js';

type EventSelectorInput = NonNullable<CloudTrailInput['eventSelectors']>[number];
type AdvancedSelectorInput = NonNullable<CloudTrailInput['advancedEventSelectors']>[number];

export async function listTrails(rt: CollectRuntime, region: string, into: Map<string, Trail>): Promise<boolean> {
  const outcome = await rt.call('cloudtrail', region, 'DescribeTrails', (c) => c.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
  if (outcome.status !== 'ok') return false;
  for (const trail of outcome.value.trailList ?? []) {
    if (trail.TrailARN && !into.has(trail.TrailARN)) into.set(trail.TrailARN, trail);
  }
  return true;
}

export async function describeTrails(rt: CollectRuntime, trails: Map<string, Trail>, fallbackRegion: string): Promise<CloudTrailInput[]> {
  const out: CloudTrailInput[] = [];
  const list = [...trails.values()];
  await forEachBounded(list, rt.concurrencyFor('cloudtrail'), async (trail) => {
    const arn = trail.TrailARN!;
    const homeRegion = trail.HomeRegion ?? fallbackRegion;
    const entry: CloudTrailInput = {
      arn,
      region: homeRegion,
      name: trail.Name ?? arn.split('/').pop() ?? arn,
      homeRegion,
      isMultiRegionTrail: trail.IsMultiRegionTrail === true,
      isOrganizationTrail: trail.IsOrganizationTrail === true,
      kmsKeyId: trail.KmsKeyId ?? null,
      cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn ?? null,
    };
    if (trail.LogFileValidationEnabled !== undefined) entry.logFileValidationEnabled = trail.LogFileValidationEnabled;
    if (trail.S3BucketName) entry.s3BucketName = trail.S3BucketName;

    const [status, selectors] = await Promise.all([
      rt.call('cloudtrail', homeRegion, 'GetTrailStatus', (c) => c.send(new GetTrailStatusCommand({ Name: arn })), { resource: arn }),
      rt.call('cloudtrail', homeRegion, 'GetEventSelectors', (c) => c.send(new GetEventSelectorsCommand({ TrailName: arn })), { resource: arn }),
    ]);
    if (status.status === 'ok' && status.value.IsLogging !== undefined) entry.isLogging = status.value.IsLogging;
    if (selectors.status === 'ok') {
      const advanced = selectors.value.AdvancedEventSelectors;
      if (advanced && advanced.length > 0) {
        entry.eventSelectors = null;
        entry.advancedEventSelectors = advanced.map((selector): AdvancedSelectorInput => {
          const mapped: AdvancedSelectorInput = {
            fieldSelectors: (selector.FieldSelectors ?? []).map((f) => {
              const field: AdvancedSelectorInput['fieldSelectors'][number] = { field: f.Field ?? '' };
              if (f.Equals) field.equals = f.Equals;
              if (f.NotEquals) field.notEquals = f.NotEquals;
              if (f.StartsWith) field.startsWith = f.StartsWith;
              if (f.NotStartsWith) field.notStartsWith = f.NotStartsWith;
              if (f.EndsWith) field.endsWith = f.EndsWith;
              if (f.NotEndsWith) field.notEndsWith = f.NotEndsWith;
              return field;
            }),
          };
          if (selector.Name) mapped.name = selector.Name;
          return mapped;
        });
      } else {
        entry.advancedEventSelectors = null;
        entry.eventSelectors = (selectors.value.EventSelectors ?? []).map(
          (s): EventSelectorInput => ({
            readWriteType: s.ReadWriteType === 'ReadOnly' || s.ReadWriteType === 'WriteOnly' ? s.ReadWriteType : 'All',
            includeManagementEvents: s.IncludeManagementEvents !== false,
            dataResources: (s.DataResources ?? []).map((d) => ({ type: d.Type ?? '', values: d.Values ?? [] })),
            excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
          }),
        );
      }
    }
    out.push(entry);
  });
  return out;
}
