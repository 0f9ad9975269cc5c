/** SNS in a Terraform plan: `aws_sns_topic` gets an identity only, so that references to its ARN resolve. */
import type { MapperTable } from './context.js';

export const snsMappers: MapperTable = {
  aws_sns_topic: {
    nameRule: { max: 256, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      const arn = given('arn') ?? `arn:${p}:sns:${r}:${a}:${name}`;
      set(name, arn, { id: arn });
    },
  },
};
