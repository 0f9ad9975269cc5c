/**
 * The detective services in a Terraform plan: GuardDuty detectors (S3 protection from
 * `datasources`, protection plans from `aws_guardduty_detector_feature`), AWS Config recorders,
 * Security Hub accounts with their `aws_securityhub_standards_subscription`s, and Macie accounts (per region).
 */
import { compact, type GuardDutyFeatureDraft } from '../iac/draft.js';
import { known } from '../iac/props.js';
import { firstObject } from './helpers.js';
import { syntheticHexId } from '../iac/synth.js';
import type { MapperTable } from './context.js';

export const detectiveMappers: MapperTable = {
  aws_guardduty_detector: {
    identity({ given, set, partition: p, region: r, accountId: a, seed }) {
      const id = given('id') ?? syntheticHexId('', seed, 32);
      set(id, given('arn') ?? `arn:${p}:guardduty:${r}:${a}:detector/${id}`, { id });
    },
    map(ctx) {
      const { region, bool } = ctx;
      const id = ctx.resource.identity;
      const enabled = bool('enable', 'Enable', true);
      if (enabled === undefined) return;
      // S3 protection from the legacy datasources block; aws_guardduty_detector_feature (below) replaces it.
      const s3 = firstObject(firstObject(ctx.resource.values.datasources)?.s3_logs)?.enable;
      const features: GuardDutyFeatureDraft[] | undefined = typeof s3 === 'boolean' ? [{ name: 'S3_DATA_EVENTS', status: s3 ? 'ENABLED' : 'DISABLED' }] : undefined;
      ctx.draft.guardDutyDetectors.push({ region, id: id.name, status: enabled ? 'ENABLED' : 'DISABLED', ...(features ? { features } : {}) });
    },
  },
  aws_guardduty_detector_feature: {
    attach(ctx) {
      const followed = ctx.referenceTarget(['detector_id']);
      const id = followed?.target.type === 'aws_guardduty_detector' ? followed.target.identity.name : known(ctx.readStr(['detector_id'], 'DetectorId'));
      const detector = id === undefined ? undefined : ctx.draft.guardDutyDetectors.find((d) => d.id === id && d.region === ctx.region);
      const name = known(ctx.readStr(['name'], 'Name'));
      const status = known(ctx.readStr(['status'], 'Status'));
      if (!detector || !name || status === undefined) return;
      const extra = ctx
        .blocks(ctx.resource.values.additional_configuration, [...ctx.resource.jsonPath, 'values', 'additional_configuration'])
        .slice(0, 100)
        .flatMap((a) => (typeof a.name === 'string' ? [{ name: a.name, status: a.status === 'ENABLED' ? ('ENABLED' as const) : ('DISABLED' as const) }] : []))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const feature: GuardDutyFeatureDraft = compact({ name, status: status === 'ENABLED' ? 'ENABLED' : 'DISABLED', additionalConfiguration: extra.length ? extra : undefined });
      detector.features = [...(detector.features ?? []).filter((f) => f.name !== name), feature];
    },
  },
  aws_config_configuration_recorder: {
    map(ctx) {
      const { resource: r, region } = ctx;
      const group = ctx.block('recording_group');
      const name = typeof r.values.name === 'string' ? r.values.name : 'default';
      ctx.draft.configRecorders.push(compact({ region, name, allSupported: group ? group.all_supported !== false : true }));
    },
  },
  aws_securityhub_account: {
    map(ctx) {
      ctx.draft.securityHubs.push({ region: ctx.region, enabled: true });
    },
  },
  aws_securityhub_standards_subscription: {
    map(ctx) {
      const arn = known(ctx.readStr(['standards_arn'], 'StandardsArn'));
      if (arn) ctx.draft.securityHubStandards.push({ region: ctx.region, arn });
    },
  },
  aws_macie2_account: {
    map(ctx) {
      const { resource: r, region } = ctx;
      const status = typeof r.values.status === 'string' ? r.values.status : 'ENABLED';
      if (status === 'ENABLED' || status === 'PAUSED') ctx.draft.macieSessions.push({ region, status });
    },
  },
};
