import { defineRule } from '../src/engine/types.js';
import { guardrailSettingUnknown, guardrailSubject, sectionUnknown } from '../src/engine/rule-kit.js';

const REQUIRED = ['GROUNDING', 'RELEVANCE'] as const;

export default defineRule({
  meta: {
    id: 'bedrock-guardrail-contextual-grounding',
    title: 'Bedrock guardrails check responses for grounding and relevance',
    severity: 'low',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail'],
    description:
      'Each guardrail must have a contextual grounding policy with both a GROUNDING and a RELEVANCE filter at a threshold above 0, so that responses not supported by the reference source (hallucinations) or not relevant to the query are blocked. A guardrail without the policy, with only one of the two filters, or with a threshold of 0 (which blocks nothing) fails; one whose policy was not read is unknown. The check applies where the application passes a grounding source and query to the guardrail (retrieval-augmented generation, summarization, agents).',
    rationale:
      'A model that answers from its parameters instead of the retrieved records, or answers a different question, produces confident but wrong output: wrong dosages, wrong account data, invented policy terms. Contextual grounding checks score each response against the source and the query and block the ones below the threshold, which is the output accuracy and integrity control that GDPR Art. 5(1)(d) (accuracy) and Art. 25(1), NIST SI-10 and SOC 2 processing integrity rely on for generated content.',
    remediation: {
      console: [
        'Open the Amazon Bedrock console, Guardrails, choose the guardrail and edit its working draft.',
        'Under "Add contextual grounding check", enable the grounding check and the relevance check, each with a threshold (0.7 is a common start; higher blocks more), and Save.',
        'Create a new guardrail version; in the application pass the reference source and the query as grounding source and query content (guard_content qualifiers or ApplyGuardrail).',
      ],
      cli: [
        'aws bedrock update-guardrail --guardrail-identifier <GUARDRAIL_ID> --name <NAME> \\',
        '  --blocked-input-messaging "Sorry, I cannot help with that." --blocked-outputs-messaging "Sorry, I cannot help with that." \\',
        '  --contextual-grounding-policy-config \'{"filtersConfig":[{"type":"GROUNDING","threshold":0.7},{"type":"RELEVANCE","threshold":0.7}]}\'',
        'aws bedrock create-guardrail-version --guardrail-identifier <GUARDRAIL_ID>',
      ].join('\n'),
      cloudformation: [
        'AssistantGuardrail:',
        '  Type: AWS::Bedrock::Guardrail',
        '  Properties:',
        '    Name: assistant-guardrail',
        '    BlockedInputMessaging: Sorry, I cannot help with that.',
        '    BlockedOutputsMessaging: Sorry, I cannot help with that.',
        '    ContextualGroundingPolicyConfig:',
        '      FiltersConfig:',
        '        - Type: GROUNDING',
        '          Threshold: 0.7',
        '        - Type: RELEVANCE',
        '          Threshold: 0.7',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_guardrail" "assistant" {',
        '  name                      = "assistant-guardrail"',
        '  blocked_input_messaging   = "Sorry, I cannot help with that."',
        '  blocked_outputs_messaging = "Sorry, I cannot help with that."',
        '  contextual_grounding_policy_config {',
        '    filters_config {',
        '      type      = "GROUNDING"',
        '      threshold = 0.7',
        '    }',
        '    filters_config {',
        '      type      = "RELEVANCE"',
        '      threshold = 0.7',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-contextual-grounding-check.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailContextualGroundingFilterConfig.html',
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
      const policy = guardrail.contextualGroundingPolicy;
      if (policy === undefined) {
        yield guardrailSettingUnknown(context, guardrail, 'its contextual grounding policy');
        continue;
      }
      const filters = policy?.filters ?? [];
      const evidence = { contextualGroundingFilters: policy ? filters : null };
      const active = (type: string) => filters.some((f) => f.type === type && f.threshold > 0);
      const missing = REQUIRED.filter((type) => !active(type));
      if (missing.length === 0) {
        const thresholds = REQUIRED.map((type) => `${type} ${filters.reduce((max, f) => (f.type === type ? Math.max(max, f.threshold) : max), -Infinity)}`).join(', ');
        yield { verdict: 'pass', resource, message: `${label} checks responses for grounding and relevance (thresholds ${thresholds}).`, evidence };
        continue;
      }
      yield {
        verdict: 'fail',
        resource,
        message: filters.length === 0
          ? `${label} has no contextual grounding checks, so responses unsupported by the source or irrelevant to the query are not blocked.`
          : `${label} lacks an active ${missing.join(' and ')} filter (absent, or threshold 0, which blocks nothing).`,
        evidence,
        property: 'ContextualGroundingPolicyConfig',
      };
    }
  },
});
