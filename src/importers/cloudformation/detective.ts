/**
 * Detective services in CloudFormation, recorded per region as the live collector records them:
 * AWS::GuardDuty::Detector (with its Features, or the legacy DataSources.S3Logs),
 * AWS::Config::ConfigurationRecorder, AWS::SecurityHub::Hub, AWS::SecurityHub::Standard and
 * AWS::Macie::Session.
 */
import { compact, type GuardDutyFeatureDraft } from '../iac/draft.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
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
        const features = detectorFeatures(read);
        draft.guardDutyDetectors.push({ region, id: identity.name, status: enabled ? 'ENABLED' : 'DISABLED', ...(features ? { features } : {}) });
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
  'AWS::SecurityHub::Standard': {
    map(_resource, { draft, read, region }) {
      const arn = known(read.str('StandardsArn'));
      if (arn) draft.securityHubStandards.push({ region, arn });
    },
  },
  'AWS::Macie::Session': {
    map(_resource, { draft, read, region }) {
      const status = known(read.str('Status', 'ENABLED'));
      if (status === 'ENABLED' || status === 'PAUSED') draft.macieSessions.push({ region, status });
    },
  },
};

const onOff = (v: unknown): 'ENABLED' | 'DISABLED' => (v === 'ENABLED' ? 'ENABLED' : 'DISABLED');

/** Features as declared; else S3 protection from DataSources.S3Logs.Enable; undefined when neither is declared or known. */
function detectorFeatures(read: PropertyReader): GuardDutyFeatureDraft[] | undefined {
  const features = read.value('Features');
  if (features === UNKNOWN) return undefined;
  if (Array.isArray(features) && features.length) {
    return features.slice(0, 100).flatMap((raw) => {
      const f = raw as Record<string, unknown> | null;
      if (!f || typeof f.Name !== 'string') return [];
      const extra = (Array.isArray(f.AdditionalConfiguration) ? f.AdditionalConfiguration : []).slice(0, 100).flatMap((a) => {
        const c = a as Record<string, unknown> | null;
        return c && typeof c.Name === 'string' ? [{ name: c.Name, status: onOff(c.Status) }] : [];
      });
      return [compact({ name: f.Name, status: onOff(f.Status), additionalConfiguration: extra.length ? extra.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : undefined })];
    });
  }
  const s3 = read.bool('DataSources.S3Logs.Enable');
  if (s3 === UNKNOWN || s3 === undefined) return undefined;
  return [{ name: 'S3_DATA_EVENTS', status: s3 ? 'ENABLED' : 'DISABLED' }];
}
