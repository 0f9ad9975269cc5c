/**
 * CloudWatch Logs in CloudFormation: AWS::Logs::LogGroup, with its KMS key and retention (absent:
 * no KMS key, events never expire, as CloudWatch Logs creates it). `Fn::GetAtt Arn` ends in `:*`
 * as CloudFormation returns it; the inventory records the ARN without it.
 */
import { compact } from '../iac/draft.js';
import { known, UNKNOWN } from '../iac/props.js';
import { countOf } from './cloudwatch.js';
import type { MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

export const logsMappers: MapperTable = {
  'AWS::Logs::LogGroup': {
    nameLimit: { max: 512 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('LogGroupName');
      const arn = `arn:${p}:logs:${r}:${a}:log-group:${name}`;
      return { name, arn, ref: name, nameUnresolved: unresolved, attributes: { Arn: `${arn}:*` } };
    },
    map(_resource, { draft, read, identity, base, notes, defer, unresolved }) {
      const retention = read.num('RetentionInDays');
      const status = read.value('DataProtectionPolicy');
      const group = compact({
        ...base(),
        name: identity.name,
        kmsKeyId: nullable(read.str('KmsKeyId')),
        retentionInDays: retention === UNKNOWN ? undefined : retention === undefined || retention === 0 ? null : validDays(retention, unresolved),
        // A declared data protection policy is in force once deployed; none: the group never had one.
        dataProtectionStatus: status === UNKNOWN ? undefined : status === undefined ? null : 'ACTIVATED',
      });
      draft.logGroups.push(group);
      defer(() => setNotes(group, notes()));
    },
  },
  // A metric filter has no ARN: recorded under its log group's ARN and `:metric-filter:<name>`, as
  // the live collector records it. A log group or pattern that cannot be resolved stays absent.
  'AWS::Logs::MetricFilter': {
    nameLimit: { max: 512 },
    identity(_resource, { partition: p, region: r, accountId: a, named, resolve }) {
      const { name, unresolved } = named('FilterName');
      const group = (_resource.raw.Properties as Record<string, unknown> | undefined)?.LogGroupName;
      const groupName = typeof resolve(group) === 'string' ? (resolve(group) as string) : `<unresolved:${_resource.logicalId}>`;
      const arn = `arn:${p}:logs:${r}:${a}:log-group:${groupName}:metric-filter:${name}`;
      return { name, arn, ref: name, nameUnresolved: unresolved, attributes: {} };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const pattern = read.str('FilterPattern');
      const group = read.str('LogGroupName');
      const transformations = Array.from({ length: countOf(read, 'MetricTransformations') });
      const filter = compact({
        ...base(),
        name: identity.name,
        logGroupName: group === UNKNOWN ? undefined : group,
        // FilterPattern is required; an empty string matches every event.
        filterPattern: pattern === UNKNOWN ? undefined : (pattern ?? ''),
        metricTransformations: transformations.flatMap((_t, i) => {
          const metricName = known(read.str(`MetricTransformations[${i}].MetricName`));
          const metricNamespace = known(read.str(`MetricTransformations[${i}].MetricNamespace`));
          if (metricName === undefined || metricNamespace === undefined) return [];
          const dimensions = Array.from({ length: countOf(read, `MetricTransformations[${i}].Dimensions`) })
            .map((_d, j) => known(read.str(`MetricTransformations[${i}].Dimensions[${j}].Key`)))
            .filter((k): k is string => k !== undefined)
            .sort();
          return [{ metricName, metricNamespace, ...(dimensions.length ? { dimensions } : {}) }];
        }),
      });
      draft.metricFilters.push(filter);
      defer(() => setNotes(filter, notes()));
    },
  },
};

/** A retention CloudWatch Logs could hold (a whole number of days); anything else stays unknown, noted. */
function validDays(days: number, unresolved: Set<string>): number | undefined {
  if (Number.isSafeInteger(days) && days > 0) return days;
  unresolved.add('RetentionInDays');
  return undefined;
}
