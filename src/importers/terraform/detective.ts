/**
 * The detective services in a Terraform plan: GuardDuty detectors, AWS Config recorders, Security
 * Hub and Macie accounts (per region).
 */
import { compact } from '../iac/draft.js';
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
      if (enabled !== undefined) ctx.draft.guardDutyDetectors.push({ region, id: id.name, status: enabled ? 'ENABLED' : 'DISABLED' });
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
  aws_macie2_account: {
    map(ctx) {
      const { resource: r, region } = ctx;
      const status = typeof r.values.status === 'string' ? r.values.status : 'ENABLED';
      if (status === 'ENABLED' || status === 'PAUSED') ctx.draft.macieSessions.push({ region, status });
    },
  },
};
