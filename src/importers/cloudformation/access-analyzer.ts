/** IAM Access Analyzer in CloudFormation: AWS::AccessAnalyzer::Analyzer (an account analyzer unless Type says otherwise). */
import { compact } from '../iac/draft.js';
import { known } from '../iac/props.js';
import type { MapperTable } from './context.js';
import { setNotes } from './helpers.js';

export const accessAnalyzerMappers: MapperTable = {
  'AWS::AccessAnalyzer::Analyzer': {
    nameLimit: { max: 255 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('AnalyzerName');
      const arn = `arn:${p}:access-analyzer:${r}:${a}:analyzer/${name}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { Arn: arn } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const analyzer = compact({
        ...base(),
        name: identity.name,
        type: known(read.str('Type')) ?? 'ACCOUNT',
        status: 'ACTIVE',
      });
      draft.analyzers.push(analyzer);
      defer(() => setNotes(analyzer, notes()));
    },
  },
};
