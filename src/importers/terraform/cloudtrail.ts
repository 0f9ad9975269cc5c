/**
 * CloudTrail in a Terraform plan: `aws_cloudtrail` with its event selectors (basic or advanced;
 * a trail with neither records management events only, as CloudTrail does).
 */
import { compact } from '../iac/draft.js';
import type { MapperTable } from './context.js';

export const cloudTrailMappers: MapperTable = {
  aws_cloudtrail: {
    nameRule: { max: 128, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      const arn = given('arn') ?? `arn:${p}:cloudtrail:${r}:${a}:trail/${name}`;
      set(name, arn, { id: name, name });
    },
    map(ctx) {
      const { resource: r, region, str, bool, nullableStr, base, finish } = ctx;
      const id = r.identity;
      const selectors = ctx.blocks(r.values.event_selector, [...r.jsonPath, 'values', 'event_selector']);
      const advanced = ctx.blocks(r.values.advanced_event_selector, [...r.jsonPath, 'values', 'advanced_event_selector']);
      // A selector value known only after apply (`"${aws_s3_bucket.b.arn}/"`, a dynamic block over
      // a computed list) leaves the selectors unknown: what the trail records cannot be told from
      // the plan, and following the reference would drop the suffix (`/`, `/prefix/`) that decides it.
      let classicUnknown = ctx.isUnknown(['event_selector']);
      let advancedUnknown = ctx.isUnknown(['advanced_event_selector']);
      const strings = (value: unknown, path: (string | number)[], onUnknown: () => void): string[] | undefined => {
        if (ctx.isUnknown(path)) {
          onUnknown();
          return undefined;
        }
        return Array.isArray(value) && value.length ? value.map(String) : undefined;
      };
      const classicSelectors = selectors.map((s, i) => ({
        readWriteType: ctx.oneOf(['event_selector', i, 'read_write_type'], typeof s.read_write_type === 'string' ? s.read_write_type : 'All', ['ReadOnly', 'WriteOnly', 'All'] as const),
        includeManagementEvents: s.include_management_events !== false,
        dataResources: ctx.blocks(s.data_resource, [...r.jsonPath, 'values', 'event_selector', i, 'data_resource']).map((d, j) => ({
          type: String(d.type),
          values: strings(d.values, ['event_selector', i, 'data_resource', j, 'values'], () => (classicUnknown = true)) ?? [],
        })),
        excludeManagementEventSources: Array.isArray(s.exclude_management_event_sources) ? s.exclude_management_event_sources.map(String) : [],
      }));
      const advancedSelectors = advanced.map((s, i) =>
        compact({
          name: typeof s.name === 'string' && s.name ? s.name : undefined,
          fieldSelectors: ctx.blocks(s.field_selector, [...r.jsonPath, 'values', 'advanced_event_selector', i, 'field_selector']).map((f, j) => {
            const at = (attribute: string) => ['advanced_event_selector', i, 'field_selector', j, attribute];
            const list = (attribute: string) => strings(f[attribute], at(attribute), () => (advancedUnknown = true));
            return compact({
              field: String(f.field),
              equals: list('equals'),
              notEquals: list('not_equals'),
              startsWith: list('starts_with'),
              notStartsWith: list('not_starts_with'),
              endsWith: list('ends_with'),
              notEndsWith: list('not_ends_with'),
            });
          }),
        }),
      );
      if (classicUnknown && !advanced.length) ctx.unresolved.add('EventSelectors');
      if (advancedUnknown) ctx.unresolved.add('AdvancedEventSelectors');
      const trail = compact({
        ...base({
          is_multi_region_trail: 'IsMultiRegionTrail',
          enable_logging: 'IsLogging',
          enable_log_file_validation: 'EnableLogFileValidation',
          kms_key_id: 'KMSKeyId',
          s3_bucket_name: 'S3BucketName',
          event_selector: 'EventSelectors',
          advanced_event_selector: 'AdvancedEventSelectors',
          cloud_watch_logs_group_arn: 'CloudWatchLogsLogGroupArn',
        }),
        name: id.name,
        homeRegion: region,
        isMultiRegionTrail: bool('is_multi_region_trail', 'IsMultiRegionTrail', false) ?? false,
        isOrganizationTrail: bool('is_organization_trail', 'IsOrganizationTrail', false) ?? false,
        isLogging: bool('enable_logging', 'IsLogging', true),
        logFileValidationEnabled: bool('enable_log_file_validation', 'EnableLogFileValidation', false),
        kmsKeyId: nullableStr('kms_key_id', 'KMSKeyId'),
        s3BucketName: str('s3_bucket_name', 'S3BucketName'),
        cloudWatchLogsLogGroupArn: nullableStr('cloud_watch_logs_group_arn', 'CloudWatchLogsLogGroupArn'),
        eventSelectors: advanced.length
          ? null
          : classicUnknown || advancedUnknown
            ? undefined
            : classicSelectors.length
              ? classicSelectors
              : [{ readWriteType: 'All' as const, includeManagementEvents: true, dataResources: [] }],
        advancedEventSelectors: advancedUnknown ? undefined : advanced.length ? advancedSelectors : null,
      });
      ctx.draft.trails.push(finish(trail));
    },
  },
};
