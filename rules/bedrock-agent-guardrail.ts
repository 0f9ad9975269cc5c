import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'bedrock-agent-guardrail',
    title: 'Bedrock agents have a guardrail associated',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Agent'],
    description:
      'Each Bedrock agent must have a guardrail associated (guardrailConfiguration), so that user input and agent responses pass content, prompt attack, sensitive information and topic filters. An agent without a guardrail fails; one whose configuration was not read is unknown. Whether the guardrail itself filters prompt attacks is checked by bedrock-guardrail-prompt-attack.',
    rationale:
      'Agents act: they call action groups (Lambda functions, APIs) and query knowledge bases with the permissions of their service role. Without a guardrail, a prompt injection can make an agent leak knowledge base content, return personal data or run tools on the attacker\'s behalf. A guardrail is the input and output validation layer auditors expect in front of such automation (NIST SI-10, GDPR Art. 25(1) data protection by design).',
    remediation: {
      console: [
        'Open the Amazon Bedrock console, Agents, and choose the agent; choose "Edit in Agent builder".',
        'Under Guardrail details choose Edit, select a guardrail and version, and Save and exit.',
        'Prepare the agent and update its alias to the new version.',
      ],
      cli: [
        'aws bedrock-agent update-agent --agent-id <AGENT_ID> --agent-name <NAME> --agent-resource-role-arn <ROLE_ARN> \\',
        '  --foundation-model <MODEL_ID> --guardrail-configuration guardrailIdentifier=<GUARDRAIL_ID>,guardrailVersion=<VERSION>',
        'aws bedrock-agent prepare-agent --agent-id <AGENT_ID>',
      ].join('\n'),
      cloudformation: [
        'SupportAgent:',
        '  Type: AWS::Bedrock::Agent',
        '  Properties:',
        '    AgentName: support-agent',
        '    AgentResourceRoleArn: !GetAtt AgentRole.Arn',
        '    FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0',
        '    GuardrailConfiguration:',
        '      GuardrailIdentifier: !GetAtt AssistantGuardrail.GuardrailId',
        '      GuardrailVersion: !GetAtt AssistantGuardrailVersion.Version',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrockagent_agent" "support" {',
        '  agent_name              = "support-agent"',
        '  agent_resource_role_arn = aws_iam_role.agent.arn',
        '  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"',
        '  guardrail_configuration {',
        '    guardrail_identifier = aws_bedrock_guardrail.assistant.guardrail_id',
        '    guardrail_version    = aws_bedrock_guardrail_version.assistant.version',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/agents-guardrail.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GuardrailConfiguration.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const guardrails = new Map(bedrock.guardrails.map((g) => [`${g.region}/${g.id}`, g]));
    for (const agent of bedrock.agents) {
      const resource = resourceRef(agent.arn, 'AWS::Bedrock::Agent', agent.region, agent.name, agent.source);
      const association = agent.guardrail;
      if (association === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether agent ${agent.name} has a guardrail: ${missingReason(context, 'bedrock-agent', { resource: agent.arn, operations: ['GetAgent'] }, 'its guardrail configuration')}.`,
        };
      } else if (association === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `Agent ${agent.name} has no guardrail: its input and responses are not filtered for prompt attacks, harmful content or sensitive data.`,
          evidence: { guardrail: null },
          property: 'GuardrailConfiguration',
        };
      } else {
        // The association may name the guardrail by id or by ARN.
        const id = association.id.includes(':guardrail/') ? association.id.slice(association.id.lastIndexOf('/') + 1) : association.id;
        const known = guardrails.get(`${agent.region}/${id}`);
        const version = association.version ? ` version ${association.version}` : '';
        yield {
          verdict: 'pass',
          resource,
          message: `Agent ${agent.name} uses guardrail ${known ? `${known.name} (${id})` : id}${version}${association.version === 'DRAFT' ? '; pin a numbered version so that edits to the draft do not change production behaviour' : ''}.`,
          evidence: { guardrail: association, guardrailArn: known?.arn ?? null },
        };
      }
    }
  },
});
