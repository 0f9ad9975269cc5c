/**
 * CloudWatch Logs in a Terraform plan: `aws_cloudwatch_log_group` with its KMS key and retention
 * (`retention_in_days` 0 or unset: events never expire). The provider's `arn` has no `:*` suffix;
 * a trail's `"${aws_cloudwatch_log_group.x.arn}:*"` resolves to the same log group.
 */
import { compact } from '../iac/draft.js';
import type { MapperTable } from './context.js';

export const logsMappers: MapperTable = {
  aws_cloudwatch_log_group: {
    nameRule: { max: 512, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      const arn = (given('arn') ?? `arn:${p}:logs:${r}:${a}:log-group:${name}`).replace(/:\*$/, '');
      set(name, arn, { id: name, name });
    },
    map(ctx) {
      const { resource: r, nullableStr, base, finish } = ctx;
      let retentionInDays: number | null | undefined;
      if (ctx.isUnknown(['retention_in_days'])) {
        ctx.unresolved.add('RetentionInDays');
      } else {
        const value = r.values.retention_in_days;
        const days = value === undefined || value === null ? 0 : ctx.number(value, [...r.jsonPath, 'values', 'retention_in_days']);
        if (days === 0) retentionInDays = null;
        else if (Number.isSafeInteger(days) && days > 0) retentionInDays = days;
        else ctx.unresolved.add('RetentionInDays');
      }
      const group = compact({
        ...base({ kms_key_id: 'KmsKeyId', retention_in_days: 'RetentionInDays' }),
        name: r.identity.name,
        kmsKeyId: nullableStr('kms_key_id', 'KmsKeyId'),
        retentionInDays,
      });
      ctx.draft.logGroups.push(finish(group));
    },
  },
};
