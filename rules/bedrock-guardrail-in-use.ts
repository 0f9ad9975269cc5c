import { defineRule } from '../src/engine/types.js';
import { partialScopeReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';

/** Guardrails in these states cannot be applied. */
const UNUSABLE = new Set(['FAILED', 'DELETING']);

export default defineRule({
  meta: {
    id: 'bedrock-guardrail-in-use',
    title: 'A Bedrock guardrail exists in every Region where Bedrock is used',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail'],
    description:
      'In each Region where the inventory shows Bedrock in use (an agent, a custom model, or model invocation logging configured), at least one Bedrock guardrail must exist (one that has not FAILED and is not being deleted), so that applications and agents there have one to apply. A Region with such a guardrail passes. The verdict is given per Region on the synthetic resource arn:<partition>:bedrock:<region>:<account>:guardrails. A Region without Bedrock use is not applicable; on-demand model invocation leaves no configuration behind, so a Region where applications only invoke models, without invocation logging, is not seen as using Bedrock. The verdict is unknown when the guardrails of a used Region could not be listed, when whether Bedrock is used could not be read, and for infrastructure code, which shows only the guardrails it declares. Whether each application passes the guardrail on its calls is not visible in configuration: agents are checked by bedrock-agent-guardrail, and the guardrails\' filters by the other guardrail rules.',
    rationale:
      'Guardrails are the runtime safety layer of generative AI: prompt attack and jailbreak detection, harmful content filters, denied topics and PII masking (the guidance pairs them with input validation for prompt injection). A Region where agents or fine-tuned models run with no guardrail at all cannot be applying one, and the guardrail rules that judge filter strength have nothing to judge there, so their silence would read as compliance (NIST SI-10, SOC 2 CC6.6, GDPR Art. 25(1)).',
    remediation: {
      console: [
        'Open the Amazon Bedrock console in the Region, Safeguards, Guardrails, Create guardrail.',
        'Configure content filters (including prompt attacks at medium or high), denied topics and sensitive information filters; create a version.',
        'Associate the version with the Region\'s agents, and pass guardrailIdentifier and guardrailVersion on the applications\' InvokeModel or Converse calls.',
      ],
      cli: [
        'aws bedrock create-guardrail --region <REGION> --name app-guardrail \\',
        '  --blocked-input-messaging "Sorry, I cannot help with that." --blocked-outputs-messaging "Sorry, I cannot help with that." \\',
        '  --content-policy-config \'{"filtersConfig":[{"type":"PROMPT_ATTACK","inputStrength":"HIGH","outputStrength":"NONE"},{"type":"HATE","inputStrength":"HIGH","outputStrength":"HIGH"}]}\'',
        'aws bedrock create-guardrail-version --region <REGION> --guardrail-identifier <GUARDRAIL_ID>',
      ].join('\n'),
      cloudformation: [
        'AppGuardrail:',
        '  Type: AWS::Bedrock::Guardrail',
        '  Properties:',
        '    Name: app-guardrail',
        '    BlockedInputMessaging: Sorry, I cannot help with that.',
        '    BlockedOutputsMessaging: Sorry, I cannot help with that.',
        '    ContentPolicyConfig:',
        '      FiltersConfig:',
        '        - Type: PROMPT_ATTACK',
        '          InputStrength: HIGH',
        '          OutputStrength: NONE',
        '        - Type: HATE',
        '          InputStrength: HIGH',
        '          OutputStrength: HIGH',
        'AppGuardrailVersion:',
        '  Type: AWS::Bedrock::GuardrailVersion',
        '  Properties:',
        '    GuardrailIdentifier: !GetAtt AppGuardrail.GuardrailId',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_guardrail" "app" {',
        '  name                      = "app-guardrail"',
        '  blocked_input_messaging   = "Sorry, I cannot help with that."',
        '  blocked_outputs_messaging = "Sorry, I cannot help with that."',
        '  content_policy_config {',
        '    filters_config {',
        '      type            = "PROMPT_ATTACK"',
        '      input_strength  = "HIGH"',
        '      output_strength = "NONE"',
        '    }',
        '  }',
        '}',
        '',
        'resource "aws_bedrock_guardrail_version" "app" {',
        '  guardrail_arn = aws_bedrock_guardrail.app.guardrail_arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-use.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const regions = [
      ...new Set([
        ...context.inventory.regions,
        ...bedrock.invocationLogging.map((l) => l.region),
        ...bedrock.agents.map((a) => a.region),
        ...bedrock.customModels.map((m) => m.region),
        ...bedrock.guardrails.map((g) => g.region),
      ]),
    ].sort();
    const { partition, accountId } = context.index;
    for (const region of regions) {
      const resource = resourceRef(`arn:${partition}:bedrock:${region}:${accountId}:guardrails`, 'AWS::Bedrock::Guardrail', region, `Bedrock guardrails (${region})`);
      const agents = bedrock.agents.filter((a) => a.region === region).map((a) => a.name).sort();
      const customModels = bedrock.customModels.filter((m) => m.region === region).map((m) => m.name).sort();
      const logging = bedrock.invocationLogging.find((l) => l.region === region);
      const uses = [
        ...(agents.length ? [`agent${agents.length > 1 ? 's' : ''} ${agents.join(', ')}`] : []),
        ...(customModels.length ? [`custom model${customModels.length > 1 ? 's' : ''} ${customModels.join(', ')}`] : []),
        ...(logging?.config ? ['model invocation logging'] : []),
      ];
      const guardrails = bedrock.guardrails.filter((g) => g.region === region);
      const usable = guardrails.filter((g) => !UNUSABLE.has(g.status ?? '')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const evidence = {
        uses,
        guardrails: guardrails.map((g) => ({ name: g.name, id: g.id, status: g.status ?? null })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      };

      if (usable.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `${region} has Bedrock guardrail${usable.length > 1 ? 's' : ''} ${usable.map((g) => g.name).join(', ')}${uses.length ? ` for its ${uses.join(', ')}` : ''}.`,
          evidence,
        };
        continue;
      }

      // Can the Region's Bedrock use be told? Listing failures and an unread logging configuration hide it.
      const useErrors = [
        ...context.index.errorsFor('bedrock', { region, operations: ['ListCustomModels', 'GetModelInvocationLoggingConfiguration'] }),
        ...context.index.errorsFor('bedrock-agent', { region, operations: ['ListAgents'] }),
      ];
      if (uses.length === 0) {
        if (useErrors.length === 0 && (logging !== undefined || context.inventory.partial)) {
          yield {
            verdict: 'not_applicable',
            resource,
            message: `Bedrock is not used in ${region}: no agent, custom model or invocation logging configuration.`,
            evidence,
          };
        } else {
          yield {
            verdict: 'unknown',
            resource,
            message: `Cannot tell whether Bedrock is used in ${region}, which has no guardrail: ${useErrors.length ? `its agents, custom models or logging configuration could not be read (${describeErrors(useErrors)})` : 'the invocation logging configuration was not collected'}.`,
            evidence,
          };
        }
        continue;
      }

      const listErrors = context.index.errorsFor('bedrock', { region, operations: ['ListGuardrails'] });
      if (listErrors.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bedrock is used in ${region} (${uses.join(', ')}), but its guardrails could not be listed (${describeErrors(listErrors)}).`,
          evidence,
        };
        continue;
      }
      const partial = partialScopeReason(context);
      if (partial) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bedrock is used in ${region} (${uses.join(', ')}) and no guardrail is declared there, but ${partial}.`,
          evidence,
        };
        continue;
      }
      const unusable = guardrails.map((g) => `${g.name} is ${g.status}`);
      yield {
        verdict: 'fail',
        resource,
        message: `Bedrock is used in ${region} (${uses.join(', ')}) but ${unusable.length ? `no guardrail there can be applied (${unusable.join(', ')})` : 'the Region has no guardrail'}: prompts and responses there are not filtered for prompt attacks, harmful content or sensitive data.`,
        evidence,
      };
    }
  },
});
