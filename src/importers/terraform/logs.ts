/**
 * CloudWatch Logs in a Terraform plan: `aws_cloudwatch_log_group` gets an identity only, so that a
 * trail's or a logging configuration's reference to its ARN resolves.
 */
import type { MapperTable } from './context.js';

export const logsMappers: MapperTable = {
  aws_cloudwatch_log_group: {
    nameRule: { max: 512, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      set(name, given('arn') ?? `arn:${p}:logs:${r}:${a}:log-group:${name}`, { id: name, name });
    },
  },
};
