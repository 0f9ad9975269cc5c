/**
 * Fault injection: every read-only operation fails in turn with AccessDenied, throttling past
 * retries, a 500 and a timeout. Each time the scan must finish, the inventory must validate, the
 * error must be recorded (section-level for listings, with the resource ARN otherwise) and the
 * affected field must be absent (never a default that a rule could pass on).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectInventory, type CollectorName } from '../../src/collectors/index.js';
import type { ServiceKey } from '../../src/collectors/operations.js';
import { UsageError } from '../../src/engine/errors.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { InventoryInput } from '../../src/inventory/schema.js';
import { allOperations, FAULTS, installFakeAccount, testOptions, type FakeAccount } from './fake-account.js';

type InventoryLike = InventoryInput;

let account: FakeAccount | undefined;
afterEach(() => account?.restore());

const COLLECTOR_OF: Record<ServiceKey, CollectorName | undefined> = {
  sts: undefined,
  organizations: undefined,
  s3: 's3',
  s3control: 's3',
  iam: 'iam',
  kms: 'kms',
  cloudtrail: 'cloudtrail',
  bedrock: 'bedrock',
  'bedrock-agent': 'bedrock',
  opensearchserverless: 'opensearchserverless',
  sagemaker: 'sagemaker',
  accessanalyzer: 'accessanalyzer',
  ec2: 'ec2',
  logs: 'logs',
  cloudwatch: 'cloudwatch',
  macie2: 'detective',
  inspector2: 'detective',
  guardduty: 'detective',
  securityhub: 'detective',
  config: 'detective',
  apigateway: 'apigateway',
  wafv2: 'wafv2',
};

const bucket = (inv: InventoryLike, name: string) => inv.s3?.buckets.find((b) => b.name === name);
const allBuckets = (inv: InventoryLike) => inv.s3?.buckets ?? [];
const sm = (inv: InventoryLike) => inv.sagemaker;

/**
 * For each operation: is the failure section-level (no resource), and which values must be absent.
 * `absent` returns the values that must all be undefined; `check` for other expectations.
 */
const EXPECTATIONS: Record<string, { sectionLevel: boolean; absent?: (inv: InventoryLike) => unknown[]; check?: (inv: InventoryLike) => void }> = {
  's3:ListBuckets': { sectionLevel: true, absent: (inv) => [inv.s3] },
  's3:GetBucketLocation': { sectionLevel: false, check: (inv) => expect(bucket(inv, 'training-data')!.region).toBe('unknown') },
  's3:GetPublicAccessBlock': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.publicAccessBlock) },
  's3:GetBucketEncryption': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.encryption) },
  's3:GetBucketPolicy': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.policy) },
  's3:GetBucketPolicyStatus': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.policyStatus) },
  's3:GetBucketVersioning': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.versioning) },
  's3:GetBucketLogging': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.logging) },
  's3:GetObjectLockConfiguration': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.objectLock) },
  's3:GetBucketOwnershipControls': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.ownership) },
  's3:GetBucketTagging': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.tags) },
  's3:GetBucketLifecycleConfiguration': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.lifecycle) },
  's3:GetBucketReplication': { sectionLevel: false, absent: (inv) => allBuckets(inv).map((b) => b.replication) },
  's3control:GetPublicAccessBlock': { sectionLevel: false, absent: (inv) => [inv.s3!.accountPublicAccessBlock] },
  'iam:GetAccountAuthorizationDetails': { sectionLevel: true, absent: (inv) => [inv.iam] },
  'iam:GetAccountSummary': { sectionLevel: true, absent: (inv) => [inv.iam!.accountSummary] },
  'iam:GetCredentialReport': {
    sectionLevel: true,
    absent: (inv) => inv.iam!.users!.flatMap((u) => [u.mfaEnabled, u.consoleAccess, u.accessKeys, u.passwordLastUsed]),
  },
  'iam:ListAccountAliases': { sectionLevel: true, absent: (inv) => [inv.account.alias] },
  'kms:ListKeys': { sectionLevel: true, absent: (inv) => [inv.kms] },
  'kms:ListAliases': { sectionLevel: true, check: (inv) => expect(inv.kms!.keys.flatMap((k) => k.aliases ?? [])).toEqual([]) },
  'kms:DescribeKey': { sectionLevel: false, check: (inv) => expect(inv.kms!.keys).toEqual([]) },
  'kms:GetKeyRotationStatus': { sectionLevel: false, absent: (inv) => inv.kms!.keys.map((k) => k.rotationEnabled) },
  'kms:GetKeyPolicy': { sectionLevel: false, absent: (inv) => inv.kms!.keys.map((k) => k.policy) },
  'cloudtrail:DescribeTrails': { sectionLevel: true, absent: (inv) => [inv.cloudtrail] },
  'cloudtrail:GetTrailStatus': { sectionLevel: false, absent: (inv) => inv.cloudtrail!.trails.map((t) => t.isLogging) },
  'cloudtrail:GetEventSelectors': {
    sectionLevel: false,
    absent: (inv) => inv.cloudtrail!.trails.flatMap((t) => [t.eventSelectors, t.advancedEventSelectors]),
  },
  'bedrock:GetModelInvocationLoggingConfiguration': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.invocationLogging).toEqual([]) },
  'bedrock:ListGuardrails': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.guardrails).toEqual([]) },
  'bedrock:GetGuardrail': {
    sectionLevel: false,
    absent: (inv) => inv.bedrock!.guardrails!.flatMap((g) => [g.contentPolicy, g.sensitiveInformationPolicy, g.kmsKeyArn]),
  },
  'bedrock:ListCustomModels': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.customModels).toEqual([]) },
  'bedrock:GetCustomModel': {
    sectionLevel: false,
    absent: (inv) => inv.bedrock!.customModels!.flatMap((m) => [m.kmsKeyArn, m.trainingDataS3Uri, m.validationDataS3Uris, m.outputDataS3Uri, m.roleArn]),
  },
  'bedrock:GetModelCustomizationJob': { sectionLevel: false, absent: (inv) => inv.bedrock!.customModels!.map((m) => m.roleArn) },
  'bedrock-agent:ListAgents': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.agents).toEqual([]) },
  'bedrock-agent:GetAgent': { sectionLevel: false, absent: (inv) => inv.bedrock!.agents!.flatMap((a) => [a.guardrail, a.kmsKeyArn, a.foundationModel]) },
  // A listing that fails in every Region leaves its list absent (not collected), not empty.
  'bedrock-agent:ListKnowledgeBases': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.knowledgeBases).toBeUndefined() },
  'bedrock-agent:GetKnowledgeBase': {
    sectionLevel: false,
    absent: (inv) => inv.bedrock!.knowledgeBases!.flatMap((k) => [k.vectorStore, k.roleArn, k.embeddingModelArn, k.type]),
  },
  'bedrock-agent:ListDataSources': { sectionLevel: false, check: (inv) => expect(inv.bedrock!.dataSources).toEqual([]) },
  'bedrock-agent:GetDataSource': { sectionLevel: false, absent: (inv) => inv.bedrock!.dataSources!.flatMap((d) => [d.kmsKeyArn, d.s3BucketArn, d.type]) },
  'bedrock-agent:ListPrompts': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.prompts).toBeUndefined() },
  'bedrock-agent:GetPrompt': { sectionLevel: false, absent: (inv) => inv.bedrock!.prompts!.map((p) => p.kmsKeyArn) },
  'bedrock-agent:ListFlows': { sectionLevel: true, check: (inv) => expect(inv.bedrock!.flows).toBeUndefined() },
  'bedrock-agent:ListTagsForResource': {
    sectionLevel: false,
    absent: (inv) => [...inv.bedrock!.knowledgeBases!, ...inv.bedrock!.prompts!, ...inv.bedrock!.flows!].map((r) => r.tags),
  },
  'opensearchserverless:ListCollections': { sectionLevel: true, absent: (inv) => [inv.opensearchServerless] },
  'opensearchserverless:BatchGetCollection': { sectionLevel: true, absent: (inv) => inv.opensearchServerless!.collections.map((c) => c.kmsKeyArn) },
  'bedrock-agent:GetFlow': { sectionLevel: false, absent: (inv) => inv.bedrock!.flows!.flatMap((f) => [f.kmsKeyArn, f.roleArn]) },
  'sagemaker:ListNotebookInstances': { sectionLevel: true, check: (inv) => expect(sm(inv)!.notebookInstances).toEqual([]) },
  'sagemaker:DescribeNotebookInstance': {
    sectionLevel: false,
    absent: (inv) => sm(inv)!.notebookInstances!.flatMap((n) => [n.directInternetAccess, n.kmsKeyId, n.subnetId, n.rootAccess]),
  },
  'sagemaker:ListTrainingJobs': { sectionLevel: true, check: (inv) => expect(sm(inv)!.trainingJobs).toEqual([]) },
  'sagemaker:DescribeTrainingJob': {
    sectionLevel: false,
    absent: (inv) =>
      sm(inv)!.trainingJobs!.flatMap((j) => [j.enableNetworkIsolation, j.vpcConfig, j.volumeKmsKeyId, j.outputKmsKeyId, j.inputS3Uris, j.outputS3Path, j.checkpointS3Uri, j.trainingImage]),
  },
  'sagemaker:ListProcessingJobs': { sectionLevel: true, check: (inv) => expect(sm(inv)!.processingJobs).toEqual([]) },
  'sagemaker:DescribeProcessingJob': {
    sectionLevel: false,
    absent: (inv) => sm(inv)!.processingJobs!.flatMap((j) => [j.enableNetworkIsolation, j.vpcConfig, j.volumeKmsKeyId, j.inputS3Uris, j.outputS3Uris, j.imageUri]),
  },
  'sagemaker:ListModels': { sectionLevel: true, check: (inv) => expect(sm(inv)!.models).toEqual([]) },
  'sagemaker:DescribeModel': { sectionLevel: false, absent: (inv) => sm(inv)!.models!.flatMap((m) => [m.enableNetworkIsolation, m.vpcConfig, m.modelDataUrls, m.modelPackageName, m.containerImages]) },
  'sagemaker:ListEndpointConfigs': { sectionLevel: true, check: (inv) => expect(sm(inv)!.endpointConfigs).toEqual([]) },
  'sagemaker:DescribeEndpointConfig': { sectionLevel: false, absent: (inv) => sm(inv)!.endpointConfigs!.flatMap((e) => [e.kmsKeyId, e.dataCaptureEnabled]) },
  'sagemaker:ListDomains': { sectionLevel: true, check: (inv) => expect(sm(inv)!.domains).toEqual([]) },
  'sagemaker:DescribeDomain': { sectionLevel: false, absent: (inv) => sm(inv)!.domains!.flatMap((d) => [d.appNetworkAccessType, d.kmsKeyId]) },
  'sagemaker:ListModelPackageGroups': { sectionLevel: true, absent: (inv) => [sm(inv)!.modelPackageGroups] },
  'sagemaker:ListModelPackages': { sectionLevel: false, absent: (inv) => sm(inv)!.modelPackageGroups!.map((g) => g.packages) },
  'sagemaker:ListEndpoints': { sectionLevel: true, absent: (inv) => [sm(inv)!.endpoints] },
  'sagemaker:DescribeEndpoint': { sectionLevel: false, absent: (inv) => sm(inv)!.endpoints!.flatMap((e) => [e.endpointConfigName, e.deploymentConfig]) },
  'sagemaker:ListTags': { sectionLevel: false, absent: (inv) => sm(inv)!.endpoints!.map((e) => e.tags) },
  'sagemaker:ListMonitoringSchedules': { sectionLevel: true, absent: (inv) => [sm(inv)!.monitoringSchedules] },
  'sagemaker:DescribeMonitoringSchedule': {
    sectionLevel: false,
    absent: (inv) => sm(inv)!.monitoringSchedules!.flatMap((s) => [s.monitoringType, s.jobDefinition, s.monitoringJobDefinitionName]),
  },
  'sagemaker:ListHyperParameterTuningJobs': { sectionLevel: true, absent: (inv) => [sm(inv)!.hyperParameterTuningJobs] },
  'sagemaker:DescribeHyperParameterTuningJob': { sectionLevel: false, absent: (inv) => sm(inv)!.hyperParameterTuningJobs!.map((j) => j.trainingJobDefinitions) },
  'sagemaker:ListTransformJobs': { sectionLevel: true, absent: (inv) => [sm(inv)!.transformJobs] },
  'sagemaker:DescribeTransformJob': { sectionLevel: false, absent: (inv) => sm(inv)!.transformJobs!.flatMap((j) => [j.modelName, j.volumeKmsKeyId, j.outputKmsKeyId]) },
  ...Object.fromEntries(
    (['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'] as const).flatMap((type) => [
      // The other kinds are still listed; none of this kind is.
      [`sagemaker:List${type}JobDefinitions`, { sectionLevel: true, check: (inv: InventoryLike) => expect(sm(inv)!.monitoringJobDefinitions!.filter((d) => d.monitoringType === type)).toEqual([]) }],
      [
        `sagemaker:Describe${type}JobDefinition`,
        {
          sectionLevel: false,
          absent: (inv: InventoryLike) =>
            sm(inv)!.monitoringJobDefinitions!.filter((d) => d.monitoringType === type).flatMap((d) => [d.enableNetworkIsolation, d.vpcConfig, d.volumeKmsKeyId, d.outputKmsKeyId]),
        },
      ],
    ]),
  ),
  'sagemaker:ListModelCards': { sectionLevel: true, absent: (inv) => [sm(inv)!.modelCards] },
  'sagemaker:DescribeModelCard': { sectionLevel: false, absent: (inv) => sm(inv)!.modelCards!.flatMap((c) => [c.kmsKeyId, c.modelId, c.modelName]) },
  'accessanalyzer:ListAnalyzers': { sectionLevel: true, absent: (inv) => [inv.accessAnalyzer] },
  'accessanalyzer:ListFindings': { sectionLevel: false, absent: (inv) => inv.accessAnalyzer!.analyzers.map((a) => a.activeFindings) },
  'ec2:DescribeRegions': { sectionLevel: true, check: (inv) => expect(inv.regions).toEqual(['us-east-1']) },
  // The subnets still fill the section: the endpoint list stays empty and the error says why.
  'ec2:DescribeVpcEndpoints': { sectionLevel: true, check: (inv) => expect(inv.ec2!.vpcEndpoints).toEqual([]) },
  'ec2:DescribeSubnets': { sectionLevel: true, absent: (inv) => [inv.ec2!.subnets] },
  'ec2:DescribeRouteTables': { sectionLevel: true, absent: (inv) => inv.ec2!.subnets!.map((s) => s.public) },
  'logs:DescribeLogGroups': { sectionLevel: true, absent: (inv) => [inv.logs] },
  'logs:DescribeMetricFilters': { sectionLevel: true, absent: (inv) => [inv.logs!.metricFilters] },
  'cloudwatch:DescribeAlarms': { sectionLevel: true, absent: (inv) => [inv.cloudwatch] },
  'macie2:GetMacieSession': { sectionLevel: true, absent: (inv) => [inv.detective!.macie] },
  'macie2:GetAutomatedDiscoveryConfiguration': { sectionLevel: true, absent: (inv) => inv.detective!.macie!.map((m) => m.automatedDiscovery) },
  'macie2:GetClassificationScope': {
    sectionLevel: true,
    check: (inv) => expect(inv.detective!.macie!.find((m) => m.region === 'us-east-1')!.automatedDiscovery).toEqual({ status: 'ENABLED' }),
  },
  'macie2:ListClassificationJobs': { sectionLevel: true, absent: (inv) => inv.detective!.macie!.map((m) => m.classificationJobs) },
  'inspector2:BatchGetAccountStatus': { sectionLevel: true, absent: (inv) => [inv.detective!.inspector] },
  'guardduty:ListDetectors': { sectionLevel: true, absent: (inv) => [inv.detective!.guardDuty] },
  'guardduty:GetDetector': { sectionLevel: false, absent: (inv) => [inv.detective!.guardDuty] },
  'securityhub:DescribeHub': { sectionLevel: true, absent: (inv) => [inv.detective!.securityHub] },
  'securityhub:GetEnabledStandards': { sectionLevel: false, absent: (inv) => inv.detective!.securityHub!.map((h) => h.standards) },
  'config:DescribeConfigurationRecorders': { sectionLevel: true, absent: (inv) => [inv.detective!.config] },
  'config:DescribeConfigurationRecorderStatus': {
    sectionLevel: true,
    absent: (inv) => inv.detective!.config!.flatMap((c) => c.recorders.map((r) => r.recording)),
  },
  'apigateway:GetRestApis': { sectionLevel: true, absent: (inv) => [inv.apiGateway] },
  'apigateway:GetResources': { sectionLevel: false, absent: (inv) => inv.apiGateway!.restApis!.map((a) => a.methods) },
  'apigateway:GetStages': { sectionLevel: false, check: (inv) => expect(inv.apiGateway!.stages).toEqual([]) },
  'apigateway:GetUsagePlans': { sectionLevel: true, absent: (inv) => [inv.apiGateway!.usagePlans] },
  'wafv2:ListWebACLs': { sectionLevel: true, absent: (inv) => [inv.wafv2] },
  'wafv2:GetWebACL': { sectionLevel: false, absent: (inv) => inv.wafv2!.webAcls.map((a) => a.rules) },
};

const EXPECTED_CODES: Record<keyof typeof FAULTS, string> = {
  AccessDenied: 'AccessDeniedException',
  Throttling: 'ThrottlingException',
  ServerError: 'InternalFailure',
  Timeout: 'TimeoutError',
};

const operations = allOperations().filter((op) => op !== 'sts:GetCallerIdentity' && !op.startsWith('organizations:'));

describe('fault injection on every operation', () => {
  it('has an expectation for every registered operation', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual([...operations].sort());
  });

  for (const operation of operations) {
    for (const fault of Object.keys(FAULTS) as (keyof typeof FAULTS)[]) {
      it(`${operation} / ${fault}: complete scan, error recorded, field absent`, async () => {
        account = installFakeAccount();
        account.handlers[operation] = () => {
          throw FAULTS[fault]();
        };
        const service = operation.split(':')[0] as ServiceKey;
        const collector = COLLECTOR_OF[service]!;
        const { inventory } = await collectInventory(
          testOptions({ services: [collector], ...(operation === 'ec2:DescribeRegions' ? { regions: 'all' } : {}) }),
        );
        // The snapshot validates.
        parseInventory(JSON.parse(JSON.stringify(inventory)), 'fault.json');
        const [svc, op] = operation.split(':');
        const recorded = inventory.collectionErrors!.filter((e) => e.service === svc && e.operation === op);
        expect(recorded.length).toBeGreaterThan(0);
        for (const error of recorded) {
          expect(error.errorCode).toBe(EXPECTED_CODES[fault]);
          // Global services (and the account-wide S3 listing) record no region; regional ones the region called.
          if (service === 'iam' || service === 's3control' || operation === 's3:ListBuckets' || operation === 's3:GetBucketLocation') expect(error.region).toBeUndefined();
          else expect(error.region).toMatch(/^(us-east-1|eu-west-1)$/);
        }
        const expectation = EXPECTATIONS[operation]!;
        if (expectation.sectionLevel) expect(recorded.every((e) => e.resource === undefined)).toBe(true);
        else expect(recorded.every((e) => e.resource?.startsWith('arn:'))).toBe(true);
        if (expectation.absent) {
          const values = expectation.absent(inventory as InventoryLike);
          expect(values.length).toBeGreaterThan(0);
          for (const value of values) expect(value).toBeUndefined();
        }
        expectation.check?.(inventory as InventoryLike);
      });
    }
  }

  it('stops with one clear usage error (no stack, no partial output) when the account cannot be identified', async () => {
    account = installFakeAccount();
    account.handlers['sts:GetCallerIdentity'] = () => {
      throw FAULTS.AccessDenied();
    };
    const error = await collectInventory(testOptions()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/cannot identify the AWS account .*AccessDeniedException/);
  });

  it('leaves out a policy document the loader would refuse, records why, and keeps the scan valid', async () => {
    account = installFakeAccount();
    const bucketPolicy = account.handlers['s3:GetBucketPolicy']!;
    account.handlers['s3:GetBucketPolicy'] = (input, region) =>
      input.Bucket === 'training-data' ? { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Frobnicate: true }] }) } : bucketPolicy(input, region);
    const gaad = account.handlers['iam:GetAccountAuthorizationDetails']!;
    account.handlers['iam:GetAccountAuthorizationDetails'] = (input, region) => {
      const page = gaad(input, region) as { RoleDetailList?: { AssumeRolePolicyDocument: string }[] };
      for (const role of page.RoleDetailList ?? []) role.AssumeRolePolicyDocument = encodeURIComponent('{"Statement": "not a list"');
      return page;
    };
    const { inventory } = await collectInventory(testOptions({ services: ['s3', 'iam'] }));
    parseInventory(JSON.parse(JSON.stringify(inventory)), 'invalid-policy.json');
    const training = inventory.s3!.buckets.find((b) => b.name === 'training-data')!;
    expect(training.policy).toBeUndefined();
    expect(training.encryption).toBeDefined();
    expect(inventory.iam!.roles).toEqual([]);
    const invalid = inventory.collectionErrors!.filter((e) => e.errorCode === 'InvalidPolicyDocument');
    expect(invalid.map((e) => [e.service, e.region, e.operation, e.resource])).toEqual([
      ['iam', undefined, 'GetAccountAuthorizationDetails', 'arn:aws:iam::111122223333:role/service-role/sagemaker-trainer'],
      ['s3', 'us-east-1', 'GetBucketPolicy', 'arn:aws:s3:::training-data'],
    ]);
    expect(invalid[1]!.message).toMatch(/policy left out: unknown statement element "Frobnicate"/);
    expect(invalid[0]!.message).toMatch(/^role \(trust policy\) left out: /);
  });

  it('records a failure in one region and still reports the other', async () => {
    account = installFakeAccount();
    const original = account.handlers['kms:ListKeys']!;
    account.handlers['kms:ListKeys'] = (input, region) => {
      if (region === 'us-east-1') throw Object.assign(new Error('The security token included in the request is invalid'), { name: 'UnrecognizedClientException' });
      return original(input, region);
    };
    account.handlers['kms:ListAliases'] = () => ({ Aliases: [] });
    const { inventory } = await collectInventory(testOptions({ services: ['kms'] }));
    expect(inventory.kms).toEqual({ keys: [] });
    expect(inventory.collectionErrors).toEqual([
      { service: 'kms', region: 'us-east-1', operation: 'ListKeys', errorCode: 'UnrecognizedClientException', message: 'The security token included in the request is invalid' },
    ]);
  });
});
