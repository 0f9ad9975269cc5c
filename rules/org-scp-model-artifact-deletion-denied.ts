import { defineRule } from '../src/engine/types.js';
import { judgeProbes, scanRegions, scpPathOrUnknown } from '../src/engine/organization-policies.js';

export default defineRule({
  meta: {
    id: 'org-scp-model-artifact-deletion-denied',
    title: 'A service control policy denies deleting SageMaker models and model packages',
    severity: 'medium',
    service: 'organizations',
    aiControl: true,
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only. The policy engine applies the SCPs on the account\'s path (root, organizational units, account) to sagemaker:DeleteModel and sagemaker:DeleteModelPackage requests by an ordinary role of the account, allowed everything by its own policies, in the first scanned Region. Pass when the SCPs deny both; an SCP that exempts a named approval or pipeline role (aws:PrincipalArn) still passes, which is the usual way of requiring approval. Fail when one is allowed; unknown when the answer depends on request conditions aigis cannot settle, when an SCP on the path could not be read, or when SCPs were not collected. Not checked: s3:DeleteObject on the buckets holding model artifacts (aigis does not know which buckets an SCP should name; bucket versioning and Object Lock rules cover them). In a single-account scan the verdict is unknown: SCPs are read from the management account (run aigis scan --org). The management account, which SCPs do not restrict, is not applicable. Verdict on the account root.',
    rationale:
      'Registered models and model packages are the record of what was approved and deployed; deleting them erases the lineage an auditor or an incident responder needs (NIST AU-9, CM-3). An SCP keeps anyone in a workload account, administrators included, from deleting them without the approval role.',
    remediation: {
      console: [
        'In the AWS Organizations console of the management account, create a service control policy that denies sagemaker:DeleteModel, sagemaker:DeleteModelPackage and sagemaker:DeleteModelPackageGroup unless aws:PrincipalArn is your approval role.',
        'Attach it to the root or to the organizational units that run SageMaker.',
      ],
      cli: [
        'aws organizations create-policy --type SERVICE_CONTROL_POLICY --name protect-model-artifacts --description "Model deletion needs approval" --content \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Sid":"DenyModelDeletion","Effect":"Deny","Action":["sagemaker:DeleteModel","sagemaker:DeleteModelPackage","sagemaker:DeleteModelPackageGroup"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/model-approver"}}}]}\'',
        'aws organizations attach-policy --policy-id <POLICY_ID> --target-id <ROOT_OR_OU_ID>',
      ].join('\n'),
      cloudformation: [
        'ProtectModelArtifacts:',
        '  Type: AWS::Organizations::Policy',
        '  Properties:',
        '    Name: protect-model-artifacts',
        '    Type: SERVICE_CONTROL_POLICY',
        '    TargetIds: [<ROOT_OR_OU_ID>]',
        '    Content:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyModelDeletion',
        '          Effect: Deny',
        '          Action: [sagemaker:DeleteModel, sagemaker:DeleteModelPackage, sagemaker:DeleteModelPackageGroup]',
        "          Resource: '*'",
        "          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/model-approver' } }",
      ].join('\n'),
      terraform: [
        'resource "aws_organizations_policy" "protect_model_artifacts" {',
        '  name = "protect-model-artifacts"',
        '  type = "SERVICE_CONTROL_POLICY"',
        '  content = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Sid       = "DenyModelDeletion"',
        '      Effect    = "Deny"',
        '      Action    = ["sagemaker:DeleteModel", "sagemaker:DeleteModelPackage", "sagemaker:DeleteModelPackageGroup"]',
        '      Resource  = "*"',
        '      Condition = { ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/model-approver" } }',
        '    }]',
        '  })',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html',
    ],
  },

  *evaluate(context) {
    const found = scpPathOrUnknown(context);
    if ('verdict' in found) {
      yield found;
      return;
    }
    const region = scanRegions(context.inventory.regions)[0]!;
    const { partition } = context.index;
    const account = found.organization.accountId;
    const probes = [
      { action: 'sagemaker:DeleteModel', resource: `arn:${partition}:sagemaker:${region}:${account}:model/aigis-probe`, context: {} },
      { action: 'sagemaker:DeleteModelPackage', resource: `arn:${partition}:sagemaker:${region}:${account}:model-package/aigis-probe/1`, context: {} },
    ];
    yield judgeProbes(context, found.organization, found.path, probes, 'deny deleting SageMaker models and model packages', (p) => `${p.action}`);
  },
});
