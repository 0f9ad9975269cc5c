/**
 * The SageMaker jobs judged "as for training jobs" beyond training and processing jobs: the
 * training job definitions of hyperparameter tuning jobs, the four kinds of Model Monitor job
 * definitions and the job definition a monitoring schedule embeds. Shared by the network
 * isolation, VPC, KMS and inter-container encryption rules so they see the same units.
 */
import type { SageMakerJobSecurity, SageMakerModel, SageMakerTransformJob, SourceLocation } from '../inventory/schema.js';
import { resourceRef } from './rule-kit.js';
import type { RuleContext, RuleResult } from './types.js';

export const MONITORING_DEFINITION_TYPES: Record<string, { type: string; kind: string; operation: string }> = {
  DataQuality: { type: 'AWS::SageMaker::DataQualityJobDefinition', kind: 'Data quality job definition', operation: 'DescribeDataQualityJobDefinition' },
  ModelQuality: { type: 'AWS::SageMaker::ModelQualityJobDefinition', kind: 'Model quality job definition', operation: 'DescribeModelQualityJobDefinition' },
  ModelBias: { type: 'AWS::SageMaker::ModelBiasJobDefinition', kind: 'Model bias job definition', operation: 'DescribeModelBiasJobDefinition' },
  ModelExplainability: {
    type: 'AWS::SageMaker::ModelExplainabilityJobDefinition',
    kind: 'Model explainability job definition',
    operation: 'DescribeModelExplainabilityJobDefinition',
  },
};

/** The resource types these units add to a rule's resourceTypes. */
export const SAGEMAKER_JOB_DEFINITION_TYPES = [
  'AWS::SageMaker::HyperParameterTuningJob',
  ...Object.values(MONITORING_DEFINITION_TYPES).map((t) => t.type),
  'AWS::SageMaker::MonitoringSchedule',
];

export interface SageMakerJobUnit {
  /** "Hyperparameter tuning job", "Data quality job definition", "Monitoring schedule". */
  kind: string;
  type: string;
  /** The Describe call that reads the settings (for missingReason). */
  operation: string;
  item: { arn: string; name: string; region: string; source?: SourceLocation | undefined };
  /**
   * The settings, one entry per job definition (a tuning job may have several, each with its
   * DefinitionName as label). undefined: not read (unknown).
   */
  definitions: { label: string | null; security: SageMakerJobSecurity }[] | undefined;
  /** A schedule that runs a named job definition: not judged here (the definition is). */
  runsDefinition?: string;
}

/** Tuning jobs, monitoring job definitions and monitoring schedules, in inventory order. */
export function sageMakerJobUnits(context: RuleContext): SageMakerJobUnit[] {
  const sagemaker = context.inventory.sagemaker;
  if (!sagemaker) return [];
  const units: SageMakerJobUnit[] = [];
  for (const job of sagemaker.hyperParameterTuningJobs ?? []) {
    units.push({
      kind: 'Hyperparameter tuning job',
      type: 'AWS::SageMaker::HyperParameterTuningJob',
      operation: 'DescribeHyperParameterTuningJob',
      item: job,
      definitions: job.trainingJobDefinitions?.map(({ definitionName, ...security }) => ({ label: definitionName, security })),
    });
  }
  for (const definition of sagemaker.monitoringJobDefinitions ?? []) {
    const t = MONITORING_DEFINITION_TYPES[definition.monitoringType]!;
    units.push({ kind: t.kind, type: t.type, operation: t.operation, item: definition, definitions: [{ label: null, security: definition }] });
  }
  for (const schedule of sagemaker.monitoringSchedules ?? []) {
    const unit: SageMakerJobUnit = {
      kind: 'Monitoring schedule',
      type: 'AWS::SageMaker::MonitoringSchedule',
      operation: 'DescribeMonitoringSchedule',
      item: schedule,
      definitions: schedule.jobDefinition ? [{ label: null, security: schedule.jobDefinition }] : undefined,
    };
    if (schedule.jobDefinition === null) unit.runsDefinition = schedule.monitoringJobDefinitionName ?? 'a named job definition';
    units.push(unit);
  }
  return units;
}

/**
 * One boolean setting over the definitions of a unit: false when any definition has it off (the
 * labels of those say which), undefined when any is unknown (or the unit was not read or names
 * no definition), else true.
 */
export function combinedFlag(
  unit: SageMakerJobUnit,
  key: 'enableNetworkIsolation' | 'enableInterContainerTrafficEncryption',
): { value: boolean | undefined; off: string[] } {
  const definitions = unit.definitions;
  if (!definitions || definitions.length === 0) return { value: undefined, off: [] };
  const off = definitions.filter((d) => d.security[key] === false);
  if (off.length) return { value: false, off: off.map((d) => d.label).filter((l): l is string => l !== null) };
  return { value: definitions.every((d) => d.security[key] === true) ? true : undefined, off: [] };
}

/**
 * The VPC configuration over the definitions of a unit: null when any definition has none,
 * undefined when any is unknown, else the union of subnets and security groups (sorted).
 */
export function combinedVpc(unit: SageMakerJobUnit): { subnets: string[]; securityGroupIds: string[] } | null | undefined {
  const definitions = unit.definitions;
  if (!definitions || definitions.length === 0) return undefined;
  if (definitions.some((d) => d.security.vpcConfig === null)) return null;
  if (definitions.some((d) => d.security.vpcConfig === undefined)) return undefined;
  const subnets = new Set<string>();
  const groups = new Set<string>();
  for (const d of definitions) {
    for (const s of d.security.vpcConfig!.subnets) subnets.add(s);
    for (const g of d.security.vpcConfig!.securityGroupIds) groups.add(g);
  }
  return { subnets: [...subnets].sort(), securityGroupIds: [...groups].sort() };
}

/** " (training job definitions a, b)" for messages, or '' when no label names them. */
export function definitionSuffix(labels: string[]): string {
  if (labels.length === 0) return '';
  return ` (training job definition${labels.length === 1 ? '' : 's'} ${labels.join(', ')})`;
}

/**
 * The model a batch transform job runs, by region and name (SageMaker names are case-insensitive).
 * `missing` says in words why it cannot be judged when the model is not there.
 */
export function transformJobModel(
  context: RuleContext,
  job: SageMakerTransformJob,
): { model: SageMakerModel; missing?: undefined } | { model?: undefined; missing: string } {
  const sagemaker = context.inventory.sagemaker;
  if (job.modelName === undefined) return { missing: 'the model it runs is not recorded' };
  const wanted = job.modelName.toLowerCase();
  const model = (sagemaker?.models ?? []).find((m) => m.region === job.region && m.name.toLowerCase() === wanted);
  if (model) return { model };
  const why =
    context.index.errorsFor('sagemaker', { region: job.region, operations: ['ListModels'] }).length > 0
      ? `models in ${job.region} could not be listed`
      : context.inventory.partial
        ? 'the model is not declared in the code scanned'
        : 'the model is not in the inventory (deleted since the job ran?)';
  return { missing: `it runs model ${job.modelName}, but ${why}` };
}

/**
 * A monitoring schedule that runs a named job definition is judged through that definition (a unit
 * of its own): the schedule itself is not applicable. Undefined for every other unit.
 */
export function judgedThroughDefinition(unit: SageMakerJobUnit): RuleResult | undefined {
  if (unit.runsDefinition === undefined) return undefined;
  return {
    verdict: 'not_applicable',
    resource: resourceRef(unit.item.arn, unit.type, unit.item.region, unit.item.name, unit.item.source),
    message: `Monitoring schedule ${unit.item.name} runs job definition ${unit.runsDefinition}, which is judged on its own.`,
  };
}
