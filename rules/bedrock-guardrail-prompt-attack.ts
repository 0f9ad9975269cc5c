import { defineRule } from '../src/engine/types.js';
import { guardrailSettingUnknown, guardrailSubject, sectionUnknown } from '../src/engine/rule-kit.js';

const STRONG = new Set(['MEDIUM', 'HIGH']);

export default defineRule({
  meta: {
    id: 'bedrock-guardrail-prompt-attack',
    title: 'Bedrock guardrails filter prompt attacks at MEDIUM or HIGH strength',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail'],
    description:
      'Each guardrail must have a content filter of type PROMPT_ATTACK with input strength MEDIUM or HIGH, so that jailbreaks, prompt injection and prompt leakage attempts in user input are blocked. A guardrail without content filters, without the prompt attack filter, or with strength NONE or LOW fails; one whose policy was not read is unknown.',
    rationale:
      'Prompt injection is the top risk of LLM applications (OWASP LLM01): crafted input makes the model ignore its instructions, reveal its system prompt or the data in its context, or call tools it should not. A guardrail that does not filter prompt attacks lets those inputs through unexamined. The filter is the input validation control auditors map to NIST SI-10 and to protection from malicious input (HIPAA 164.308(a)(5)(ii)(B), SOC 2 CC6.8).',
    remediation: {
      console: [
        'Open the Amazon Bedrock console, Guardrails, choose the guardrail and edit its working draft.',
        'Under "Configure content filters", enable "Prompt attacks" and set the guardrail action to Block with strength Medium or High; Save.',
        'Create a new guardrail version and point applications and agents at it.',
        'In InvokeModel requests, wrap user input in guardrail input tags so the prompt attack filter evaluates it (Converse evaluates user messages by default).',
      ],
      cli: [
        'aws bedrock update-guardrail --guardrail-identifier <GUARDRAIL_ID> --name <NAME> \\',
        '  --blocked-input-messaging "Sorry, I cannot help with that." --blocked-outputs-messaging "Sorry, I cannot help with that." \\',
        '  --content-policy-config \'{"filtersConfig":[{"type":"PROMPT_ATTACK","inputStrength":"HIGH","outputStrength":"NONE"}]}\'',
        'aws bedrock create-guardrail-version --guardrail-identifier <GUARDRAIL_ID>',
      ].join('\n'),
      cloudformation: [
        'AssistantGuardrail:',
        '  Type: AWS::Bedrock::Guardrail',
        '  Properties:',
        '    Name: assistant-guardrail',
        '    BlockedInputMessaging: Sorry, I cannot help with that.',
        '    BlockedOutputsMessaging: Sorry, I cannot help with that.',
        '    ContentPolicyConfig:',
        '      FiltersConfig:',
        '        - Type: PROMPT_ATTACK',
        '          InputStrength: HIGH',
        '          OutputStrength: NONE',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_guardrail" "assistant" {',
        '  name                      = "assistant-guardrail"',
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
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html',
      'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    for (const guardrail of bedrock.guardrails) {
      const { resource, label } = guardrailSubject(guardrail);
      const policy = guardrail.contentPolicy;
      if (policy === undefined) {
        yield guardrailSettingUnknown(context, guardrail, 'its content filters');
        continue;
      }
      const filter = policy?.filters.find((f) => f.type === 'PROMPT_ATTACK');
      const evidence = { promptAttackFilter: filter ?? null };
      if (filter && STRONG.has(filter.inputStrength)) {
        yield { verdict: 'pass', resource, message: `${label} filters prompt attacks in input at ${filter.inputStrength} strength.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: policy === null
            ? `${label} has no content filters, so prompt attacks (jailbreaks, prompt injection) are not filtered.`
            : filter
              ? `${label} filters prompt attacks only at ${filter.inputStrength} input strength; MEDIUM or HIGH is needed to block common jailbreaks and injections.`
              : `${label} has content filters but none of type PROMPT_ATTACK, so jailbreaks and prompt injection are not filtered.`,
          evidence,
          property: 'ContentPolicyConfig',
        };
      }
    }
  },
});
