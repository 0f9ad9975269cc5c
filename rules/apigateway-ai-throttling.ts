import { defineRule } from '../src/engine/types.js';
import { aiApiStages, unreadApiResult, methodLabel, stageLabel } from '../src/engine/ai-apis.js';
import { missingReason } from '../src/engine/rule-kit.js';
import type { ApiMethod, ApiStage, Throttle, UsagePlan } from '../src/inventory/schema.js';

type MethodKey = Pick<ApiMethod, 'resourcePath' | 'httpMethod'>;
type MethodThrottle = NonNullable<ApiStage['methodThrottles']>[number];

/** A throttle that limits: a rate and a burst both set and not negative (API Gateway's -1 is "no limit"). */
function finite(throttle: Throttle | null | undefined): boolean {
  return (
    !!throttle &&
    typeof throttle.rateLimit === 'number' &&
    typeof throttle.burstLimit === 'number' &&
    Number.isFinite(throttle.rateLimit) &&
    Number.isFinite(throttle.burstLimit) &&
    throttle.rateLimit >= 0 &&
    throttle.burstLimit >= 0
  );
}

const same = (a: MethodKey, b: MethodKey): boolean => a.resourcePath === b.resourcePath && a.httpMethod.toUpperCase() === b.httpMethod.toUpperCase();
const STAGE_DEFAULT: MethodKey = { resourcePath: '*', httpMethod: '*' };

/** The setting that governs a method on a stage: its own, else the stage default (`*` / `*`). */
function settingFor(list: readonly MethodThrottle[], method: MethodKey): MethodThrottle | undefined {
  return list.find((s) => same(s, method)) ?? list.find((s) => same(s, STAGE_DEFAULT));
}

const describe = (t: Throttle | undefined): string => `rate ${t?.rateLimit ?? 'unset'}/s, burst ${t?.burstLimit ?? 'unset'}`;

export default defineRule({
  meta: {
    id: 'apigateway-ai-throttling',
    title: 'API Gateway methods that front AI models are throttled',
    severity: 'medium',
    service: 'apigateway',
    resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::UsagePlan'],
    aiControl: true,
    description:
      'On every stage of a REST API that fronts a model (a SageMaker runtime or Bedrock runtime service integration, or an API or stage tagged aigis:ai-workload=true or listed in the config; see apigateway-ai-waf), each method that reaches the model (every method when the API joins by tag) must be throttled with a finite rate and burst: by the stage\'s method settings for that method or the stage default (*/*), or, for a method that requires an API key, by a usage plan that covers the stage (its per-method throttle or the plan-wide one). The account-level default quota (10,000 requests per second per Region) does not count: it is shared by every API of the account. A stage whose method settings were not read is unknown, and so is a stage whose API-key methods could be throttled by usage plans that were not collected.',
    rationale:
      'Each request to a model costs inference time and money, and floods of requests are how models are extracted and budgets exhausted (OWASP LLM10 Unbounded Consumption, "denial of wallet"). The guidance lists API Gateway throttling with WAF for model deployment: a per-method rate and burst keep one client or one runaway integration from consuming the endpoint\'s capacity. Evidence for NIST SC-5 (denial-of-service protection: limiting the effects of request floods).',
    remediation: {
      console: [
        'Open the API Gateway console, choose the API, Stages, the stage the rule names, Stage details or Method overrides, and set a Rate and Burst that fit the model\'s capacity (Default method throttling for the whole stage, or per method).',
        'For clients with API keys, set throttling on their usage plan (Usage plans, the plan, Edit, Throttling) and per method under Associated stages.',
      ],
      cli: [
        'aws apigateway update-stage --rest-api-id <API_ID> --stage-name <STAGE> --patch-operations \\',
        '  op=replace,path=/*/*/throttling/rateLimit,value=50 op=replace,path=/*/*/throttling/burstLimit,value=100',
      ].join('\n'),
      cloudformation: [
        'Stage:',
        '  Type: AWS::ApiGateway::Stage',
        '  Properties:',
        '    RestApiId: !Ref Api',
        '    DeploymentId: !Ref Deployment',
        '    StageName: prod',
        '    MethodSettings:',
        '      - ResourcePath: "/*"',
        '        HttpMethod: "*"',
        '        ThrottlingRateLimit: 50',
        '        ThrottlingBurstLimit: 100',
      ].join('\n'),
      terraform: [
        'resource "aws_api_gateway_method_settings" "all" {',
        '  rest_api_id = aws_api_gateway_rest_api.ai.id',
        '  stage_name  = aws_api_gateway_stage.prod.stage_name',
        '  method_path = "*/*"',
        '  settings {',
        '    throttling_rate_limit  = 50',
        '    throttling_burst_limit = 100',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
      'https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html',
      'https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/',
    ],
  },

  *evaluate(context) {
    const found = aiApiStages(context);
    if ('unknown' in found) {
      yield found.unknown;
      return;
    }
    yield* found.otherStages;
    for (const api of found.unreadApis) yield unreadApiResult(context, api);
    const usagePlans = context.inventory.apiGateway?.usagePlans;
    for (const entry of found.stages) {
      const { api, stage, resource, reasons } = entry;
      const who = stageLabel(entry);
      if (stage.methodThrottles === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether ${who.charAt(0).toLowerCase()}${who.slice(1)}, which fronts a model (${reasons[0]}), is throttled: ${missingReason(context, 'apigateway', { resource: stage.arn, operations: ['GetStages'] }, 'its method settings')}.`,
        };
        continue;
      }
      // Usage plans are read per Region: a Region whose listing failed has them unknown.
      const plansKnown = usagePlans !== undefined && !context.index.errorsFor('apigateway', { region: stage.region, operations: ['GetUsagePlans'] }).length;
      const plans = (plansKnown ? usagePlans : []).flatMap((plan) => {
        const covered = (plan.apiStages ?? []).find((s) => s.restApiId === api.id && s.stage === stage.name);
        return covered ? [{ plan, covered }] : [];
      });
      // Every method counts when the API joins as a whole; without the method list, the stage default decides.
      const methods: MethodKey[] = entry.aiMethods ?? api.methods ?? [STAGE_DEFAULT];
      const throttled: string[] = [];
      const open: { method: MethodKey; why: string }[] = [];
      let planUnknown = false;
      for (const method of methods) {
        const label = same(method, STAGE_DEFAULT) ? 'every method' : methodLabel(method);
        const setting = settingFor(stage.methodThrottles, method);
        if (setting && finite(setting.throttle)) {
          throttled.push(`${label}: stage ${same(setting, STAGE_DEFAULT) ? 'default' : 'method setting'} (${describe(setting.throttle)})`);
          continue;
        }
        const apiKey = 'apiKeyRequired' in method ? (method as ApiMethod).apiKeyRequired : undefined;
        const plan = apiKey === false ? undefined : planThrottle(plans, method);
        if (plan && apiKey === true) {
          throttled.push(`${label}: usage plan ${plan.plan.name} (${describe(plan.throttle)})`);
          continue;
        }
        if (apiKey !== false && (!plansKnown || plan)) planUnknown = true;
        open.push({ method, why: setting ? `stage throttle ${describe(setting.throttle)}` : 'no stage throttle' });
      }
      const evidence = {
        aiFronting: reasons,
        stageThrottles: stage.methodThrottles.map((s) => `${s.resourcePath} ${s.httpMethod}: ${describe(s.throttle)}`),
        usagePlans: plansKnown ? plans.map((p) => p.plan.name) : null,
        throttled,
      };
      if (!open.length) {
        yield { verdict: 'pass', resource, message: `${who} fronts a model and is throttled: ${throttled.join('; ')}.`, evidence };
        continue;
      }
      const shown = open.slice(0, 5).map((o) => `${same(o.method, STAGE_DEFAULT) ? 'every method' : methodLabel(o.method)} (${o.why})`).join(', ') + (open.length > 5 ? ` and ${open.length - 5} more` : '');
      if (planUnknown) {
        yield {
          verdict: 'unknown',
          resource,
          message: `${who} fronts a model; ${shown} ${open.length === 1 ? 'has' : 'have'} no finite stage throttle, and whether a usage plan throttles ${open.length === 1 ? 'it' : 'them'} is unknown (${
            !plansKnown ? missingReason(context, 'apigateway', { region: stage.region, operations: ['GetUsagePlans'] }, 'the usage plans') : 'whether the method requires an API key was not read'
          }).`,
          evidence,
        };
        continue;
      }
      yield {
        verdict: 'fail',
        resource,
        message: `${who} fronts a model and ${shown} ${open.length === 1 ? 'is' : 'are'} not throttled beyond the account-wide default: one client can consume the model's capacity and budget.`,
        evidence,
        property: 'MethodSettings',
      };
    }
  },
});

/** A usage plan covering the stage that throttles the method (its per-method throttle, else the plan-wide one). */
function planThrottle(
  plans: { plan: UsagePlan; covered: NonNullable<UsagePlan['apiStages']>[number] }[],
  method: MethodKey,
): { plan: UsagePlan; throttle: Throttle } | undefined {
  for (const { plan, covered } of plans) {
    const own = (covered.methodThrottles ?? []).find((s) => same(s, method));
    if (own && finite(own.throttle)) return { plan, throttle: own.throttle };
    if (!own && finite(plan.throttle)) return { plan, throttle: plan.throttle! };
  }
  return undefined;
}
