import { defineRule, type RuleContext, type Verdict } from '../src/engine/types.js';
import { missingReason, partialScopeReason } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { byRegionAndName, collectedEndpoints, deployedModels, endpointConfigOf } from '../src/engine/sagemaker-endpoints.js';
import type { SageMakerModelCard } from '../src/inventory/schema.js';

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-model-card',
    title: 'Every model a SageMaker endpoint serves has an approved model card',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Endpoint'],
    description:
      'For each SageMaker endpoint, every model its current endpoint configuration deploys must be documented by a SageMaker Model Card whose status is Approved. A card documents a model when its content\'s model overview names it: model_id equal to the model\'s ARN (or its name), or model_name equal to the model\'s name. A model with no such card, or with cards only in Draft, PendingReview or Archived, fails. Cards whose content was not read leave the endpoint unknown; from infrastructure code, a model with no card in the same code is unknown (the card may be declared elsewhere).',
    rationale:
      'A model card records what a model is for, how it was trained and evaluated, its risk rating and its limits; its Approved status is the stakeholder sign-off the guidance places between shadow/canary testing and production. Without it nobody can show what a deployed model was approved to do (transparency and accountability: EU AI Act Art. 11 and 13 technical documentation, NIST AI RMF MAP and GOVERN, SOC 2 CC2.2).',
    remediation: {
      console: [
        'In SageMaker Studio, Governance, Model cards, create a model card for the deployed model (choose the model to fill the overview), and fill in intended uses, risk rating, training and evaluation details.',
        'Choose a customer managed KMS key for the card\'s encryption.',
        'When reviewed, set the card status to Approved.',
      ],
      cli: [
        'aws sagemaker create-model-card --model-card-name <MODEL>-card --model-card-status PendingReview \\',
        '  --security-config KmsKeyId=<KMS_KEY_ARN> \\',
        '  --content \'{"model_overview":{"model_id":"<MODEL_ARN>","model_name":"<MODEL>"},"intended_uses":{"purpose_of_model":"...","risk_rating":"Medium"}}\'',
        'aws sagemaker update-model-card --model-card-name <MODEL>-card --model-card-status Approved',
      ].join('\n'),
      cloudformation: [
        'InferenceModelCard:',
        '  Type: AWS::SageMaker::ModelCard',
        '  Properties:',
        '    ModelCardName: inference-model-card',
        '    ModelCardStatus: Approved',
        '    SecurityConfig:',
        '      KmsKeyId: !Ref ModelCardKey',
        '    Content:',
        '      ModelOverview:',
        '        ModelId: !Ref InferenceModel',
        '        ModelName: !GetAtt InferenceModel.ModelName',
        '      IntendedUses:',
        '        PurposeOfModel: Classify support tickets',
        '        RiskRating: Medium',
      ].join('\n'),
      terraform: [
        '# The AWS provider has no model card resource: create the card with the CLI or an',
        '# AWS::SageMaker::ModelCard in CloudFormation (awscc_sagemaker_model_card in the AWSCC provider).',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelCard.html',
    ],
  },

  *evaluate(context) {
    const collected = collectedEndpoints(context);
    if ('unknown' in collected) {
      yield collected.unknown;
      return;
    }
    const sagemaker = context.inventory.sagemaker!;
    const configs = byRegionAndName(sagemaker.endpointConfigs);
    const models = byRegionAndName(sagemaker.models);
    const cards = sagemaker.modelCards;
    const index = cards ? new CardIndex(cards) : undefined;
    for (const { endpoint, resource } of collected.endpoints) {
      if (index === undefined) {
        const errors = context.index.errorsFor('sagemaker', { operations: ['ListModelCards'] });
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether the models of endpoint ${endpoint.name} have approved model cards: model cards ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}.`,
        };
        continue;
      }
      const found = endpointConfigOf(context, endpoint, configs);
      if ('missing' in found) {
        yield { verdict: 'unknown', resource, message: `Cannot tell which models endpoint ${endpoint.name} serves: ${found.missing}.` };
        continue;
      }
      const { config } = found;
      if (config.productionVariants === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell which models endpoint ${endpoint.name} serves: ${missingReason(context, 'sagemaker', { resource: config.arn, operations: ['DescribeEndpointConfig'] }, `the production variants of endpoint configuration ${config.name}`)}.`,
        };
        continue;
      }
      const deployed = deployedModels(config, models);
      if (deployed.length === 0) {
        yield { verdict: 'not_applicable', resource, message: `Endpoint ${endpoint.name} runs endpoint configuration ${config.name}, which deploys no model.` };
        continue;
      }
      const results = deployed.map((d) => judgeModel(context, index, endpoint.region, d.modelName, d.model?.arn));
      const verdict: Verdict = results.some((r) => r.verdict === 'fail') ? 'fail' : results.some((r) => r.verdict === 'unknown') ? 'unknown' : 'pass';
      const shown = verdict === 'pass' ? results : results.filter((r) => r.verdict === verdict);
      const lead =
        verdict === 'pass'
          ? `Every model endpoint ${endpoint.name} serves has an approved model card`
          : verdict === 'fail'
            ? `Endpoint ${endpoint.name} serves a model without an approved model card`
            : `Cannot tell whether every model endpoint ${endpoint.name} serves has an approved model card`;
      yield {
        verdict,
        resource,
        message: `${lead}: ${shown.map((r) => r.text).join('; ')}.`,
        evidence: { endpointConfig: config.name, models: results.map((r) => ({ verdict: r.verdict, ...r.evidence })) },
      };
    }
  },
});

/**
 * The cards by what they name, per Region: `<region>/<model_id or model_name>` in lower case (a
 * model_id that is a model ARN also by the model name it ends with), and the cards whose model was
 * not read.
 */
class CardIndex {
  private readonly byModel = new Map<string, SageMakerModelCard[]>();
  private readonly unlinked = new Map<string, SageMakerModelCard[]>();

  constructor(cards: readonly SageMakerModelCard[]) {
    for (const card of cards) {
      if (card.modelId === undefined && card.modelName === undefined) {
        push(this.unlinked, card.region, card);
        continue;
      }
      const keys = new Set<string>();
      for (const value of [card.modelId, card.modelName]) {
        if (typeof value !== 'string' || value === '') continue;
        const lower = value.toLowerCase();
        keys.add(lower);
        const at = lower.indexOf(':model/');
        if (lower.startsWith('arn:') && at >= 0) keys.add(lower.slice(at + ':model/'.length));
      }
      for (const key of keys) push(this.byModel, `${card.region}/${key}`, card);
    }
  }

  /** The cards naming the model (by name, or by its ARN), in inventory order, each once. */
  naming(region: string, modelName: string, modelArn: string | undefined): SageMakerModelCard[] {
    const found = new Set<SageMakerModelCard>([
      ...(this.byModel.get(`${region}/${modelName.toLowerCase()}`) ?? []),
      ...(modelArn ? (this.byModel.get(`${region}/${modelArn.toLowerCase()}`) ?? []) : []),
    ]);
    return [...found];
  }

  unlinkedIn(region: string): readonly SageMakerModelCard[] {
    return this.unlinked.get(region) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function judgeModel(
  context: RuleContext,
  cards: CardIndex,
  region: string,
  modelName: string,
  modelArn: string | undefined,
): { verdict: Exclude<Verdict, 'not_applicable'>; text: string; evidence: Record<string, unknown> } {
  if (!modelName) return { verdict: 'unknown', text: 'a variant\'s model is not known (not resolved before deploy)', evidence: { model: null } };
  const matching = cards.naming(region, modelName, modelArn);
  const evidence = { model: modelName, cards: matching.map((c) => ({ name: c.name, status: c.status ?? null })) };
  const approved = matching.filter((c) => c.status === 'Approved');
  if (approved.length) return { verdict: 'pass', text: `model ${modelName} is documented by approved card ${approved.map((c) => c.name).sort().join(', ')}`, evidence };
  const unreadStatus = matching.filter((c) => c.status === undefined);
  if (unreadStatus.length) {
    return { verdict: 'unknown', text: `model ${modelName} has card ${unreadStatus.map((c) => c.name).sort().join(', ')}, whose status was not read`, evidence };
  }
  if (matching.length) {
    return {
      verdict: 'fail',
      text: `model ${modelName} has only card ${matching.map((c) => `${c.name} (${c.status})`).sort().join(', ')}, not Approved`,
      evidence,
    };
  }
  const unlinked = cards.unlinkedIn(region);
  if (unlinked.length) {
    const shown = unlinked.map((c) => c.name).sort();
    const list = shown.length > 5 ? `${shown.slice(0, 5).join(', ')} and ${shown.length - 5} more` : shown.join(', ');
    return { verdict: 'unknown', text: `model ${modelName} has no card naming it, but the model named by card ${list} was not read`, evidence };
  }
  const errors = context.index.errorsFor('sagemaker', { region, operations: ['ListModelCards'] });
  if (errors.length) return { verdict: 'unknown', text: `model ${modelName} has no card naming it, but model cards in ${region} could not be listed (${describeErrors(errors)})`, evidence };
  const partial = partialScopeReason(context);
  if (partial) return { verdict: 'unknown', text: `model ${modelName} has no card naming it in this code, but ${partial}`, evidence };
  return { verdict: 'fail', text: `no model card documents model ${modelName}`, evidence };
}
