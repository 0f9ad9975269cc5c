/**
 * The resource types beyond the AI data path that the inventory also holds: VPC endpoints,
 * Access Analyzer, GuardDuty, Config, Security Hub, Macie, IAM users and groups, Bedrock
 * invocation logging and custom models.
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';

const TEMPLATE = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  BedrockEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.bedrock-runtime
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !ImportValue shared-vpc-id
      ServiceName: com.amazonaws.eu-west-1.s3
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::models/*
  Analyzer:
    Type: AWS::AccessAnalyzer::Analyzer
    Properties: { AnalyzerName: org-analyzer, Type: ORGANIZATION }
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties: { Enable: true }
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: arn:aws:iam::123456789012:role/config
      RecordingGroup: { AllSupported: true }
  Hub:
    Type: AWS::SecurityHub::Hub
  Macie:
    Type: AWS::Macie::Session
    Properties: { Status: PAUSED }
  Analysts:
    Type: AWS::IAM::Group
    Properties:
      GroupName: analysts
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
      Path: /people/
      Groups: [!Ref Analysts]
      LoginProfile: { Password: "{{resolve:secretsmanager:alice}}" }
  Bob:
    Type: AWS::IAM::User
    Properties: { UserName: bob }
  BobToAnalysts:
    Type: AWS::IAM::UserToGroupAddition
    Properties: { GroupName: !Ref Analysts, Users: [!Ref Bob] }
  BobPolicy:
    Type: AWS::IAM::UserPolicy
    Properties:
      UserName: !Ref Bob
      PolicyName: bob-s3
      PolicyDocument:
        Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }]
`;

describe('CloudFormation: other resource types', () => {
  const inventory = parseInventory(importCloudFormation(TEMPLATE, 'platform.yaml', { region: 'eu-west-1' }), 'platform.yaml');

  it('reads VPC endpoints, resolving the VPC in the template and leaving an imported one as unresolved', () => {
    const endpoints = inventory.ec2!.vpcEndpoints;
    const bedrock = endpoints.find((e) => e.serviceName === 'com.amazonaws.eu-west-1.bedrock-runtime')!;
    expect(bedrock).toMatchObject({ type: 'Interface', privateDnsEnabled: true, policy: null });
    expect(bedrock.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(bedrock.id).toMatch(/^vpce-[0-9a-f]{17}$/);
    const s3 = endpoints.find((e) => e.serviceName === 'com.amazonaws.eu-west-1.s3')!;
    expect(s3.type).toBe('Gateway');
    expect(s3.unresolved).toEqual(['VpcId']);
    expect(s3.policy?.normalized.statements[0]?.principal?.wildcard).toBe(true);
  });

  it('reads detective controls per region', () => {
    expect(inventory.accessAnalyzer!.analyzers).toEqual([expect.objectContaining({ name: 'org-analyzer', type: 'ORGANIZATION', arn: 'arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/org-analyzer' })]);
    expect(inventory.detective!.guardDuty).toEqual([{ region: 'eu-west-1', detectors: [{ id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'ENABLED' }] }]);
    expect(inventory.detective!.config).toEqual([{ region: 'eu-west-1', recorders: [{ name: 'default', allSupported: true }] }]);
    expect(inventory.detective!.securityHub).toEqual([{ region: 'eu-west-1', enabled: true, hubArn: 'arn:aws:securityhub:eu-west-1:123456789012:hub/default' }]);
    expect(inventory.detective!.macie).toEqual([{ region: 'eu-west-1', status: 'PAUSED' }]);
  });

  it('reads IAM users and groups with memberships, console access and user policies', () => {
    const alice = inventory.iam!.users.find((u) => u.name === 'alice')!;
    expect(alice).toMatchObject({ arn: 'arn:aws:iam::123456789012:user/people/alice', path: '/people/', groups: ['analysts'], consoleAccess: true, region: 'global' });
    const bob = inventory.iam!.users.find((u) => u.name === 'bob')!;
    expect(bob).toMatchObject({ groups: ['analysts'], consoleAccess: false });
    expect(bob.inlinePolicies[0]!.policy.normalized.statements[0]!.action).toEqual(['s3:*']);
    expect(inventory.iam!.groups[0]).toMatchObject({ name: 'analysts', attachedManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
  });
});

describe('Terraform plan: other resource types', () => {
  const resource = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          resource('aws_vpc_endpoint', 'bedrock', { vpc_id: 'vpc-0abc', service_name: 'com.amazonaws.us-east-1.bedrock-runtime', vpc_endpoint_type: 'Interface', private_dns_enabled: true }),
          resource('aws_accessanalyzer_analyzer', 'main', { analyzer_name: 'main', type: 'ACCOUNT' }),
          resource('aws_guardduty_detector', 'main', { enable: false }),
          resource('aws_config_configuration_recorder', 'main', { name: 'recorder', recording_group: [{ all_supported: false }] }),
          resource('aws_securityhub_account', 'main', {}),
          resource('aws_macie2_account', 'main', { status: 'ENABLED' }),
          resource('aws_macie2_classification_job', 'weekly', {
            name: 'ai-weekly',
            job_type: 'SCHEDULED',
            s3_job_definition: [{ bucket_definitions: [{ account_id: '123456789012', buckets: ['train-b', 'train-a'] }], bucket_criteria: [], scoping: [] }],
          }),
          resource('aws_macie2_classification_job', 'tagged', {
            name: 'by-tag',
            job_type: 'ONE_TIME',
            job_status: 'USER_PAUSED',
            s3_job_definition: [{ bucket_definitions: [], bucket_criteria: [{ includes: [{ and: [{ tag_criterion: [{ comparator: 'EQ', tag_values: [{ key: 'pii', value: 'yes' }] }] }] }], excludes: [] }] }],
          }),
          resource('aws_inspector2_enabler', 'mine', { account_ids: ['123456789012'], resource_types: ['ECR', 'LAMBDA_CODE'] }),
          resource('aws_inspector2_enabler', 'members', { account_ids: ['999988887777'], resource_types: ['EC2'] }),
          resource('aws_bedrock_model_invocation_logging_configuration', 'main', {
            logging_config: [{ text_data_delivery_enabled: true, image_data_delivery_enabled: false, embedding_data_delivery_enabled: true, s3_config: [{ bucket_name: 'bedrock-logs', key_prefix: 'invocations/' }], cloudwatch_config: [] }],
          }),
          resource('aws_bedrock_custom_model', 'tuned', { custom_model_name: 'support-tuned', base_model_identifier: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1', customization_type: 'FINE_TUNING' }),
          resource('aws_iam_user', 'carol', { name: 'carol', path: '/' }),
          resource('aws_iam_user_login_profile', 'carol', { user: 'carol' }),
          resource('aws_iam_group', 'ops', { name: 'ops', path: '/' }),
          resource('aws_iam_user_group_membership', 'carol', { user: 'carol', groups: ['ops'] }),
          resource('aws_iam_group_policy_attachment', 'ops', { group: 'ops', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
          resource('aws_sagemaker_domain', 'studio', { domain_name: 'studio', auth_mode: 'IAM', app_network_access_type: 'VpcOnly', vpc_id: 'vpc-0abc', subnet_ids: ['subnet-1'] }),
          resource('aws_sagemaker_endpoint_configuration', 'serve', { name: 'serve', production_variants: [{ variant_name: 'main', model_name: 'fraud', instance_type: 'ml.m5.large' }], data_capture_config: [] }),
        ],
      },
    },
  };
  const inventory = parseInventory(importTerraformPlanData(plan, 'plan.json'), 'plan.json');

  it('reads endpoints, analyzers and detective controls', () => {
    expect(inventory.ec2!.vpcEndpoints[0]).toMatchObject({ vpcId: 'vpc-0abc', type: 'Interface', privateDnsEnabled: true, policy: null });
    expect(inventory.accessAnalyzer!.analyzers[0]).toMatchObject({ name: 'main', type: 'ACCOUNT' });
    expect(inventory.detective!.guardDuty![0]!.detectors[0]!.status).toBe('DISABLED');
    expect(inventory.detective!.config).toEqual([{ region: 'us-east-1', recorders: [{ name: 'recorder', allSupported: false }] }]);
    expect(inventory.detective!.securityHub).toEqual([{ region: 'us-east-1', enabled: true }]);
    const [macie] = inventory.detective!.macie!;
    expect(macie).toMatchObject({ region: 'us-east-1', status: 'ENABLED' });
    expect(macie!.classificationJobs!.map(({ id: _id, ...job }) => job).sort((a, b) => a.name!.localeCompare(b.name!))).toEqual([
      { name: 'ai-weekly', jobType: 'SCHEDULED', bucketDefinitions: [{ accountId: '123456789012', buckets: ['train-a', 'train-b'] }] },
      { name: 'by-tag', jobType: 'ONE_TIME', jobStatus: 'USER_PAUSED', bucketCriteria: true },
    ]);
    // Only the enabler of this account counts; LAMBDA_CODE has no field of its own.
    expect(inventory.detective!.inspector).toEqual([{ region: 'us-east-1', ecr: 'ENABLED' }]);
  });

  it('reads Bedrock invocation logging and custom models', () => {
    expect(inventory.bedrock!.invocationLogging).toEqual([
      {
        region: 'us-east-1',
        config: { textDataDeliveryEnabled: true, imageDataDeliveryEnabled: false, embeddingDataDeliveryEnabled: true, s3Config: { bucketName: 'bedrock-logs', keyPrefix: 'invocations/' }, cloudWatchConfig: null },
      },
    ]);
    expect(inventory.bedrock!.customModels[0]).toMatchObject({ name: 'support-tuned', customizationType: 'FINE_TUNING', kmsKeyArn: null });
  });

  it('reads IAM users, groups, memberships and attachments; SageMaker domains and endpoint configs', () => {
    expect(inventory.iam!.users[0]).toMatchObject({ name: 'carol', groups: ['ops'], consoleAccess: true, region: 'global' });
    expect(inventory.iam!.groups[0]).toMatchObject({ name: 'ops', attachedManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    expect(inventory.regions).toEqual(['us-east-1']);
    expect(inventory.sagemaker!.domains[0]).toMatchObject({ name: 'studio', appNetworkAccessType: 'VpcOnly', subnetIds: ['subnet-1'], kmsKeyId: null });
    expect(inventory.sagemaker!.endpointConfigs[0]).toMatchObject({ dataCaptureEnabled: false, kmsKeyId: null, productionVariants: [{ variantName: 'main', modelName: 'fraud', instanceType: 'ml.m5.large' }] });
  });
});
