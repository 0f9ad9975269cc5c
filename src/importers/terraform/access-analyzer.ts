/** IAM Access Analyzer in a Terraform plan: `aws_accessanalyzer_analyzer` (account or organization). */
import { compact } from '../iac/draft.js';
import type { MapperTable } from './context.js';

export const accessAnalyzerMappers: MapperTable = {
  aws_accessanalyzer_analyzer: {
    nameRule: { max: 255, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('analyzer_name');
      set(name, given('arn') ?? `arn:${p}:access-analyzer:${r}:${a}:analyzer/${name}`, { id: name });
    },
    map(ctx) {
      const { str, base, finish } = ctx;
      const id = ctx.resource.identity;
      ctx.draft.analyzers.push(finish(compact({ ...base({}), name: id.name, type: str('type', 'Type') ?? 'ACCOUNT', status: 'ACTIVE' })));
    },
  },
};
