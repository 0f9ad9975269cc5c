import { defineRule } from '../src/engine/types.js';
import { aiApiStages, unreadApiResult, stageLabel } from '../src/engine/ai-apis.js';
import { missingReason } from '../src/engine/rule-kit.js';
import type { WebAcl, WebAclRule } from '../src/inventory/schema.js';

/** Rule actions that do not stop a request: a rate-based rule in these only counts. */
const NON_LIMITING = new Set(['count', 'allow']);

export default defineRule({
  meta: {
    id: 'apigateway-ai-waf',
    title: 'API Gateway stages that front AI models have a WAF web ACL with a rate-based rule',
    severity: 'medium',
    service: 'apigateway',
    resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::WAFv2::WebACL'],
    aiControl: true,
    description:
      'Every stage of a REST API that fronts a model must be associated with a WAFv2 web ACL that has a rate-based rule whose action limits requests (Block, CAPTCHA or Challenge, not Count). An API fronts a model when one of its methods is an AWS service integration with the SageMaker runtime (runtime.sagemaker, InvokeEndpoint) or a Bedrock runtime (bedrock-runtime, bedrock-agent-runtime), or when the API or stage is tagged aigis:ai-workload=true or listed in the config (aiWorkloads.resources): a Lambda or HTTP backend that calls a model is not visible in the API and joins by the tag. A stage without a web ACL fails; a web ACL without a rate-based rule fails (managed rule groups such as Bot Control are listed in the evidence but do not count as a rate limit); a web ACL that references a customer rule group and has no rate-based rule of its own is unknown (the group\'s rules are not read), and so is a web ACL that is not in the inventory. HTTP APIs (API Gateway v2) are not judged: WAF cannot be associated with them.',
    rationale:
      'A model behind a public API is paid for per request and can be copied by querying it: the guidance puts AWS WAF in front of AI APIs with rate limiting first, to stop model extraction by excessive queries, with bot detection, geo restriction and IP allowlisting after it. OWASP\'s LLM10 (Unbounded Consumption) names rate limiting as the control against denial of wallet and model extraction. Evidence for NIST SC-5 (denial-of-service protection) and SC-7 (boundary protection) at the API boundary, SOC 2 CC6.6.',
    remediation: {
      console: [
        'Open the AWS WAF console in the Region of the API, create (or open) a web ACL of type Regional resources, and add a rule of type Rate-based rule with a limit that fits the model\'s expected traffic and action Block.',
        'In the web ACL, choose Associated AWS resources, Add AWS resources, API Gateway REST API, and select the stage the rule names.',
      ],
      cli: [
        'aws wafv2 create-web-acl --region <REGION> --scope REGIONAL --name ai-api-acl --default-action Allow={} \\',
        '  --visibility-config SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=ai-api-acl \\',
        '  --rules \'[{"Name":"rate-limit","Priority":0,"Action":{"Block":{}},"Statement":{"RateBasedStatement":{"Limit":1000,"AggregateKeyType":"IP"}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"rate-limit"}}]\'',
        'aws wafv2 associate-web-acl --region <REGION> --web-acl-arn <WEB_ACL_ARN> --resource-arn arn:aws:apigateway:<REGION>::/restapis/<API_ID>/stages/<STAGE>',
      ].join('\n'),
      cloudformation: [
        'AiApiAcl:',
        '  Type: AWS::WAFv2::WebACL',
        '  Properties:',
        '    Scope: REGIONAL',
        '    DefaultAction: { Allow: {} }',
        '    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: ai-api-acl }',
        '    Rules:',
        '      - Name: rate-limit',
        '        Priority: 0',
        '        Action: { Block: {} }',
        '        Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: IP } }',
        '        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: rate-limit }',
        'AiApiAclAssociation:',
        '  Type: AWS::WAFv2::WebACLAssociation',
        '  Properties:',
        '    WebACLArn: !GetAtt AiApiAcl.Arn',
        '    ResourceArn: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}',
      ].join('\n'),
      terraform: [
        'resource "aws_wafv2_web_acl" "ai_api" {',
        '  name  = "ai-api-acl"',
        '  scope = "REGIONAL"',
        '  default_action {',
        '    allow {}',
        '  }',
        '  rule {',
        '    name     = "rate-limit"',
        '    priority = 0',
        '    action {',
        '      block {}',
        '    }',
        '    statement {',
        '      rate_based_statement {',
        '        limit              = 1000',
        '        aggregate_key_type = "IP"',
        '      }',
        '    }',
        '    visibility_config {',
        '      cloudwatch_metrics_enabled = true',
        '      metric_name                = "rate-limit"',
        '      sampled_requests_enabled   = true',
        '    }',
        '  }',
        '  visibility_config {',
        '    cloudwatch_metrics_enabled = true',
        '    metric_name                = "ai-api-acl"',
        '    sampled_requests_enabled   = true',
        '  }',
        '}',
        'resource "aws_wafv2_web_acl_association" "ai_api" {',
        '  resource_arn = aws_api_gateway_stage.prod.arn',
        '  web_acl_arn  = aws_wafv2_web_acl.ai_api.arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-sagemaker.html',
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
    const acls = new Map<string, WebAcl>((context.inventory.wafv2?.webAcls ?? []).map((a) => [a.arn, a]));
    for (const entry of found.stages) {
      const { stage, resource, reasons } = entry;
      const who = stageLabel(entry);
      const evidence: Record<string, unknown> = { aiFronting: reasons, webAclArn: stage.webAclArn ?? null };
      if (stage.webAclArn === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether ${who.charAt(0).toLowerCase()}${who.slice(1)}, which fronts a model (${reasons[0]}), has a WAF web ACL: ${missingReason(context, 'apigateway', { resource: stage.arn, operations: ['GetStages'] }, 'its web ACL association')}.`,
          evidence,
        };
        continue;
      }
      if (stage.webAclArn === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `${who} fronts a model (${reasons[0]}) and has no WAF web ACL: nothing rate-limits, filters bots or restricts where requests to the model come from.`,
          evidence,
          property: 'WebAclArn',
        };
        continue;
      }
      const acl = acls.get(stage.webAclArn);
      if (!acl || acl.rules === undefined) {
        const region = stage.region;
        yield {
          verdict: 'unknown',
          resource,
          message: `${who} fronts a model and is associated with web ACL ${aclName(stage.webAclArn)}, but ${
            acl
              ? missingReason(context, 'wafv2', { resource: acl.arn, operations: ['GetWebACL'] }, 'its rules')
              : context.inventory.wafv2
                ? `that web ACL is not in the inventory${context.index.errorsFor('wafv2', { region }).length ? ` (${missingReason(context, 'wafv2', { region }, 'the web ACLs of the Region')})` : ''}`
                : missingReason(context, 'wafv2', { region }, 'the WAF web ACLs')
          }, so whether it rate-limits is unknown.`,
          evidence,
        };
        continue;
      }
      const rateRules = acl.rules.filter((r) => r.rateLimit !== undefined);
      const limiting = rateRules.filter((r) => !NON_LIMITING.has((r.action ?? '').toLowerCase()));
      evidence.webAcl = acl.name;
      evidence.rules = acl.rules.map(describeRule);
      if (limiting.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `${who} fronts a model and web ACL ${acl.name} rate-limits it: ${limiting.map((r) => `rule ${r.name} (${r.rateLimit} requests per ${r.rateWindowSec ?? 300} s, ${r.action ?? 'Block'})`).join(', ')}.`,
          evidence,
        };
        continue;
      }
      if (rateRules.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `${who} fronts a model and web ACL ${acl.name} has rate-based rule ${rateRules.map((r) => r.name).join(', ')} only in ${rateRules.map((r) => r.action ?? 'Count').join('/')} mode: excessive requests are counted, not stopped.`,
          evidence,
          property: 'Rules',
        };
        continue;
      }
      const groups = acl.rules.filter((r) => r.ruleGroupArn !== undefined);
      if (groups.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `${who} fronts a model; web ACL ${acl.name} has no rate-based rule of its own and references rule group ${groups.map((r) => aclName(r.ruleGroupArn!)).join(', ')}, whose rules are not read, so whether requests are rate-limited is unknown.`,
          evidence,
        };
        continue;
      }
      const managed = acl.rules.filter((r) => r.managedRuleGroup !== undefined).map((r) => r.managedRuleGroup!);
      yield {
        verdict: 'fail',
        resource,
        message: `${who} fronts a model and web ACL ${acl.name} has no rate-based rule${managed.length ? ` (only managed rule groups ${managed.join(', ')})` : ''}: a client can send unlimited requests to the model (model extraction, denial of wallet).`,
        evidence,
        property: 'Rules',
      };
    }
  },
});

/** The name part of a WAF ARN (`.../webacl/<name>/<id>`), for messages. */
function aclName(arn: string): string {
  const parts = arn.split('/');
  return parts.length >= 3 ? parts[parts.length - 2]! : arn;
}

function describeRule(rule: WebAclRule): string {
  if (rule.rateLimit !== undefined) return `${rule.name}: rate-based ${rule.rateLimit}/${rule.rateWindowSec ?? 300}s ${rule.action ?? ''}`.trim();
  if (rule.managedRuleGroup) return `${rule.name}: managed ${rule.managedRuleGroup}`;
  if (rule.ruleGroupArn) return `${rule.name}: rule group ${aclName(rule.ruleGroupArn)}`;
  return `${rule.name}${rule.action ? `: ${rule.action}` : ''}`;
}
