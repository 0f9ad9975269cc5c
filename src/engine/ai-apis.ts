/**
 * Which API Gateway REST APIs front AI models, shared by the WAF and throttling rules.
 *
 * An API is AI-fronting when
 * - one of its methods has an AWS service integration (type AWS or AWS_PROXY) whose URI names the
 *   SageMaker runtime (`arn:<partition>:apigateway:<region>:runtime.sagemaker:path//endpoints/<name>/invocations`)
 *   or the Bedrock runtimes (`bedrock-runtime`, `bedrock-agent-runtime`, `bedrock`): those methods
 *   are its AI methods; or
 * - the API or one of its stages belongs to the AI asset graph by the tag `aigis:ai-workload=true`
 *   or the config's `aiWorkloads.resources`: then every method counts.
 * A Lambda or HTTP integration is not looked into (the function's code is not visible): an API
 * that reaches a model through a Lambda function joins by the tag.
 */
import type { ApiMethod, ApiStage, RestApi } from '../inventory/schema.js';
import { AI_WORKLOAD_TAG, describeMembership, isAiResource } from './ai-graph.js';
import { missingReason, resourceRef, sectionUnknown } from './rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

export interface AiApiStage {
  api: RestApi;
  stage: ApiStage;
  resource: ResourceRef;
  /** Why the API counts as AI-fronting, in words. */
  reasons: string[];
  /**
   * The methods that reach a model directly; undefined when the API joins as a whole (by tag or
   * config), so every method counts.
   */
  aiMethods: ApiMethod[] | undefined;
}

const AI_SERVICES: Readonly<Record<string, string>> = {
  'runtime.sagemaker': 'the SageMaker runtime',
  'bedrock-runtime': 'the Bedrock runtime',
  'bedrock-agent-runtime': 'the Bedrock agent runtime',
  bedrock: 'Bedrock',
};

/**
 * What model service an integration URI reaches, or undefined. The URI is split on its first six
 * colons only (`arn:partition:apigateway:region:service:path|action/...`); nothing is matched by a
 * pattern built from user text.
 */
export function aiServiceOfIntegration(method: Pick<ApiMethod, 'integrationType' | 'integrationUri'>): { service: string; target?: string } | undefined {
  const type = method.integrationType;
  const uri = method.integrationUri;
  if (!uri || (type !== 'AWS' && type !== 'AWS_PROXY') || uri.length > 2048) return undefined;
  const parts = uri.split(':', 6);
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'apigateway') return undefined;
  const service = parts[4]!.toLowerCase();
  const label = AI_SERVICES[service];
  if (!label) return undefined;
  // The rest after `arn:p:apigateway:r:service:` names the path or action.
  const rest = uri.slice(parts.slice(0, 5).join(':').length + 1);
  let target: string | undefined;
  if (service === 'runtime.sagemaker') {
    const at = rest.indexOf('/endpoints/');
    if (at >= 0) target = `endpoint ${rest.slice(at + 11).split('/')[0]}`;
  } else {
    const at = rest.indexOf('/model/');
    if (at >= 0) target = `model ${decodeSafe(rest.slice(at + 7).split('/')[0]!)}`;
  }
  return { service: label, ...(target && target.length < 300 ? { target } : {}) };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What a method integrates with, in a word: `Lambda`, `HTTP`, `MOCK`, `AWS service s3`, `none`. */
function integrationKind(method: ApiMethod): string {
  const type = method.integrationType;
  if (type === null) return 'none';
  if (type === undefined) return 'unknown';
  const uri = method.integrationUri ?? '';
  if (type === 'AWS' || type === 'AWS_PROXY') {
    const service = uri.split(':', 6)[4] ?? '';
    if (service === 'lambda') return 'Lambda';
    return service && service.length < 64 ? `AWS service ${service}` : 'AWS service';
  }
  return type.length < 32 ? type : 'other';
}

/** "POST /invoke": a method as messages name it. */
export function methodLabel(method: Pick<ApiMethod, 'httpMethod' | 'resourcePath'>): string {
  return `${method.httpMethod} ${method.resourcePath}`;
}

/**
 * The stages of AI-fronting REST APIs, sorted by ARN; or one `unknown` result when API Gateway was
 * not collected. An API whose methods were not read joins only by tag or config.
 */
export function aiApiStages(context: RuleContext): { stages: AiApiStage[]; unreadApis: RestApi[]; otherStages: RuleResult[] } | { unknown: RuleResult } {
  const section = context.inventory.apiGateway;
  if (!section) return { unknown: sectionUnknown(context, 'apigateway', 'The API Gateway inventory') };
  const stagesByApi = new Map<string, ApiStage[]>();
  for (const stage of section.stages) {
    const key = `${stage.region}/${stage.restApiId}`;
    stagesByApi.set(key, [...(stagesByApi.get(key) ?? []), stage]);
  }
  const out: AiApiStage[] = [];
  const unreadApis: RestApi[] = [];
  const otherStages: RuleResult[] = [];
  for (const api of [...section.restApis].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
    const stages = stagesByApi.get(`${api.region}/${api.id}`) ?? [];
    const direct = (api.methods ?? []).flatMap((m) => {
      const reached = aiServiceOfIntegration(m);
      return reached ? [{ method: m, reached }] : [];
    });
    const reasons: string[] = [];
    if (direct.length) {
      const shown = direct.slice(0, 3).map(({ method, reached }) => `${methodLabel(method)} integrates with ${reached.service}${reached.target ? ` (${reached.target})` : ''}`);
      reasons.push(shown.join('; ') + (direct.length > 3 ? ` and ${direct.length - 3} more` : ''));
    }
    const tagged = isAiResource(context.ai, api.arn) ? describeMembership(context.ai, api.arn) : [];
    reasons.push(...tagged);
    for (const stage of stages) {
      if (isAiResource(context.ai, stage.arn)) reasons.push(...describeMembership(context.ai, stage.arn).map((r) => `stage ${stage.name} ${r}`));
    }
    if (!stages.length && context.index.errorsFor('apigateway', { resource: api.arn, operations: ['GetStages'] }).length) {
      otherStages.push({
        verdict: 'unknown',
        resource: resourceRef(api.arn, 'AWS::ApiGateway::RestApi', api.region, api.name, api.source),
        message: `Cannot judge the stages of API ${api.name} (${api.id})${reasons.length ? `, which fronts a model (${reasons[0]})` : ''}: ${missingReason(context, 'apigateway', { resource: api.arn, operations: ['GetStages'] }, 'its stages')}.`,
      });
      continue;
    }
    if (!reasons.length) {
      if (api.methods === undefined) unreadApis.push(api);
      else {
        const kinds = [...new Set(api.methods.map((m) => integrationKind(m)))].sort();
        for (const stage of [...stages].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
          otherStages.push({
            verdict: 'not_applicable',
            resource: resourceRef(stage.arn, 'AWS::ApiGateway::Stage', stage.region, `${api.name}/${stage.name}`, stage.source),
            message: `Stage ${stage.name} of API ${api.name} (${api.id}) fronts no model directly (${kinds.length ? `integrations: ${kinds.join(', ')}` : 'no methods'}); tag the API ${AI_WORKLOAD_TAG}=true if a Lambda or HTTP backend calls one.`,
          });
        }
      }
      continue;
    }
    const wholeApi = reasons.length > (direct.length ? 1 : 0);
    for (const stage of [...stages].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
      out.push({
        api,
        stage,
        resource: resourceRef(stage.arn, 'AWS::ApiGateway::Stage', stage.region, `${api.name}/${stage.name}`, stage.source),
        reasons,
        aiMethods: wholeApi ? undefined : direct.map((d) => d.method),
      });
    }
  }
  // A Region whose APIs could not be listed may hold AI-fronting ones.
  const failedRegions = [...new Set(context.index.errorsFor('apigateway', { operations: ['GetRestApis'] }).map((e) => e.region ?? 'global'))].sort();
  for (const region of failedRegions) {
    otherStages.push({
      verdict: 'unknown',
      resource: resourceRef(`arn:${context.index.partition}:apigateway:${region}::/restapis`, 'AWS::ApiGateway::RestApi', region, `REST APIs (${region})`),
      message: `Cannot tell whether APIs in ${region} front models: ${missingReason(context, 'apigateway', { region, operations: ['GetRestApis'] }, 'the REST APIs of the Region')}.`,
    });
  }
  return { stages: out, unreadApis, otherStages };
}

/** The unknown verdict of an API whose methods were not read: nothing says whether it fronts a model. */
export function unreadApiResult(context: RuleContext, api: RestApi): RuleResult {
  const why = api.unresolved?.includes('Body')
    ? 'its methods are defined in an OpenAPI body, which is not read'
    : api.unresolved?.includes('Methods')
      ? 'a method of it cannot be read from the code (its HTTP method, resource or path is not known)'
      : missingReason(context, 'apigateway', { resource: api.arn, operations: ['GetResources'] }, 'its method list');
  return {
    verdict: 'unknown',
    resource: resourceRef(api.arn, 'AWS::ApiGateway::RestApi', api.region, api.name, api.source),
    message: `Cannot tell whether API ${api.name} (${api.id}) fronts a model: ${why}; tag it ${AI_WORKLOAD_TAG}=true if it does.`,
  };
}

/** "API support-bot (abc123) stage prod": a stage as messages name it. */
export function stageLabel(entry: Pick<AiApiStage, 'api' | 'stage'>): string {
  return `Stage ${entry.stage.name} of API ${entry.api.name} (${entry.api.id})`;
}
