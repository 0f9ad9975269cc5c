/**
 * End to end through real HTTP: the scanner, configured only through the environment (static
 * credentials, AWS_ENDPOINT_URL), talks to a loopback server that speaks the AWS wire protocols.
 * Nothing is mocked inside the SDK: signing, serialization, retries, timeouts and parsing all run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { collectInventory } from '../../src/collectors/index.js';
import type { Io } from '../../src/commands/io.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { parseInventory } from '../../src/inventory/load.js';
import { ASSUMED_ACCESS_KEY_ID, defaultWorld, startLoopbackAws, type LoopbackServer } from '../helpers/loopback-aws.js';

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
const saved: Record<string, string | undefined> = {};
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-loopback-'));
  for (const key of ENV_KEYS) saved[key] = process.env[key];
});
afterAll(async () => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  server = await startLoopbackAws(defaultWorld(), { pageSize: 2 });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLOOPBACKTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'loopback-secret';
  process.env.AWS_ENDPOINT_URL = server.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // No stray user config: the credential chain must find the env credentials.
  process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
});
afterEach(async () => server.close());

function bufferIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: process.env, isTTY: false };
}

/** No back-off between attempts: the suite stays fast while retries still happen. */
const fastRetries = (attempts: number) => ({ retryStrategy: new ConfiguredRetryStrategy(attempts, 0) });

describe('live collection over real HTTP (loopback AWS)', () => {
  it('reads metric filters (CloudWatch Logs, JSON 1.1) and metric alarms (CloudWatch, query-compatible JSON 1.0) over pages', async () => {
    const { inventory } = await collectInventory({ services: ['logs', 'cloudwatch'], region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] });
    expect(inventory.collectionErrors).toEqual([]);
    const parsed = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live');
    expect(parsed.logs!.metricFilters!.map((f) => [f.name, f.logGroupName, f.metricTransformations])).toEqual([
      ['all-events', 'trail-events', [{ metricName: 'Events', metricNamespace: 'CloudTrailMetrics', dimensions: ['Source'] }]],
      ['console-signin-failures', 'trail-events', [{ metricName: 'ConsoleSigninFailures', metricNamespace: 'CloudTrailMetrics' }]],
      ['iam-policy-changes', 'trail-events', [{ metricName: 'IAMPolicyChanges', metricNamespace: 'CloudTrailMetrics' }]],
    ]);
    expect(parsed.logs!.metricFilters!.find((f) => f.name === 'all-events')!.filterPattern).toBe('');
    // Two filters and two alarms per page: us-east-1 took two pages of each, eu-west-1 one.
    expect(server.requests.get('logs:DescribeMetricFilters')).toBe(3);
    expect(server.requests.get('cloudwatch:DescribeAlarms')).toBe(3);
    expect(parsed.cloudwatch!.alarms.map((a) => [a.name, a.namespace ?? null, a.metricName ?? null, a.actionsEnabled, a.alarmActions, a.thresholdMetricId ?? null])).toEqual([
      ['bedrock-tokens-anomaly', null, null, true, ['arn:aws:sns:us-east-1:123456789012:security-alerts'], 'ad1'],
      ['guardrail-interventions', 'AWS/Bedrock/Guardrails', 'InvocationsIntervened', false, ['arn:aws:sns:us-east-1:123456789012:security-alerts'], null],
      ['iam-policy-changes', 'CloudTrailMetrics', 'IAMPolicyChanges', true, ['arn:aws:sns:us-east-1:123456789012:security-alerts'], null],
    ]);
    expect(parsed.cloudwatch!.alarms[0]!.metrics).toEqual([
      { id: 'm1', namespace: 'AWS/Bedrock', metricName: 'InputTokenCount', dimensions: [{ name: 'ModelId', value: 'amazon.nova-lite-v1:0' }], returnData: true },
      { id: 'ad1', dimensions: [], expression: 'ANOMALY_DETECTION_BAND(m1, 2)', returnData: true },
    ]);
  });

  it('reads REST APIs (REST-JSON, paginated) with methods, stages and usage plans, and web ACLs (JSON 1.1); the rules judge the AI stages', async () => {
    const { inventory } = await collectInventory({ services: ['apigateway', 'wafv2'], region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] });
    expect(inventory.collectionErrors).toEqual([]);
    const parsed = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live');
    const gw = parsed.apiGateway!;
    expect(gw.restApis.map((a) => [a.name, a.endpointType, a.methods!.map((m) => `${m.httpMethod} ${m.resourcePath} ${m.integrationType}`)])).toEqual([
      ['chat-api', 'REGIONAL', ['OPTIONS /chat MOCK', 'POST /chat AWS']],
      ['items-api', 'EDGE', ['GET /items AWS_PROXY']],
      ['spare-api', 'PRIVATE', []],
    ]);
    expect(gw.stages.map((s) => [s.arn, s.webAclArn, s.methodThrottles])).toEqual([
      ['arn:aws:apigateway:us-east-1::/restapis/chat000001/stages/dev', null, []],
      [
        'arn:aws:apigateway:us-east-1::/restapis/chat000001/stages/prod',
        'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ai-acl/11111111-2222-3333-4444-555555555555',
        [{ resourcePath: '*', httpMethod: '*', throttle: { rateLimit: 25, burstLimit: 50 } }],
      ],
    ]);
    expect(gw.usagePlans).toEqual([
      {
        arn: 'arn:aws:apigateway:us-east-1::/usageplans/plan01',
        region: 'us-east-1',
        id: 'plan01',
        name: 'partners',
        throttle: { rateLimit: 5, burstLimit: 10 },
        apiStages: [{ restApiId: 'chat000001', stage: 'prod', methodThrottles: [{ resourcePath: '/chat', httpMethod: 'POST', throttle: { rateLimit: 2, burstLimit: 4 } }] }],
      },
    ]);
    expect(parsed.wafv2!.webAcls.map((a) => [a.name, a.rules])).toEqual([
      [
        'ai-acl',
        [
          { name: 'bots', priority: 0, action: 'None', managedRuleGroup: 'AWS/AWSManagedRulesBotControlRuleSet' },
          { name: 'per-ip', priority: 1, action: 'Block', rateLimit: 500, rateWindowSec: 300 },
        ],
      ],
      ['open-acl', []],
    ]);
    // Two APIs a page: us-east-1 took two pages, eu-west-1 one; WAF's empty last page ends its listing.
    expect(server.requests.get('apigateway:GetRestApis')).toBe(3);
    expect(server.requests.get('wafv2:ListWebACLs')).toBe(3);
    const rules = (await loadRules()).filter((r) => r.meta.id.startsWith('apigateway-ai-'));
    const result = await runScan({ inventory: parsed, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
    expect(result.findings.map((f) => [f.ruleId, f.resource.name, f.verdict]).sort()).toEqual([
      ['apigateway-ai-throttling', 'chat-api/dev', 'fail'],
      ['apigateway-ai-throttling', 'chat-api/prod', 'pass'],
      ['apigateway-ai-waf', 'chat-api/dev', 'fail'],
      ['apigateway-ai-waf', 'chat-api/prod', 'pass'],
    ]);
  });

  it('records a refused DescribeAlarms (query-compatible JSON error) and leaves the alarms not collected', async () => {
    server.faults.set('cloudwatch:DescribeAlarms', { kind: 'status', status: 403, code: 'AccessDenied', message: 'not authorized to perform: cloudwatch:DescribeAlarms' });
    const { inventory } = await collectInventory({ services: ['cloudwatch'], region: 'us-east-1', regions: ['us-east-1'], maxAttempts: 1 });
    expect(inventory.cloudwatch).toBeUndefined();
    expect(inventory.collectionErrors!.map((e) => [e.service, e.region, e.operation, e.errorCode])).toEqual([['cloudwatch', 'us-east-1', 'DescribeAlarms', 'AccessDenied']]);
  });

  it('reads Bedrock knowledge bases (paginated), their data sources, prompts and flows in the REST-JSON wire format', async () => {
    const { inventory } = await collectInventory({ services: ['bedrock'], region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] });
    expect(inventory.collectionErrors).toEqual([]);
    const bedrock = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live').bedrock!;
    expect(bedrock.knowledgeBases!.map((k) => [k.name, k.roleArn, k.vectorStore?.resourceArn])).toEqual([
      ['kb-0', 'arn:aws:iam::123456789012:role/role-0000', 'arn:aws:aoss:us-east-1:123456789012:collection/coll0'],
      ['kb-1', 'arn:aws:iam::123456789012:role/role-0001', 'arn:aws:aoss:us-east-1:123456789012:collection/coll1'],
      ['kb-2', 'arn:aws:iam::123456789012:role/role-0002', 'arn:aws:aoss:us-east-1:123456789012:collection/coll2'],
    ]);
    // Two knowledge bases per page: the second page came with the token of the first.
    expect(server.requests.get('bedrock-agent:ListKnowledgeBases')).toBe(3);
    expect(bedrock.dataSources!.map((d) => [d.arn, d.s3BucketArn, d.kmsKeyArn])).toEqual([
      ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000000/data-source/DS00000000', 'arn:aws:s3:::training-data', 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666'],
      ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000001/data-source/DS00000001', 'arn:aws:s3:::training-data', null],
      ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000002/data-source/DS00000002', 'arn:aws:s3:::training-data', 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666'],
    ]);
    expect(bedrock.prompts).toEqual([
      { arn: 'arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT0001', region: 'us-east-1', id: 'PROMPT0001', name: 'answer', version: 'DRAFT', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666', tags: { team: 'support' } },
    ]);
    expect(bedrock.flows).toEqual([
      { arn: 'arn:aws:bedrock:us-east-1:123456789012:flow/FLOW000001', region: 'us-east-1', id: 'FLOW000001', name: 'router', status: 'Prepared', roleArn: 'arn:aws:iam::123456789012:role/role-0004', kmsKeyArn: null, tags: {} },
    ]);
    // ListTagsForResource (GET /tags/{resourceArn}): the ARN travels URL-encoded in the path.
    expect(bedrock.knowledgeBases!.map((k) => k.tags)).toEqual([{ 'aigis:data-class': 'confidential', environment: 'production' }, {}, {}]);
    expect(server.requests.get('bedrock-agent:ListTagsForResource')).toBe(5);
  });

  it('reads OpenSearch Serverless collections (JSON 1.0), GuardDuty detectors and Security Hub standards (REST-JSON); a live scan gives the snapshot\'s verdicts', async () => {
    const flags = ['--services', 's3,iam,kms,bedrock,opensearchserverless,detective', '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1'];
    expect(await main(['collect', '--output', 'ai-snap.json', ...flags], bufferIo())).toBe(0);
    const inventory = parseInventory(JSON.parse(await readFile(path.join(dir, 'ai-snap.json'), 'utf8')), 'ai-snap.json');
    expect(inventory.opensearchServerless!.collections.map((c) => [c.name, c.type, c.kmsKeyArn])).toEqual([
      ['kb-0-vectors', 'VECTORSEARCH', 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666'],
      ['kb-1-vectors', 'VECTORSEARCH', null],
      ['kb-2-vectors', 'VECTORSEARCH', 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666'],
    ]);
    // Two collections per page: the second page came with the token of the first; one BatchGetCollection per region with collections.
    expect(server.requests.get('opensearchserverless:ListCollections')).toBe(2 + 1);
    expect(server.requests.get('opensearchserverless:BatchGetCollection')).toBe(1);
    expect(inventory.detective!.guardDuty).toEqual([
      { region: 'eu-west-1', detectors: [{ id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }] }] },
      {
        region: 'us-east-1',
        detectors: [
          {
            id: '12abc34d567e8fa901bc2d34e56789f0',
            status: 'ENABLED',
            features: [
              { name: 'RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'ENABLED' }, { name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' }] },
              { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
            ],
          },
        ],
      },
    ]);
    expect(inventory.detective!.securityHub).toEqual([
      { region: 'eu-west-1', enabled: false },
      {
        region: 'us-east-1',
        enabled: true,
        hubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default',
        standards: [
          { arn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', status: 'READY' },
          { arn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0', status: 'READY' },
        ],
      },
    ]);
    expect(inventory.collectionErrors.filter((e) => ['opensearchserverless', 'guardduty', 'securityhub', 'bedrock-agent'].includes(e.service))).toEqual([]);

    const rules = 'bedrock-kb-vector-store-cmk,guardduty-s3-protection,securityhub-standards-enabled';
    const live = ['scan', ...flags, '--format', 'json', '--passed', 'full', '--rules', rules];
    expect(await main([...live, '--output', 'ai-live.json'], bufferIo())).toBe(await main(['scan', '--input', 'ai-snap.json', '--format', 'json', '--passed', 'full', '--rules', rules, '--output', 'ai-from-snap.json'], bufferIo()));
    type Report = { findings: { ruleId: string; resource: { arn: string }; verdict: string }[] };
    const fromLive = JSON.parse(await readFile(path.join(dir, 'ai-live.json'), 'utf8')) as Report;
    const fromSnapshot = JSON.parse(await readFile(path.join(dir, 'ai-from-snap.json'), 'utf8')) as Report;
    expect(JSON.stringify(fromLive.findings)).toBe(JSON.stringify(fromSnapshot.findings));
    const verdicts = fromLive.findings.map((f) => `${f.ruleId} ${f.resource.arn} ${f.verdict}`).sort();
    expect(verdicts).toEqual([
      'bedrock-kb-vector-store-cmk arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000000 pass',
      'bedrock-kb-vector-store-cmk arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000001 fail',
      'bedrock-kb-vector-store-cmk arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000002 pass',
      // The AI buckets are in us-east-1 only: eu-west-1's detector (S3 logs off) is not judged.
      'guardduty-s3-protection arn:aws:guardduty:us-east-1:123456789012:detector pass',
      'securityhub-standards-enabled arn:aws:securityhub:eu-west-1:123456789012:hub/default not_applicable',
      'securityhub-standards-enabled arn:aws:securityhub:us-east-1:123456789012:hub/default pass',
    ]);
  });

  it('reads SageMaker endpoints (paginated) with their tags and guardrails, monitoring schedules, job definitions, tuning and transform jobs and model cards in the JSON 1.1 wire format', async () => {
    const { inventory } = await collectInventory({ services: ['sagemaker'], region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] });
    expect(inventory.collectionErrors).toEqual([]);
    const sm = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live').sagemaker!;
    expect(sm.endpoints!.map((e) => [e.name, e.endpointConfigName, e.tags, e.deploymentConfig])).toEqual([
      ['ep-0', 'epc-0', { environment: 'prod' }, { updatePolicy: 'BlueGreen', trafficRouting: 'LINEAR', rollbackAlarms: ['ep-0-errors'] }],
      ['ep-1', 'epc-1', { environment: 'dev' }, null],
      ['ep-2', 'epc-2', { environment: 'prod' }, { updatePolicy: 'BlueGreen', trafficRouting: 'LINEAR', rollbackAlarms: ['ep-2-errors'] }],
    ]);
    // Two endpoints per page: the second page came with the token of the first.
    expect(server.requests.get('sagemaker:ListEndpoints')).toBe(3);
    expect(sm.endpointConfigs.map((c) => c.productionVariants?.[0]?.initialInstanceCount)).toEqual([1, 2, 3]);
    expect(sm.monitoringSchedules).toEqual([
      {
        arn: 'arn:aws:sagemaker:us-east-1:123456789012:monitoring-schedule/ep-0-quality',
        region: 'us-east-1',
        name: 'ep-0-quality',
        status: 'Scheduled',
        monitoringType: 'DataQuality',
        endpointName: 'ep-0',
        monitoringJobDefinitionName: 'dq-0',
        jobDefinition: null,
      },
    ]);
    // Tuning and transform jobs (dates as epoch seconds on the wire), and the data quality job definitions over two pages.
    expect(sm.hyperParameterTuningJobs).toEqual([
      {
        arn: 'arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/tune-0',
        region: 'us-east-1',
        name: 'tune-0',
        status: 'Completed',
        creationTime: '2023-11-14T22:13:20.000Z',
        trainingJobDefinitions: [
          {
            definitionName: null,
            enableNetworkIsolation: true,
            enableInterContainerTrafficEncryption: false,
            vpcConfig: { subnets: ['subnet-0'], securityGroupIds: ['sg-0'] },
            volumeKmsKeyId: null,
            outputKmsKeyId: null,
            roleArn: 'arn:aws:iam::123456789012:role/role-0000',
          },
        ],
      },
    ]);
    expect(sm.transformJobs!.map((j) => [j.name, j.modelName, j.volumeKmsKeyId, j.outputKmsKeyId])).toEqual([
      ['batch-0', 'model-0', null, 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666'],
    ]);
    expect(sm.monitoringJobDefinitions!.map((d) => [d.name, d.monitoringType, d.endpointName, d.enableNetworkIsolation, d.vpcConfig?.subnets ?? null])).toEqual([
      ['dq-0', 'DataQuality', 'ep-0', true, ['subnet-0']],
      ['dq-1', 'DataQuality', 'ep-1', false, null],
      ['dq-2', 'DataQuality', 'ep-2', false, null],
    ]);
    expect(server.requests.get('sagemaker:ListDataQualityJobDefinitions')).toBe(3); // two pages in us-east-1, one empty in eu-west-1
    expect(sm.modelCards!.map((c) => [c.name, c.status, c.kmsKeyId, c.modelId])).toEqual([
      ['card-0', 'Approved', 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666', 'arn:aws:sagemaker:us-east-1:123456789012:model/model-0'],
      ['card-1', 'Draft', null, 'arn:aws:sagemaker:us-east-1:123456789012:model/model-1'],
      ['card-2', 'Draft', null, 'arn:aws:sagemaker:us-east-1:123456789012:model/model-2'],
    ]);
  });

  it('reads Macie (automated discovery, classification scope, paginated jobs) and Inspector account status in the REST-JSON wire format', async () => {
    const { inventory } = await collectInventory({ services: ['detective'], region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] });
    // Macie and Inspector answer without a failure (the loopback serves no AWS Config).
    expect(inventory.collectionErrors!.filter((e) => e.service === 'macie2' || e.service === 'inspector2')).toEqual([]);
    const detective = parseInventory(JSON.parse(JSON.stringify(inventory)), 'live').detective!;
    expect(detective.macie).toEqual([
      { region: 'eu-west-1', status: 'DISABLED' },
      {
        region: 'us-east-1',
        status: 'ENABLED',
        automatedDiscovery: { status: 'ENABLED', excludedBuckets: ['scratch'] },
        classificationJobs: [
          { id: 'job0001', name: 'training-weekly', jobType: 'SCHEDULED', jobStatus: 'IDLE', bucketDefinitions: [{ accountId: '123456789012', buckets: ['training-data'] }] },
          { id: 'job0002', name: 'pii-tagged', jobType: 'ONE_TIME', jobStatus: 'RUNNING', bucketCriteria: true },
        ],
      },
    ]);
    expect(server.requests.get('macie2:ListClassificationJobs')).toBe(2);
    expect(detective.inspector).toEqual([
      { region: 'eu-west-1', ecr: 'DISABLED', ec2: 'DISABLED', lambda: 'DISABLED' },
      { region: 'us-east-1', ecr: 'ENABLED', ec2: 'DISABLED', lambda: 'DISABLED' },
    ]);
  });

  it('records a denied data source listing on its knowledge base and keeps the knowledge base', async () => {
    server.faults.set('bedrock-agent:ListDataSources', { kind: 'status', status: 403, code: 'AccessDeniedException', message: 'not authorized' });
    const { inventory } = await collectInventory({ services: ['bedrock'], region: 'us-east-1', regions: ['us-east-1'] });
    expect(inventory.bedrock!.knowledgeBases).toHaveLength(3);
    expect(inventory.bedrock!.dataSources).toEqual([]);
    const denied = inventory.collectionErrors!.filter((e) => e.operation === 'ListDataSources');
    expect(denied.map((e) => [e.service, e.errorCode, e.resource])).toEqual([
      ['bedrock-agent', 'AccessDeniedException', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000000'],
      ['bedrock-agent', 'AccessDeniedException', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000001'],
      ['bedrock-agent', 'AccessDeniedException', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000002'],
    ]);
  });

  it('`aigis collect` reads S3, S3 Control, IAM and KMS in their wire formats and `aigis scan --input` scans the snapshot', async () => {
    const io = bufferIo();
    const code = await main(['collect', '--output', 'snap.json', '--services', 's3,iam,kms', '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1', '--stats'], io);
    expect(io.err.join('')).not.toMatch(/internal error/);
    expect(code).toBe(0);
    // The SDK signed with the env credentials and honoured AWS_ENDPOINT_URL.
    expect([...server.accessKeyIds]).toEqual(['AKIDLOOPBACKTEST']);

    const inventory = parseInventory(JSON.parse(await readFile(path.join(dir, 'snap.json'), 'utf8')), 'snap.json');
    expect(inventory.collectionErrors).toEqual([]);
    expect(inventory.account).toEqual({ id: '123456789012', partition: 'aws', alias: 'loopback-lab' });

    const buckets = inventory.s3!.buckets;
    expect(buckets.map((b) => [b.name, b.region])).toEqual([
      ['eu-features', 'eu-west-1'],
      ['scratch', 'us-east-1'],
      ['training-data', 'us-east-1'],
    ]);
    expect(inventory.s3!.accountPublicAccessBlock).toBeNull();
    const training = buckets.find((b) => b.name === 'training-data')!;
    expect(training.encryption).toEqual({ rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/0b5c1f0e-1111-2222-3333-444455556666', bucketKeyEnabled: true }] });
    expect(training.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(training.versioning).toEqual({ status: 'Enabled', mfaDelete: 'Disabled' });
    expect(training.tags).toEqual({ 'data-class': 'phi' });
    expect(training.objectLock).toBeNull();
    expect(training.logging).toBeNull();
    expect(training.ownership).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    expect(training.lifecycle).toEqual({ rules: [{ id: 'expire', enabled: true, expirationDays: 365 }] });
    expect(training.replication).toEqual({
      role: 'arn:aws:iam::123456789012:role/s3-replication',
      rules: [{ id: 'dr', enabled: true, destinationBucket: 'arn:aws:s3:::training-data-dr' }],
    });
    const eu = buckets.find((b) => b.name === 'eu-features')!;
    expect(eu.policyStatus).toEqual({ isPublic: true });
    expect(eu.policy?.normalized.statements[0]?.principal).toBeDefined();
    const scratch = buckets.find((b) => b.name === 'scratch')!;
    expect(scratch).toMatchObject({ lifecycle: null, replication: null, encryption: null, policy: null, policyStatus: null, publicAccessBlock: null, tags: {} });
    expect(scratch.versioning).toEqual({ status: 'Off', mfaDelete: 'Disabled' });

    // IAM: 1 user + 5 roles + 1 policy at 2 per page = 4 GAAD pages, URL-encoded documents decoded by the loader.
    expect(server.requests.get('iam:GetAccountAuthorizationDetails')).toBe(4);
    expect(inventory.iam!.roles).toHaveLength(5);
    expect(inventory.iam!.roles[0]!.inlinePolicies[0]!.policy.normalized.statements[0]!.action).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(inventory.iam!.policies[0]!.document!.normalized.statements[0]!.action).toEqual(['s3:*']);
    expect(inventory.iam!.accountSummary).toEqual({ rootMfaEnabled: true, rootAccessKeysPresent: false });
    expect(inventory.iam!.users[0]!.mfaEnabled).toBeUndefined();
    expect(io.err.join('')).toMatch(/note: no IAM credential report exists/);

    expect(inventory.kms!.keys.map((k) => [k.aliases, k.keyManager, k.rotationEnabled ?? 'n/a'])).toEqual([
      [['alias/training'], 'CUSTOMER', false],
      [['alias/aws/s3'], 'AWS', 'n/a'],
    ]);
    expect(server.requests.get('s3:ListBuckets')).toBe(2);
    expect(io.err.join('')).toMatch(/^ {2}s3:GetBucketPolicy +3$/m);

    const scanIo = bufferIo();
    const scanCode = await main(['scan', '--input', 'snap.json', '--format', 'json', '--passed', 'full', '--output', 'report.json', '--rules', 's3-block-public-access,s3-sse-kms-cmk'], scanIo);
    expect(scanCode).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { findings: { ruleId: string; resource: { arn: string }; verdict: string }[] };
    const verdict = (rule: string, bucket: string) => report.findings.find((f) => f.ruleId === rule && f.resource.arn === `arn:aws:s3:::${bucket}`)?.verdict;
    expect(verdict('s3-block-public-access', 'training-data')).toBe('pass');
    expect(verdict('s3-block-public-access', 'eu-features')).toBe('fail');
    expect(verdict('s3-sse-kms-cmk', 'training-data')).toBe('pass');
    expect(verdict('s3-sse-kms-cmk', 'scratch')).toBe('fail');
  });

  it('`aigis scan` with no --input scans the live account and gives byte-identical findings to a scan of its snapshot', async () => {
    const flags = ['--services', 's3,iam,kms', '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1'];
    expect(await main(['collect', '--output', 'live-snap.json', ...flags], bufferIo())).toBe(0);
    const liveIo = bufferIo();
    const liveCode = await main(['scan', ...flags, '--format', 'json', '--passed', 'full', '--output', 'live-report.json'], liveIo);
    expect(liveIo.err.join('')).not.toMatch(/error/);
    const snapCode = await main(['scan', '--input', 'live-snap.json', '--format', 'json', '--passed', 'full', '--output', 'snap-report.json'], bufferIo());
    expect(liveCode).toBe(snapCode);
    type Report = { findings: unknown[]; inputs: string[] };
    const live = JSON.parse(await readFile(path.join(dir, 'live-report.json'), 'utf8')) as Report;
    const fromSnapshot = JSON.parse(await readFile(path.join(dir, 'snap-report.json'), 'utf8')) as Report;
    expect(live.findings.length).toBeGreaterThan(5);
    expect(JSON.stringify(live.findings)).toBe(JSON.stringify(fromSnapshot.findings));
    expect(live.inputs).toEqual(['aws:123456789012']);
  });

  it('--role-arn/--external-id: assumes the role once with the chain credentials, then signs every call with the role', async () => {
    const io = bufferIo();
    const code = await main(
      ['collect', '--output', 'role.json', '--services', 's3,iam,kms', '--region', 'us-east-1', '--regions', 'us-east-1,eu-west-1', '--role-arn', 'arn:aws:iam::123456789012:role/aigis-readonly', '--external-id', 'ext-4242'],
      io,
    );
    expect(io.err.join('')).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(server.assumeRoleCalls).toHaveLength(1);
    const params = server.assumeRoleCalls[0]!;
    expect(params.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/aigis-readonly');
    expect(params.get('ExternalId')).toBe('ext-4242');
    expect(params.get('RoleSessionName')).toBe('aigis-readonly-scan');
    expect([...server.signers.get('sts:AssumeRole')!]).toEqual(['AKIDLOOPBACKTEST']);
    for (const [operation, keys] of server.signers) {
      if (operation !== 'sts:AssumeRole') expect([...keys], operation).toEqual([ASSUMED_ACCESS_KEY_ID]);
    }
    expect(server.signers.size).toBeGreaterThan(10);
  });

  it('rejects --external-id without --role-arn and a malformed role ARN as usage errors', async () => {
    const io = bufferIo();
    expect(await main(['collect', '--external-id', 'x'], io)).toBe(2);
    expect(io.err.join('')).toBe('aigis: error: --external-id needs --role-arn\n');
    const io2 = bufferIo();
    expect(await main(['collect', '--role-arn', 'arn:aws:iam::123:user/x'], io2)).toBe(2);
    expect(io2.err.join('')).toMatch(/--role-arn: not an IAM role ARN/);
    expect(server.requests.size).toBe(0);
  });

  it('retries transient throttling and 5xx, then succeeds', async () => {
    server.faults.set('s3:GetBucketPolicy', { kind: 'flaky', times: 2, status: 503, code: 'SlowDown' });
    server.faults.set('kms:ListKeys', { kind: 'flaky', times: 1, status: 400, code: 'ThrottlingException' });
    const { inventory } = await collectInventory({ region: 'us-east-1', services: ['s3', 'kms'], maxAttempts: 3, ...fastRetries(3) });
    expect(inventory.collectionErrors).toEqual([]);
    expect(inventory.kms!.keys).toHaveLength(2);
    expect(server.requests.get('kms:ListKeys')).toBe(2);
    expect(server.requests.get('s3:GetBucketPolicy')).toBe(3 + 2);
  });

  it('records throttling past retries, a 500, AccessDenied and a timeout, and finishes the scan', async () => {
    server.faults.set('s3:GetBucketEncryption', { kind: 'status', status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    server.faults.set('kms:GetKeyPolicy', { kind: 'status', status: 500, code: 'InternalError' });
    server.faults.set('iam:GetAccountAuthorizationDetails', { kind: 'status', status: 403, code: 'AccessDenied', message: 'not authorized to perform iam:GetAccountAuthorizationDetails' });
    server.faults.set('s3control:GetPublicAccessBlock', { kind: 'hang' });
    const started = Date.now();
    const { inventory } = await collectInventory({ region: 'us-east-1', services: ['s3', 'iam', 'kms'], requestTimeoutMs: 300, ...fastRetries(2) });
    expect(Date.now() - started).toBeLessThan(10_000);
    parseInventory(JSON.parse(JSON.stringify(inventory)), 'faults');

    const errors = inventory.collectionErrors!;
    const codes = (service: string, operation: string) => [...new Set(errors.filter((e) => e.service === service && e.operation === operation).map((e) => e.errorCode))];
    expect(codes('s3', 'GetBucketEncryption')).toEqual(['ThrottlingException']);
    expect(errors.filter((e) => e.operation === 'GetBucketEncryption').map((e) => e.resource).sort()).toEqual(['arn:aws:s3:::eu-features', 'arn:aws:s3:::scratch', 'arn:aws:s3:::training-data']);
    expect(server.requests.get('s3:GetBucketEncryption')).toBe(3 * 2);
    expect(codes('kms', 'GetKeyPolicy')).toEqual(['InternalError']);
    expect(codes('iam', 'GetAccountAuthorizationDetails')).toEqual(['AccessDenied']);
    const denied = errors.find((e) => e.operation === 'GetAccountAuthorizationDetails')!;
    expect(denied).toMatchObject({ service: 'iam', message: 'not authorized to perform iam:GetAccountAuthorizationDetails' });
    expect(denied.resource).toBeUndefined();
    expect(codes('s3control', 'GetPublicAccessBlock')).toEqual(['TimeoutError']);

    // The fields stay absent; everything else was collected.
    expect(inventory.s3!.buckets.every((b) => b.encryption === undefined && b.publicAccessBlock !== undefined)).toBe(true);
    expect(inventory.s3!.accountPublicAccessBlock).toBeUndefined();
    expect(inventory.kms!.keys.every((k) => k.policy === undefined)).toBe(true);
    expect(inventory.iam).toBeUndefined();
  });

  it('fails with one clear line when the credentials are rejected', async () => {
    server.faults.set('sts:GetCallerIdentity', { kind: 'status', status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    const io = bufferIo();
    const code = await main(['collect', '--output', 'never.json', '--region', 'us-east-1', '--max-attempts', '1'], io);
    expect(code).toBe(2);
    expect(io.err.join('')).toBe(
      'aigis: error: cannot identify the AWS account (sts:GetCallerIdentity failed: InvalidClientTokenId). Check your credentials (AWS_PROFILE, --profile, --role-arn) and region.\n',
    );
    await expect(readFile(path.join(dir, 'never.json'))).rejects.toThrow();
  });
});
