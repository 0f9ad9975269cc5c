/**
 * The detective services in a Terraform plan: GuardDuty detectors (S3 protection from
 * `datasources`, protection plans from `aws_guardduty_detector_feature`), AWS Config recorders,
 * Security Hub accounts with their `aws_securityhub_standards_subscription`s, Macie accounts (per
 * region) with their `aws_macie2_classification_job`s, and the Inspector scan types an
 * `aws_inspector2_enabler` turns on for this account.
 */
import { compact, type GuardDutyFeatureDraft, type MacieJobDraft } from '../iac/draft.js';
import { known, UNKNOWN } from '../iac/props.js';
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
  aws_macie2_classification_job: {
    identity({ given, set, partition: p, region: r, accountId: a, seed }) {
      const id = given('id') ?? syntheticHexId('', seed, 32);
      set(id, given('job_arn') ?? `arn:${p}:macie2:${r}:${a}:classification-job/${id}`, { id });
    },
    map(ctx) {
      const id = ctx.resource.identity.name;
      const definition = firstObject(ctx.resource.values.s3_job_definition);
      const base = ['s3_job_definition', 0];
      const job: MacieJobDraft = compact({
        id,
        name: known(ctx.readStr(['name'], 'Name')),
        jobType: known(ctx.readStr(['job_type'], 'JobType')),
        jobStatus: known(ctx.readStr(['job_status'], 'JobStatus')),
      });
      if (definition) {
        const definitions = ctx.blocks(definition.bucket_definitions, [...ctx.resource.jsonPath, 'values', ...base, 'bucket_definitions']).slice(0, 100);
        if (definitions.length) {
          job.bucketDefinitions = definitions.map((d, i) => {
            const path = [...base, 'bucket_definitions', i];
            const raw = Array.isArray(d.buckets) ? d.buckets.slice(0, 1000) : [];
            const buckets: string[] = [];
            let unknownCount = 0;
            raw.forEach((_b, j) => {
              const value = ctx.readStr([...path, 'buckets', j], 'S3JobDefinition.BucketDefinitions.Buckets');
              if (value === UNKNOWN || value === undefined) unknownCount++;
              else buckets.push(value);
            });
            // The plan lists a bucket created in the same apply as unknown: one such bucket is the one the expression names.
            if (unknownCount === 1) {
              const followed = ctx.referenceTarget([...path, 'buckets']);
              const name = followed?.target.type === 'aws_s3_bucket' ? followed.target.identity.attributes.bucket : undefined;
              if (typeof name === 'string') buckets.push(name);
            }
            const accountId = known(ctx.readStr([...path, 'account_id'], 'S3JobDefinition.BucketDefinitions.AccountId'));
            return { ...(accountId ? { accountId } : {}), buckets: [...new Set(buckets)].sort() };
          });
        }
        const criteria = firstObject(definition.bucket_criteria);
        if (criteria && Object.values(criteria).some((v) => v !== null && !(Array.isArray(v) && v.length === 0))) job.bucketCriteria = true;
      }
      ctx.draft.macieJobs.push({ region: ctx.region, job });
    },
  },
  aws_inspector2_enabler: {
    map(ctx) {
      const accounts = ctx.readStrList(['account_ids'], 'AccountIds');
      // An enabler for other accounts (a delegated administrator's members) says nothing of this one.
      if (Array.isArray(accounts) && !accounts.includes(ctx.accountId)) return;
      const types = known(ctx.readStrList(['resource_types'], 'ResourceTypes')) ?? [];
      const mapped = types.flatMap((t) => (t === 'ECR' ? ['ecr' as const] : t === 'EC2' ? ['ec2' as const] : t === 'LAMBDA' ? ['lambda' as const] : []));
      if (mapped.length) ctx.draft.inspectorEnablers.push({ region: ctx.region, types: mapped });
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
