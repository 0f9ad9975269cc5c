import { defineRule } from '../src/engine/types.js';
import { accountRef } from '../src/engine/rule-kit.js';
import { judgeProbes, scanRegions, scpPathOrUnknown } from '../src/engine/organization-policies.js';
import { globMatches } from '../src/policy/glob.js';

const PROBE_MODEL = 'aigis-probe-unapproved-model';

export default defineRule({
  meta: {
    id: 'org-scp-bedrock-approved-models',
    title: 'A service control policy limits Bedrock to approved foundation models',
    severity: 'high',
    service: 'organizations',
    aiControl: true,
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only. The policy engine applies the SCPs attached to the root, each organizational unit and the account itself to a request by an ordinary role of the account (allowed everything by its own policies) to bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream (Converse and ConverseStream are authorized as these) on a foundation model outside the approved list (config bedrock.approvedModels), in each scanned Region. Pass when the SCPs deny it (a Deny with NotResource of the approved models, or an SCP allow list that leaves other models out); fail when they allow it; unknown when the answer depends on request conditions aigis cannot settle, when an SCP on the path could not be read, or when SCPs were not collected. In a single-account scan the verdict is unknown: SCPs are read from the management account (run aigis scan --org). SCP exemptions for named administrator roles are accepted. The management account, which SCPs do not restrict, is not applicable. Verdict on the account root.',
    rationale:
      'Identity policies are written account by account and drift; an SCP enforces the model allowlist in every account under it, whatever the account\'s own IAM grants, and covers models AWS adds later. It records organization-wide that only models that passed review (DPIA, legal, security) can process data (GDPR Art. 28/35, NIST SA-9, AC-3).',
    remediation: {
      console: [
        'In the AWS Organizations console of the management account, open Policies > Service control policies and create a policy denying bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream with NotResource listing the approved foundation-model ARNs.',
        'Attach it to the root or to the organizational units that run AI workloads.',
      ],
      cli: [
        'aws organizations create-policy --type SERVICE_CONTROL_POLICY --name approved-bedrock-models --description "Only approved Bedrock models" --content \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnapprovedModels","Effect":"Deny","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"NotResource":["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-*","arn:aws:bedrock:*:*:inference-profile/*"]}]}\'',
        'aws organizations attach-policy --policy-id <POLICY_ID> --target-id <ROOT_OR_OU_ID>',
      ].join('\n'),
      cloudformation: [
        'ApprovedBedrockModels:',
        '  Type: AWS::Organizations::Policy',
        '  Properties:',
        '    Name: approved-bedrock-models',
        '    Type: SERVICE_CONTROL_POLICY',
        '    TargetIds: [<ROOT_OR_OU_ID>]',
        '    Content:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyUnapprovedModels',
        '          Effect: Deny',
        '          Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]',
        "          NotResource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-*', 'arn:aws:bedrock:*:*:inference-profile/*']",
      ].join('\n'),
      terraform: [
        'resource "aws_organizations_policy" "approved_bedrock_models" {',
        '  name = "approved-bedrock-models"',
        '  type = "SERVICE_CONTROL_POLICY"',
        '  content = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Sid         = "DenyUnapprovedModels"',
        '      Effect      = "Deny"',
        '      Action      = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]',
        '      NotResource = ["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-*", "arn:aws:bedrock:*:*:inference-profile/*"]',
        '    }]',
        '  })',
        '}',
        'resource "aws_organizations_policy_attachment" "approved_bedrock_models" {',
        '  policy_id = aws_organizations_policy.approved_bedrock_models.id',
        '  target_id = "<ROOT_OR_OU_ID>"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples.html',
    ],
  },

  *evaluate(context) {
    const found = scpPathOrUnknown(context);
    if ('verdict' in found) {
      yield found;
      return;
    }
    const approved = context.settings.bedrock.approvedModels;
    if (approved.some((glob) => globMatches(glob, PROBE_MODEL))) {
      yield { verdict: 'not_applicable', resource: accountRef(context), message: 'The approved model list (bedrock.approvedModels) approves every model, so there is no unapproved model for an SCP to deny.' };
      return;
    }
    const partition = context.index.partition;
    const regions = scanRegions(context.inventory.regions);
    const probes = regions.flatMap((region) =>
      ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'].map((action) => ({
        action,
        resource: `arn:${partition}:bedrock:${region}::foundation-model/${PROBE_MODEL}`,
        context: {},
      })),
    );
    yield judgeProbes(context, found.organization, found.path, probes, 'deny invoking foundation models outside the approved list', (p) => `${p.action} on an unapproved foundation model in ${p.resource.split(':')[3]}`);
  },
});

