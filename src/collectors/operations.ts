/**
 * Every AWS operation the collectors may call, with the IAM action that authorizes it.
 *
 * This table is the single source of truth for "aigis is read-only": the runtime refuses an
 * operation that is not listed here, policies/aigis-readonly.json is exactly the set of actions
 * below, and a test checks both against the collector sources and against the IAM action catalog
 * (every action must have access level List or Read). IAM action names do not always match SDK
 * operation names (ListBuckets is s3:ListAllMyBuckets), hence the explicit mapping.
 */
export const READ_ONLY_OPERATIONS = {
  sts: {
    GetCallerIdentity: 'sts:GetCallerIdentity',
  },
  organizations: {
    DescribeOrganization: 'organizations:DescribeOrganization',
    ListRoots: 'organizations:ListRoots',
    ListOrganizationalUnitsForParent: 'organizations:ListOrganizationalUnitsForParent',
    ListAccountsForParent: 'organizations:ListAccountsForParent',
    ListPolicies: 'organizations:ListPolicies',
    DescribePolicy: 'organizations:DescribePolicy',
    ListTargetsForPolicy: 'organizations:ListTargetsForPolicy',
    ListDelegatedAdministrators: 'organizations:ListDelegatedAdministrators',
    ListDelegatedServicesForAccount: 'organizations:ListDelegatedServicesForAccount',
  },
  s3: {
    ListBuckets: 's3:ListAllMyBuckets',
    GetBucketLocation: 's3:GetBucketLocation',
    GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
    GetBucketEncryption: 's3:GetEncryptionConfiguration',
    GetBucketPolicy: 's3:GetBucketPolicy',
    GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
    GetBucketVersioning: 's3:GetBucketVersioning',
    GetBucketLogging: 's3:GetBucketLogging',
    GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
    GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
    GetBucketTagging: 's3:GetBucketTagging',
    GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
    GetBucketReplication: 's3:GetReplicationConfiguration',
  },
  s3control: {
    GetPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
  },
  iam: {
    GetAccountAuthorizationDetails: 'iam:GetAccountAuthorizationDetails',
    GetAccountSummary: 'iam:GetAccountSummary',
    GetCredentialReport: 'iam:GetCredentialReport',
    ListAccountAliases: 'iam:ListAccountAliases',
  },
  kms: {
    ListKeys: 'kms:ListKeys',
    ListAliases: 'kms:ListAliases',
    DescribeKey: 'kms:DescribeKey',
    GetKeyRotationStatus: 'kms:GetKeyRotationStatus',
    GetKeyPolicy: 'kms:GetKeyPolicy',
  },
  cloudtrail: {
    DescribeTrails: 'cloudtrail:DescribeTrails',
    GetTrailStatus: 'cloudtrail:GetTrailStatus',
    GetEventSelectors: 'cloudtrail:GetEventSelectors',
  },
  bedrock: {
    GetModelInvocationLoggingConfiguration: 'bedrock:GetModelInvocationLoggingConfiguration',
    ListGuardrails: 'bedrock:ListGuardrails',
    GetGuardrail: 'bedrock:GetGuardrail',
    ListCustomModels: 'bedrock:ListCustomModels',
    GetCustomModel: 'bedrock:GetCustomModel',
    GetModelCustomizationJob: 'bedrock:GetModelCustomizationJob',
  },
  'bedrock-agent': {
    ListAgents: 'bedrock:ListAgents',
    GetAgent: 'bedrock:GetAgent',
    ListKnowledgeBases: 'bedrock:ListKnowledgeBases',
    GetKnowledgeBase: 'bedrock:GetKnowledgeBase',
    ListDataSources: 'bedrock:ListDataSources',
    GetDataSource: 'bedrock:GetDataSource',
    ListPrompts: 'bedrock:ListPrompts',
    GetPrompt: 'bedrock:GetPrompt',
    ListFlows: 'bedrock:ListFlows',
    GetFlow: 'bedrock:GetFlow',
    ListTagsForResource: 'bedrock:ListTagsForResource',
  },
  opensearchserverless: {
    ListCollections: 'aoss:ListCollections',
    BatchGetCollection: 'aoss:BatchGetCollection',
  },
  sagemaker: {
    ListNotebookInstances: 'sagemaker:ListNotebookInstances',
    DescribeNotebookInstance: 'sagemaker:DescribeNotebookInstance',
    ListTrainingJobs: 'sagemaker:ListTrainingJobs',
    DescribeTrainingJob: 'sagemaker:DescribeTrainingJob',
    ListProcessingJobs: 'sagemaker:ListProcessingJobs',
    DescribeProcessingJob: 'sagemaker:DescribeProcessingJob',
    ListModels: 'sagemaker:ListModels',
    DescribeModel: 'sagemaker:DescribeModel',
    ListEndpointConfigs: 'sagemaker:ListEndpointConfigs',
    DescribeEndpointConfig: 'sagemaker:DescribeEndpointConfig',
    ListDomains: 'sagemaker:ListDomains',
    DescribeDomain: 'sagemaker:DescribeDomain',
    ListModelPackageGroups: 'sagemaker:ListModelPackageGroups',
    ListModelPackages: 'sagemaker:ListModelPackages',
    ListEndpoints: 'sagemaker:ListEndpoints',
    DescribeEndpoint: 'sagemaker:DescribeEndpoint',
    ListTags: 'sagemaker:ListTags',
    ListMonitoringSchedules: 'sagemaker:ListMonitoringSchedules',
    DescribeMonitoringSchedule: 'sagemaker:DescribeMonitoringSchedule',
    ListModelCards: 'sagemaker:ListModelCards',
    DescribeModelCard: 'sagemaker:DescribeModelCard',
    ListHyperParameterTuningJobs: 'sagemaker:ListHyperParameterTuningJobs',
    DescribeHyperParameterTuningJob: 'sagemaker:DescribeHyperParameterTuningJob',
    ListTransformJobs: 'sagemaker:ListTransformJobs',
    DescribeTransformJob: 'sagemaker:DescribeTransformJob',
    ListDataQualityJobDefinitions: 'sagemaker:ListDataQualityJobDefinitions',
    DescribeDataQualityJobDefinition: 'sagemaker:DescribeDataQualityJobDefinition',
    ListModelQualityJobDefinitions: 'sagemaker:ListModelQualityJobDefinitions',
    DescribeModelQualityJobDefinition: 'sagemaker:DescribeModelQualityJobDefinition',
    ListModelBiasJobDefinitions: 'sagemaker:ListModelBiasJobDefinitions',
    DescribeModelBiasJobDefinition: 'sagemaker:DescribeModelBiasJobDefinition',
    ListModelExplainabilityJobDefinitions: 'sagemaker:ListModelExplainabilityJobDefinitions',
    DescribeModelExplainabilityJobDefinition: 'sagemaker:DescribeModelExplainabilityJobDefinition',
  },
  accessanalyzer: {
    ListAnalyzers: 'access-analyzer:ListAnalyzers',
    ListFindings: 'access-analyzer:ListFindings',
  },
  ec2: {
    DescribeRegions: 'ec2:DescribeRegions',
    DescribeVpcEndpoints: 'ec2:DescribeVpcEndpoints',
    DescribeSubnets: 'ec2:DescribeSubnets',
    DescribeRouteTables: 'ec2:DescribeRouteTables',
  },
  logs: {
    DescribeLogGroups: 'logs:DescribeLogGroups',
    DescribeMetricFilters: 'logs:DescribeMetricFilters',
  },
  cloudwatch: {
    DescribeAlarms: 'cloudwatch:DescribeAlarms',
  },
  macie2: {
    GetMacieSession: 'macie2:GetMacieSession',
    GetAutomatedDiscoveryConfiguration: 'macie2:GetAutomatedDiscoveryConfiguration',
    GetClassificationScope: 'macie2:GetClassificationScope',
    ListClassificationJobs: 'macie2:ListClassificationJobs',
  },
  inspector2: {
    BatchGetAccountStatus: 'inspector2:BatchGetAccountStatus',
  },
  guardduty: {
    ListDetectors: 'guardduty:ListDetectors',
    GetDetector: 'guardduty:GetDetector',
  },
  securityhub: {
    DescribeHub: 'securityhub:DescribeHub',
    GetEnabledStandards: 'securityhub:GetEnabledStandards',
  },
  config: {
    DescribeConfigurationRecorders: 'config:DescribeConfigurationRecorders',
    DescribeConfigurationRecorderStatus: 'config:DescribeConfigurationRecorderStatus',
  },
  // API Gateway authorizes its REST calls as apigateway:GET on the resource path.
  apigateway: {
    GetRestApis: 'apigateway:GET',
    GetResources: 'apigateway:GET',
    GetStages: 'apigateway:GET',
    GetUsagePlans: 'apigateway:GET',
  },
  wafv2: {
    ListWebACLs: 'wafv2:ListWebACLs',
    GetWebACL: 'wafv2:GetWebACL',
  },
} as const satisfies Record<string, Record<string, string>>;

export type ServiceKey = keyof typeof READ_ONLY_OPERATIONS;
export type OperationName<S extends ServiceKey> = keyof (typeof READ_ONLY_OPERATIONS)[S] & string;

/** npm package (`@aws-sdk/client-<suffix>`) -> our lowercase service key. */
export const SDK_PACKAGE_SERVICE: Record<string, ServiceKey> = {
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-s3': 's3',
  'client-s3-control': 's3control',
  'client-iam': 'iam',
  'client-kms': 'kms',
  'client-cloudtrail': 'cloudtrail',
  'client-bedrock': 'bedrock',
  'client-bedrock-agent': 'bedrock-agent',
  'client-opensearchserverless': 'opensearchserverless',
  'client-sagemaker': 'sagemaker',
  'client-accessanalyzer': 'accessanalyzer',
  'client-ec2': 'ec2',
  'client-cloudwatch-logs': 'logs',
  'client-cloudwatch': 'cloudwatch',
  'client-macie2': 'macie2',
  'client-inspector2': 'inspector2',
  'client-guardduty': 'guardduty',
  'client-securityhub': 'securityhub',
  'client-config-service': 'config',
  'client-api-gateway': 'apigateway',
  'client-wafv2': 'wafv2',
};

/** The IAM actions the scanner needs, sorted and de-duplicated (the content of the read-only policy). */
export function requiredIamActions(): string[] {
  const actions = new Set<string>();
  for (const operations of Object.values(READ_ONLY_OPERATIONS)) {
    for (const action of Object.values(operations)) actions.add(action);
  }
  return [...actions].sort();
}

export function iamActionFor(service: string, operation: string): string | undefined {
  const operations = (READ_ONLY_OPERATIONS as Record<string, Record<string, string>>)[service];
  return operations?.[operation];
}
