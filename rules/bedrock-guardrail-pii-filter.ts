import { defineRule } from '../src/engine/types.js';
import { guardrailSettingUnknown, guardrailSubject, sectionUnknown } from '../src/engine/rule-kit.js';

/** Actions that keep the sensitive value out of the prompt or response (NONE only detects). */
const PROTECTING = new Set(['BLOCK', 'ANONYMIZE']);

export default defineRule({
  meta: {
    id: 'bedrock-guardrail-pii-filter',
    title: 'Bedrock guardrails block or mask personal data',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail'],
    description:
      'Each guardrail must have a sensitive information policy with at least one PII entity type or custom regex whose action is BLOCK or ANONYMIZE (mask), so that personal data in prompts and model responses is stopped or redacted. A guardrail without a sensitive information policy, or whose filters only detect (action NONE), fails; one whose policy was not read is unknown. Which entity types are needed depends on the data: the rule checks that the filter protects something, not that it covers every type the application handles.',
    rationale:
      'Prompts and responses are where personal data leaves its system of record: users paste records into chats, retrieval brings documents into context, and the model may repeat what it saw. A sensitive information filter that blocks or anonymizes names, identifiers, contact and financial data (or patterns such as medical record numbers) keeps them out of responses, logs and downstream tools. It is a technical pseudonymisation and data minimisation measure (GDPR Art. 25(1), Art. 32(1)(a)) and an integrity and confidentiality control for ePHI (HIPAA 164.312(c)(1), 164.312(a)(1)).',
    remediation: {
      console: [
        'Open the Amazon Bedrock console, Guardrails, choose the guardrail and edit its working draft.',
        'Under "Add sensitive information filters", add the PII types the application may see (for example NAME, EMAIL, PHONE, US_SOCIAL_SECURITY_NUMBER, CREDIT_DEBIT_CARD_NUMBER) with the action Block or Mask, and add regex patterns for identifiers of your own (such as medical record numbers); Save.',
        'Create a new guardrail version and point applications and agents at it.',
      ],
      cli: [
        'aws bedrock update-guardrail --guardrail-identifier <GUARDRAIL_ID> --name <NAME> \\',
        '  --blocked-input-messaging "Sorry, I cannot help with that." --blocked-outputs-messaging "Sorry, I cannot help with that." \\',
        '  --sensitive-information-policy-config \'{"piiEntitiesConfig":[{"type":"EMAIL","action":"ANONYMIZE"},{"type":"US_SOCIAL_SECURITY_NUMBER","action":"BLOCK"}],"regexesConfig":[{"name":"mrn","pattern":"MRN-[0-9]{8}","action":"ANONYMIZE"}]}\'',
        'aws bedrock create-guardrail-version --guardrail-identifier <GUARDRAIL_ID>',
      ].join('\n'),
      cloudformation: [
        'AssistantGuardrail:',
        '  Type: AWS::Bedrock::Guardrail',
        '  Properties:',
        '    Name: assistant-guardrail',
        '    BlockedInputMessaging: Sorry, I cannot help with that.',
        '    BlockedOutputsMessaging: Sorry, I cannot help with that.',
        '    SensitiveInformationPolicyConfig:',
        '      PiiEntitiesConfig:',
        '        - Type: EMAIL',
        '          Action: ANONYMIZE',
        '        - Type: US_SOCIAL_SECURITY_NUMBER',
        '          Action: BLOCK',
        '      RegexesConfig:',
        '        - Name: mrn',
        '          Pattern: "MRN-[0-9]{8}"',
        '          Action: ANONYMIZE',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_guardrail" "assistant" {',
        '  name                      = "assistant-guardrail"',
        '  blocked_input_messaging   = "Sorry, I cannot help with that."',
        '  blocked_outputs_messaging = "Sorry, I cannot help with that."',
        '  sensitive_information_policy_config {',
        '    pii_entities_config {',
        '      type   = "EMAIL"',
        '      action = "ANONYMIZE"',
        '    }',
        '    pii_entities_config {',
        '      type   = "US_SOCIAL_SECURITY_NUMBER"',
        '      action = "BLOCK"',
        '    }',
        '    regexes_config {',
        '      name    = "mrn"',
        '      pattern = "MRN-[0-9]{8}"',
        '      action  = "ANONYMIZE"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-sensitive-filters.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailPiiEntityConfig.html',
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
      const policy = guardrail.sensitiveInformationPolicy;
      if (policy === undefined) {
        yield guardrailSettingUnknown(context, guardrail, 'its sensitive information filters');
        continue;
      }
      const entities = (policy?.piiEntities ?? []).filter((e) => PROTECTING.has(e.action)).map((e) => `${e.type} (${e.action})`);
      const regexes = (policy?.regexes ?? []).filter((r) => PROTECTING.has(r.action)).map((r) => `regex ${r.name} (${r.action})`);
      const protecting = [...entities, ...regexes];
      const evidence = {
        piiEntities: policy?.piiEntities ?? null,
        regexes: policy ? policy.regexes.map((r) => ({ name: r.name, action: r.action })) : null,
      };
      if (protecting.length > 0) {
        const shown = protecting.slice(0, 5).join(', ') + (protecting.length > 5 ? `, and ${protecting.length - 5} more` : '');
        yield { verdict: 'pass', resource, message: `${label} blocks or masks sensitive information: ${shown}.`, evidence };
        continue;
      }
      const declared = (policy?.piiEntities.length ?? 0) + (policy?.regexes.length ?? 0);
      yield {
        verdict: 'fail',
        resource,
        message: policy === null || declared === 0
          ? `${label} has no sensitive information filters, so personal data in prompts and responses passes through unchanged.`
          : `${label} has ${declared} sensitive information filter${declared === 1 ? '' : 's'}, but none blocks or masks (action BLOCK or ANONYMIZE): detection alone leaves personal data in prompts and responses.`,
        evidence,
        property: 'SensitiveInformationPolicyConfig',
      };
    }
  },
});
