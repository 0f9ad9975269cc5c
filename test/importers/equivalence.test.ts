/**
 * The same platform written three ways (CloudFormation template, Terraform plan, snapshot of the
 * deployed account) must give the rules the same facts, and so every rule the same verdict on
 * every resource: S3 buckets with their settings and policies, KMS keys, trails with CloudWatch
 * Logs and selectors, IAM roles, users, groups and policies, Bedrock guardrails, agents,
 * knowledge bases with their data sources, prompts and flows,
 * SageMaker notebooks, models, endpoint configurations, a monitoring job definition and a domain,
 * VPC endpoints, CloudWatch Logs metric filters and CloudWatch alarms, and the detective controls.
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlan } from '../../src/importers/iac/index.js';
import { buildAiAssetGraph, describeMembership } from '../../src/engine/ai-graph.js';
import { DEFAULT_APPROVED_MODELS } from '../../src/engine/config.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { fixture } from './helpers.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const template = fixture('equivalence/template.yaml');
const plan = fixture('equivalence/plan.json');
const snapshot = fixture('equivalence/snapshot.json');

const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(template.text, template.file, { accountId: ACCOUNT, region: REGION }), template.file),
  terraform: parseInventory(importTerraformPlan(plan.text, plan.file, { accountId: ACCOUNT }), plan.file),
  snapshot: parseInventory(JSON.parse(snapshot.text), snapshot.file),
};

/**
 * What names a resource whose identifier is assigned at deploy time (KMS key ids, guardrail, agent,
 * domain and VPC endpoint ids): a template, a plan and the deployed account each have their own.
 */
function identities(inventory: Inventory): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of inventory.kms?.keys ?? []) names.set(k.arn, `kms key "${k.description ?? k.aliases[0] ?? k.keyId}"`);
  for (const g of inventory.bedrock?.guardrails ?? []) names.set(g.arn, `guardrail ${g.name}`);
  for (const a of inventory.bedrock?.agents ?? []) names.set(a.arn, `agent ${a.name}`);
  const kbNames = new Map((inventory.bedrock?.knowledgeBases ?? []).map((k) => [k.id, k.name]));
  for (const k of inventory.bedrock?.knowledgeBases ?? []) names.set(k.arn, `knowledge base ${k.name}`);
  for (const d of inventory.bedrock?.dataSources ?? []) names.set(d.arn, `data source ${kbNames.get(d.knowledgeBaseId) ?? 'unresolved'}/${d.name}`);
  for (const p of inventory.bedrock?.prompts ?? []) names.set(p.arn, `prompt ${p.name}`);
  for (const f of inventory.bedrock?.flows ?? []) names.set(f.arn, `flow ${f.name}`);
  for (const c of inventory.opensearchServerless?.collections ?? []) names.set(c.arn, `collection ${c.name}`);
  for (const d of inventory.sagemaker?.domains ?? []) names.set(d.arn, `domain ${d.name}`);
  for (const e of inventory.ec2?.vpcEndpoints ?? []) names.set(e.arn, `vpc endpoint ${e.serviceName}`);
  const apiNames = new Map((inventory.apiGateway?.restApis ?? []).map((a) => [a.id, a.name]));
  for (const a of inventory.apiGateway?.restApis ?? []) names.set(a.arn, `rest api ${a.name}`);
  for (const s of inventory.apiGateway?.stages ?? []) names.set(s.arn, `stage ${apiNames.get(s.restApiId) ?? 'unresolved'}/${s.name}`);
  for (const p of inventory.apiGateway?.usagePlans ?? []) names.set(p.arn, `usage plan ${p.name}`);
  for (const w of inventory.wafv2?.webAcls ?? []) names.set(w.arn, `web acl ${w.name}`);
  return names;
}

/** The facts rules read, with deploy-time identifiers replaced by what they name or resolve to. */
function facts(inventory: Inventory) {
  const index = new InventoryIndex(inventory);
  const names = identities(inventory);
  const keyManager = (reference: string | null | undefined, region: string) =>
    reference ? (index.resolveKmsKey(reference, region)?.keyManager ?? 'unresolved') : reference;
  const statements = (doc: { normalized: { statements: { effect: string; action?: readonly string[]; resource?: string[] }[] } } | null | undefined) =>
    doc?.normalized.statements.map((s) => ({ effect: s.effect, action: s.action, resource: s.resource }));
  const sorted = <T extends { arn: string }>(list: readonly T[] | undefined) =>
    [...(list ?? [])].sort((a, b) => (names.get(a.arn) ?? a.arn).localeCompare(names.get(b.arn) ?? b.arn));
  const principal = (p: { arn: string; inlinePolicies: { name: string; policy: Parameters<typeof statements>[0] }[]; attachedManagedPolicies: string[] }) => ({
    arn: p.arn,
    inline: p.inlinePolicies.map((i) => ({ name: i.name, statements: statements(i.policy) })),
    attached: [...p.attachedManagedPolicies].sort(),
  });
  const guardrailNames = new Map((inventory.bedrock?.guardrails ?? []).map((g) => [g.id, g.name]));
  return {
    account: inventory.account,
    accountPublicAccessBlock: inventory.s3?.accountPublicAccessBlock,
    buckets: sorted(inventory.s3?.buckets).map((b) => ({
      arn: b.arn,
      publicAccessBlock: b.publicAccessBlock,
      encryption: b.encryption?.rules.map((r) => ({ sseAlgorithm: r.sseAlgorithm, key: keyManager(r.kmsMasterKeyId, b.region) })),
      versioning: b.versioning?.status,
      policy: b.policy === null ? null : statements(b.policy),
      logging: b.logging,
      ownership: b.ownership,
      objectLock: b.objectLock,
      lifecycle: b.lifecycle,
      replication: b.replication,
    })),
    keys: sorted(inventory.kms?.keys).map((k) => ({
      key: names.get(k.arn),
      keyManager: k.keyManager,
      rotationEnabled: k.rotationEnabled,
      policy: statements(k.policy),
    })),
    trails: sorted(inventory.cloudtrail?.trails).map((t) => ({
      arn: t.arn,
      isMultiRegionTrail: t.isMultiRegionTrail,
      isLogging: t.isLogging,
      logFileValidationEnabled: t.logFileValidationEnabled,
      key: keyManager(t.kmsKeyId, t.region),
      s3BucketName: t.s3BucketName,
      // A Terraform interpolation ("${aws_cloudwatch_log_group.x.arn}:*") resolves to the log group's ARN without its ":*".
      cloudWatchLogs: t.cloudWatchLogsLogGroupArn?.replace(/:\*$/, ''),
      eventSelectors: t.eventSelectors,
      advancedEventSelectors: t.advancedEventSelectors,
    })),
    roles: sorted(inventory.iam?.roles).map((r) => ({ ...principal(r), region: r.region, trust: statements(r.trustPolicy) })),
    users: sorted(inventory.iam?.users).map((u) => ({ ...principal(u), groups: [...u.groups].sort(), consoleAccess: u.consoleAccess })),
    groups: sorted(inventory.iam?.groups).map(principal),
    policies: sorted(inventory.iam?.policies).map((p) => ({ arn: p.arn, statements: statements(p.document), attachmentCount: p.attachmentCount })),
    guardrails: sorted(inventory.bedrock?.guardrails).map((g) => ({
      name: g.name,
      key: keyManager(g.kmsKeyArn, g.region),
      contentPolicy: g.contentPolicy,
      sensitiveInformationPolicy: g.sensitiveInformationPolicy,
      topicPolicy: g.topicPolicy,
      wordPolicy: g.wordPolicy,
      contextualGroundingPolicy: g.contextualGroundingPolicy,
    })),
    agents: sorted(inventory.bedrock?.agents).map((a) => ({
      name: a.name,
      roleArn: a.roleArn,
      foundationModel: a.foundationModel,
      key: keyManager(a.kmsKeyArn, a.region),
      guardrail: a.guardrail && { name: guardrailNames.get(a.guardrail.id) ?? 'unresolved', version: a.guardrail.version },
    })),
    knowledgeBases: sorted(inventory.bedrock?.knowledgeBases).map((k) => ({
      knowledgeBase: names.get(k.arn),
      type: k.type,
      roleArn: k.roleArn,
      embeddingModelArn: k.embeddingModelArn,
      vectorStore: k.vectorStore && { ...k.vectorStore, ...(k.vectorStore.resourceArn ? { resourceArn: names.get(k.vectorStore.resourceArn) ?? k.vectorStore.resourceArn } : {}) },
      supplementalDataS3Uris: k.supplementalDataS3Uris,
    })),
    dataSources: sorted(inventory.bedrock?.dataSources).map((d) => ({
      dataSource: names.get(d.arn),
      knowledgeBase: d.knowledgeBaseArn === undefined ? undefined : names.get(d.knowledgeBaseArn),
      type: d.type,
      s3BucketArn: d.s3BucketArn,
      s3InclusionPrefixes: d.s3InclusionPrefixes,
      key: keyManager(d.kmsKeyArn, d.region),
    })),
    prompts: sorted(inventory.bedrock?.prompts).map((p) => ({ prompt: names.get(p.arn), key: keyManager(p.kmsKeyArn, p.region) })),
    flows: sorted(inventory.bedrock?.flows).map((f) => ({ flow: names.get(f.arn), roleArn: f.roleArn, key: keyManager(f.kmsKeyArn, f.region) })),
    collections: sorted(inventory.opensearchServerless?.collections).map((c) => ({ collection: names.get(c.arn), type: c.type, key: keyManager(c.kmsKeyArn, c.region) })),
    notebooks: sorted(inventory.sagemaker?.notebookInstances).map((n) => ({
      arn: n.arn,
      directInternetAccess: n.directInternetAccess,
      subnetId: n.subnetId,
      rootAccess: n.rootAccess,
      roleArn: n.roleArn,
      key: keyManager(n.kmsKeyId, n.region),
    })),
    models: sorted(inventory.sagemaker?.models).map((m) => ({
      arn: m.arn,
      enableNetworkIsolation: m.enableNetworkIsolation,
      vpcConfig: m.vpcConfig,
      executionRoleArn: m.executionRoleArn,
      containerImages: m.containerImages,
      modelDataUrls: m.modelDataUrls,
      modelPackageName: m.modelPackageName,
    })),
    endpointConfigs: sorted(inventory.sagemaker?.endpointConfigs).map((e) => ({
      arn: e.arn,
      key: keyManager(e.kmsKeyId, e.region),
      dataCaptureEnabled: e.dataCaptureEnabled,
      productionVariants: e.productionVariants,
    })),
    endpoints: sorted(inventory.sagemaker?.endpoints).map((e) => ({
      arn: e.arn,
      tags: e.tags,
      endpointConfigName: e.endpointConfigName,
      deploymentConfig: e.deploymentConfig,
    })),
    monitoringSchedules: sorted(inventory.sagemaker?.monitoringSchedules).map((m) => ({
      arn: m.arn,
      status: m.status,
      monitoringType: m.monitoringType,
      endpointName: m.endpointName,
      monitoringJobDefinitionName: m.monitoringJobDefinitionName,
      jobDefinition: m.jobDefinition,
    })),
    monitoringJobDefinitions: sorted(inventory.sagemaker?.monitoringJobDefinitions).map((d) => ({
      arn: d.arn,
      monitoringType: d.monitoringType,
      endpointName: d.endpointName,
      enableNetworkIsolation: d.enableNetworkIsolation,
      enableInterContainerTrafficEncryption: d.enableInterContainerTrafficEncryption,
      vpcConfig: d.vpcConfig,
      volumeKey: keyManager(d.volumeKmsKeyId, d.region),
      outputKey: keyManager(d.outputKmsKeyId, d.region),
      roleArn: d.roleArn,
    })),
    domains: sorted(inventory.sagemaker?.domains).map((d) => ({
      name: d.name,
      appNetworkAccessType: d.appNetworkAccessType,
      authMode: d.authMode,
      vpcId: d.vpcId,
      subnetIds: d.subnetIds,
      key: keyManager(d.kmsKeyId, d.region),
    })),
    vpcEndpoints: sorted(inventory.ec2?.vpcEndpoints).map((e) => ({
      endpoint: names.get(e.arn),
      vpcId: e.vpcId,
      type: e.type,
      privateDnsEnabled: e.privateDnsEnabled,
      policy: e.policy === null ? null : statements(e.policy),
    })),
    metricFilters: sorted(inventory.logs?.metricFilters).map((f) => ({
      arn: f.arn,
      logGroupName: f.logGroupName,
      filterPattern: f.filterPattern,
      metricTransformations: f.metricTransformations,
    })),
    alarms: sorted(inventory.cloudwatch?.alarms).map((a) => ({
      arn: a.arn,
      namespace: a.namespace,
      metricName: a.metricName,
      dimensions: a.dimensions,
      metrics: a.metrics,
      thresholdMetricId: a.thresholdMetricId,
      actionsEnabled: a.actionsEnabled,
      // A topic the plan creates has its ARN only after apply: how many actions, not which.
      alarmActions: a.alarmActions?.length,
    })),
    analyzers: sorted(inventory.accessAnalyzer?.analyzers).map((a) => ({ arn: a.arn, type: a.type, status: a.status })),
    detective: {
      // Discovery jobs and automated discovery have no CloudFormation type: compared below, plan against snapshot.
      macie: inventory.detective?.macie?.map((m) => ({ region: m.region, status: m.status })),
      guardDuty: inventory.detective?.guardDuty?.map((g) => ({ region: g.region, statuses: g.detectors.map((d) => d.status), features: g.detectors.map((d) => d.features) })),
      securityHub: inventory.detective?.securityHub?.map((h) => ({ region: h.region, enabled: h.enabled, standards: h.standards })),
      config: inventory.detective?.config,
    },
    // Endpoint types are left out: Terraform knows an unset one only after apply.
    restApis: sorted(inventory.apiGateway?.restApis).map((a) => ({ api: names.get(a.arn), methods: a.methods })),
    stages: sorted(inventory.apiGateway?.stages).map((s) => ({
      stage: names.get(s.arn),
      webAcl: s.webAclArn ? (names.get(s.webAclArn) ?? 'unresolved') : s.webAclArn,
      methodThrottles: s.methodThrottles,
    })),
    usagePlans: sorted(inventory.apiGateway?.usagePlans).map((p) => ({
      plan: names.get(p.arn),
      throttle: p.throttle,
      apiStages: p.apiStages?.map((s) => ({ stage: names.get(`${inventory.apiGateway!.restApis.find((a) => a.id === s.restApiId)?.arn}/stages/${s.stage}`), methodThrottles: s.methodThrottles })),
    })),
    webAcls: sorted(inventory.wafv2?.webAcls).map((w) => ({ acl: names.get(w.arn), scope: w.scope, defaultAction: w.defaultAction, rules: w.rules })),
  };
}

/**
 * Rules that no template or plan can give a verdict other than unknown, with why. Every other rule
 * must judge some resource of the fixtures the same way from all three sources, and not as unknown.
 */
const NOT_DECIDED_FROM_CODE: Record<string, string> = {
  'iam-root-account-mfa': 'the root user is no resource of a template or plan',
  'iam-root-no-access-keys': 'the root user is no resource of a template or plan',
  'bedrock-invocation-logging': 'model invocation logging has no CloudFormation resource type',
  'bedrock-invocation-log-bucket-protected': 'judges the bucket that model invocation logging names, which has no CloudFormation resource type',
  'bedrock-invocation-log-group-encrypted': 'judges the log group that model invocation logging names, which has no CloudFormation resource type',
  'access-analyzer-ai-findings': 'active findings are produced by the running analyzer, which no template or plan declares',
  'config-recorder-enabled': 'whether a recorder is recording is not declared (it starts with its delivery channel)',
  'iam-users-no-ai-access-keys': 'access keys come from the IAM credential report, which no template or plan declares',
  // Organization rules judge the SCPs, opt-out policy and delegated administrators of an
  // organization scan; a template or plan is one account's code, without its organization.
  'org-ai-services-opt-out': 'the organization is read from the management account, not from code',
  'org-scp-ai-approved-regions': 'the organization is read from the management account, not from code',
  'org-scp-bedrock-approved-models': 'the organization is read from the management account, not from code',
  'org-scp-model-artifact-deletion-denied': 'the organization is read from the management account, not from code',
  'org-scp-sagemaker-kms-required': 'the organization is read from the management account, not from code',
  'org-security-services-delegated-admin': 'the organization is read from the management account, not from code',
};

/**
 * Why each bucket and role serves AI, from the AI asset graph. The graph orders reasons by workload
 * ARN, which holds deploy-time ids (agents): compared here as sorted phrases.
 */
function aiMembership(inventory: Inventory) {
  const graph = buildAiAssetGraph(inventory, new InventoryIndex(inventory));
  return [...(inventory.s3?.buckets ?? []), ...(inventory.iam?.roles ?? [])]
    .map((r) => [r.arn, describeMembership(graph, r.arn).sort()] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Rules about resource types the Terraform AWS provider has no resource for: a plan cannot declare them. */
const NOT_IN_TERRAFORM: Record<string, string> = {
  'sagemaker-endpoint-model-card': 'model cards have no resource in the AWS provider',
  'sagemaker-model-card-kms-cmk': 'model cards have no resource in the AWS provider',
};

/** Rules about settings CloudFormation has no resource type for: a template cannot declare them. */
const NOT_IN_CLOUDFORMATION: Record<string, string> = {
  'macie-ai-data-discovery': 'Macie discovery jobs and automated discovery have no CloudFormation resource type (AWS::Macie::Session only)',
};

/** Macie discovery jobs (deploy-time ids left out) and Inspector scan types, which only the plan and the snapshot hold. */
function discovery(inventory: Inventory) {
  return {
    jobs: (inventory.detective?.macie ?? []).flatMap((m) =>
      (m.classificationJobs ?? []).map((j) => ({ region: m.region, name: j.name, jobType: j.jobType, bucketDefinitions: j.bucketDefinitions, bucketCriteria: j.bucketCriteria })),
    ),
    ecrScanning: (inventory.detective?.inspector ?? []).map((i) => ({ region: i.region, ecr: i.ecr })),
  };
}

/** Model cards, which only the template and the snapshot hold. */
function modelCards(inventory: Inventory) {
  const index = new InventoryIndex(inventory);
  return [...(inventory.sagemaker?.modelCards ?? [])]
    .sort((a, b) => a.arn.localeCompare(b.arn))
    .map((c) => ({
      arn: c.arn,
      status: c.status,
      key: c.kmsKeyId ? (index.resolveKmsKey(c.kmsKeyId, c.region)?.keyManager ?? 'unresolved') : c.kmsKeyId,
      modelId: c.modelId,
      modelName: c.modelName,
    }));
}

describe('CloudFormation, Terraform plan and snapshot of the same resources', () => {
  it('give the same inventory-relevant facts', () => {
    const expected = facts(inventories.snapshot!);
    expect(expected.buckets).toHaveLength(5);
    expect(expected.endpoints).toHaveLength(2);
    expect(expected.monitoringSchedules).toHaveLength(1);
    expect(expected.metricFilters).toHaveLength(1);
    expect(expected.alarms).toHaveLength(3);
    expect(expected.monitoringJobDefinitions).toHaveLength(1);
    expect(facts(inventories.cloudformation!)).toEqual(expected);
    expect(facts(inventories.terraform!)).toEqual(expected);
    expect(modelCards(inventories.snapshot!)).toHaveLength(2);
    expect(modelCards(inventories.cloudformation!)).toEqual(modelCards(inventories.snapshot!));
    expect(expected.models.map((m) => m.modelDataUrls)).toEqual([['s3://eq-exports/models/scorer/model.tar.gz'], ['s3://eq-scratch/models/open/']]);
  });

  it('give the plan the Macie discovery jobs (a bucket created in the same apply included) and the Inspector ECR enabler the snapshot shows', () => {
    const expected = discovery(inventories.snapshot!);
    expect(expected.jobs.map((j) => j.name)).toEqual(['eq-ai-data', 'eq-tagged']);
    expect(discovery(inventories.terraform!)).toEqual(expected);
    expect(discovery(inventories.cloudformation!)).toEqual({ jobs: [], ecrScanning: [] });
  });

  it('put the same buckets and roles in the AI asset graph, for the same reasons', () => {
    const expected = aiMembership(inventories.snapshot!);
    expect(Object.fromEntries(expected)).toMatchObject({
      'arn:aws:s3:::eq-exports': ['model artifacts of model eq-isolated'],
      'arn:aws:s3:::eq-scratch': ['data source bucket of knowledge base eq-docs-kb', 'model artifacts of model eq-open-model'],
    });
    expect(aiMembership(inventories.cloudformation!)).toEqual(expected);
    expect(aiMembership(inventories.terraform!)).toEqual(expected);
  });

  it('give every rule the same verdict on every resource they declare', async () => {
    const rules = await loadRules();
    const settings = { bedrock: { approvedModels: [...DEFAULT_APPROVED_MODELS] }, aiWorkloads: { resources: [] }, assume: { accountPublicAccessBlock: false } };
    const verdicts: Record<string, Map<string, { verdict: string; account: boolean }>> = {};
    for (const [kind, inventory] of Object.entries(inventories)) {
      const result = await runScan({ inventory, rules, frameworks: [], settings }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
      const names = identities(inventory);
      verdicts[kind] = new Map(
        result.findings.map((f) => [`${f.ruleId} ${names.get(f.resource.arn) ?? f.resource.arn}`, { verdict: f.verdict, account: f.resource.type === 'AWS::::Account' }]),
      );
    }
    const snapshotVerdicts = verdicts.snapshot!;
    // One documented difference: a bucket whose own settings are explicitly false fails from code
    // (the account level is not in it; config assume.accountPublicAccessBlock would record it),
    // while the snapshot, whose account level was not collected, answers unknown.
    const scratch = 's3-block-public-access arn:aws:s3:::eq-scratch';
    expect(snapshotVerdicts.get(scratch)?.verdict).toBe('unknown');
    const decided = new Set<string>();
    for (const kind of ['cloudformation', 'terraform']) {
      const fromCode = verdicts[kind]!;
      expect(fromCode.get(scratch)?.verdict, kind).toBe('fail');
      const differences: string[] = [];
      for (const key of [...new Set([...fromCode.keys(), ...snapshotVerdicts.keys()])].sort()) {
        if (key === scratch) continue;
        const code = fromCode.get(key);
        const deployed = snapshotVerdicts.get(key);
        // Account-wide findings (AWS::::Account: "a multi-region trail exists", "the region has the
        // endpoints it needs", the root user) are compared only where the template or plan decides
        // them. Code is a partial inventory: where absence would decide, rules answer unknown there,
        // while the account may answer otherwise. The detective controls (GuardDuty, Config,
        // Security Hub, Macie, Access Analyzer) are judged per region on the declared resources,
        // and compared like any resource.
        if ((code?.account || deployed?.account) && (code?.verdict ?? 'unknown') === 'unknown') continue;
        // Likewise the facts no code declares (NOT_DECIDED_FROM_CODE), which the account answers.
        if (NOT_DECIDED_FROM_CODE[key.split(' ')[0]!] && code?.verdict === 'unknown') continue;
        if (kind === 'terraform' && NOT_IN_TERRAFORM[key.split(' ')[0]!] && (code?.verdict ?? 'unknown') === 'unknown') continue;
        if (kind === 'cloudformation' && NOT_IN_CLOUDFORMATION[key.split(' ')[0]!] && (code?.verdict ?? 'unknown') === 'unknown') continue;
        if (code?.verdict !== deployed?.verdict) differences.push(`${key}: ${kind}=${code?.verdict ?? '-'} snapshot=${deployed?.verdict ?? '-'}`);
        else if (code?.verdict !== 'unknown') decided.add(key.split(' ')[0]!);
      }
      expect(differences, `verdicts that differ between ${kind} and the snapshot`).toEqual([]);
    }
    // Real verdicts, not a wall of unknowns: every rule decides something from code, but those
    // that cannot (with why).
    const undecided = rules.map((r) => r.meta.id).filter((id) => !decided.has(id)).sort();
    expect(undecided).toEqual(Object.keys(NOT_DECIDED_FROM_CODE).sort());
    const has = (key: string, verdict: string) => expect(snapshotVerdicts.get(key)?.verdict, key).toBe(verdict);
    has('s3-sse-kms-cmk arn:aws:s3:::eq-training-data', 'pass');
    has('s3-sse-kms-cmk arn:aws:s3:::eq-scratch', 'fail');
    has('s3-sse-kms-cmk arn:aws:s3:::eq-exports', 'fail');
    has('s3-block-public-access arn:aws:s3:::eq-training-data', 'pass');
    has(`iam-no-s3-wildcard arn:aws:iam::${ACCOUNT}:role/eq-training-role`, 'fail');
    has(`iam-no-s3-wildcard arn:aws:iam::${ACCOUNT}:role/eq-scoped-role`, 'pass');
    has(`bedrock-model-allowlist arn:aws:iam::${ACCOUNT}:role/eq-scoped-role`, 'fail');
    has(`cloudtrail-multi-region-logging arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/eq-audit`, 'pass');
    has(`sagemaker-network-isolation arn:aws:sagemaker:${REGION}:${ACCOUNT}:notebook-instance/eq-open`, 'fail');
    has(`sagemaker-network-isolation arn:aws:sagemaker:${REGION}:${ACCOUNT}:notebook-instance/eq-private`, 'pass');
    has(`sagemaker-network-isolation arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/eq-isolated`, 'pass');
    has(`sagemaker-network-isolation arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/eq-open-model`, 'fail');
    has('kms-key-rotation kms key "training data CMK"', 'pass');
    has('kms-key-policy-not-public kms key "vendor exchange key"', 'fail');
    has('bedrock-agent-guardrail agent eq-triage', 'pass');
    has('bedrock-kb-data-source-cmk data source eq-docs-kb/eq-handbook', 'pass');
    // The collection's key: an AWS owned key, from the encryption policy matching eq-kb-* (code) or BatchGetCollection (snapshot).
    has('bedrock-kb-vector-store-cmk knowledge base eq-docs-kb', 'fail');
    has('bedrock-kb-data-source-cmk data source eq-docs-kb/eq-scratch-docs', 'fail');
    has('apigateway-ai-waf stage eq-scorer-api/prod', 'pass');
    has('apigateway-ai-waf stage eq-scorer-api/dev', 'fail');
    has('apigateway-ai-waf stage eq-chat-api/prod', 'fail'); // its rate-based rule only counts
    has('apigateway-ai-throttling stage eq-scorer-api/prod', 'pass');
    has('apigateway-ai-throttling stage eq-scorer-api/dev', 'fail');
    has('apigateway-ai-throttling stage eq-chat-api/prod', 'pass'); // the usage plan throttles its API-key method
    has('bedrock-kb-vector-store-cmk knowledge base eq-faq-kb', 'not_applicable');
    has('bedrock-prompt-flow-cmk prompt eq-answer', 'pass');
    has('bedrock-prompt-flow-cmk prompt eq-raw', 'fail');
    has('bedrock-prompt-flow-cmk flow eq-router', 'pass');
    has(`iam-ai-execution-role-scoped arn:aws:iam::${ACCOUNT}:role/eq-kb-role`, 'pass');
    has('bedrock-guardrail-prompt-attack guardrail eq-lax', 'fail');
    has('sagemaker-domain-vpc-only domain eq-studio', 'pass');
    const definition = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:data-quality-job-definition/eq-scorer-quality`;
    has(`sagemaker-network-isolation ${definition}`, 'pass');
    has(`sagemaker-inter-container-encryption ${definition}`, 'fail');
    has(`sagemaker-vpc-config ${definition}`, 'fail');
    has(`sagemaker-kms-encryption ${definition}`, 'fail');
    has(`sagemaker-network-isolation arn:aws:sagemaker:${REGION}:${ACCOUNT}:monitoring-schedule/eq-scorer-quality`, 'not_applicable');
    has('s3-object-lock-audit-logs arn:aws:s3:::eq-audit-logs', 'pass');
    has(`cloudtrail-iam-change-alarm arn:aws:iam::${ACCOUNT}:root`, 'pass');
    has(`bedrock-usage-alarm arn:aws:bedrock:${REGION}:${ACCOUNT}:usage-alarm`, 'pass');
    has('bedrock-guardrail-alarm guardrail eq-strict', 'fail');
    has('macie-ai-data-discovery arn:aws:s3:::eq-training-data', 'pass');
    has('macie-ai-data-discovery arn:aws:s3:::eq-exports', 'pass');
    has('macie-ai-data-discovery arn:aws:s3:::eq-scratch', 'unknown');
    has(`inspector-ai-image-scanning arn:aws:inspector2:${REGION}:${ACCOUNT}:ecr-scanning`, 'pass');
    expect(verdicts.terraform!.get('macie-ai-data-discovery arn:aws:s3:::eq-training-data')?.verdict).toBe('pass');
    expect(verdicts.cloudformation!.get('macie-ai-data-discovery arn:aws:s3:::eq-training-data')?.verdict).toBe('unknown');
    expect(verdicts.terraform!.get(`inspector-ai-image-scanning arn:aws:inspector2:${REGION}:${ACCOUNT}:ecr-scanning`)?.verdict).toBe('pass');
    expect(verdicts.cloudformation!.get(`inspector-ai-image-scanning arn:aws:inspector2:${REGION}:${ACCOUNT}:ecr-scanning`)?.verdict).toBe('unknown');
  });
});
