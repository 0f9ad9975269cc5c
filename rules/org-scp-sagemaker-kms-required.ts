import { defineRule } from '../src/engine/types.js';
import { judgeProbes, scanRegions, scpPathOrUnknown } from '../src/engine/organization-policies.js';

export default defineRule({
  meta: {
    id: 'org-scp-sagemaker-kms-required',
    title: 'A service control policy requires KMS keys on SageMaker training and processing jobs',
    severity: 'medium',
    service: 'organizations',
    aiControl: true,
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only. The policy engine applies the SCPs on the account\'s path (root, organizational units, account) to sagemaker:CreateTrainingJob and sagemaker:CreateProcessingJob requests that name no KMS key (sagemaker:VolumeKmsKey and sagemaker:OutputKmsKey absent), made by an ordinary role of the account allowed everything by its own policies, in the first scanned Region. Pass when the SCPs deny both (typically a Deny with a Null condition on either key); fail when one is allowed; unknown when the answer depends on request conditions aigis cannot settle, when an SCP on the path could not be read, or when SCPs were not collected. A policy that requires only one of the two keys passes. In a single-account scan the verdict is unknown: SCPs are read from the management account (run aigis scan --org). The management account, which SCPs do not restrict, is not applicable. Verdict on the account root.',
    rationale:
      'Training and processing jobs write the data they read to ML storage volumes and their results to S3; without a customer managed key the organization cannot restrict or revoke who decrypts them. An SCP makes the key mandatory for every job in every account, which per-job checks only report after the fact (HIPAA 164.312(a)(2)(iv), NIST SC-28).',
    remediation: {
      console: [
        'In the AWS Organizations console of the management account, create a service control policy that denies sagemaker:CreateTrainingJob and sagemaker:CreateProcessingJob when sagemaker:VolumeKmsKey or sagemaker:OutputKmsKey is null.',
        'Attach it to the root or to the organizational units that run SageMaker.',
      ],
      cli: [
        'aws organizations create-policy --type SERVICE_CONTROL_POLICY --name sagemaker-kms-required --description "KMS keys on SageMaker jobs" --content \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Sid":"DenyJobsWithoutVolumeKey","Effect":"Deny","Action":["sagemaker:CreateTrainingJob","sagemaker:CreateProcessingJob"],"Resource":"*","Condition":{"Null":{"sagemaker:VolumeKmsKey":"true"}}},{"Sid":"DenyJobsWithoutOutputKey","Effect":"Deny","Action":["sagemaker:CreateTrainingJob","sagemaker:CreateProcessingJob"],"Resource":"*","Condition":{"Null":{"sagemaker:OutputKmsKey":"true"}}}]}\'',
        'aws organizations attach-policy --policy-id <POLICY_ID> --target-id <ROOT_OR_OU_ID>',
      ].join('\n'),
      cloudformation: [
        'SageMakerKmsRequired:',
        '  Type: AWS::Organizations::Policy',
        '  Properties:',
        '    Name: sagemaker-kms-required',
        '    Type: SERVICE_CONTROL_POLICY',
        '    TargetIds: [<ROOT_OR_OU_ID>]',
        '    Content:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyJobsWithoutVolumeKey',
        '          Effect: Deny',
        '          Action: [sagemaker:CreateTrainingJob, sagemaker:CreateProcessingJob]',
        "          Resource: '*'",
        "          Condition: { 'Null': { 'sagemaker:VolumeKmsKey': 'true' } }",
        '        - Sid: DenyJobsWithoutOutputKey',
        '          Effect: Deny',
        '          Action: [sagemaker:CreateTrainingJob, sagemaker:CreateProcessingJob]',
        "          Resource: '*'",
        "          Condition: { 'Null': { 'sagemaker:OutputKmsKey': 'true' } }",
      ].join('\n'),
      terraform: [
        'resource "aws_organizations_policy" "sagemaker_kms_required" {',
        '  name = "sagemaker-kms-required"',
        '  type = "SERVICE_CONTROL_POLICY"',
        '  content = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [for key in ["sagemaker:VolumeKmsKey", "sagemaker:OutputKmsKey"] : {',
        '      Effect    = "Deny"',
        '      Action    = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"]',
        '      Resource  = "*"',
        '      Condition = { Null = { (key) = "true" } }',
        '    }]',
        '  })',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/security_iam_id-based-policy-examples.html',
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
    const noKeys = { 'sagemaker:VolumeKmsKey': null, 'sagemaker:OutputKmsKey': null };
    const probes = [
      { action: 'sagemaker:CreateTrainingJob', resource: `arn:${partition}:sagemaker:${region}:${account}:training-job/aigis-probe`, context: noKeys },
      { action: 'sagemaker:CreateProcessingJob', resource: `arn:${partition}:sagemaker:${region}:${account}:processing-job/aigis-probe`, context: noKeys },
    ];
    yield judgeProbes(context, found.organization, found.path, probes, 'deny SageMaker training and processing jobs that name no KMS key', (p) => `${p.action} without a KMS key`);
  },
});
