import { afterEach, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collectors/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { ACCOUNT, awsError, installFakeAccount, testOptions, type FakeAccount } from './fake-account.js';

let account: FakeAccount | undefined;
afterEach(() => account?.restore());

async function collect(extra = {}) {
  account = installFakeAccount();
  const result = await collectInventory(testOptions(extra));
  return { ...result, parsed: parseInventory(JSON.parse(JSON.stringify(result.inventory)), 'live') };
}

describe('collectInventory against a mocked account', () => {
  it('produces a valid inventory with no collection errors', async () => {
    const { inventory, parsed, stats } = await collect();
    expect(inventory.collectionErrors).toEqual([]);
    expect(parsed.account).toEqual({ id: ACCOUNT, partition: 'aws', alias: 'acme-ml' });
    expect(parsed.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(parsed.source).toEqual({ kind: 'live' });
    expect(inventory.collectedAt).toBeUndefined();
    expect(stats.calls).toBeGreaterThan(50);
    expect(stats.errors).toBe(0);
  });

  it('reads S3 through paginated ListBuckets, per-bucket regional clients and maps every setting', async () => {
    const { parsed } = await collect();
    const s3 = parsed.s3!;
    expect(s3.accountPublicAccessBlock).toBeNull();
    expect(s3.buckets.map((b) => [b.name, b.region])).toEqual([
      ['inference-logs', 'eu-west-1'],
      ['public-datasets', 'eu-west-1'],
      ['training-data', 'us-east-1'],
    ]);
    const training = s3.buckets.find((b) => b.name === 'training-data')!;
    expect(training.arn).toBe('arn:aws:s3:::training-data');
    expect(training.creationDate).toBe('2023-01-15T12:00:00.000Z');
    expect(training.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(training.encryption).toEqual({
      rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, bucketKeyEnabled: true }],
    });
    expect(training.policy?.normalized.statements[0]?.action).toEqual(['s3:GetObject']);
    expect(training.policyStatus).toEqual({ isPublic: false });
    expect(training.versioning).toEqual({ status: 'Enabled', mfaDelete: 'Disabled' });
    expect(training.logging).toEqual({ targetBucket: 'inference-logs', targetPrefix: 'access/' });
    expect(training.objectLock).toEqual({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 30 } });
    expect(training.ownership).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    expect(training.tags).toEqual({ 'data-class': 'phi', owner: 'ml-platform' });
    expect(training.lifecycle).toEqual({
      rules: [
        { id: 'archive', enabled: true, prefix: 'raw/', expirationDays: 730, transitions: ['GLACIER'] },
        { id: 'old-versions', enabled: false, noncurrentExpirationDays: 30 },
      ],
    });
    expect(training.replication).toEqual({
      role: 'arn:aws:iam::111122223333:role/s3-replication',
      rules: [{ id: 'dr', enabled: true, destinationBucket: 'arn:aws:s3:::training-data-dr' }],
    });
  });

  it('maps "not configured" S3 answers to null (and tags to {}), never to errors', async () => {
    const { parsed } = await collect();
    const logs = parsed.s3!.buckets.find((b) => b.name === 'inference-logs')!;
    expect(logs.publicAccessBlock).toBeNull();
    expect(logs.encryption).toBeNull();
    expect(logs.policy).toBeNull();
    expect(logs.policyStatus).toBeNull();
    expect(logs.objectLock).toBeNull();
    expect(logs.ownership).toBeNull();
    expect(logs.tags).toEqual({});
    expect(logs.logging).toBeNull();
    expect(logs.lifecycle).toBeNull();
    expect(logs.replication).toBeNull();
    expect(logs.versioning).toEqual({ status: 'Off', mfaDelete: 'Disabled' });
  });

  it('uses ListBuckets BucketRegion when given and GetBucketLocation otherwise, then calls each bucket in its region', async () => {
    await collect();
    const locations = account!.calls.filter((c) => c.operation === 's3:GetBucketLocation').map((c) => c.input.Bucket).sort();
    expect(locations).toEqual(['public-datasets', 'training-data']);
    const policyCalls = account!.calls.filter((c) => c.operation === 's3:GetBucketPolicy').map((c) => `${c.input.Bucket}@${c.region}`).sort();
    expect(policyCalls).toEqual(['inference-logs@eu-west-1', 'public-datasets@eu-west-1', 'training-data@us-east-1']);
    // Global listings once, not per region.
    expect(account!.calls.filter((c) => c.operation === 's3:ListBuckets')).toHaveLength(2);
    expect(account!.calls.filter((c) => c.operation === 's3control:GetPublicAccessBlock')).toHaveLength(1);
    expect(account!.calls.find((c) => c.operation === 's3control:GetPublicAccessBlock')!.input).toEqual({ AccountId: ACCOUNT });
  });

  it('reads IAM in O(pages): two GAAD pages, no per-principal calls, credential report applied', async () => {
    const { parsed } = await collect();
    const gaad = account!.calls.filter((c) => c.operation === 'iam:GetAccountAuthorizationDetails');
    expect(gaad.map((c) => c.input.Marker)).toEqual([undefined, 'gaad-2']);
    const iamCalls = account!.calls.filter((c) => c.operation.startsWith('iam:')).map((c) => c.operation).sort();
    expect(iamCalls).toEqual([
      'iam:GetAccountAuthorizationDetails',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetAccountSummary',
      'iam:GetCredentialReport',
      'iam:ListAccountAliases',
    ]);
    const iam = parsed.iam!;
    expect(iam.accountSummary).toEqual({ rootMfaEnabled: true, rootAccessKeysPresent: false });
    const alice = iam.users.find((u) => u.name === 'alice')!;
    expect(alice).toMatchObject({
      region: 'global',
      groups: ['data-scientists'],
      consoleAccess: true,
      mfaEnabled: false,
      passwordLastUsed: '2026-05-20T08:00:00.000Z',
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      accessKeys: [
        { id: 'access_key_1', status: 'Active', createDate: '2024-02-01T00:00:00.000Z', lastUsedDate: '2026-05-30T00:00:00.000Z' },
        { id: 'access_key_2', status: 'Inactive', createDate: '2023-01-01T00:00:00.000Z', lastUsedDate: null },
      ],
    });
    // bob is not in the report: unknown, not "no MFA".
    const bob = iam.users.find((u) => u.name === 'bob')!;
    expect(bob.mfaEnabled).toBeUndefined();
    expect(bob.accessKeys).toBeUndefined();
    const role = iam.roles[0]!;
    expect(role.name).toBe('sagemaker-trainer');
    expect(role.path).toBe('/service-role/');
    expect(role.trustPolicy.normalized.statements[0]?.principal).toBeDefined();
    expect(role.inlinePolicies[0]?.policy.normalized.statements[0]?.action).toEqual(['s3:GetObject']);
    expect(role.attachedManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess']);
    expect(role.lastUsedDate).toBe('2026-05-30T00:00:00.000Z');
    const awsPolicy = iam.policies.find((p) => p.awsManaged)!;
    expect(awsPolicy.document?.normalized.statements[0]?.action).toEqual(['sagemaker:*']);
    expect(iam.policies.find((p) => !p.awsManaged)!.name).toBe('data-scientists');
    expect(iam.groups[0]?.attachedManagedPolicies).toEqual([`arn:aws:iam::${ACCOUNT}:policy/data-scientists`]);
  });

  it('leaves user credential fields absent, with a note, when no credential report exists (never generates one)', async () => {
    account = installFakeAccount();
    account.handlers['iam:GetCredentialReport'] = () => {
      throw Object.assign(new Error('Credential report does not exist'), { name: 'ReportNotPresent', $metadata: { httpStatusCode: 410 } });
    };
    const { inventory, stats } = await collectInventory(testOptions());
    expect(inventory.collectionErrors).toEqual([]);
    const alice = inventory.iam!.users!.find((u) => u.name === 'alice')!;
    expect(alice.mfaEnabled).toBeUndefined();
    expect(alice.consoleAccess).toBeUndefined();
    expect(alice.accessKeys).toBeUndefined();
    expect(stats.notes.join('\n')).toMatch(/generate-credential-report/);
  });

  it('reads KMS keys over pages with aliases, rotation for customer keys only and key policies', async () => {
    const { parsed } = await collect();
    const keys = parsed.kms!.keys;
    expect(keys.map((k) => [k.keyManager, k.aliases])).toEqual([
      ['CUSTOMER', ['alias/training-data']],
      ['AWS', ['alias/aws/s3']],
    ]);
    expect(keys[0]).toMatchObject({ region: 'us-east-1', rotationEnabled: true, keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', keyState: 'Enabled' });
    expect(keys[1]!.rotationEnabled).toBeUndefined();
    expect(keys[0]!.policy?.normalized.statements[0]?.action).toEqual(['kms:*']);
    const rotationCalls = account!.calls.filter((c) => c.operation === 'kms:GetKeyRotationStatus');
    expect(rotationCalls).toHaveLength(1);
  });

  it('dedupes shadow trails by ARN and reads status and selectors in the home region', async () => {
    const { parsed, inventory } = await collect();
    expect(inventory.collectionErrors).toEqual([]);
    const trails = parsed.cloudtrail!.trails;
    expect(trails.map((t) => t.name)).toEqual(['eu-data-events', 'org-audit']);
    const org = trails.find((t) => t.name === 'org-audit')!;
    expect(org).toMatchObject({ homeRegion: 'us-east-1', region: 'us-east-1', isMultiRegionTrail: true, isLogging: true, logFileValidationEnabled: true, advancedEventSelectors: null });
    expect(org.eventSelectors).toEqual([{ readWriteType: 'All', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }], excludeManagementEventSources: [] }]);
    const eu = trails.find((t) => t.name === 'eu-data-events')!;
    expect(eu).toMatchObject({ isLogging: false, eventSelectors: null, kmsKeyId: null, cloudWatchLogsLogGroupArn: null });
    expect(eu.advancedEventSelectors?.[0]?.fieldSelectors[0]).toEqual({ field: 'eventCategory', equals: ['Data'] });
    expect(account!.calls.filter((c) => c.operation === 'cloudtrail:GetTrailStatus')).toHaveLength(2);
  });

  it('reads Bedrock logging per region, guardrail filters, custom model keys and agents', async () => {
    const { parsed } = await collect();
    const bedrock = parsed.bedrock!;
    expect(bedrock.invocationLogging).toEqual([
      { region: 'eu-west-1', config: null },
      {
        region: 'us-east-1',
        config: {
          s3Config: { bucketName: 'inference-logs', keyPrefix: 'bedrock/' },
          cloudWatchConfig: { logGroupName: '/bedrock/invocations', roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logging` },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: false,
          embeddingDataDeliveryEnabled: false,
        },
      },
    ]);
    const guardrail = bedrock.guardrails[0]!;
    expect(guardrail.contentPolicy?.filters).toContainEqual({ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' });
    expect(guardrail.sensitiveInformationPolicy?.regexes).toEqual([{ name: 'mrn', pattern: 'MRN-\\d{8}', action: 'ANONYMIZE' }]);
    expect(guardrail.wordPolicy).toEqual({ words: ['confidential'], managedWordLists: ['PROFANITY'] });
    expect(guardrail.topicPolicy).toBeNull();
    expect(bedrock.customModels.map((m) => [m.name, m.kmsKeyArn])).toEqual([
      ['clinical', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      ['unencrypted', null],
    ]);
    // The S3 data each customization job read and wrote, and the role it ran as (GetModelCustomizationJob).
    expect(bedrock.customModels[0]).toMatchObject({
      trainingDataS3Uri: 's3://training-data/bedrock/clinical/train.jsonl',
      validationDataS3Uris: ['s3://training-data/bedrock/clinical/validation.jsonl'],
      outputDataS3Uri: 's3://model-artifacts/bedrock/clinical/',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/bedrock-customization`,
    });
    expect(account!.calls.find((c) => c.operation === 'bedrock:GetModelCustomizationJob')!.input).toEqual({
      jobIdentifier: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-customization-job/titan/job1`,
    });
    expect(bedrock.agents[0]).toMatchObject({
      arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT1`,
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      kmsKeyArn: null,
      guardrail: { id: 'gr1abc', version: '1' },
    });
  });

  it('reads knowledge bases with their data sources, prompts and flows (bedrock-agent)', async () => {
    const { parsed } = await collect();
    const bedrock = parsed.bedrock!;
    const kbArn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1`;
    expect(bedrock.knowledgeBases).toEqual([
      {
        arn: kbArn,
        region: 'us-east-1',
        id: 'KB1',
        name: 'policies',
        status: 'ACTIVE',
        type: 'VECTOR',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/kb-role`,
        embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
        vectorStore: { type: 'OPENSEARCH_SERVERLESS', resourceArn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/abc123` },
        supplementalDataS3Uris: [],
        tags: { 'aigis:data-class': 'confidential', environment: 'production' },
      },
    ]);
    expect(bedrock.dataSources).toEqual([
      {
        arn: `${kbArn}/data-source/DS1`,
        region: 'us-east-1',
        id: 'DS1',
        name: 'handbook',
        knowledgeBaseId: 'KB1',
        knowledgeBaseArn: kbArn,
        status: 'AVAILABLE',
        type: 'S3',
        s3BucketArn: 'arn:aws:s3:::training-data',
        s3InclusionPrefixes: ['handbook/'],
        kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        dataDeletionPolicy: 'DELETE',
      },
      // A web crawler source without a key of its own: an AWS owned key (null), no bucket (null).
      { arn: `${kbArn}/data-source/DS2`, region: 'us-east-1', id: 'DS2', name: 'intranet', knowledgeBaseId: 'KB1', knowledgeBaseArn: kbArn, status: 'AVAILABLE', type: 'WEB', s3BucketArn: null, kmsKeyArn: null },
    ]);
    expect(account!.calls.find((c) => c.operation === 'bedrock-agent:GetDataSource')!.input).toEqual({ knowledgeBaseId: 'KB1', dataSourceId: 'DS1' });
    expect(bedrock.prompts).toEqual([
      { arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1`, region: 'us-east-1', id: 'PROMPT1', name: 'answer', version: 'DRAFT', kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, tags: { team: 'support' } },
    ]);
    expect(bedrock.flows).toEqual([
      { arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW1`, region: 'us-east-1', id: 'FLOW1', name: 'router', status: 'Prepared', roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/flow-role`, kmsKeyArn: null, tags: {} },
    ]);
    expect(account!.calls.filter((c) => c.operation === 'bedrock-agent:ListTagsForResource').map((c) => c.input.resourceArn).sort()).toEqual([
      `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW1`,
      `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1`,
      `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1`,
    ]);
  });

  it('reads OpenSearch Serverless collections with their encryption key (`auto`: an AWS owned key)', async () => {
    const { parsed } = await collect();
    expect(parsed.opensearchServerless!.collections).toEqual([
      { arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/abc123`, region: 'us-east-1', id: 'abc123', name: 'kb-vectors', type: 'VECTORSEARCH', status: 'ACTIVE', kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
      { arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/def456`, region: 'us-east-1', id: 'def456', name: 'logs', type: 'TIMESERIES', status: 'ACTIVE', kmsKeyArn: null },
    ]);
    expect(account!.calls.filter((c) => c.operation === 'opensearchserverless:BatchGetCollection').map((c) => c.input)).toEqual([{ ids: ['abc123', 'def456'] }]);
  });

  it('keeps a knowledge base whose data sources cannot be listed, with the error on its ARN', async () => {
    account = installFakeAccount();
    account.handlers['bedrock-agent:ListDataSources'] = () => {
      throw awsError('AccessDeniedException', 403, 'not authorized to perform bedrock:ListDataSources');
    };
    const { inventory } = await collectInventory(testOptions({ services: ['bedrock'] }));
    expect(inventory.bedrock!.knowledgeBases).toHaveLength(1);
    expect(inventory.bedrock!.dataSources).toEqual([]);
    expect(inventory.collectionErrors).toContainEqual(
      expect.objectContaining({ service: 'bedrock-agent', region: 'us-east-1', operation: 'ListDataSources', resource: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1`, errorCode: 'AccessDeniedException' }),
    );
  });

  it('reads the customization role only for a job of this account and Region; a model without a job has none', async () => {
    account = installFakeAccount();
    const getCustomModel = account.handlers['bedrock:GetCustomModel']!;
    account.handlers['bedrock:GetCustomModel'] = (input, region) => {
      const model = getCustomModel(input, region) as Record<string, unknown>;
      // "clinical" was copied from another Region; "unencrypted" was imported (no job, no training data).
      if (String(input.modelIdentifier).endsWith('clinical')) return { ...model, jobArn: `arn:aws:bedrock:us-west-2:${ACCOUNT}:model-customization-job/titan/job1` };
      const { jobArn: _job, trainingDataConfig: _t, validationDataConfig: _v, outputDataConfig: _o, ...imported } = model;
      return { ...imported, customizationType: 'IMPORTED' };
    };
    const { inventory } = await collectInventory(testOptions({ services: ['bedrock'] }));
    expect(inventory.collectionErrors).toEqual([]);
    expect(account.calls.some((c) => c.operation === 'bedrock:GetModelCustomizationJob')).toBe(false);
    const byName = Object.fromEntries(inventory.bedrock!.customModels!.map((m) => [m.name, m]));
    expect(byName.clinical!.roleArn).toBeUndefined();
    expect(byName.clinical!.trainingDataS3Uri).toBe('s3://training-data/bedrock/clinical/train.jsonl');
    expect(byName.unencrypted).toMatchObject({ roleArn: null, trainingDataS3Uri: null, validationDataS3Uris: [], outputDataS3Uri: null });
  });

  it('reads SageMaker resources, with the --since window on jobs and paginated model packages', async () => {
    const { parsed } = await collect({ sinceDays: 30 });
    const sm = parsed.sagemaker!;
    expect(sm.notebookInstances[0]).toMatchObject({ directInternetAccess: 'Enabled', subnetId: null, kmsKeyId: null, rootAccess: 'Enabled' });
    expect(sm.trainingJobs[0]).toMatchObject({
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: false,
      vpcConfig: { subnets: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] },
      outputKmsKeyId: 'alias/training-data',
      // S3 channels only (the EFS channel has no S3 URI), in channel order.
      inputS3Uris: ['s3://training-data/fine-tune/train/', 's3://training-data/fine-tune/validation/'],
      outputS3Path: 's3://training-data/out',
      checkpointS3Uri: 's3://training-data/checkpoints/fine-tune-1',
      trainingImage: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fine-tune:3`,
    });
    expect(sm.processingJobs[0]).toMatchObject({
      enableNetworkIsolation: false,
      vpcConfig: null,
      volumeKmsKeyId: null,
      inputS3Uris: ['s3://public-datasets/raw/'],
      outputS3Uris: ['s3://training-data/clean/'],
      imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    });
    expect(sm.models[0]).toMatchObject({
      primaryContainerImage: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/ner:1`,
      containerImages: [`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/ner:1`],
      vpcConfig: null,
      modelDataUrls: ['s3://training-data/out/fine-tune-1/output/model.tar.gz'],
    });
    expect(sm.models[0]!.modelPackageName).toBeNull();
    expect(sm.models[1]).toMatchObject({ name: 'clinical-ner-v2', modelPackageName: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/ner/1`, modelDataUrls: [] });
    expect(sm.models[1]!.primaryContainerImage).toBeUndefined();
    expect(sm.models[1]!.containerImages).toEqual([]);
    expect(sm.endpointConfigs[0]).toMatchObject({ kmsKeyId: null, dataCaptureEnabled: true, productionVariants: [{ variantName: 'primary', modelName: 'clinical-ner', instanceType: 'ml.m5.large' }] });
    expect(sm.domains[0]).toMatchObject({ appNetworkAccessType: 'VpcOnly', authMode: 'IAM' });
    expect(sm.modelPackageGroups?.[0]?.packages?.map((p) => p.approvalStatus)).toEqual(['Approved', 'PendingManualApproval']);
    expect(sm.endpointConfigs[0]!.productionVariants![0]!.initialInstanceCount).toBeNull();
    expect(sm.endpoints).toEqual([
      { arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ner-dev`, region: 'us-east-1', name: 'ner-dev', status: 'InService', endpointConfigName: 'ner-config', deploymentConfig: null, tags: {} },
      {
        arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ner-prod`,
        region: 'us-east-1',
        name: 'ner-prod',
        status: 'InService',
        endpointConfigName: 'ner-config-v2',
        // Both pages of tags; alarms sorted.
        tags: { environment: 'prod', team: 'nlp' },
        deploymentConfig: { updatePolicy: 'BlueGreen', trafficRouting: 'CANARY', rollbackAlarms: ['ner-prod-5xx', 'ner-prod-latency'] },
      },
    ]);
    const role = `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`;
    const cmk = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(sm.monitoringSchedules).toEqual([
      {
        arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:monitoring-schedule/ner-prod-dq`,
        region: 'us-east-1',
        name: 'ner-prod-dq',
        status: 'Scheduled',
        monitoringType: 'DataQuality',
        endpointName: 'ner-prod',
        monitoringJobDefinitionName: null,
        jobDefinition: {
          enableNetworkIsolation: true,
          enableInterContainerTrafficEncryption: false,
          vpcConfig: null,
          volumeKmsKeyId: cmk,
          outputKmsKeyId: null,
          roleArn: role,
        },
      },
    ]);
    // Both training job definitions of the tuning job; what the second leaves out is off or not set.
    expect(sm.hyperParameterTuningJobs).toEqual([
      {
        arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/ner-tune`,
        region: 'us-east-1',
        name: 'ner-tune',
        status: 'Completed',
        creationTime: '2026-05-10T00:00:00.000Z',
        trainingJobDefinitions: [
          {
            definitionName: 'xgb',
            enableNetworkIsolation: true,
            enableInterContainerTrafficEncryption: true,
            vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
            volumeKmsKeyId: cmk,
            outputKmsKeyId: cmk,
            roleArn: role,
          },
          {
            definitionName: 'linear',
            enableNetworkIsolation: false,
            enableInterContainerTrafficEncryption: false,
            vpcConfig: null,
            volumeKmsKeyId: null,
            outputKmsKeyId: null,
            roleArn: role,
          },
        ],
      },
    ]);
    expect(sm.transformJobs).toEqual([
      {
        arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:transform-job/ner-batch`,
        region: 'us-east-1',
        name: 'ner-batch',
        status: 'Completed',
        creationTime: '2026-05-11T00:00:00.000Z',
        modelName: 'clinical-ner',
        volumeKmsKeyId: null,
        outputKmsKeyId: cmk,
      },
    ]);
    // The four kinds in one list (sorted by ARN); a definition whose Describe failed keeps what the listing gave.
    const definitions = sm.monitoringJobDefinitions!;
    expect(definitions.map((d) => [d.monitoringType, d.name])).toEqual([
      ['DataQuality', 'ner-dq'],
      ['ModelBias', 'ner-bias-1'],
      ['ModelBias', 'ner-bias-2'],
      ['ModelExplainability', 'ner-explain'],
      ['ModelQuality', 'ner-mq'],
    ]);
    expect(definitions[0]).toMatchObject({
      endpointName: 'ner-prod',
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: true,
      vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
      volumeKmsKeyId: cmk,
      outputKmsKeyId: cmk,
      roleArn: role,
    });
    expect(definitions[1]).toMatchObject({ enableNetworkIsolation: false, enableInterContainerTrafficEncryption: false, vpcConfig: null });
    expect(definitions[2]!.name).toBe('ner-bias-2'); // from the second page
    expect(definitions[3]).toMatchObject({ enableNetworkIsolation: true, vpcConfig: null, outputKmsKeyId: cmk });
    expect(definitions[4]).toMatchObject({ volumeKmsKeyId: null, outputKmsKeyId: null, vpcConfig: null, enableNetworkIsolation: false });
    for (const op of ['ListHyperParameterTuningJobs', 'ListTransformJobs']) {
      const window = account!.calls.find((c) => c.operation === `sagemaker:${op}`)!.input.CreationTimeAfter as Date;
      expect(window.toISOString()).toBe('2026-05-02T00:00:00.000Z');
    }
    expect(sm.modelCards).toEqual([
      {
        arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-card/ner-card`,
        region: 'us-east-1',
        name: 'ner-card',
        status: 'Approved',
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        modelId: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/clinical-ner-v2`,
        modelName: 'clinical-ner-v2',
      },
    ]);
    const since = account!.calls.find((c) => c.operation === 'sagemaker:ListTrainingJobs')!.input.CreationTimeAfter as Date;
    expect(since.toISOString()).toBe('2026-05-02T00:00:00.000Z');
  });

  it('keeps a monitoring job definition whose Describe failed with what the listing gave, and records the failure', async () => {
    account = installFakeAccount();
    const describe = account.handlers['sagemaker:DescribeModelBiasJobDefinition']!;
    account.handlers['sagemaker:DescribeModelBiasJobDefinition'] = (input, region) => {
      if (input.JobDefinitionName === 'ner-bias-2') throw awsError('ThrottlingException', 400, 'Rate exceeded');
      return describe(input, region);
    };
    const result = await collectInventory(testOptions());
    const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-bias-job-definition/ner-bias-2`;
    const definition = result.inventory.sagemaker!.monitoringJobDefinitions!.find((d) => d.arn === arn);
    expect(definition).toEqual({ arn, region: 'us-east-1', name: 'ner-bias-2', monitoringType: 'ModelBias', creationTime: expect.any(String), endpointName: 'ner-prod' });
    expect(result.inventory.collectionErrors).toContainEqual(
      expect.objectContaining({ service: 'sagemaker', operation: 'DescribeModelBiasJobDefinition', resource: arn, errorCode: 'ThrottlingException' }),
    );
  });

  it('reads Access Analyzer findings, VPC endpoints and detective controls, treating "not enabled" as disabled', async () => {
    const { parsed } = await collect();
    const analyzers = parsed.accessAnalyzer!.analyzers;
    expect(analyzers.find((a) => a.region === 'eu-west-1')!.activeFindings).toEqual([
      { id: 'f-1', resource: 'arn:aws:s3:::public-datasets', resourceType: 'AWS::S3::Bucket', isPublic: true },
    ]);
    expect(analyzers.find((a) => a.name === 'unused')!.activeFindings).toBeUndefined();
    expect(analyzers.find((a) => a.region === 'us-east-1' && a.name === 'account-analyzer')!.activeFindings).toEqual([
      { id: 'f-2', resource: `arn:aws:iam::${ACCOUNT}:role/service-role/sagemaker-trainer`, resourceType: 'AWS::IAM::Role', isPublic: false },
    ]);
    expect(parsed.ec2!.vpcEndpoints[0]).toMatchObject({ arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc-endpoint/vpce-eu-west-1`, type: 'Gateway', tags: { team: 'ml' } });
    // Subnets over two pages; public from the explicit association, else the VPC's main table.
    expect(parsed.ec2!.subnets).toEqual([
      { arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-3`, region: 'eu-west-1', id: 'subnet-3', vpcId: 'vpc-2', mapPublicIpOnLaunch: false, public: false, routeTableId: 'rtb-eu' },
      {
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`,
        region: 'us-east-1',
        name: 'ml-private-a',
        tags: { Name: 'ml-private-a' },
        id: 'subnet-1',
        vpcId: 'vpc-1',
        mapPublicIpOnLaunch: false,
        // The NAT route does not make it public, nor does a blackhole route to a deleted gateway.
        public: false,
        routeTableId: 'rtb-private',
      },
      {
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-2`,
        region: 'us-east-1',
        id: 'subnet-2',
        vpcId: 'vpc-1',
        mapPublicIpOnLaunch: true,
        public: true,
        routeTableId: 'rtb-main',
        internetRoute: { destination: '0.0.0.0/0', gatewayId: 'igw-0abc' },
      },
    ]);
    expect(parsed.detective).toEqual({
      macie: [
        { region: 'eu-west-1', status: 'DISABLED' },
        {
          region: 'us-east-1',
          status: 'ENABLED',
          // Excluded buckets sorted; jobs from both pages, sorted by id, bucket criteria only flagged.
          automatedDiscovery: { status: 'ENABLED', excludedBuckets: ['inference-logs', 'public-datasets'] },
          classificationJobs: [
            { id: 'job-a', name: 'training-data-weekly', jobType: 'SCHEDULED', jobStatus: 'IDLE', bucketDefinitions: [{ accountId: ACCOUNT, buckets: ['feature-store', 'training-data'] }] },
            { id: 'job-b', name: 'tagged-once', jobType: 'ONE_TIME', jobStatus: 'COMPLETE', bucketCriteria: true },
          ],
        },
      ],
      // Only this account is asked for; a resource type left out of the answer stays out.
      inspector: [
        { region: 'eu-west-1', ecr: 'DISABLED', ec2: 'DISABLED' },
        { region: 'us-east-1', ecr: 'ENABLED', ec2: 'ENABLED', lambda: 'DISABLED' },
      ],
      guardDuty: [
        // eu-west-1 answers only the legacy DataSources: S3 protection is read from S3Logs.
        { region: 'eu-west-1', detectors: [{ id: 'det1', status: 'DISABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }] }] },
        {
          region: 'us-east-1',
          detectors: [
            {
              id: 'det1',
              status: 'ENABLED',
              features: [
                { name: 'RUNTIME_MONITORING', status: 'DISABLED', additionalConfiguration: [{ name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'DISABLED' }] },
                { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
              ],
            },
          ],
        },
      ],
      securityHub: [
        { region: 'eu-west-1', enabled: false },
        {
          region: 'us-east-1',
          enabled: true,
          hubArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`,
          standards: [{ arn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0', status: 'READY' }],
        },
      ],
      config: [
        { region: 'eu-west-1', recorders: [{ name: 'default', recording: false, allSupported: true }] },
        { region: 'us-east-1', recorders: [{ name: 'default', recording: true, allSupported: true }] },
      ],
    });
  });

  it('reads CloudWatch Logs log groups over pages, with ARNs without the :* suffix, key, retention and data protection', async () => {
    const { parsed } = await collect();
    expect(parsed.logs!.logGroups).toEqual([
      {
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/bedrock/invocations`,
        region: 'us-east-1',
        name: '/bedrock/invocations',
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        retentionInDays: 365,
        dataProtectionStatus: 'ACTIVATED',
      },
      {
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:org-audit-trail`,
        region: 'us-east-1',
        name: 'org-audit-trail',
        kmsKeyId: null,
        retentionInDays: null,
        dataProtectionStatus: null,
      },
    ]);
    const calls = account!.calls.filter((c) => c.operation === 'logs:DescribeLogGroups');
    expect(calls.map((c) => [c.region, c.input.nextToken ?? null]).sort()).toEqual([
      ['eu-west-1', null],
      ['us-east-1', null],
      ['us-east-1', 'lg-2'],
    ]);
    // The AI asset graph names the invocation log group by exactly this ARN.
    expect(parsed.bedrock!.invocationLogging.find((l) => l.region === 'us-east-1')?.config?.cloudWatchConfig?.logGroupName).toBe('/bedrock/invocations');
  });

  it('reads the metric filters of each region over pages (one listing per region) and the metric alarms with their metric, metric query and actions', async () => {
    const { parsed } = await collect();
    expect(parsed.logs!.metricFilters!.map((f) => [f.arn, f.logGroupName, f.metricTransformations])).toEqual([
      [
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:org-audit-trail:metric-filter:iam-policy-changes`,
        'org-audit-trail',
        [{ metricName: 'IAMPolicyChanges', metricNamespace: 'CloudTrailMetrics' }],
      ],
      [
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:org-audit-trail:metric-filter:root-usage`,
        'org-audit-trail',
        [{ metricName: 'RootUsage', metricNamespace: 'CloudTrailMetrics', dimensions: ['Agent', 'Source'] }],
      ],
    ]);
    expect(parsed.logs!.metricFilters![0]!.filterPattern).toMatch(/^\{ \(\$\.eventSource = iam\.amazonaws\.com\)/);
    const filterCalls = account!.calls.filter((c) => c.operation === 'logs:DescribeMetricFilters');
    expect(filterCalls.map((c) => [c.region, c.input.nextToken ?? null, c.input.logGroupName ?? null]).sort()).toEqual([
      ['eu-west-1', null, null],
      ['us-east-1', null, null],
      ['us-east-1', 'mf-2', null],
    ]);
    expect(parsed.cloudwatch!.alarms).toEqual([
      {
        arn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:eu-bedrock-throttles`,
        region: 'eu-west-1',
        name: 'eu-bedrock-throttles',
        namespace: 'AWS/Bedrock',
        metricName: 'InvocationThrottles',
        dimensions: [],
        actionsEnabled: false,
        alarmActions: [`arn:aws:sns:eu-west-1:${ACCOUNT}:ops`],
        stateValue: 'OK',
      },
      {
        arn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:bedrock-invocations-anomaly`,
        region: 'us-east-1',
        name: 'bedrock-invocations-anomaly',
        dimensions: [],
        metrics: [
          { id: 'm1', namespace: 'AWS/Bedrock', metricName: 'Invocations', dimensions: [{ name: 'ModelId', value: 'anthropic.claude-3-haiku-20240307-v1:0' }], returnData: true },
          { id: 'ad1', dimensions: [], expression: 'ANOMALY_DETECTION_BAND(m1, 2)', returnData: true },
        ],
        thresholdMetricId: 'ad1',
        // Not in the answer: the API default (true).
        actionsEnabled: true,
        alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`],
        stateValue: 'INSUFFICIENT_DATA',
      },
      {
        arn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:iam-policy-changes`,
        region: 'us-east-1',
        name: 'iam-policy-changes',
        namespace: 'CloudTrailMetrics',
        metricName: 'IAMPolicyChanges',
        dimensions: [],
        actionsEnabled: true,
        alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`],
        stateValue: 'OK',
      },
    ]);
  });

  it('reads REST APIs with their methods, stages, usage plans and the regional web ACLs, over pages', async () => {
    const { parsed } = await collect();
    const api = (id: string) => `arn:aws:apigateway:us-east-1::/restapis/${id}`;
    expect(parsed.apiGateway!.restApis).toEqual([
      { arn: api('lam1'), region: 'us-east-1', id: 'lam1', name: 'items-api', endpointType: 'EDGE', methods: [{ resourcePath: '/items', httpMethod: 'GET', apiKeyRequired: false, integrationType: null }] },
      {
        arn: api('sm1'),
        region: 'us-east-1',
        id: 'sm1',
        name: 'churn-api',
        tags: { team: 'ml' },
        endpointType: 'REGIONAL',
        methods: [
          { resourcePath: '/invoke', httpMethod: 'OPTIONS', apiKeyRequired: false, integrationType: 'MOCK' },
          { resourcePath: '/invoke', httpMethod: 'POST', apiKeyRequired: true, integrationType: 'AWS', integrationUri: 'arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/churn/invocations' },
        ],
      },
    ]);
    expect(parsed.apiGateway!.stages).toEqual([
      { arn: `${api('sm1')}/stages/dev`, region: 'us-east-1', name: 'dev', restApiId: 'sm1', webAclArn: null, methodThrottles: [] },
      {
        arn: `${api('sm1')}/stages/prod`,
        region: 'us-east-1',
        name: 'prod',
        restApiId: 'sm1',
        tags: { env: 'prod' },
        webAclArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/ai-acl/acl-1`,
        // `*/*` is the stage default; `~1invoke/POST` the method /invoke POST.
        methodThrottles: [
          { resourcePath: '*', httpMethod: '*', throttle: { rateLimit: 50, burstLimit: 100 } },
          { resourcePath: '/invoke', httpMethod: 'POST', throttle: { rateLimit: 10, burstLimit: 20 } },
        ],
      },
    ]);
    expect(parsed.apiGateway!.usagePlans).toEqual([
      {
        arn: 'arn:aws:apigateway:us-east-1::/usageplans/up1',
        region: 'us-east-1',
        id: 'up1',
        name: 'partners',
        throttle: { rateLimit: 20, burstLimit: 40 },
        apiStages: [{ restApiId: 'sm1', stage: 'prod', methodThrottles: [{ resourcePath: '/invoke', httpMethod: 'POST', throttle: { rateLimit: 5, burstLimit: 10 } }] }],
      },
    ]);
    expect(parsed.wafv2!.webAcls).toEqual([
      {
        arn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/ai-acl/acl-1`,
        region: 'us-east-1',
        name: 'ai-acl',
        id: 'acl-1',
        scope: 'REGIONAL',
        defaultAction: 'Allow',
        rules: [
          { name: 'bots', priority: 0, action: 'None', managedRuleGroup: 'AWS/AWSManagedRulesBotControlRuleSet' },
          { name: 'rate-limit', priority: 1, action: 'Block', rateLimit: 1000, rateWindowSec: 60 },
        ],
      },
      { arn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/other-acl/acl-2`, region: 'us-east-1', name: 'other-acl', id: 'acl-2', scope: 'REGIONAL', defaultAction: 'Allow', rules: [] },
    ]);
    expect(account!.calls.filter((c) => c.operation === 'wafv2:ListWebACLs').every((c) => c.input.Scope === 'REGIONAL')).toBe(true);
    expect(account!.calls.filter((c) => c.operation === 'apigateway:GetResources').every((c) => c.input.embed?.[0] === 'methods')).toBe(true);
  });

  it('keeps only ACTIVE Access Analyzer findings, even from an endpoint that ignores the status filter', async () => {
    account = installFakeAccount();
    account.handlers['accessanalyzer:ListFindings'] = () => ({
      findings: ['ACTIVE', 'ARCHIVED', 'RESOLVED'].map((status, i) => ({
        id: `f-${status.toLowerCase()}`,
        resource: `arn:aws:s3:::bucket-${i}`,
        resourceType: 'AWS::S3::Bucket',
        isPublic: true,
        status,
        condition: {},
        createdAt: new Date(),
        analyzedAt: new Date(),
        updatedAt: new Date(),
        resourceOwnerAccount: ACCOUNT,
      })),
    });
    const { inventory } = await collectInventory(testOptions({ services: ['accessanalyzer'] }));
    const parsed = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live');
    for (const analyzer of parsed.accessAnalyzer!.analyzers.filter((a) => a.type === 'ACCOUNT')) {
      expect(analyzer.activeFindings!.map((f) => f.id)).toEqual(['f-active']);
    }
  });

  it("resolves --regions all to the account's enabled regions (skipping not-opted-in ones)", async () => {
    const { parsed } = await collect({ regions: 'all' });
    expect(parsed.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(account!.calls.some((c) => c.region === 'ap-east-1')).toBe(false);
  });

  it('limits collection to --services and never exceeds the per-service concurrency', async () => {
    account = installFakeAccount();
    let inFlight = 0;
    let peak = 0;
    const original = account.handlers['s3:GetBucketTagging']!;
    for (const key of Object.keys(account.handlers).filter((k) => k.startsWith('s3:'))) {
      const handler = account.handlers[key]!;
      account.handlers[key] = async (input, region) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return handler(input, region);
      };
    }
    void original;
    const { inventory } = await collectInventory(testOptions({ services: ['s3'], serviceConcurrency: { s3: 2 } }));
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBe(2);
    expect(inventory.s3!.buckets).toHaveLength(3);
    expect(inventory.iam).toBeUndefined();
    expect(inventory.kms).toBeUndefined();
  });

  it('emits collectedAt only with timestamp: true', async () => {
    const { inventory } = await collect({ timestamp: true });
    expect(inventory.collectedAt).toBe('2026-06-01T00:00:00.000Z');
  });
});
