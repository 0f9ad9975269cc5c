/** CloudWatch Logs in CloudFormation: AWS::Logs::LogGroup, named only (trails refer to its ARN). */
import type { MapperTable } from './context.js';

export const logsMappers: MapperTable = {
  'AWS::Logs::LogGroup': {
    nameLimit: { max: 512 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name } = named('LogGroupName');
      return { name, ref: name, attributes: { Arn: `arn:${p}:logs:${r}:${a}:log-group:${name}:*` } };
    },
  },
};
