import { defineRule } from '../src/engine/types.js';
import { missingReason, pushTo, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { bedrockTarget, judgeDataEvents, type DataEventsJudgement } from '../src/engine/trail-coverage.js';

/**
 * The CloudTrail data event resource type that records the use of each kind of Bedrock workload
 * of the AI asset graph: agents are invoked through aliases (InvokeAgent), guardrails are applied
 * (ApplyGuardrail), models are invoked by streaming and asynchronous calls (custom models, and the
 * model use that invocation logging shows), knowledge bases are queried (Retrieve,
 * RetrieveAndGenerate) and flows invoked through their own types. Prompts have no data event of
 * their own until a version is invoked (PromptVersion): they ask for none.
 */
const DATA_EVENT_TYPE: Record<string, string> = {
  'AWS::Bedrock::Agent': 'AWS::Bedrock::AgentAlias',
  'AWS::Bedrock::Guardrail': 'AWS::Bedrock::Guardrail',
  'AWS::Bedrock::CustomModel': 'AWS::Bedrock::Model',
  'AWS::Bedrock::InvocationLogging': 'AWS::Bedrock::Model',
  'AWS::Bedrock::KnowledgeBase': 'AWS::Bedrock::KnowledgeBase',
  'AWS::Bedrock::Flow': 'AWS::Bedrock::FlowAlias',
};
const DEFAULT_TYPE = 'AWS::Bedrock::Model';

const NOUNS: Record<string, string> = {
  'AWS::Bedrock::AgentAlias': 'agent invocations (AWS::Bedrock::AgentAlias)',
  'AWS::Bedrock::Guardrail': 'guardrail use (AWS::Bedrock::Guardrail)',
  'AWS::Bedrock::Model': 'model invocations (AWS::Bedrock::Model)',
  'AWS::Bedrock::KnowledgeBase': 'knowledge base retrievals (AWS::Bedrock::KnowledgeBase)',
  'AWS::Bedrock::FlowAlias': 'flow invocations (AWS::Bedrock::FlowAlias)',
};

export default defineRule({
  meta: {
    id: 'cloudtrail-bedrock-data-events',
    title: 'CloudTrail records Bedrock data events in every Region where Bedrock is used',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::::Account'],
    aiControl: true,
    description:
      'In each Region where the inventory shows Bedrock in use (agents, custom models, guardrails, model invocation logging configured, or other Bedrock workloads of the AI asset graph), a trail that is logging and is multi-region or has its home in that Region must record the Bedrock data events of what is used there, with advanced event selectors (eventCategory Data): AWS::Bedrock::AgentAlias where there are agents (InvokeAgent), AWS::Bedrock::Guardrail where there are guardrails (ApplyGuardrail), AWS::Bedrock::Model where custom models or model invocation logging show model use (streaming and asynchronous invocations), AWS::Bedrock::KnowledgeBase where there are knowledge bases (Retrieve, RetrieveAndGenerate) and AWS::Bedrock::FlowAlias where there are flows (InvokeFlow). Each type must be recorded in full: a selector that limits resources.ARN inside the Region, restricts readOnly to one value, or filters on eventName or another field records only part of it and fails, naming the limit. Other Bedrock data event types (AsyncInvoke, InlineAgent, PromptVersion, Session, AutomatedReasoningPolicy, and the AgentCore types) are not required, because the resources behind them are not collected. Regions without Bedrock use are not applicable. A Region is unknown when the trails were not collected or the only trail that could record a type has unread selectors or an unread logging status, and, on an inventory from templates or plans, when no declared trail records a type (a trail elsewhere in the account may).',
    rationale:
      'Trails record Bedrock management calls (InvokeModel, Converse, CreateAgent) by default, but not its data events: who invoked which agent, which guardrail was applied to what, which streaming or asynchronous model calls ran. Those are the calls that move prompts, documents and customer data through the AI system. Without them the audit trail of AI use that HIPAA 164.312(b), NIST AU-2/AU-12 and SOC 2 CC7.2 expect has holes exactly where the sensitive data flows.',
    remediation: {
      console: [
        'Open the CloudTrail console, Trails, and choose a multi-region trail that is logging.',
        'Under Data events choose Edit, Add data event type, and add "Bedrock agent alias", "Bedrock guardrail" and "Bedrock model" (and the other Bedrock types you use) with the log selector template "Log all events".',
        'Save changes. Data events are charged per event: check the CloudTrail pricing page for the volume you expect.',
      ],
      cli: [
        'aws cloudtrail put-event-selectors --trail-name <TRAIL> --advanced-event-selectors \\',
        '  \'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},\'',
        '\'   {"Name":"Bedrock data events","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},\'',
        '\'     {"Field":"resources.type","Equals":["AWS::Bedrock::AgentAlias"]}]},\'',
        '\'   {"Name":"Bedrock guardrails","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Bedrock::Guardrail"]}]},\'',
        '\'   {"Name":"Bedrock models","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Bedrock::Model"]}]}]\'',
      ].join('\n'),
      cloudformation: [
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    AdvancedEventSelectors:',
        '      - Name: Management events',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Management]',
        '      - Name: Bedrock agent aliases',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Data]',
        '          - Field: resources.type',
        '            Equals: [AWS::Bedrock::AgentAlias]',
        '      - Name: Bedrock guardrails',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Data]',
        '          - Field: resources.type',
        '            Equals: [AWS::Bedrock::Guardrail]',
        '      - Name: Bedrock models',
        '        FieldSelectors:',
        '          - Field: eventCategory',
        '            Equals: [Data]',
        '          - Field: resources.type',
        '            Equals: [AWS::Bedrock::Model]',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "audit" {',
        '  name                  = "audit"',
        '  s3_bucket_name        = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail = true',
        '  advanced_event_selector {',
        '    name = "Management events"',
        '    field_selector {',
        '      field  = "eventCategory"',
        '      equals = ["Management"]',
        '    }',
        '  }',
        '  dynamic "advanced_event_selector" {',
        '    for_each = ["AWS::Bedrock::AgentAlias", "AWS::Bedrock::Guardrail", "AWS::Bedrock::Model"]',
        '    content {',
        '      name = "Bedrock ${advanced_event_selector.value}"',
        '      field_selector {',
        '        field  = "eventCategory"',
        '        equals = ["Data"]',
        '      }',
        '      field_selector {',
        '        field  = "resources.type"',
        '        equals = [advanced_event_selector.value]',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    // Region -> data event type -> the workloads that need it.
    const used = new Map<string, Map<string, string[]>>();
    for (const workload of context.ai.workloads) {
      if (!workload.type.startsWith('AWS::Bedrock::') || workload.type === 'AWS::Bedrock::Prompt') continue;
      const type = DATA_EVENT_TYPE[workload.type] ?? DEFAULT_TYPE;
      const byType = used.get(workload.region) ?? new Map<string, string[]>();
      pushTo(byType, type, workload.type === 'AWS::Bedrock::InvocationLogging' ? 'model invocation logging' : workload.name);
      used.set(workload.region, byType);
    }
    const { partition, accountId } = context.index;
    const regions = [...new Set([...context.inventory.regions, ...used.keys()])].sort();
    for (const region of regions) {
      const resource = resourceRef(`arn:${partition}:bedrock:${region}:${accountId}:cloudtrail-data-events`, 'AWS::::Account', region, `Bedrock data events (${region})`);
      const byType = used.get(region);
      if (!byType) {
        const errors = context.index.errorsFor('bedrock', { region });
        yield errors.length
          ? {
              verdict: 'unknown',
              resource,
              message: `Cannot tell whether Bedrock is used in ${region}: ${missingReason(context, 'bedrock', { region }, 'its Bedrock resources')}.`,
            }
          : { verdict: 'not_applicable', resource, message: `No Bedrock agents, custom models, guardrails or invocation logging in ${region}.` };
        continue;
      }
      const types = [...byType.keys()].sort();
      const judged = types.map((type): [string, DataEventsJudgement] => [type, judgeDataEvents(context, bedrockTarget(partition, region, type), region)]);
      const use = types.map((type) => `${NOUNS[type] ?? type} for ${byType.get(type)!.sort().join(', ')}`).join('; ');
      const evidence = {
        required: Object.fromEntries(types.map((type) => [type, [...byType.get(type)!].sort()])),
        recorded: Object.fromEntries(judged.map(([type, j]) => [type, j.state])),
        recordedBy: Object.fromEntries(judged.filter(([, j]) => j.state === 'covered').map(([type, j]) => [type, [...new Set([...(j.summary?.readBy ?? []), ...(j.summary?.writeBy ?? [])])].sort()])),
      };
      const failing = judged.filter(([, j]) => j.state === 'partial' || j.state === 'none');
      const open = judged.filter(([, j]) => j.state === 'undecided');
      if (failing.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Bedrock is used in ${region}, but trails do not record all of its data events: ${failing.map(([type, j]) => `${NOUNS[type] ?? type}: ${j.detail}`).join('. ')}.${open.length ? ` Not known: ${open.map(([type, j]) => `${NOUNS[type] ?? type}: ${j.detail}`).join('. ')}.` : ''} Needed: ${use}.`,
          evidence,
        };
      } else if (open.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bedrock is used in ${region} (${use}); cannot tell whether all of its data events are recorded: ${open.map(([type, j]) => `${NOUNS[type] ?? type}: ${j.detail}`).join('. ')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `Bedrock data events in ${region} are recorded: ${judged.map(([type, j]) => `${NOUNS[type] ?? type} (${j.detail})`).join('; ')}.`,
          evidence,
        };
      }
    }
  },
});
