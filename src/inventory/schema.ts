/**
 * The normalized inventory: the one contract between collectors/importers and rules.
 *
 * Conventions that every producer and every rule relies on:
 * - A field that is absent (undefined) was NOT collected: rules must answer `unknown` for it.
 * - A field that is `null` was collected and the setting does not exist (e.g. no bucket policy,
 *   no public access block configuration, invocation logging never configured).
 * - A whole section (s3, iam, ...) that is absent was not collected at all.
 * - Policy documents are accepted as written (a JSON object, or a JSON string, URL-encoded or not,
 *   as IAM returns them) and are normalized by the loader; see `policyDocument` below.
 */
import { z } from 'zod';
import { normalizePolicyInput, type PolicyDocument } from '../policy/document.js';

import { SCHEMA_VERSION } from './version.js';

export { SCHEMA_VERSION };

const arn = z.string().min(1);
const tags = z.record(z.string(), z.string());

/** Where a resource came from when it was read from a file (IaC templates, plans, exports). */
export const sourceLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  /** CloudFormation logical id or Terraform address. */
  logicalId: z.string().optional(),
  /** Location of individual properties, keyed by a dotted property path (e.g. `BucketEncryption`). */
  properties: z
    .record(
      z.string(),
      z.object({
        line: z.number().int().positive(),
        column: z.number().int().positive().optional(),
        /** Set when the setting is declared in another file than the resource (e.g. a Terraform split S3 resource). */
        file: z.string().optional(),
      }),
    )
    .optional(),
});
export type SourceLocation = z.infer<typeof sourceLocationSchema>;

/**
 * A policy as written, normalized on load. Output type carries both the raw document and the
 * normalized statements; the input type is whatever a user or AWS wrote.
 */
export const policyDocument = z.unknown().transform((value, ctx): PolicyDocument => {
  const result = normalizePolicyInput(value);
  if (!result.ok) {
    for (const issue of result.errors) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  }
  return result.document;
});

const resourceBase = {
  arn,
  region: z.string(),
  name: z.string().optional(),
  tags: tags.optional(),
  source: sourceLocationSchema.optional(),
  /**
   * IaC only: property paths (same keys as `source.properties`) whose value cannot be known before
   * deploy/apply (parameter without default, Fn::ImportValue, computed attribute). The matching
   * inventory fields are left absent, so rules answer `unknown`; this says why.
   */
  unresolved: z.array(z.string()).optional(),
};

// ---------------------------------------------------------------- S3
export const publicAccessBlockSchema = z.object({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});
export type PublicAccessBlock = z.infer<typeof publicAccessBlockSchema>;

export const bucketEncryptionRuleSchema = z.object({
  /** `AES256`, `aws:kms`, `aws:kms:dsse`, as written by S3. */
  sseAlgorithm: z.string(),
  /** Key id, key ARN, alias name or alias ARN exactly as configured; absent means the AWS managed key. */
  kmsMasterKeyId: z.string().optional(),
  bucketKeyEnabled: z.boolean().optional(),
});

/** One S3 lifecycle rule, reduced to what retention and disposition checks read. */
export const lifecycleRuleSchema = z.object({
  id: z.string().optional(),
  enabled: z.boolean(),
  /** Key prefix the rule is limited to (Filter.Prefix, And.Prefix or the legacy Prefix); absent: whole bucket. */
  prefix: z.string().optional(),
  /** True when the filter also names tags or object sizes, so only some objects are covered. */
  narrowed: z.boolean().optional(),
  /** Current versions expire after this many days. */
  expirationDays: z.number().optional(),
  /** Current versions expire on this date. */
  expirationDate: z.string().optional(),
  /** Storage classes current versions move to (in rule order). */
  transitions: z.array(z.string()).optional(),
  /** Noncurrent versions expire after this many days. */
  noncurrentExpirationDays: z.number().optional(),
  /** Storage classes noncurrent versions move to. */
  noncurrentTransitions: z.array(z.string()).optional(),
  abortIncompleteMultipartUploadDays: z.number().optional(),
});
export type LifecycleRule = z.infer<typeof lifecycleRuleSchema>;

/** One S3 replication rule. */
export const replicationRuleSchema = z.object({
  id: z.string().optional(),
  enabled: z.boolean(),
  /** Destination bucket ARN as configured. */
  destinationBucket: z.string().optional(),
  prefix: z.string().optional(),
});

export const s3BucketSchema = z.object({
  ...resourceBase,
  name: z.string(),
  creationDate: z.string().optional(),
  publicAccessBlock: publicAccessBlockSchema.nullable().optional(),
  /**
   * True when `publicAccessBlock` is S3's default for a bucket that the template or plan creates
   * without declaring the setting (all four on for new buckets since April 2023), not a declared value.
   */
  publicAccessBlockFromDefault: z.boolean().optional(),
  encryption: z.object({ rules: z.array(bucketEncryptionRuleSchema) }).nullable().optional(),
  policy: policyDocument.nullable().optional(),
  policyStatus: z.object({ isPublic: z.boolean() }).nullable().optional(),
  versioning: z
    .object({ status: z.enum(['Enabled', 'Suspended', 'Off']), mfaDelete: z.enum(['Enabled', 'Disabled']) })
    .optional(),
  objectLock: z
    .object({
      enabled: z.boolean(),
      defaultRetention: z
        .object({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), days: z.number().optional(), years: z.number().optional() })
        .optional(),
    })
    .nullable()
    .optional(),
  logging: z.object({ targetBucket: z.string(), targetPrefix: z.string().optional() }).nullable().optional(),
  ownership: z.object({ objectOwnership: z.string() }).nullable().optional(),
  /** Lifecycle configuration; null: the bucket has none (NoSuchLifecycleConfiguration). */
  lifecycle: z.object({ rules: z.array(lifecycleRuleSchema) }).nullable().optional(),
  /** Replication configuration; null: the bucket has none (ReplicationConfigurationNotFoundError). */
  replication: z
    .object({ role: z.string().optional(), rules: z.array(replicationRuleSchema) })
    .nullable()
    .optional(),
});
export type S3Bucket = z.infer<typeof s3BucketSchema>;

export const s3SectionSchema = z.object({
  /** Account-level (S3 Control) public access block; null when the account has none. */
  accountPublicAccessBlock: publicAccessBlockSchema.nullable().optional(),
  buckets: z.array(s3BucketSchema),
});

// ---------------------------------------------------------------- KMS
export const kmsKeySchema = z.object({
  ...resourceBase,
  keyId: z.string(),
  /** Alias names, `alias/...`. */
  aliases: z.array(z.string()).default([]),
  keyManager: z.enum(['AWS', 'CUSTOMER']),
  keyState: z.string().optional(),
  keySpec: z.string().optional(),
  keyUsage: z.string().optional(),
  origin: z.string().optional(),
  description: z.string().optional(),
  rotationEnabled: z.boolean().optional(),
  policy: policyDocument.nullable().optional(),
});
export type KmsKey = z.infer<typeof kmsKeySchema>;

// ---------------------------------------------------------------- CloudTrail
export const eventSelectorSchema = z.object({
  readWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).default('All'),
  includeManagementEvents: z.boolean().default(true),
  dataResources: z.array(z.object({ type: z.string(), values: z.array(z.string()) })).default([]),
  excludeManagementEventSources: z.array(z.string()).default([]),
});

export const advancedFieldSelectorSchema = z.object({
  field: z.string(),
  equals: z.array(z.string()).optional(),
  notEquals: z.array(z.string()).optional(),
  startsWith: z.array(z.string()).optional(),
  notStartsWith: z.array(z.string()).optional(),
  endsWith: z.array(z.string()).optional(),
  notEndsWith: z.array(z.string()).optional(),
});

export const advancedEventSelectorSchema = z.object({
  name: z.string().optional(),
  fieldSelectors: z.array(advancedFieldSelectorSchema),
});

export const cloudTrailSchema = z.object({
  ...resourceBase,
  name: z.string(),
  homeRegion: z.string(),
  isMultiRegionTrail: z.boolean(),
  isOrganizationTrail: z.boolean().default(false),
  /** From GetTrailStatus; absent when the status could not be read. */
  isLogging: z.boolean().optional(),
  logFileValidationEnabled: z.boolean().optional(),
  kmsKeyId: z.string().nullable().optional(),
  s3BucketName: z.string().optional(),
  cloudWatchLogsLogGroupArn: z.string().nullable().optional(),
  /** Classic selectors; null when the trail uses advanced selectors instead; absent when not read. */
  eventSelectors: z.array(eventSelectorSchema).nullable().optional(),
  advancedEventSelectors: z.array(advancedEventSelectorSchema).nullable().optional(),
});
export type CloudTrail = z.infer<typeof cloudTrailSchema>;

// ---------------------------------------------------------------- IAM
export const inlinePolicySchema = z.object({ name: z.string(), policy: policyDocument });
export type InlinePolicy = z.infer<typeof inlinePolicySchema>;

const principalBase = {
  ...resourceBase,
  name: z.string(),
  path: z.string().default('/'),
  id: z.string().optional(),
  createDate: z.string().optional(),
  /** ARNs of attached managed policies (AWS- or customer-managed). */
  attachedManagedPolicies: z.array(z.string()).default([]),
  inlinePolicies: z.array(inlinePolicySchema).default([]),
  permissionsBoundary: z.string().nullable().optional(),
};

export const iamUserSchema = z.object({
  ...principalBase,
  groups: z.array(z.string()).default([]),
  /** Has a console password (login profile). */
  consoleAccess: z.boolean().optional(),
  mfaEnabled: z.boolean().optional(),
  accessKeys: z
    .array(
      z.object({
        id: z.string(),
        status: z.enum(['Active', 'Inactive']),
        createDate: z.string().optional(),
        lastUsedDate: z.string().nullable().optional(),
      }),
    )
    .optional(),
  passwordLastUsed: z.string().nullable().optional(),
});
export type IamUser = z.infer<typeof iamUserSchema>;

export const iamGroupSchema = z.object({ ...principalBase });
export type IamGroup = z.infer<typeof iamGroupSchema>;

export const iamRoleSchema = z.object({
  ...principalBase,
  trustPolicy: policyDocument,
  description: z.string().optional(),
  maxSessionDuration: z.number().optional(),
  lastUsedDate: z.string().nullable().optional(),
});
export type IamRole = z.infer<typeof iamRoleSchema>;

export const iamManagedPolicySchema = z.object({
  ...resourceBase,
  name: z.string(),
  path: z.string().default('/'),
  awsManaged: z.boolean(),
  defaultVersionId: z.string().optional(),
  attachmentCount: z.number().int().nonnegative().optional(),
  /** Document of the default version; absent when it could not be read. */
  document: policyDocument.optional(),
});
export type IamManagedPolicy = z.infer<typeof iamManagedPolicySchema>;

export const iamSectionSchema = z.object({
  users: z.array(iamUserSchema).default([]),
  groups: z.array(iamGroupSchema).default([]),
  roles: z.array(iamRoleSchema).default([]),
  policies: z.array(iamManagedPolicySchema).default([]),
  accountSummary: z
    .object({ rootMfaEnabled: z.boolean().optional(), rootAccessKeysPresent: z.boolean().optional() })
    .optional(),
});

// ---------------------------------------------------------------- Bedrock
export const bedrockInvocationLoggingSchema = z.object({
  region: z.string(),
  /** null: never configured in this region. */
  config: z
    .object({
      textDataDeliveryEnabled: z.boolean().optional(),
      imageDataDeliveryEnabled: z.boolean().optional(),
      embeddingDataDeliveryEnabled: z.boolean().optional(),
      videoDataDeliveryEnabled: z.boolean().optional(),
      s3Config: z.object({ bucketName: z.string(), keyPrefix: z.string().optional() }).nullable().optional(),
      cloudWatchConfig: z
        .object({ logGroupName: z.string(), roleArn: z.string().optional() })
        .nullable()
        .optional(),
    })
    .nullable(),
});
export type BedrockInvocationLogging = z.infer<typeof bedrockInvocationLoggingSchema>;

const strength = z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
export const bedrockGuardrailSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  version: z.string().optional(),
  status: z.string().optional(),
  kmsKeyArn: z.string().nullable().optional(),
  contentPolicy: z
    .object({ filters: z.array(z.object({ type: z.string(), inputStrength: strength, outputStrength: strength })) })
    .nullable()
    .optional(),
  sensitiveInformationPolicy: z
    .object({
      piiEntities: z.array(z.object({ type: z.string(), action: z.string() })).default([]),
      regexes: z.array(z.object({ name: z.string(), pattern: z.string(), action: z.string() })).default([]),
    })
    .nullable()
    .optional(),
  topicPolicy: z.object({ topics: z.array(z.object({ name: z.string(), type: z.string() })) }).nullable().optional(),
  wordPolicy: z
    .object({ words: z.array(z.string()).default([]), managedWordLists: z.array(z.string()).default([]) })
    .nullable()
    .optional(),
  contextualGroundingPolicy: z
    .object({ filters: z.array(z.object({ type: z.string(), threshold: z.number() })) })
    .nullable()
    .optional(),
});
export type BedrockGuardrail = z.infer<typeof bedrockGuardrailSchema>;

export const bedrockCustomModelSchema = z.object({
  ...resourceBase,
  name: z.string(),
  baseModelArn: z.string().optional(),
  kmsKeyArn: z.string().nullable().optional(),
  customizationType: z.string().optional(),
  jobArn: z.string().optional(),
  creationTime: z.string().optional(),
  /**
   * Where the customization job read its training data: trainingDataConfig.s3Uri, or the S3 source of
   * the invocation logs a distillation job learned from; null: the model records none (imported models).
   */
  trainingDataS3Uri: z.string().nullable().optional(),
  /** validationDataConfig.validators[].s3Uri; empty when the job had no validation data. */
  validationDataS3Uris: z.array(z.string()).optional(),
  /** outputDataConfig.s3Uri, where the job wrote its metrics; null: none recorded. */
  outputDataS3Uri: z.string().nullable().optional(),
  /**
   * The service role the customization job ran as (GetModelCustomizationJob roleArn; Terraform
   * role_arn); null: the model has no customization job (imported models).
   */
  roleArn: z.string().nullable().optional(),
});
export type BedrockCustomModel = z.infer<typeof bedrockCustomModelSchema>;

export const bedrockAgentSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  roleArn: z.string().optional(),
  foundationModel: z.string().optional(),
  kmsKeyArn: z.string().nullable().optional(),
  /** null: the agent has no guardrail. */
  guardrail: z.object({ id: z.string(), version: z.string().optional() }).nullable().optional(),
});
export type BedrockAgent = z.infer<typeof bedrockAgentSchema>;

/**
 * A knowledge base (bedrock-agent GetKnowledgeBase; its tags from ListTagsForResource, as for
 * prompts and flows: absent when they could not be read).
 */
export const bedrockKnowledgeBaseSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  /** knowledgeBaseConfiguration.type: `VECTOR`, `KENDRA`, `SQL`, `MANAGED`. */
  type: z.string().optional(),
  /** The service role Bedrock assumes to read the data sources and write the vector store. */
  roleArn: z.string().optional(),
  /** vectorKnowledgeBaseConfiguration.embeddingModelArn; null: not a vector knowledge base. */
  embeddingModelArn: z.string().nullable().optional(),
  /**
   * storageConfiguration: where the vectors are kept. `resourceArn` is the store's AWS resource
   * (OpenSearch Serverless collection, OpenSearch domain, Aurora cluster, Neptune Analytics graph,
   * S3 vector bucket or index); absent for stores outside AWS (Pinecone, Redis Enterprise Cloud,
   * MongoDB Atlas), which name an endpoint and a credentials secret instead. null: the knowledge
   * base has no storage configuration (Kendra, SQL and managed knowledge bases).
   */
  vectorStore: z
    .object({ type: z.string(), resourceArn: z.string().optional(), credentialsSecretArn: z.string().optional() })
    .nullable()
    .optional(),
  /** supplementalDataStorageConfiguration S3 URIs (images extracted from multimodal documents); empty: none. */
  supplementalDataS3Uris: z.array(z.string()).optional(),
});
export type BedrockKnowledgeBase = z.infer<typeof bedrockKnowledgeBaseSchema>;

/**
 * A data source of a knowledge base (GetDataSource). Data sources have no ARN of their own: `arn` is
 * aigis's `<knowledge base ARN>/data-source/<data source id>`.
 */
export const bedrockDataSourceSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  knowledgeBaseId: z.string(),
  /** The knowledge base's ARN when known (always from a live scan). */
  knowledgeBaseArn: z.string().optional(),
  status: z.string().optional(),
  /** dataSourceConfiguration.type: `S3`, `WEB`, `CONFLUENCE`, `SALESFORCE`, `SHAREPOINT`, `CUSTOM`, ... */
  type: z.string().optional(),
  /** s3Configuration.bucketArn; null: not an S3 data source. */
  s3BucketArn: z.string().nullable().optional(),
  /** s3Configuration.inclusionPrefixes; empty: the whole bucket. */
  s3InclusionPrefixes: z.array(z.string()).optional(),
  /**
   * serverSideEncryptionConfiguration.kmsKeyArn: the key of the transient data Bedrock keeps while
   * it ingests the source; null: none (an AWS owned key).
   */
  kmsKeyArn: z.string().nullable().optional(),
  /** `RETAIN` or `DELETE`: what happens to the vectors when the data source is deleted. */
  dataDeletionPolicy: z.string().optional(),
});
export type BedrockDataSource = z.infer<typeof bedrockDataSourceSchema>;

/** A prompt of Prompt management (GetPrompt, its working draft). */
export const bedrockPromptSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  version: z.string().optional(),
  /** customerEncryptionKeyArn; null: none (an AWS owned key). */
  kmsKeyArn: z.string().nullable().optional(),
});
export type BedrockPrompt = z.infer<typeof bedrockPromptSchema>;

/** A flow (GetFlow, its working draft). */
export const bedrockFlowSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  /** executionRoleArn: the service role the flow runs as. */
  roleArn: z.string().optional(),
  /** customerEncryptionKeyArn; null: none (an AWS owned key). */
  kmsKeyArn: z.string().nullable().optional(),
});
export type BedrockFlow = z.infer<typeof bedrockFlowSchema>;

export const bedrockSectionSchema = z.object({
  invocationLogging: z.array(bedrockInvocationLoggingSchema).default([]),
  guardrails: z.array(bedrockGuardrailSchema).default([]),
  customModels: z.array(bedrockCustomModelSchema).default([]),
  agents: z.array(bedrockAgentSchema).default([]),
  /** Absent: not collected (older snapshots); a Region whose listing failed has a collection error. */
  knowledgeBases: z.array(bedrockKnowledgeBaseSchema).optional(),
  /** Absent: not collected; a knowledge base whose ListDataSources failed has a collection error on its ARN. */
  dataSources: z.array(bedrockDataSourceSchema).optional(),
  prompts: z.array(bedrockPromptSchema).optional(),
  flows: z.array(bedrockFlowSchema).optional(),
});

// ---------------------------------------------------------------- OpenSearch Serverless
/**
 * An OpenSearch Serverless collection (ListCollections, BatchGetCollection), the usual vector store
 * of a Bedrock knowledge base. Its `arn` is `arn:<partition>:aoss:<region>:<account>:collection/<id>`.
 */
export const openSearchServerlessCollectionSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  /** `VECTORSEARCH`, `SEARCH` or `TIMESERIES`. */
  type: z.string().optional(),
  status: z.string().optional(),
  /**
   * The KMS key that encrypts the collection (BatchGetCollection kmsKeyArn), fixed when it is
   * created; null: an AWS owned key (AWS answers `auto`). From templates and plans: the collection's
   * own EncryptionConfig, else the key of the encryption security policies the code declares whose
   * resource patterns match the collection's name (absent when none or several disagreeing ones match).
   */
  kmsKeyArn: z.string().nullable().optional(),
  /** The encryption security policy that gave `kmsKeyArn` (templates and plans), when one did. */
  encryptionPolicy: z.string().optional(),
});
export type OpenSearchServerlessCollection = z.infer<typeof openSearchServerlessCollectionSchema>;

/** Absent: not collected; a Region whose ListCollections failed has a collection error. */
export const openSearchServerlessSectionSchema = z.object({
  collections: z.array(openSearchServerlessCollectionSchema),
});

// ---------------------------------------------------------------- SageMaker
const vpcConfig = z.object({ subnets: z.array(z.string()), securityGroupIds: z.array(z.string()).default([]) });

export const sageMakerNotebookSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  directInternetAccess: z.enum(['Enabled', 'Disabled']).optional(),
  subnetId: z.string().nullable().optional(),
  securityGroups: z.array(z.string()).optional(),
  kmsKeyId: z.string().nullable().optional(),
  rootAccess: z.enum(['Enabled', 'Disabled']).optional(),
  roleArn: z.string().optional(),
  instanceType: z.string().optional(),
});
export type SageMakerNotebook = z.infer<typeof sageMakerNotebookSchema>;

export const sageMakerTrainingJobSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  creationTime: z.string().optional(),
  enableNetworkIsolation: z.boolean().optional(),
  enableInterContainerTrafficEncryption: z.boolean().optional(),
  vpcConfig: vpcConfig.nullable().optional(),
  volumeKmsKeyId: z.string().nullable().optional(),
  outputKmsKeyId: z.string().nullable().optional(),
  roleArn: z.string().optional(),
  /** InputDataConfig[].DataSource.S3DataSource.S3Uri, one per S3 channel (EFS and FSx channels are not listed). */
  inputS3Uris: z.array(z.string()).optional(),
  /** OutputDataConfig.S3OutputPath: where the model artifacts go. */
  outputS3Path: z.string().optional(),
  /** CheckpointConfig.S3Uri; null: the job keeps no checkpoints in S3. */
  checkpointS3Uri: z.string().nullable().optional(),
  /** AlgorithmSpecification.TrainingImage; null: the job runs a named algorithm (AlgorithmName) instead of an image. */
  trainingImage: z.string().nullable().optional(),
});
export type SageMakerTrainingJob = z.infer<typeof sageMakerTrainingJobSchema>;

export const sageMakerProcessingJobSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  creationTime: z.string().optional(),
  enableNetworkIsolation: z.boolean().optional(),
  enableInterContainerTrafficEncryption: z.boolean().optional(),
  vpcConfig: vpcConfig.nullable().optional(),
  volumeKmsKeyId: z.string().nullable().optional(),
  outputKmsKeyId: z.string().nullable().optional(),
  roleArn: z.string().optional(),
  /** ProcessingInputs[].S3Input.S3Uri (inputs from Athena or Redshift datasets are not listed). */
  inputS3Uris: z.array(z.string()).optional(),
  /** ProcessingOutputConfig.Outputs[].S3Output.S3Uri (Feature Store outputs are not listed). */
  outputS3Uris: z.array(z.string()).optional(),
  /** AppSpecification.ImageUri: the container image the job runs. */
  imageUri: z.string().optional(),
});
export type SageMakerProcessingJob = z.infer<typeof sageMakerProcessingJobSchema>;

export const sageMakerModelSchema = z.object({
  ...resourceBase,
  name: z.string(),
  enableNetworkIsolation: z.boolean().optional(),
  vpcConfig: vpcConfig.nullable().optional(),
  executionRoleArn: z.string().optional(),
  primaryContainerImage: z.string().optional(),
  /** The Image of the primary container and of every container, in container order; empty when none names one. */
  containerImages: z.array(z.string()).optional(),
  /**
   * The model artifacts of the primary container and of every container: ModelDataUrl and
   * ModelDataSource.S3DataSource.S3Uri, in container order; empty when no container names any.
   */
  modelDataUrls: z.array(z.string()).optional(),
  /**
   * The Model Registry package the model was created from (its container's ModelPackageName: a
   * package ARN, or the name of an unversioned package). null: created from an image and model
   * data, outside the registry. For several containers (an inference pipeline), null when any
   * container names no package, and absent when they name different packages.
   */
  modelPackageName: z.string().nullable().optional(),
});
export type SageMakerModel = z.infer<typeof sageMakerModelSchema>;

export const sageMakerEndpointConfigSchema = z.object({
  ...resourceBase,
  name: z.string(),
  kmsKeyId: z.string().nullable().optional(),
  dataCaptureEnabled: z.boolean().optional(),
  productionVariants: z
    .array(
      z.object({
        variantName: z.string(),
        modelName: z.string(),
        instanceType: z.string().optional(),
        /** InitialInstanceCount; null: the variant declares none (serverless, or models hosted as inference components). */
        initialInstanceCount: z.number().int().nonnegative().nullable().optional(),
        /** true when the variant is serverless (ServerlessConfig): no instances to count. */
        serverless: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type SageMakerEndpointConfig = z.infer<typeof sageMakerEndpointConfigSchema>;

/**
 * A real-time inference endpoint: what serves the models of its current endpoint configuration.
 * Tags matter here: an `environment`/`env`/`stage` tag tells production from the rest (see
 * src/engine/production.ts).
 */
export const sageMakerEndpointSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  /** The endpoint configuration it runs now (EndpointConfigName). */
  endpointConfigName: z.string().optional(),
  /**
   * The deployment guardrails for updates: DescribeEndpoint's LastDeploymentConfig, the template's
   * DeploymentConfig. null: none (an update replaces the fleet without auto-rollback alarms).
   */
  deploymentConfig: z
    .object({
      /** BlueGreen or Rolling; null when no update policy is given (SageMaker then shifts all traffic at once, blue/green). */
      updatePolicy: z.enum(['BlueGreen', 'Rolling']).nullable(),
      /** BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type: ALL_AT_ONCE, CANARY or LINEAR. */
      trafficRouting: z.string().optional(),
      /** AutoRollbackConfiguration.Alarms[].AlarmName; empty: no automatic rollback. */
      rollbackAlarms: z.array(z.string()),
    })
    .nullable()
    .optional(),
});
export type SageMakerEndpoint = z.infer<typeof sageMakerEndpointSchema>;

/**
 * The security settings of the containers a SageMaker job runs, as training jobs have them: a
 * hyperparameter tuning job's training job definition, a monitoring job definition, the job
 * definition a monitoring schedule embeds. Absent: not read; null: not set.
 */
const sageMakerJobSecurity = {
  /** EnableNetworkIsolation (NetworkConfig.EnableNetworkIsolation for monitoring jobs). */
  enableNetworkIsolation: z.boolean().optional(),
  enableInterContainerTrafficEncryption: z.boolean().optional(),
  vpcConfig: vpcConfig.nullable().optional(),
  /** The ML storage volume key: ResourceConfig.VolumeKmsKeyId, or ClusterConfig.VolumeKmsKeyId for monitoring jobs. */
  volumeKmsKeyId: z.string().nullable().optional(),
  /** The key of the outputs written to S3: OutputDataConfig.KmsKeyId, or the monitoring output config's KmsKeyId. */
  outputKmsKeyId: z.string().nullable().optional(),
  roleArn: z.string().optional(),
};

/** What a monitoring schedule embeds (MonitoringScheduleConfig.MonitoringJobDefinition). */
export const sageMakerJobSecuritySchema = z.object(sageMakerJobSecurity);
export type SageMakerJobSecurity = z.infer<typeof sageMakerJobSecuritySchema>;

/** A Model Monitor schedule. */
export const sageMakerMonitoringScheduleSchema = z.object({
  ...resourceBase,
  name: z.string(),
  /** Pending, Failed, Scheduled or Stopped. */
  status: z.string().optional(),
  /** DataQuality, ModelQuality, ModelBias or ModelExplainability. */
  monitoringType: z.string().optional(),
  /** The endpoint it monitors; null: none (a schedule over batch transform output). */
  endpointName: z.string().nullable().optional(),
  /**
   * MonitoringScheduleConfig.MonitoringJobDefinitionName: the job definition it runs (judged as a
   * monitoring job definition of its own). null: the schedule embeds its job definition instead.
   */
  monitoringJobDefinitionName: z.string().nullable().optional(),
  /**
   * MonitoringScheduleConfig.MonitoringJobDefinition: the security settings of the job the schedule
   * embeds. null: the schedule names a job definition instead; absent: not read.
   */
  jobDefinition: sageMakerJobSecuritySchema.nullable().optional(),
});
export type SageMakerMonitoringSchedule = z.infer<typeof sageMakerMonitoringScheduleSchema>;

/** A SageMaker Model Card (the latest version). */
export const sageMakerModelCardSchema = z.object({
  ...resourceBase,
  name: z.string(),
  /** Draft, PendingReview, Approved or Archived. */
  status: z.string().optional(),
  /** SecurityConfig.KmsKeyId; null: encrypted with an AWS owned key. */
  kmsKeyId: z.string().nullable().optional(),
  /**
   * The model the card documents: content model_overview.model_id (the model ARN for a SageMaker
   * model) and model_name. null: the content names none; absent: not read.
   */
  modelId: z.string().nullable().optional(),
  modelName: z.string().nullable().optional(),
});
export type SageMakerModelCard = z.infer<typeof sageMakerModelCardSchema>;

export const sageMakerDomainSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  appNetworkAccessType: z.enum(['PublicInternetOnly', 'VpcOnly']).optional(),
  kmsKeyId: z.string().nullable().optional(),
  vpcId: z.string().optional(),
  subnetIds: z.array(z.string()).optional(),
  authMode: z.string().optional(),
});
export type SageMakerDomain = z.infer<typeof sageMakerDomainSchema>;

export const sageMakerModelPackageGroupSchema = z.object({
  ...resourceBase,
  name: z.string(),
  packages: z
    .array(
      z.object({
        arn: z.string(),
        version: z.number().int().optional(),
        approvalStatus: z.enum(['Approved', 'Rejected', 'PendingManualApproval']).optional(),
      }),
    )
    .optional(),
});
export type SageMakerModelPackageGroup = z.infer<typeof sageMakerModelPackageGroupSchema>;

/** A hyperparameter tuning job (created inside the --since window) and the training jobs it launches. */
export const sageMakerHyperParameterTuningJobSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  creationTime: z.string().optional(),
  /**
   * TrainingJobDefinition, then each of TrainingJobDefinitions: the settings of the training jobs
   * the tuning job launches. Absent: not described.
   */
  trainingJobDefinitions: z
    .array(
      z.object({
        /** DefinitionName; null when not given (a single definition usually has none). */
        definitionName: z.string().nullable(),
        ...sageMakerJobSecurity,
      }),
    )
    .optional(),
});
export type SageMakerHyperParameterTuningJob = z.infer<typeof sageMakerHyperParameterTuningJobSchema>;

/**
 * A batch transform job (created inside the --since window). Network isolation and VPC come from
 * the model it runs (ModelName); its own settings are the volume and output keys.
 */
export const sageMakerTransformJobSchema = z.object({
  ...resourceBase,
  name: z.string(),
  status: z.string().optional(),
  creationTime: z.string().optional(),
  modelName: z.string().optional(),
  /** TransformResources.VolumeKmsKeyId; null: not set. */
  volumeKmsKeyId: z.string().nullable().optional(),
  /** TransformOutput.KmsKeyId; null: not set. */
  outputKmsKeyId: z.string().nullable().optional(),
});
export type SageMakerTransformJob = z.infer<typeof sageMakerTransformJobSchema>;

export const MONITORING_JOB_TYPES = ['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'] as const;

/** A Model Monitor job definition: Describe{DataQuality,ModelQuality,ModelBias,ModelExplainability}JobDefinition. */
export const sageMakerMonitoringJobDefinitionSchema = z.object({
  ...resourceBase,
  name: z.string(),
  monitoringType: z.enum(MONITORING_JOB_TYPES),
  creationTime: z.string().optional(),
  /** The endpoint its job input reads; null: none (batch transform input). */
  endpointName: z.string().nullable().optional(),
  ...sageMakerJobSecurity,
});
export type SageMakerMonitoringJobDefinition = z.infer<typeof sageMakerMonitoringJobDefinitionSchema>;

export const sageMakerSectionSchema = z.object({
  notebookInstances: z.array(sageMakerNotebookSchema).default([]),
  trainingJobs: z.array(sageMakerTrainingJobSchema).default([]),
  processingJobs: z.array(sageMakerProcessingJobSchema).default([]),
  models: z.array(sageMakerModelSchema).default([]),
  endpointConfigs: z.array(sageMakerEndpointConfigSchema).default([]),
  domains: z.array(sageMakerDomainSchema).default([]),
  modelPackageGroups: z.array(sageMakerModelPackageGroupSchema).optional(),
  /** The lists below are absent when not collected (older snapshots, a listing that failed). */
  endpoints: z.array(sageMakerEndpointSchema).optional(),
  monitoringSchedules: z.array(sageMakerMonitoringScheduleSchema).optional(),
  modelCards: z.array(sageMakerModelCardSchema).optional(),
  hyperParameterTuningJobs: z.array(sageMakerHyperParameterTuningJobSchema).optional(),
  transformJobs: z.array(sageMakerTransformJobSchema).optional(),
  /** The four kinds of Model Monitor job definitions, told apart by monitoringType. */
  monitoringJobDefinitions: z.array(sageMakerMonitoringJobDefinitionSchema).optional(),
});

// ---------------------------------------------------------------- Access Analyzer, network, detective controls
export const accessAnalyzerSchema = z.object({
  ...resourceBase,
  name: z.string(),
  type: z.string(),
  status: z.string().optional(),
  activeFindings: z
    .array(
      z.object({ id: z.string(), resource: z.string().optional(), resourceType: z.string().optional(), isPublic: z.boolean().optional() }),
    )
    .optional(),
});
export type AccessAnalyzer = z.infer<typeof accessAnalyzerSchema>;

export const vpcEndpointSchema = z.object({
  ...resourceBase,
  id: z.string(),
  vpcId: z.string(),
  serviceName: z.string(),
  type: z.enum(['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork']),
  state: z.string().optional(),
  privateDnsEnabled: z.boolean().optional(),
  policy: policyDocument.nullable().optional(),
});
export type VpcEndpoint = z.infer<typeof vpcEndpointSchema>;

/**
 * A VPC subnet and whether it is public. `public` is true when the subnet's route table (its
 * explicit association, else the VPC's main route table) routes 0.0.0.0/0 or ::/0 to an internet
 * gateway (igw-*); false when it does not; absent when the route tables were not read (or, from
 * infrastructure code, cannot be resolved from what the code declares).
 */
export const subnetSchema = z.object({
  ...resourceBase,
  id: z.string(),
  vpcId: z.string(),
  mapPublicIpOnLaunch: z.boolean().optional(),
  public: z.boolean().optional(),
  /** The route table that decides (explicit association, else the VPC's main table), when known. */
  routeTableId: z.string().optional(),
  /** The route that makes the subnet public (set when `public` is true). */
  internetRoute: z.object({ destination: z.string(), gatewayId: z.string() }).optional(),
});
export type Subnet = z.infer<typeof subnetSchema>;

// ---------------------------------------------------------------- CloudWatch Logs
/**
 * A log group. Its `arn` is `arn:<partition>:logs:<region>:<account>:log-group:<name>`, without the
 * `:*` that DescribeLogGroups' `arn` and CloudTrail's CloudWatchLogsLogGroupArn carry.
 */
export const logGroupSchema = z.object({
  ...resourceBase,
  name: z.string(),
  /** ARN of the KMS key that encrypts the log data; null: no KMS key (CloudWatch Logs' own server-side encryption). */
  kmsKeyId: z.string().nullable().optional(),
  /** Days log events are kept; null: they never expire. */
  retentionInDays: z.number().int().positive().nullable().optional(),
  /** Data protection (masking) policy: `ACTIVATED`, `DELETED`, `ARCHIVED`, `DISABLED`; null: never had one. */
  dataProtectionStatus: z.string().nullable().optional(),
});
export type LogGroup = z.infer<typeof logGroupSchema>;

/**
 * A CloudWatch Logs metric filter (DescribeMetricFilters). Metric filters have no ARN of their own:
 * `arn` is the log group's ARN followed by `:metric-filter:<name>`, a key only.
 */
export const metricFilterSchema = z.object({
  ...resourceBase,
  name: z.string(),
  /** The log group the filter reads; absent when it cannot be known (IaC value unresolved). */
  logGroupName: z.string().optional(),
  /** The filter pattern as written; '' matches every event; absent when it cannot be known. */
  filterPattern: z.string().optional(),
  /** The metric each matching event adds to. */
  metricTransformations: z
    .array(z.object({ metricName: z.string(), metricNamespace: z.string(), dimensions: z.array(z.string()).optional() }))
    .default([]),
});
export type MetricFilter = z.infer<typeof metricFilterSchema>;

// ---------------------------------------------------------------- CloudWatch alarms
const metricDimensionSchema = z.object({ name: z.string(), value: z.string().optional() });

/**
 * A CloudWatch metric alarm (DescribeAlarms, AlarmTypes MetricAlarm). A single-metric alarm has
 * `namespace`/`metricName`/`dimensions`; a metric math or anomaly detection alarm has `metrics`
 * (each a metric of the query or an expression) and, for anomaly detection, `thresholdMetricId`.
 */
export const metricAlarmSchema = z.object({
  ...resourceBase,
  name: z.string(),
  namespace: z.string().optional(),
  metricName: z.string().optional(),
  dimensions: z.array(metricDimensionSchema).default([]),
  metrics: z
    .array(
      z.object({
        id: z.string(),
        namespace: z.string().optional(),
        metricName: z.string().optional(),
        dimensions: z.array(metricDimensionSchema).default([]),
        expression: z.string().optional(),
        returnData: z.boolean().optional(),
      }),
    )
    .optional(),
  /** The id of the ANOMALY_DETECTION_BAND expression an anomaly detection alarm compares against. */
  thresholdMetricId: z.string().optional(),
  /** Whether state changes run the actions; absent when not known. */
  actionsEnabled: z.boolean().optional(),
  /** Actions run on ALARM (SNS topics, Auto Scaling, Systems Manager...); absent when not known. */
  alarmActions: z.array(z.string()).optional(),
  stateValue: z.string().optional(),
});
export type MetricAlarm = z.infer<typeof metricAlarmSchema>;

/** One entry per region that was read; a missing region means "not collected". */
const regionalStatus = <T extends z.ZodRawShape>(shape: T) => z.object({ region: z.string(), ...shape });

const INSPECTOR_STATUS = z.enum(['ENABLING', 'ENABLED', 'DISABLING', 'DISABLED', 'SUSPENDING', 'SUSPENDED']);

export const detectiveSectionSchema = z.object({
  macie: z
    .array(
      regionalStatus({
        status: z.enum(['ENABLED', 'PAUSED', 'DISABLED']),
        /**
         * Automated sensitive data discovery (GetAutomatedDiscoveryConfiguration), which samples every
         * bucket of the Region except those the classification scope excludes. Absent: not read
         * (or Macie is not enabled).
         */
        automatedDiscovery: z
          .object({
            status: z.enum(['ENABLED', 'DISABLED']),
            /** GetClassificationScope s3.excludes.bucketNames, sorted; absent: not read. */
            excludedBuckets: z.array(z.string()).optional(),
          })
          .optional(),
        /**
         * Sensitive data discovery jobs (ListClassificationJobs), sorted by id. Absent: not read (or
         * Macie is not enabled); from infrastructure code, the jobs the code declares.
         */
        classificationJobs: z
          .array(
            z.object({
              id: z.string(),
              name: z.string().optional(),
              /** ONE_TIME or SCHEDULED. */
              jobType: z.string().optional(),
              /** RUNNING, PAUSED, CANCELLED, COMPLETE, IDLE or USER_PAUSED. */
              jobStatus: z.string().optional(),
              /** bucketDefinitions: the buckets it names, per owning account (accountId absent: not known before deploy). */
              bucketDefinitions: z.array(z.object({ accountId: z.string().optional(), buckets: z.array(z.string()) })).optional(),
              /** true: the job picks buckets by bucketCriteria (tag and property conditions), which aigis does not resolve. */
              bucketCriteria: z.boolean().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  /**
   * Amazon Inspector (BatchGetAccountStatus for this account): the scan status per resource type
   * (resourceState.ecr/ec2/lambda .status). A type left out: not answered (from infrastructure
   * code: not declared).
   */
  inspector: z
    .array(
      regionalStatus({
        ecr: INSPECTOR_STATUS.optional(),
        ec2: INSPECTOR_STATUS.optional(),
        lambda: INSPECTOR_STATUS.optional(),
      }),
    )
    .optional(),
  guardDuty: z
    .array(
      regionalStatus({
        detectors: z.array(
          z.object({
            id: z.string(),
            status: z.enum(['ENABLED', 'DISABLED']),
            /**
             * Protection plans (GetDetector Features: S3_DATA_EVENTS, EKS_AUDIT_LOGS, RUNTIME_MONITORING,
             * EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS...), sorted by name; S3
             * protection from the legacy DataSources.S3Logs when Features is not answered. Absent: not read.
             */
            features: z
              .array(
                z.object({
                  name: z.string(),
                  status: z.enum(['ENABLED', 'DISABLED']),
                  additionalConfiguration: z.array(z.object({ name: z.string(), status: z.enum(['ENABLED', 'DISABLED']) })).optional(),
                }),
              )
              .optional(),
          }),
        ),
      }),
    )
    .optional(),
  securityHub: z
    .array(
      regionalStatus({
        enabled: z.boolean(),
        hubArn: z.string().optional(),
        /** GetEnabledStandards: the standards subscribed to, sorted by ARN. Absent: not read (or the hub is off). */
        standards: z
          .array(z.object({ arn: z.string(), status: z.string().optional() }))
          .optional(),
      }),
    )
    .optional(),
  config: z
    .array(
      regionalStatus({
        recorders: z.array(
          z.object({ name: z.string(), recording: z.boolean().optional(), allSupported: z.boolean().optional() }),
        ),
      }),
    )
    .optional(),
});

// ---------------------------------------------------------------- API Gateway (REST APIs) and WAFv2
/**
 * A throttle: steady-state requests per second and burst. A negative value (API Gateway's -1)
 * means no limit; absent: not set at this level.
 */
export const throttleSchema = z.object({ rateLimit: z.number().optional(), burstLimit: z.number().optional() });
export type Throttle = z.infer<typeof throttleSchema>;

/** One method of a REST API and what it integrates with (GetResources with methods embedded; AWS::ApiGateway::Method). */
export const apiMethodSchema = z.object({
  /** The resource path, `/` or `/models/{id}/invoke`. */
  resourcePath: z.string(),
  /** GET, POST, ... or ANY. */
  httpMethod: z.string(),
  /** The method requires an API key (usage plan throttling applies only to such methods). */
  apiKeyRequired: z.boolean().optional(),
  /** AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK; null: the method has no integration. */
  integrationType: z.string().nullable().optional(),
  /**
   * The integration URI: for AWS service integrations `arn:<partition>:apigateway:<region>:<subdomain.service>:path|action/...`
   * (SageMaker runtime is `runtime.sagemaker`, Bedrock runtime `bedrock-runtime`), for Lambda the
   * function's invocation ARN, for HTTP the URL.
   */
  integrationUri: z.string().optional(),
});
export type ApiMethod = z.infer<typeof apiMethodSchema>;

/** A REST API (API Gateway v1). Its `arn` is `arn:<partition>:apigateway:<region>::/restapis/<id>`. */
export const restApiSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  /** EDGE, REGIONAL or PRIVATE. */
  endpointType: z.string().optional(),
  /** Every method with its integration, sorted by path then method; absent: not read. */
  methods: z.array(apiMethodSchema).optional(),
});
export type RestApi = z.infer<typeof restApiSchema>;

/** A stage of a REST API. Its `arn` is `arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>`. */
export const apiStageSchema = z.object({
  ...resourceBase,
  name: z.string(),
  restApiId: z.string(),
  /** The WAFv2 web ACL associated with the stage (GetStage webAclArn); null: none. */
  webAclArn: z.string().nullable().optional(),
  /**
   * Stage method settings that set throttling: `*` / `*` is the stage default, otherwise one method
   * (resourcePath `/models/invoke`, httpMethod `POST`). Only settings with a throttle are listed.
   */
  methodThrottles: z
    .array(z.object({ resourcePath: z.string(), httpMethod: z.string(), throttle: throttleSchema }))
    .optional(),
});
export type ApiStage = z.infer<typeof apiStageSchema>;

/** A usage plan. Its throttling applies only to requests that carry one of its API keys. */
export const usagePlanSchema = z.object({
  ...resourceBase,
  id: z.string(),
  name: z.string(),
  /** The plan-wide throttle; null: none. */
  throttle: throttleSchema.nullable().optional(),
  /** The API stages the plan covers, with per-method throttles keyed `/path/METHOD`. */
  apiStages: z
    .array(
      z.object({
        restApiId: z.string(),
        stage: z.string(),
        methodThrottles: z.array(z.object({ resourcePath: z.string(), httpMethod: z.string(), throttle: throttleSchema })).optional(),
      }),
    )
    .optional(),
});
export type UsagePlan = z.infer<typeof usagePlanSchema>;

/** One rule of a web ACL, reduced to what rate limiting and bot control checks read. */
export const webAclRuleSchema = z.object({
  name: z.string(),
  priority: z.number().optional(),
  /**
   * The rule's action (Block, Allow, Count, Captcha, Challenge), or for rule group statements the
   * override: `None` (the group's own actions) or `Count`.
   */
  action: z.string().optional(),
  /** Set when the statement is a RateBasedStatement: requests allowed per evaluation window. */
  rateLimit: z.number().optional(),
  /** The rate-based rule's evaluation window in seconds (default 300). */
  rateWindowSec: z.number().optional(),
  /** A managed rule group statement: `<vendor>/<name>` (`AWS/AWSManagedRulesBotControlRuleSet`). */
  managedRuleGroup: z.string().optional(),
  /** A rule group reference statement: the customer rule group's ARN (its rules are not read). */
  ruleGroupArn: z.string().optional(),
});
export type WebAclRule = z.infer<typeof webAclRuleSchema>;

/** A WAFv2 web ACL (REGIONAL scope: the ones API Gateway stages use). */
export const webAclSchema = z.object({
  ...resourceBase,
  name: z.string(),
  id: z.string().optional(),
  /** REGIONAL or CLOUDFRONT. */
  scope: z.string().optional(),
  /** Allow or Block. */
  defaultAction: z.string().optional(),
  /** The rules in priority order; absent: GetWebACL not read. */
  rules: z.array(webAclRuleSchema).optional(),
});
export type WebAcl = z.infer<typeof webAclSchema>;

export const apiGatewaySectionSchema = z.object({
  restApis: z.array(restApiSchema).default([]),
  stages: z.array(apiStageSchema).default([]),
  /** Absent: usage plans not collected. */
  usagePlans: z.array(usagePlanSchema).optional(),
});

// ---------------------------------------------------------------- the document
export const collectionErrorSchema = z.object({
  service: z.string(),
  region: z.string().optional(),
  operation: z.string(),
  /** ARN or name of the resource the call was about, when there was one. */
  resource: z.string().optional(),
  errorCode: z.string(),
  message: z.string().optional(),
});
export type CollectionError = z.infer<typeof collectionErrorSchema>;

export const inventorySchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  account: z.object({
    id: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits'),
    partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
    alias: z.string().optional(),
  }),
  regions: z.array(z.string()).default([]),
  /** Only present when explicitly requested, so that snapshots stay byte-comparable. */
  collectedAt: z.string().optional(),
  source: z.object({ kind: z.enum(['live', 'snapshot', 'cloudformation', 'terraform', 'synthetic']), detail: z.string().optional() }).optional(),
  collectionErrors: z.array(collectionErrorSchema).default([]),
  /**
   * true when the inventory holds only the resources declared in IaC (templates, plans), not the
   * whole account: per-resource verdicts stand, but account-wide absence ("no multi-region
   * trail", "no analyzer in this region") cannot be concluded and should be `unknown`.
   */
  partial: z.boolean().optional(),
  s3: s3SectionSchema.optional(),
  kms: z.object({ keys: z.array(kmsKeySchema) }).optional(),
  cloudtrail: z.object({ trails: z.array(cloudTrailSchema) }).optional(),
  iam: iamSectionSchema.optional(),
  bedrock: bedrockSectionSchema.optional(),
  opensearchServerless: openSearchServerlessSectionSchema.optional(),
  sagemaker: sageMakerSectionSchema.optional(),
  accessAnalyzer: z.object({ analyzers: z.array(accessAnalyzerSchema) }).optional(),
  /** `subnets` absent: subnets were not collected (older snapshots have only endpoints). */
  ec2: z.object({ vpcEndpoints: z.array(vpcEndpointSchema), subnets: z.array(subnetSchema).optional() }).optional(),
  /** `metricFilters` absent: metric filters were not collected. */
  logs: z.object({ logGroups: z.array(logGroupSchema), metricFilters: z.array(metricFilterSchema).optional() }).optional(),
  /** CloudWatch metric alarms; absent: not collected. */
  cloudwatch: z.object({ alarms: z.array(metricAlarmSchema) }).optional(),
  detective: detectiveSectionSchema.optional(),
  /** REST APIs, their stages and usage plans; absent: not collected. */
  apiGateway: apiGatewaySectionSchema.optional(),
  /** WAFv2 web ACLs (REGIONAL), per scanned Region; absent: not collected. */
  wafv2: z.object({ webAcls: z.array(webAclSchema) }).optional(),
});

/** The inventory as rules see it (policies normalized, defaults applied). */
export type Inventory = z.output<typeof inventorySchema>;
/** The inventory as written in a snapshot file. */
export type InventoryInput = z.input<typeof inventorySchema>;
