/**
 * The AI asset graph (src/engine/ai-graph.ts) on the demo inventory and on small fragments: which
 * resources serve AI workloads and the path that makes them members.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketOfS3Uri, buildAiAssetGraph, dataClassOf, describeMembership, isAiResource } from '../src/engine/ai-graph.js';
import { InventoryIndex } from '../src/engine/inventory-index.js';
import { packageRoot } from '../src/engine/paths.js';
import { loadInventoryFile, parseInventory } from '../src/inventory/load.js';

const demo = await loadInventoryFile(path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json'));

function graphOf(fragment: Record<string, unknown>, resources?: string[]) {
  const inventory = parseInventory({ schemaVersion: '1.0', account: { id: '123456789012' }, regions: ['us-east-1'], ...fragment }, 'fragment');
  return buildAiAssetGraph(inventory, new InventoryIndex(inventory), resources ? { resources } : {});
}

describe('AI asset graph', () => {
  const graph = buildAiAssetGraph(demo, new InventoryIndex(demo));

  it('knows the demo account\'s AI workloads and what they use', () => {
    expect(graph.workloads.map((w) => w.type)).toEqual(
      expect.arrayContaining(['AWS::SageMaker::TrainingJob', 'AWS::SageMaker::Model', 'AWS::Bedrock::Agent', 'AWS::Bedrock::InvocationLogging']),
    );
    expect(describeMembership(graph, 'arn:aws:s3:::acme-ai-audit-logs-111122223333')).toEqual(['invocation log bucket of Bedrock invocation logging us-east-1']);
    expect(describeMembership(graph, 'arn:aws:iam::111122223333:role/service-role/BedrockAgentRole-support-assistant')).toEqual(['service role of agent support-assistant']);
    expect(describeMembership(graph, 'subnet-0e1d2c3b4a5968778')).toEqual(['subnet of Studio domain ml-studio-eu-sandbox', 'subnet of notebook instance ds-secure-eu']);
  });

  it('links the demo buckets to the jobs, models and custom models whose data they hold', () => {
    expect(describeMembership(graph, 'arn:aws:s3:::acme-ai-training-data-111122223333')).toEqual([
      'training data of custom model legacy-j2-summarizer',
      'training data of custom model support-claude-haiku-ft',
      'data source bucket of knowledge base support-kb',
      'processing input of processing job pii-redaction-2026-11-01-06-00-00-000',
      'processing output of processing job pii-redaction-2026-11-01-06-00-00-000',
      'training data of training job fraud-detector-xgb-2026-10-02-14-03-11-123',
      'training data of training job support-llm-finetune-2026-11-04-09-12-55-001',
    ]);
    expect(describeMembership(graph, 'arn:aws:s3:::acme-ai-model-artifacts-111122223333')).toContain('model artifacts of model fraud-detector-xgb-v3');
    expect(describeMembership(graph, 'arn:aws:s3:::acme-ai-eval-results-111122223333')).toEqual([
      'validation data of custom model support-claude-haiku-ft',
      'data source bucket of knowledge base support-kb',
      'processing output of processing job eval-harness-2026-11-12-15-30-45-210',
    ]);
    expect(describeMembership(graph, 'arn:aws:s3:::sagemaker-us-east-1-111122223333')).toEqual([
      'model artifacts of model support-llm-v2',
      'checkpoints of training job support-llm-finetune-2026-11-04-09-12-55-001',
      'output of training job support-llm-finetune-2026-11-04-09-12-55-001',
    ]);
    expect(describeMembership(graph, 'arn:aws:iam::111122223333:role/service-role/BedrockModelCustomizationRole')).toEqual([
      'customization role of custom model legacy-j2-summarizer',
      'customization role of custom model support-claude-haiku-ft',
    ]);
  });

  it('makes knowledge bases, prompts and flows workloads, with their role, store, source buckets and keys', () => {
    const g = graphOf({
      kms: { keys: [{ arn: 'arn:aws:kms:us-east-1:123456789012:key/k1', keyId: 'k1', region: 'us-east-1', aliases: ['alias/kb'], keyManager: 'CUSTOMER' }] },
      bedrock: {
        knowledgeBases: [
          {
            arn: 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1', id: 'KB1', name: 'docs-kb', region: 'us-east-1',
            roleArn: 'arn:aws:iam::123456789012:role/kb-role',
            vectorStore: { type: 'OPENSEARCH_SERVERLESS', resourceArn: 'arn:aws:aoss:us-east-1:123456789012:collection/c1' },
            supplementalDataS3Uris: ['s3://kb-images/extracted/'],
          },
        ],
        dataSources: [
          // By the knowledge base's id (as from a template), and with a bucket ARN that is not one.
          { arn: 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1/data-source/DS1', id: 'DS1', name: 'docs', knowledgeBaseId: 'KB1', region: 'us-east-1', s3BucketArn: 'arn:aws:s3:::kb-docs', kmsKeyArn: 'alias/kb' },
          { arn: 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1/data-source/DS2', id: 'DS2', name: 'odd', knowledgeBaseId: 'KB1', region: 'us-east-1', s3BucketArn: 'arn:aws:s3:::Bad:Name' },
          { arn: 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB9/data-source/DS9', id: 'DS9', name: 'orphan', knowledgeBaseId: 'KB9', region: 'us-east-1', s3BucketArn: 'arn:aws:s3:::orphan-bucket' },
        ],
        prompts: [{ arn: 'arn:aws:bedrock:us-east-1:123456789012:prompt/P1', id: 'P1', name: 'answer', region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1' }],
        flows: [{ arn: 'arn:aws:bedrock:us-east-1:123456789012:flow/F1', id: 'F1', name: 'router', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/flow-role', kmsKeyArn: null }],
      },
    });
    expect(g.workloads.map((w) => w.type)).toEqual(['AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Prompt', 'AWS::Bedrock::Flow']);
    expect(describeMembership(g, 'arn:aws:s3:::kb-docs')).toEqual(['data source bucket of knowledge base docs-kb']);
    expect(describeMembership(g, 'arn:aws:s3:::kb-images')).toEqual(['multimodal storage of knowledge base docs-kb']);
    expect(describeMembership(g, 'arn:aws:kms:us-east-1:123456789012:key/k1')).toEqual(['data source key of knowledge base docs-kb', 'encryption key of prompt answer']);
    expect(describeMembership(g, 'arn:aws:aoss:us-east-1:123456789012:collection/c1')).toEqual(['vector store of knowledge base docs-kb']);
    expect(describeMembership(g, 'arn:aws:iam::123456789012:role/kb-role')).toEqual(['service role of knowledge base docs-kb']);
    expect(describeMembership(g, 'arn:aws:iam::123456789012:role/flow-role')).toEqual(['execution role of flow router']);
    expect(isAiResource(g, 'arn:aws:s3:::orphan-bucket')).toBe(false);
    expect([...g.members.keys()].some((k) => k.includes('Bad'))).toBe(false);
  });

  it('resolves key references (ids, aliases) to the key ARN', () => {
    const keyReasons = describeMembership(graph, 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(keyReasons).toContain('volume key of processing job pii-redaction-2026-11-01-06-00-00-000');
  });

  it('leaves resources no workload names out of the graph', () => {
    const other = demo.s3!.buckets.filter((b) => !isAiResource(graph, b.arn)).map((b) => b.name);
    expect(other.length).toBeGreaterThan(0);
    expect(isAiResource(graph, 'arn:aws:s3:::acme-ai-audit-logs-111122223333')).toBe(true);
  });

  it('is the same on every build', () => {
    const again = buildAiAssetGraph(demo, new InventoryIndex(demo));
    expect(JSON.stringify([...again.members])).toBe(JSON.stringify([...graph.members]));
  });

  it('takes members by tag and by the config list; ignores a tag that is not true', () => {
    const g = graphOf(
      {
        s3: {
          buckets: [
            { arn: 'arn:aws:s3:::features', name: 'features', region: 'us-east-1', tags: { 'aigis:ai-workload': 'true' } },
            { arn: 'arn:aws:s3:::raw', name: 'raw', region: 'us-east-1' },
            { arn: 'arn:aws:s3:::other', name: 'other', region: 'us-east-1', tags: { 'aigis:ai-workload': 'no' } },
          ],
        },
      },
      ['raw', 'arn:aws:iam::123456789012:role/scoring'],
    );
    expect(describeMembership(g, 'arn:aws:s3:::features')).toEqual(['tagged aigis:ai-workload=true']);
    expect(describeMembership(g, 'arn:aws:s3:::raw')).toEqual(['listed in the config (aiWorkloads.resources)']);
    expect(isAiResource(g, 'arn:aws:iam::123456789012:role/scoring')).toBe(true);
    expect(isAiResource(g, 'arn:aws:s3:::other')).toBe(false);
  });

  it('takes the buckets of the S3 data jobs, models and custom models read and write', () => {
    const job = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:123456789012:${kind}/${name}`;
    const g = graphOf({
      sagemaker: {
        trainingJobs: [
          {
            arn: job('training-job', 'train-1'),
            region: 'us-east-1',
            name: 'train-1',
            inputS3Uris: ['s3://raw-data/train/', 's3://raw-data/validation/', 's3://features'],
            outputS3Path: 's3://artifacts/train-1/',
            checkpointS3Uri: 's3://scratch/checkpoints/train-1',
          },
          { arn: job('training-job', 'train-2'), region: 'us-east-1', name: 'train-2', outputS3Path: 's3://artifacts/train-2/', checkpointS3Uri: null },
        ],
        processingJobs: [
          { arn: job('processing-job', 'prep'), region: 'us-east-1', name: 'prep', inputS3Uris: ['s3://raw-data/in/'], outputS3Uris: ['s3://features/out/'] },
        ],
        models: [{ arn: job('model', 'scorer'), region: 'us-east-1', name: 'scorer', modelDataUrls: ['s3://artifacts/train-1/output/model.tar.gz', 's3://artifacts/adapter/'] }],
      },
      bedrock: {
        customModels: [
          {
            arn: 'arn:aws:bedrock:us-east-1:123456789012:custom-model/titan/ft1',
            region: 'us-east-1',
            name: 'support-ft',
            trainingDataS3Uri: 's3://raw-data/bedrock/train.jsonl',
            validationDataS3Uris: ['s3://eval/validation.jsonl'],
            outputDataS3Uri: 's3://artifacts/bedrock/',
            roleArn: 'arn:aws:iam::123456789012:role/bedrock-customization',
          },
          { arn: 'arn:aws:bedrock:us-east-1:123456789012:imported-model/x', region: 'us-east-1', name: 'imported', roleArn: null, trainingDataS3Uri: null, outputDataS3Uri: null },
        ],
      },
    });
    expect(describeMembership(g, 'arn:aws:s3:::raw-data')).toEqual([
      'training data of custom model support-ft',
      'processing input of processing job prep',
      'training data of training job train-1',
    ]);
    expect(describeMembership(g, 'arn:aws:s3:::artifacts')).toEqual([
      'output of custom model support-ft',
      'model artifacts of model scorer',
      'output of training job train-1',
      'output of training job train-2',
    ]);
    expect(describeMembership(g, 'arn:aws:s3:::features')).toEqual(['processing output of processing job prep', 'training data of training job train-1']);
    expect(describeMembership(g, 'arn:aws:s3:::scratch')).toEqual(['checkpoints of training job train-1']);
    expect(describeMembership(g, 'arn:aws:s3:::eval')).toEqual(['validation data of custom model support-ft']);
    expect(describeMembership(g, 'arn:aws:iam::123456789012:role/bedrock-customization')).toEqual(['customization role of custom model support-ft']);
    // Null (none) adds nothing; every member is a bucket ARN, a role or a workload's own ARN.
    expect([...g.members.keys()].sort()).toEqual([
      'arn:aws:iam::123456789012:role/bedrock-customization',
      'arn:aws:s3:::artifacts',
      'arn:aws:s3:::eval',
      'arn:aws:s3:::features',
      'arn:aws:s3:::raw-data',
      'arn:aws:s3:::scratch',
    ]);
  });

  it('counts a reason once: a workload listed twice, two channels in one bucket, a tag and a workload', () => {
    const job = { arn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/t', region: 'us-east-1', name: 't', roleArn: 'arn:aws:iam::123456789012:role/r', inputS3Uris: ['s3://data/a/', 's3://data/b/'] };
    const other = { ...job, arn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/u', name: 'u' };
    const g = graphOf(
      { s3: { buckets: [{ arn: 'arn:aws:s3:::data', name: 'data', region: 'us-east-1', tags: { 'aigis:ai-workload': 'true' } }] }, sagemaker: { trainingJobs: [job, other, job] } },
      ['data'],
    );
    expect(describeMembership(g, 'arn:aws:s3:::data')).toEqual([
      'listed in the config (aiWorkloads.resources)',
      'tagged aigis:ai-workload=true',
      'training data of training job t',
      'training data of training job u',
    ]);
    expect(describeMembership(g, 'arn:aws:iam::123456789012:role/r')).toEqual(['execution role of training job t', 'execution role of training job u']);
  });

  it('names buckets in the inventory\'s partition and ignores URIs that are not s3://bucket/...', () => {
    const g = graphOf({
      account: { id: '123456789012', partition: 'aws-cn' },
      sagemaker: {
        models: [
          {
            arn: 'arn:aws-cn:sagemaker:cn-north-1:123456789012:model/m',
            region: 'cn-north-1',
            name: 'm',
            modelDataUrls: ['https://artifacts.s3.amazonaws.com/model.tar.gz', 's3://', 's3:///key', 's3://Bad_Bucket/x', 's3://a/x', 'S3://cn-artifacts/model.tar.gz', 'file:///tmp/m', ''],
          },
        ],
      },
    });
    expect([...g.members.keys()]).toEqual(['arn:aws-cn:s3:::cn-artifacts']);
  });

  it('parses s3 URIs to their bucket, safely', () => {
    expect(bucketOfS3Uri('s3://my-bucket/some/key.jsonl')).toBe('my-bucket');
    expect(bucketOfS3Uri('s3://my.bucket.v2')).toBe('my.bucket.v2');
    expect(bucketOfS3Uri('s3://my-bucket/')).toBe('my-bucket');
    for (const bad of ['s3://', 's3://ab/x', 's3://-bucket/x', 's3://bucket-/x', 's3://my..bucket/x', `s3://${'a'.repeat(64)}/x`, 's3a://bucket/x', 'bucket/x', 's3:/bucket/x', 's3://bucket name/x', 's3://arn:aws:s3:us-east-1:123456789012:accesspoint/ap/x']) {
      expect(bucketOfS3Uri(bad), bad).toBeUndefined();
    }
    // Long hostile input is read in linear time.
    expect(bucketOfS3Uri(`s3://${'a'.repeat(100_000)}`)).toBeUndefined();
  });

  it('finds an agent\'s guardrail by id or by ARN', () => {
    const guardrail = (id: string) => ({ arn: `arn:aws:bedrock:us-east-1:123456789012:guardrail/${id}`, region: 'us-east-1', id, name: id });
    const agent = (id: string, guardrailId: string) => ({ arn: `arn:aws:bedrock:us-east-1:123456789012:agent/${id}`, region: 'us-east-1', id, name: id, guardrail: { id: guardrailId } });
    const g = graphOf({
      bedrock: {
        guardrails: [guardrail('gr1'), guardrail('gr2')],
        agents: [agent('A1', 'gr1'), agent('A2', 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr2'), agent('A3', 'gr-unknown')],
      },
    });
    expect(describeMembership(g, 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1')).toEqual(['AI workload (guardrail)', 'guardrail of agent A1']);
    expect(describeMembership(g, 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr2')).toEqual(['AI workload (guardrail)', 'guardrail of agent A2']);
    expect([...g.members.keys()].some((k) => k.includes('gr-unknown'))).toBe(false);
  });

  it('reads the data-class tag tiers, and nothing else', () => {
    expect(dataClassOf({ 'aigis:data-class': 'Restricted' })).toBe('restricted');
    expect(dataClassOf({ 'aigis:data-class': 'secret' })).toBeUndefined();
    expect(dataClassOf(undefined)).toBeUndefined();
  });
});

describe('the SageMaker deployment chain', () => {
  it('joins endpoint -> endpoint config -> model -> model package, schedules to endpoints and cards to models and keys', () => {
    const a = '123456789012';
    const sm = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:${a}:${kind}/${name}`;
    const inventory = parseInventory(
      {
        schemaVersion: '1.0',
        account: { id: a },
        regions: ['us-east-1'],
        sagemaker: {
          models: [{ arn: sm('model', 'ner'), region: 'us-east-1', name: 'NER', modelPackageName: sm('model-package', 'ner/3') }],
          endpointConfigs: [{ arn: sm('endpoint-config', 'cfg'), region: 'us-east-1', name: 'cfg', productionVariants: [{ variantName: 'a', modelName: 'ner' }] }],
          endpoints: [{ arn: sm('endpoint', 'ep'), region: 'us-east-1', name: 'ep', endpointConfigName: 'CFG' }],
          monitoringSchedules: [{ arn: sm('monitoring-schedule', 'dq'), region: 'us-east-1', name: 'dq', endpointName: 'ep' }],
          modelCards: [{ arn: sm('model-card', 'card'), region: 'us-east-1', name: 'card', kmsKeyId: `arn:aws:kms:us-east-1:${a}:key/k`, modelName: 'ner' }],
        },
      },
      'chain.json',
    );
    const graph = buildAiAssetGraph(inventory, new InventoryIndex(inventory));
    expect(describeMembership(graph, sm('endpoint-config', 'cfg'))).toEqual(['AI workload (endpoint config)', 'endpoint config of endpoint ep']);
    expect(describeMembership(graph, sm('model', 'ner'))).toEqual(['AI workload (model)', 'deployed model of endpoint config cfg', 'documented model of model card card']);
    expect(describeMembership(graph, sm('model-package', 'ner/3'))).toEqual(['model package of model NER']);
    expect(describeMembership(graph, sm('endpoint', 'ep'))).toEqual(['AI workload (endpoint)', 'monitored endpoint of monitoring schedule dq']);
    expect(describeMembership(graph, `arn:aws:kms:us-east-1:${a}:key/k`)).toEqual(['encryption key of model card card']);
  });
});
