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
          : selectors.length
            ? selectors.map((s, i) => ({
                readWriteType: ctx.oneOf(['event_selector', i, 'read_write_type'], typeof s.read_write_type === 'string' ? s.read_write_type : 'All', ['ReadOnly', 'WriteOnly', 'All'] as const),
                includeManagementEvents: s.include_management_events !== false,
                dataResources: ctx.blocks(s.data_resource, [...r.jsonPath, 'values', 'event_selector', i, 'data_resource']).map((d) => ({
                  type: String(d.type),
                  values: Array.isArray(d.values) ? d.values.map(String) : [],
                })),
                excludeManagementEventSources: Array.isArray(s.exclude_management_event_sources) ? s.exclude_management_event_sources.map(String) : [],
              }))
            : [{ readWriteType: 'All' as const, includeManagementEvents: true, dataResources: [] }],
        advancedEventSelectors: advanced.length
          ? advanced.map((s, i) =>
              compact({
                name: typeof s.name === 'string' && s.name ? s.name : undefined,
                fieldSelectors: ctx.blocks(s.field_selector, [...r.jsonPath, 'values', 'advanced_event_selector', i, 'field_selector']).map((f) =>
                  compact({
                    field: String(f.field),
                    equals: listOrUndefined(f.equals),
                    notEquals: listOrUndefined(f.not_equals),
                    startsWith: listOrUndefined(f.starts_with),
                    notStartsWith: listOrUndefined(f.not_starts_with),
                    endsWith: listOrUndefined(f.ends_with),
                    notEndsWith: listOrUndefined(f.not_ends_with),
                  }),
                ),
              }),
            )
          : null,
      });
      ctx.draft.trails.push(finish(trail));
    },
  },
};

function listOrUndefined(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length ? value.map(String) : undefined;
}
