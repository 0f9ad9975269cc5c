/**
 * Detective controls, per region: Macie (with automated discovery and its classification jobs),
 * Inspector, GuardDuty, Security Hub and AWS Config. A region whose
 * status could not be read is left out of the list (a missing region means "not collected").
 * Some services answer "not enabled" with an error; those answers become a disabled status.
 */
import { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import { GetDetectorCommand, ListDetectorsCommand, type GetDetectorResponse } from '@aws-sdk/client-guardduty';
import { BatchGetAccountStatusCommand } from '@aws-sdk/client-inspector2';
import {
  GetAutomatedDiscoveryConfigurationCommand,
  GetClassificationScopeCommand,
  GetMacieSessionCommand,
  ListClassificationJobsCommand,
  type JobSummary,
} from '@aws-sdk/client-macie2';
import { DescribeHubCommand, GetEnabledStandardsCommand } from '@aws-sdk/client-securityhub';
import { paginate, type CollectRuntime } from './runtime.js';
import type { DetectiveSectionInput } from './shapes.js';

type Entry<K extends keyof DetectiveSectionInput> = NonNullable<DetectiveSectionInput[K]>[number];

export interface DetectiveRegionResult {
  macie?: Entry<'macie'>;
  inspector?: Entry<'inspector'>;
  guardDuty?: Entry<'guardDuty'>;
  securityHub?: Entry<'securityHub'>;
  config?: Entry<'config'>;
}

export async function collectDetectiveRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<DetectiveRegionResult> {
  const [macie, inspector, guardDuty, securityHub, config] = await Promise.all([
    macieOf(rt, region),
    inspectorOf(rt, region, scope),
    guardDutyOf(rt, region, scope),
    securityHubOf(rt, region),
    configOf(rt, region),
  ]);
  const result: DetectiveRegionResult = {};
  if (macie) result.macie = macie;
  if (inspector) result.inspector = inspector;
  if (guardDuty) result.guardDuty = guardDuty;
  if (securityHub) result.securityHub = securityHub;
  if (config) result.config = config;
  return result;
}

async function macieOf(rt: CollectRuntime, region: string): Promise<Entry<'macie'> | undefined> {
  // Macie answers a disabled account with AccessDeniedException "Macie is not enabled"; a real
  // permission problem has a different message and stays an error.
  const outcome = await rt.call('macie2', region, 'GetMacieSession', (c) => c.send(new GetMacieSessionCommand({})), {
    isNotConfigured: (code, message) => code === 'AccessDeniedException' && /not enabled/i.test(message),
  });
  if (outcome.status === 'absent') return { region, status: 'DISABLED' };
  if (outcome.status !== 'ok') return undefined;
  const status = outcome.value.status;
  const entry: Entry<'macie'> = { region, status: status === 'ENABLED' || status === 'PAUSED' ? status : 'DISABLED' };
  if (entry.status !== 'ENABLED') return entry;
  const [discovery, jobs] = await Promise.all([automatedDiscoveryOf(rt, region), classificationJobsOf(rt, region)]);
  if (discovery) entry.automatedDiscovery = discovery;
  if (jobs) entry.classificationJobs = jobs;
  return entry;
}

type MacieDiscovery = NonNullable<Entry<'macie'>['automatedDiscovery']>;
type MacieJob = NonNullable<Entry<'macie'>['classificationJobs']>[number];

/** Automated sensitive data discovery: its status and, when on, the buckets its classification scope excludes. */
async function automatedDiscoveryOf(rt: CollectRuntime, region: string): Promise<MacieDiscovery | undefined> {
  const config = await rt.call('macie2', region, 'GetAutomatedDiscoveryConfiguration', (c) => c.send(new GetAutomatedDiscoveryConfigurationCommand({})));
  if (config.status !== 'ok') return undefined;
  const discovery: MacieDiscovery = { status: config.value.status === 'ENABLED' ? 'ENABLED' : 'DISABLED' };
  const id = config.value.classificationScopeId;
  if (discovery.status === 'ENABLED' && id) {
    const scope = await rt.call('macie2', region, 'GetClassificationScope', (c) => c.send(new GetClassificationScopeCommand({ id })));
    if (scope.status === 'ok') discovery.excludedBuckets = [...new Set(scope.value.s3?.excludes?.bucketNames ?? [])].sort();
  }
  return discovery;
}

/** Every classification job (the summaries carry the bucket definitions or criteria, status and type). */
async function classificationJobsOf(rt: CollectRuntime, region: string): Promise<MacieJob[] | undefined> {
  const jobs: MacieJob[] = [];
  const listed = await paginate(
    (nextToken) => rt.call('macie2', region, 'ListClassificationJobs', (c) => c.send(new ListClassificationJobsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => {
      for (const item of page.items ?? []) {
        const job = macieJobOf(item);
        if (job) jobs.push(job);
      }
    },
  );
  if (listed === 'failed') return undefined;
  return jobs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function macieJobOf(item: JobSummary): MacieJob | undefined {
  if (!item.jobId) return undefined;
  const job: MacieJob = { id: item.jobId };
  if (item.name) job.name = item.name;
  if (item.jobType) job.jobType = item.jobType;
  if (item.jobStatus) job.jobStatus = item.jobStatus;
  if (item.bucketDefinitions) {
    job.bucketDefinitions = item.bucketDefinitions.map((d) => ({ ...(d.accountId ? { accountId: d.accountId } : {}), buckets: [...(d.buckets ?? [])].sort() }));
  }
  if (item.bucketCriteria) job.bucketCriteria = true;
  return job;
}

const INSPECTOR_STATES = new Set(['ENABLING', 'ENABLED', 'DISABLING', 'DISABLED', 'SUSPENDING', 'SUSPENDED']);
type InspectorStatus = NonNullable<Entry<'inspector'>['ecr']>;

/** This account's Inspector scan status per resource type; an account Inspector could not answer for is recorded as an error. */
async function inspectorOf(rt: CollectRuntime, region: string, scope: { accountId: string }): Promise<Entry<'inspector'> | undefined> {
  const outcome = await rt.call('inspector2', region, 'BatchGetAccountStatus', (c) => c.send(new BatchGetAccountStatusCommand({ accountIds: [scope.accountId] })));
  if (outcome.status !== 'ok') return undefined;
  const account = outcome.value.accounts?.find((a) => a.accountId === scope.accountId);
  if (!account) {
    const failed = outcome.value.failedAccounts?.find((a) => a.accountId === scope.accountId);
    rt.recordError({
      service: 'inspector2',
      region,
      operation: 'BatchGetAccountStatus',
      errorCode: failed?.errorCode ?? 'IncompleteResponse',
      message: failed?.errorMessage ?? 'the answer has no status for this account',
    });
    return undefined;
  }
  const entry: Entry<'inspector'> = { region };
  const state = account.resourceState;
  for (const type of ['ecr', 'ec2', 'lambda'] as const) {
    const status = state?.[type]?.status;
    if (status && INSPECTOR_STATES.has(status)) entry[type] = status as InspectorStatus;
  }
  return entry;
}

async function guardDutyOf(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<Entry<'guardDuty'> | undefined> {
  const ids: string[] = [];
  const listed = await paginate(
    (NextToken) => rt.call('guardduty', region, 'ListDetectors', (c) => c.send(new ListDetectorsCommand({ MaxResults: 50, ...(NextToken ? { NextToken } : {}) }))),
    (page) => page.NextToken,
    (page) => ids.push(...(page.DetectorIds ?? [])),
  );
  if (listed === 'failed') return undefined;
  const detectors: Entry<'guardDuty'>['detectors'] = [];
  let complete = true;
  for (const DetectorId of ids.sort()) {
    const outcome = await rt.call('guardduty', region, 'GetDetector', (c) => c.send(new GetDetectorCommand({ DetectorId })), {
      resource: `arn:${scope.partition}:guardduty:${region}:${scope.accountId}:detector/${DetectorId}`,
    });
    if (outcome.status !== 'ok') complete = false;
    else {
      const detector: Entry<'guardDuty'>['detectors'][number] = { id: DetectorId, status: outcome.value.Status === 'ENABLED' ? 'ENABLED' : 'DISABLED' };
      const features = featuresOf(outcome.value);
      if (features) detector.features = features;
      detectors.push(detector);
    }
  }
  return complete ? { region, detectors } : undefined;
}

async function securityHubOf(rt: CollectRuntime, region: string): Promise<Entry<'securityHub'> | undefined> {
  // Not subscribed: InvalidAccessException "... is not subscribed to AWS Security Hub".
  const outcome = await rt.call('securityhub', region, 'DescribeHub', (c) => c.send(new DescribeHubCommand({})), {
    isNotConfigured: (code, message) => (code === 'InvalidAccessException' && /not subscribed/i.test(message)) || code === 'ResourceNotFoundException',
  });
  if (outcome.status === 'absent') return { region, enabled: false };
  if (outcome.status !== 'ok') return undefined;
  const hub: Entry<'securityHub'> = { region, enabled: true, ...(outcome.value.HubArn ? { hubArn: outcome.value.HubArn } : {}) };
  const standards: NonNullable<Entry<'securityHub'>['standards']> = [];
  const listed = await paginate(
    (NextToken) => rt.call('securityhub', region, 'GetEnabledStandards', (c) => c.send(new GetEnabledStandardsCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) })), {
      ...(outcome.value.HubArn ? { resource: outcome.value.HubArn } : {}),
    }),
    (page) => page.NextToken,
    (page) => {
      for (const sub of page.StandardsSubscriptions ?? []) {
        if (sub.StandardsArn) standards.push({ arn: sub.StandardsArn, ...(sub.StandardsStatus ? { status: sub.StandardsStatus } : {}) });
      }
    },
  );
  if (listed !== 'failed') hub.standards = standards.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return hub;
}

type Feature = NonNullable<Entry<'guardDuty'>['detectors'][number]['features']>[number];
const onOff = (status: string | undefined): 'ENABLED' | 'DISABLED' => (status === 'ENABLED' ? 'ENABLED' : 'DISABLED');

/** The detector's protection plans: Features when answered, else S3 protection from the legacy DataSources. */
export function featuresOf(detector: Pick<GetDetectorResponse, 'Features' | 'DataSources'>): Feature[] | undefined {
  if (detector.Features?.length) {
    return detector.Features.flatMap((f) => {
      if (!f.Name) return [];
      const feature: Feature = { name: f.Name, status: onOff(f.Status) };
      const extra = (f.AdditionalConfiguration ?? []).flatMap((a) => (a.Name ? [{ name: a.Name, status: onOff(a.Status) }] : []));
      if (extra.length) feature.additionalConfiguration = extra.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return [feature];
    }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const s3 = detector.DataSources?.S3Logs?.Status;
  return s3 ? [{ name: 'S3_DATA_EVENTS', status: onOff(s3) }] : undefined;
}

async function configOf(rt: CollectRuntime, region: string): Promise<Entry<'config'> | undefined> {
  const [recorders, statuses] = await Promise.all([
    rt.call('config', region, 'DescribeConfigurationRecorders', (c) => c.send(new DescribeConfigurationRecordersCommand({}))),
    rt.call('config', region, 'DescribeConfigurationRecorderStatus', (c) => c.send(new DescribeConfigurationRecorderStatusCommand({}))),
  ]);
  if (recorders.status !== 'ok') return undefined;
  const recording = new Map<string, boolean>();
  if (statuses.status === 'ok') {
    for (const s of statuses.value.ConfigurationRecordersStatus ?? []) if (s.name && s.recording !== undefined) recording.set(s.name, s.recording);
  }
  return {
    region,
    recorders: (recorders.value.ConfigurationRecorders ?? [])
      .flatMap((r) => {
        if (!r.name) return [];
        const entry: Entry<'config'>['recorders'][number] = { name: r.name };
        const isRecording = recording.get(r.name);
        if (isRecording !== undefined) entry.recording = isRecording;
        if (r.recordingGroup?.allSupported !== undefined) entry.allSupported = r.recordingGroup.allSupported;
        return [entry];
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
