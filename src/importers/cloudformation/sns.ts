/** SNS in CloudFormation: AWS::SNS::Topic, named only (trails and alarms refer to it). */
import type { MapperTable } from './context.js';

export const snsMappers: MapperTable = {
  'AWS::SNS::Topic': {
    nameLimit: { max: 256 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name } = named('TopicName');
      const arn = `arn:${p}:sns:${r}:${a}:${name}`;
      return { name, arn, ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    },
  },
};
