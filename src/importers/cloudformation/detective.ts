/**
 * Detective services in CloudFormation, recorded per region as the live collector records them:
 * AWS::GuardDuty::Detector, AWS::Config::ConfigurationRecorder, AWS::SecurityHub::Hub and
 * AWS::Macie::Session.
 */
import { compact } from '../iac/draft.js';
import { known } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { MapperTable } from './context.js';

export const detectiveMappers: MapperTable = {
  'AWS::GuardDuty::Detector': {
    identity(_resource, { seed }) {
      const id = syntheticHexId('', seed, 32);
      return { name: id, ref: id, attributes: { Id: id } };
    },
    map(_resource, { draft, read, identity, region }) {
      const enabled = known(read.bool('Enable'));
      if (enabled !== undefined) {
        draft.guardDutyDetectors.push({ region, id: identity.name, status: enabled ? 'ENABLED' : 'DISABLED' });
      }
    },
  },
  'AWS::Config::ConfigurationRecorder': {
    identity(_resource, { named }) {
      const { name } = named('Name', 'default');
      return { name, ref: name, attributes: {} };
    },
    map(_resource, { draft, read, identity, region }) {
      draft.configRecorders.push(
        compact({ region, name: identity.name, allSupported: known(read.bool('RecordingGroup.AllSupported', false)) }),
      );
    },
  },
  'AWS::SecurityHub::Hub': {
    identity(_resource, { partition: p, region: r, accountId: a }) {
      const arn = `arn:${p}:securityhub:${r}:${a}:hub/default`;
      return { name: 'default', arn, ref: arn, attributes: { ARN: arn } };
    },
    map(_resource, { draft, identity, region }) {
      draft.securityHubs.push({ region, enabled: true, hubArn: identity.arn });
    },
  },
  'AWS::Macie::Session': {
    map(_resource, { draft, read, region }) {
      const status = known(read.str('Status', 'ENABLED'));
      if (status === 'ENABLED' || status === 'PAUSED') draft.macieSessions.push({ region, status });
    },
  },
};
