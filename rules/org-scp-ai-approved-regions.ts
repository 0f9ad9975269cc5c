import { defineRule } from '../src/engine/types.js';
import { accountRef } from '../src/engine/rule-kit.js';
import { judgeProbes, scanRegions, scpPathOrUnknown } from '../src/engine/organization-policies.js';

/** Regions tried in turn as the unapproved Region of the probe (the first one not approved). */
const CANDIDATE_REGIONS = ['sa-east-1', 'ap-southeast-2', 'ap-northeast-1', 'us-west-2', 'us-east-1', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ca-central-1', 'eu-north-1'];

export default defineRule({
  meta: {
    id: 'org-scp-ai-approved-regions',
    title: 'A service control policy keeps Bedrock and SageMaker in approved Regions',
    severity: 'medium',
    service: 'organizations',
    aiControl: true,
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only. The approved Regions are config organization.approvedAiRegions, or the scan\'s Regions when it is not set. The policy engine applies the SCPs on the account\'s path (root, organizational units, account) to requests by an ordinary role of the account, allowed everything by its own policies, in each Region outside the approved ones (aws:RequestedRegion) among the scanned Regions and ten common commercial Regions: bedrock:InvokeModel, sagemaker:CreateTrainingJob and sagemaker:CreateEndpoint. Pass when the SCPs deny all three; fail when one is allowed; unknown when the answer depends on request conditions aigis cannot settle, when an SCP on the path could not be read, or when SCPs were not collected. In a single-account scan the verdict is unknown: SCPs are read from the management account (run aigis scan --org). The management account, which SCPs do not restrict, is not applicable. Verdict on the account root.',
    rationale:
      'Prompts, training data and model outputs are processed where the service runs. A Region guardrail in an SCP is what keeps personal data and PHI inside the jurisdictions the DPIA and the data-processing agreements name (GDPR Chapter V transfers, data residency commitments), whatever an account\'s own IAM allows.',
    remediation: {
      console: [
        'In the AWS Organizations console of the management account, create a service control policy that denies bedrock:* and sagemaker:* when aws:RequestedRegion is not one of the approved Regions (StringNotEquals).',
        'Attach it to the root or to the organizational units that run AI workloads.',
      ],
      cli: [
        'aws organizations create-policy --type SERVICE_CONTROL_POLICY --name ai-approved-regions --description "AI services in approved Regions only" --content \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Sid":"DenyAiOutsideApprovedRegions","Effect":"Deny","Action":["bedrock:*","sagemaker:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}]}\'',
        'aws organizations attach-policy --policy-id <POLICY_ID> --target-id <ROOT_OR_OU_ID>',
      ].join('\n'),
      cloudformation: [
        'AiApprovedRegions:',
        '  Type: AWS::Organizations::Policy',
        '  Properties:',
        '    Name: ai-approved-regions',
        '    Type: SERVICE_CONTROL_POLICY',
        '    TargetIds: [<ROOT_OR_OU_ID>]',
        '    Content:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyAiOutsideApprovedRegions',
        '          Effect: Deny',
        '          Action: [bedrock:*, sagemaker:*]',
        "          Resource: '*'",
        '          Condition:',
        '            StringNotEquals:',
        '              aws:RequestedRegion: [eu-west-1, eu-central-1]',
      ].join('\n'),
      terraform: [
        'resource "aws_organizations_policy" "ai_approved_regions" {',
        '  name = "ai-approved-regions"',
        '  type = "SERVICE_CONTROL_POLICY"',
        '  content = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Sid       = "DenyAiOutsideApprovedRegions"',
        '      Effect    = "Deny"',
        '      Action    = ["bedrock:*", "sagemaker:*"]',
        '      Resource  = "*"',
        '      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }',
        '    }]',
        '  })',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion',
    ],
  },

  *evaluate(context) {
    const found = scpPathOrUnknown(context);
    if ('verdict' in found) {
      yield found;
      return;
    }
    const configured = context.settings.organization?.approvedAiRegions;
    const approved = configured ?? scanRegions(context.inventory.regions);
    // Every Region the scan covers or aigis tries that is not approved (sorted, bounded).
    const unapproved = [...new Set([...CANDIDATE_REGIONS, ...scanRegions(context.inventory.regions)])].filter((r) => !approved.includes(r)).sort().slice(0, 20);
    if (!unapproved.length) {
      yield { verdict: 'not_applicable', resource: accountRef(context), message: `Every commercial Region aigis probes is approved (${approved.join(', ')}).` };
      return;
    }
    const { partition } = context.index;
    const account = found.organization.accountId;
    const probes = unapproved.flatMap((region) =>
      [
        { action: 'bedrock:InvokeModel', resource: `arn:${partition}:bedrock:${region}::foundation-model/amazon.titan-text-express-v1` },
        { action: 'sagemaker:CreateTrainingJob', resource: `arn:${partition}:sagemaker:${region}:${account}:training-job/aigis-probe` },
        { action: 'sagemaker:CreateEndpoint', resource: `arn:${partition}:sagemaker:${region}:${account}:endpoint/aigis-probe` },
      ].map((p) => ({ ...p, context: {} })),
    );
    const result = judgeProbes(
      context,
      found.organization,
      found.path,
      probes,
      `deny Bedrock and SageMaker outside the approved Regions (${approved.join(', ')}${configured ? '' : ': the scan\'s Regions'})`,
      (p) => `${p.action} in ${p.resource.split(':')[3]}, outside the approved Regions (${approved.join(', ')}${configured ? '' : ': the scan\'s Regions'})`,
    );
    yield { ...result, evidence: { ...result.evidence, approvedRegions: approved, approvedRegionsFrom: configured ? 'config organization.approvedAiRegions' : 'the scan\'s Regions' } };
  },
});
