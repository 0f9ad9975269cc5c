/**
 * CloudTrail in CloudFormation: AWS::CloudTrail::Trail, with its classic or advanced event
 * selectors (a trail without either records management events only, as CloudTrail does).
 */
import { UNKNOWN, known } from '../iac/props.js';
import { compact } from '../iac/draft.js';
import type { Json, MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

export const cloudTrailMappers: MapperTable = {
  'AWS::CloudTrail::Trail': {
    nameLimit: { max: 128 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('TrailName');
      const arn = `arn:${p}:cloudtrail:${r}:${a}:trail/${name}`;
      return { name, arn, ref: name, nameUnresolved: unresolved, attributes: { Arn: arn } };
    },
    map(_resource, { draft, read, identity, region, base, notes, defer }) {
      const advanced = read.list('AdvancedEventSelectors');
      const classic = read.list('EventSelectors');
      const trail = compact({
        ...base(),
        name: identity.name,
        homeRegion: region,
        isMultiRegionTrail: known(read.bool('IsMultiRegionTrail', false)) ?? false,
        isOrganizationTrail: known(read.bool('IsOrganizationTrail', false)) ?? false,
        isLogging: known(read.bool('IsLogging')),
        logFileValidationEnabled: known(read.bool('EnableLogFileValidation', false)),
        kmsKeyId: nullable(read.str('KMSKeyId')),
        s3BucketName: known(read.str('S3BucketName')),
        cloudWatchLogsLogGroupArn: nullable(read.str('CloudWatchLogsLogGroupArn')),
        eventSelectors:
          advanced !== undefined && advanced !== UNKNOWN
            ? null
            : classic === UNKNOWN || advanced === UNKNOWN
              ? undefined
              : classic === undefined
                ? [{ readWriteType: 'All' as const, includeManagementEvents: true, dataResources: [] }]
                : classic.map((s) => eventSelector(s as Json)),
        advancedEventSelectors:
          advanced === UNKNOWN ? undefined : advanced === undefined ? null : advanced.map((s) => advancedSelector(s as Json)),
      });
      draft.trails.push(trail);
      defer(() => setNotes(trail, notes()));
    },
  },
};

function eventSelector(selector: Json) {
  const dataResources = Array.isArray(selector.DataResources) ? (selector.DataResources as Json[]) : [];
  return {
    readWriteType: (typeof selector.ReadWriteType === 'string' ? selector.ReadWriteType : 'All') as 'All',
    includeManagementEvents: selector.IncludeManagementEvents === undefined ? true : String(selector.IncludeManagementEvents) === 'true',
    dataResources: dataResources.map((d) => ({ type: String(d.Type), values: Array.isArray(d.Values) ? d.Values.map(String) : [] })),
    excludeManagementEventSources: Array.isArray(selector.ExcludeManagementEventSources)
      ? selector.ExcludeManagementEventSources.map(String)
      : [],
  };
}

function advancedSelector(selector: Json) {
  const fields = Array.isArray(selector.FieldSelectors) ? (selector.FieldSelectors as Json[]) : [];
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  return compact({
    name: typeof selector.Name === 'string' ? selector.Name : undefined,
    fieldSelectors: fields.map((f) =>
      compact({
        field: String(f.Field),
        equals: list(f.Equals),
        notEquals: list(f.NotEquals),
        startsWith: list(f.StartsWith),
        notStartsWith: list(f.NotStartsWith),
        endsWith: list(f.EndsWith),
        notEndsWith: list(f.NotEndsWith),
      }),
    ),
  });
}
