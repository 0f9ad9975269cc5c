/**
 * AWS Security Finding Format (ASFF), the finding shape of Security Hub's `BatchImportFindings`:
 * one finding per failing or unknown finding (and per passing one with `--passed full`, so that a
 * re-import resolves what was fixed), as a JSON array, written finding by finding.
 *
 * Checked in test/report/asff.test.ts against the Security Hub API model as the installed
 * @aws-sdk/client-securityhub declares it (test/helpers/securityhub-model.ts): required members,
 * types, enums and the documented length limits. Limits are kept by truncating with a marker.
 *
 * The finding `Id` derives from the account and the aigis fingerprint (rule id and resource), so
 * importing the next scan's findings updates the same Security Hub findings rather than adding new ones.
 *
 * Deterministic: no clock. `CreatedAt`/`UpdatedAt` (required) are `options.timestamp` (`aigis scan
 * --timestamp`) when given, else ASFF_DEFAULT_TIMESTAMP, so default output is byte-comparable;
 * `aigis export securityhub` stamps the time of sending.
 */
import type { ReportedRule, ScanResult } from '../engine/scan.js';
import type { ScanScopeMetadata } from '../engine/scan-scope.js';
import type { ControlRef, Finding, Severity, Verdict } from '../engine/types.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** CreatedAt/UpdatedAt when no `--timestamp` was given: fixed, so that the same scan gives the same bytes. */
export const ASFF_DEFAULT_TIMESTAMP = '1970-01-01T00:00:00.000Z';
/** Prefix of every finding Id; bump the version if the Id's derivation changes. */
export const ASFF_ID_PREFIX = 'aigis/v1/';
/** Appended to a value cut to fit a limit. */
export const TRUNCATION_MARKER = '… [truncated]';

/** The API's limits (AwsSecurityFinding documentation in the Security Hub API model). */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  region: 16,
  resourceType: 256,
  severityOriginal: 64,
  types: 50,
  relatedRequirements: 32,
  resources: 32,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  /** AwsAccountName: "Minimum length of 1. Maximum length of 50." */
  accountName: 50,
  /** "The maximum allowed size for a finding is 240 Kb." */
  findingBytes: 240 * 1024,
  /** BatchImportFindingsRequest.Findings: 1 to 100 findings. */
  batchFindings: 100,
} as const;

/** Home Region per partition: where global resources (IAM, the account) are reported. */
export const DEFAULT_HOME_REGIONS: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';

/** The members of AwsSecurityFinding that aigis writes. */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  Region: string;
  GeneratorId: string;
  AwsAccountId: string;
  AwsAccountName?: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url: string } };
  SourceUrl: string;
  ProductFields: Record<string, string>;
  Resources: { Type: string; Id: string; Partition: string; Region: string }[];
  Compliance: { Status: AsffComplianceStatus; RelatedRequirements?: string[] };
  FindingProviderFields: { Severity: { Label: AsffSeverityLabel; Original: string }; Types: string[] };
  Workflow: { Status: 'NEW' | 'RESOLVED' | 'SUPPRESSED' };
  RecordState: 'ACTIVE';
}

/** What a rule contributes to its findings. */
export interface AsffRule {
  id: string;
  title: string;
  controls: readonly ControlRef[];
  /** How to fix it, in words (the console steps); absent: the rule's page is the recommendation. */
  remediationText?: string;
}

/** A finding as the engine and the JSON report give it (title, service and controls come from the rule). */
export type AsffSourceFinding = Pick<Finding, 'ruleId' | 'severity' | 'verdict' | 'resource' | 'message' | 'fingerprint'> &
  Partial<Pick<Finding, 'property' | 'ai' | 'suppression' | 'baseline' | 'account'>>;

/** Everything a finding needs besides itself. */
export interface AsffContext {
  tool: { name: string; version: string; informationUri: string };
  account: { id: string; partition: string };
  /** Region for global resources (IAM, the account itself) and of their ProductArn. */
  homeRegion: string;
  /** CreatedAt and UpdatedAt. */
  timestamp: string;
  rules: ReadonlyMap<string, AsffRule>;
  /** Account aliases by account id (AwsAccountName). */
  aliases?: ReadonlyMap<string, string>;
  /** The scan's audit metadata (ProductFields aigis/scan-regions, -services, -inputs, aigis/config-digest). */
  scanScope?: ScanScopeMetadata;
}

const SEVERITY_LABEL: Record<Severity, AsffSeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** An unknown verdict is never PASSED: data was missing, which Security Hub calls WARNING. */
const COMPLIANCE_STATUS: Record<Verdict, AsffComplianceStatus> = {
  fail: 'FAILED',
  unknown: 'WARNING',
  pass: 'PASSED',
  not_applicable: 'NOT_AVAILABLE',
};

/**
 * ASFF type classifiers (Software and Configuration Checks/Industry and Regulatory Standards/...)
 * of the built-in frameworks; findings of other frameworks still list their controls under
 * Compliance.RelatedRequirements.
 */
const BEST_PRACTICES_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
const FRAMEWORK_TYPES: Record<string, string> = {
  'aws-ai-security': BEST_PRACTICES_TYPE,
  hipaa: 'Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls (USA)',
  gdpr: 'Software and Configuration Checks/Industry and Regulatory Standards/GDPR Controls (Europe)',
  'nist-800-53-r5': 'Software and Configuration Checks/Industry and Regulatory Standards/NIST 800-53 Controls (USA)',
  soc2: 'Software and Configuration Checks/Industry and Regulatory Standards/SOC 2',
};

/**
 * CloudFormation resource types with an ASFF resource type of their own (the ASFF names are those
 * of the API model's ResourceDetails, plus AwsAccount); every other type is `Other`.
 */
const RESOURCE_TYPES: Record<string, string> = {
  'AWS::::Account': 'AwsAccount',
  'AWS::ApiGateway::RestApi': 'AwsApiGatewayRestApi',
  'AWS::ApiGateway::Stage': 'AwsApiGatewayStage',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::CloudWatch::Alarm': 'AwsCloudWatchAlarm',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::VPCEndpointService': 'AwsEc2VpcEndpointService',
  'AWS::ECR::Repository': 'AwsEcrRepository',
  'AWS::GuardDuty::Detector': 'AwsGuardDutyDetector',
  'AWS::IAM::AccessKey': 'AwsIamAccessKey',
  'AWS::IAM::Group': 'AwsIamGroup',
  'AWS::IAM::ManagedPolicy': 'AwsIamPolicy',
  'AWS::IAM::Policy': 'AwsIamPolicy',
  'AWS::IAM::Role': 'AwsIamRole',
  'AWS::IAM::User': 'AwsIamUser',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::Lambda::Function': 'AwsLambdaFunction',
  'AWS::OpenSearchService::Domain': 'AwsOpenSearchServiceDomain',
  'AWS::S3::AccessPoint': 'AwsS3AccessPoint',
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::SageMaker::NotebookInstance': 'AwsSageMakerNotebookInstance',
  'AWS::SecretsManager::Secret': 'AwsSecretsManagerSecret',
  'AWS::SNS::Topic': 'AwsSnsTopic',
  'AWS::SQS::Queue': 'AwsSqsQueue',
  'AWS::WAFv2::WebACL': 'AwsWafv2WebAcl',
};

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b']);
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function asffSeverityLabel(severity: Severity): AsffSeverityLabel {
  return SEVERITY_LABEL[severity];
}

export function asffComplianceStatus(verdict: Verdict): AsffComplianceStatus {
  return COMPLIANCE_STATUS[verdict];
}

export function asffResourceType(cloudFormationType: string): string {
  return RESOURCE_TYPES[cloudFormationType] ?? 'Other';
}

/** Whether a finding of this verdict goes to Security Hub: problems always, passes only when asked. */
export function asffIncludes(verdict: Verdict, includePassing: boolean): boolean {
  return verdict === 'fail' || verdict === 'unknown' || (includePassing && verdict === 'pass');
}

/**
 * `text` cut to at most `max` UTF-16 code units (never more characters than that), the marker
 * included, without splitting a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - TRUNCATION_MARKER.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

/** The ProductArn of the default (custom integration) product of an account in a Region. */
export function productArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The Region a finding is reported in: the resource's, or the home Region for global resources. */
export function findingRegion(resourceRegion: string, homeRegion: string): string {
  return REGION_PATTERN.test(resourceRegion) ? resourceRegion : homeRegion;
}

/** The rule's page in docs/rules.md. */
export function ruleUrl(informationUri: string, ruleId: string): string {
  return `${informationUri.replace(/\/+$/, '')}/blob/main/docs/rules.md#${ruleId}`;
}

/** A rule's remediation in words: its console steps, numbered. */
export function remediationText(rule: Pick<ReportedRule, 'remediation'>): string | undefined {
  const steps = rule.remediation.console.filter((step) => /\S/.test(step));
  if (steps.length === 0) return undefined;
  return steps.map((step, i) => (steps.length > 1 ? `${i + 1}. ${step}` : step)).join(' ');
}

export function asffFinding(finding: AsffSourceFinding, context: AsffContext): AsffFinding {
  const rule = context.rules.get(finding.ruleId);
  const partition = PARTITIONS.has(context.account.partition) ? context.account.partition : 'aws';
  const accountId = accountOf(finding, context);
  const alias = nonEmpty(context.aliases?.get(accountId));
  const region = findingRegion(finding.resource.region, context.homeRegion);
  const label = asffSeverityLabel(finding.severity);
  const controls = [...(rule?.controls ?? [])];
  const requirements = unique(controls.map((c) => clip(`${c.framework}/${c.controlId}`, 256))).sort(cmp);
  const types = unique(controls.map((c) => FRAMEWORK_TYPES[c.framework]).filter((t): t is string => t !== undefined)).sort(cmp);
  if (types.length === 0) types.push(BEST_PRACTICES_TYPE);
  const url = ruleUrl(context.tool.informationUri, finding.ruleId);
  const title = nonEmpty(rule?.title) ?? finding.ruleId;
  const status = asffComplianceStatus(finding.verdict);

  const asff: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    // The account too: an ARN without one (S3, API Gateway) can name resources of two accounts of one scan.
    Id: clip(`${ASFF_ID_PREFIX}${accountId}/${finding.fingerprint}`, ASFF_LIMITS.id),
    ProductArn: productArn(partition, region, accountId),
    ProductName: context.tool.name,
    CompanyName: context.tool.name,
    Region: region,
    GeneratorId: clip(`${context.tool.name}/${finding.ruleId}`, ASFF_LIMITS.generatorId),
    AwsAccountId: accountId,
    ...(alias !== undefined ? { AwsAccountName: clip(alias, ASFF_LIMITS.accountName) } : {}),
    Types: types.slice(0, ASFF_LIMITS.types),
    CreatedAt: context.timestamp,
    UpdatedAt: context.timestamp,
    Severity: { Label: label, Original: clip(finding.severity, ASFF_LIMITS.severityOriginal) },
    Title: clip(title, ASFF_LIMITS.title),
    Description: clip(nonEmpty(finding.message) ?? title, ASFF_LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: clip(nonEmpty(rule?.remediationText) ?? `See the remediation of ${finding.ruleId} (console, AWS CLI, CloudFormation, Terraform) at the URL.`, ASFF_LIMITS.recommendationText),
        Url: url,
      },
    },
    SourceUrl: url,
    ProductFields: productFields(finding, context, controls.length > ASFF_LIMITS.relatedRequirements ? requirements : undefined),
    Resources: [
      {
        Type: asffResourceType(finding.resource.type),
        // Not limited by the API; cut only so that a hostile name cannot push the finding past 240 KB.
        Id: clip(nonEmpty(finding.resource.arn) ?? 'unknown', 2048),
        Partition: partition,
        Region: region,
      },
    ],
    Compliance: { Status: status, ...(requirements.length > 0 ? { RelatedRequirements: requirements.slice(0, ASFF_LIMITS.relatedRequirements) } : {}) },
    FindingProviderFields: { Severity: { Label: label, Original: clip(finding.severity, ASFF_LIMITS.severityOriginal) }, Types: types.slice(0, ASFF_LIMITS.types) },
    // Security Hub takes Workflow from the first import only; later imports cannot change it.
    Workflow: { Status: finding.suppression ? 'SUPPRESSED' : finding.verdict === 'pass' ? 'RESOLVED' : 'NEW' },
    RecordState: 'ACTIVE',
  };
  return fit(asff);
}

/** 12 digits, as the API requires: the finding's account in a multi-account scan, else the scan's. */
function accountOf(finding: AsffSourceFinding, context: AsffContext): string {
  for (const candidate of [finding.account, context.account.id]) if (candidate !== undefined && /^\d{12}$/.test(candidate)) return candidate;
  return '000000000000';
}

function productFields(finding: AsffSourceFinding, context: AsffContext, allRequirements: string[] | undefined): Record<string, string> {
  const source = finding.resource.source;
  const fields: [string, string | undefined][] = [
    ['ProviderName', context.tool.name],
    ['ProviderVersion', context.tool.version],
    [`${context.tool.name}/fingerprint`, finding.fingerprint],
    [`${context.tool.name}/rule-id`, finding.ruleId],
    [`${context.tool.name}/verdict`, finding.verdict],
    [`${context.tool.name}/resource-type`, finding.resource.type],
    [`${context.tool.name}/resource-name`, finding.resource.name],
    [`${context.tool.name}/property`, finding.property],
    [`${context.tool.name}/source`, source?.file ? `${source.file}${source.line !== undefined ? `:${source.line}` : ''}` : undefined],
    [`${context.tool.name}/logical-id`, source?.logicalId],
    [`${context.tool.name}/ai-workload`, finding.ai?.join('; ')],
    [`${context.tool.name}/suppression-reason`, finding.suppression?.reason],
    [`${context.tool.name}/suppression-expires`, finding.suppression?.expires],
    [`${context.tool.name}/baseline`, finding.baseline],
    // Compliance.RelatedRequirements holds 32: the rest are here.
    [`${context.tool.name}/controls`, allRequirements?.join(', ')],
    // The scan's audit metadata (src/engine/scan-scope.ts).
    [`${context.tool.name}/scan-regions`, context.scanScope?.regions.join(', ')],
    [`${context.tool.name}/scan-services`, context.scanScope?.services.join(', ')],
    [`${context.tool.name}/scan-inputs`, context.scanScope?.inputs.join(', ')],
    [`${context.tool.name}/config-digest`, context.scanScope?.configDigest],
  ];
  const out: Record<string, string> = {};
  for (const [key, value] of fields) {
    const text = nonEmpty(value);
    if (text !== undefined) out[clip(key, ASFF_LIMITS.productFieldKey)] = clip(text, ASFF_LIMITS.productFieldValue);
  }
  return out;
}

/**
 * The 240 KB limit. Every string of a finding is bounded and the lists are short, so only
 * multi-byte text in the product fields could come near it: those are cut further then.
 */
function fit(asff: AsffFinding): AsffFinding {
  if (Buffer.byteLength(JSON.stringify(asff)) <= ASFF_LIMITS.findingBytes) return asff;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(asff.ProductFields)) fields[key] = clip(value, 256);
  return { ...asff, ProductFields: fields };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text !== undefined && /\S/.test(text) ? text : undefined;
}

/** The context of a scan's own report: rules with their remediation, Region of global resources per partition. */
export function asffContextOf(result: ScanResult, options: Pick<ReportOptions, 'timestamp'>, homeRegion?: string): AsffContext {
  const rules = new Map<string, AsffRule>();
  for (const rule of result.rules) {
    const text = remediationText(rule);
    rules.set(rule.id, { id: rule.id, title: rule.title, controls: rule.controls, ...(text !== undefined ? { remediationText: text } : {}) });
  }
  return {
    tool: result.tool,
    account: result.account,
    homeRegion: homeRegion ?? DEFAULT_HOME_REGIONS[result.account.partition] ?? 'us-east-1',
    timestamp: options.timestamp ?? ASFF_DEFAULT_TIMESTAMP,
    rules,
    aliases: aliasesOf(result),
    ...(result.scanScope ? { scanScope: result.scanScope } : {}),
  };
}

/** Account id -> alias: each account's in a scan of several, else the scan's own. */
export function aliasesOf(result: { account: { id: string; alias?: string | undefined }; accounts?: readonly { id: string; alias?: string | undefined }[] | undefined }): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const entry of result.accounts ?? [result.account]) if (entry.alias !== undefined) aliases.set(entry.id, entry.alias);
  return aliases;
}

/** The findings that go to Security Hub, in the engine's order. */
export function* asffFindings(findings: Iterable<AsffSourceFinding>, context: AsffContext, includePassing: boolean): Generator<AsffFinding> {
  for (const finding of findings) if (asffIncludes(finding.verdict, includePassing)) yield asffFinding(finding, context);
}

/**
 * The `asff` report: a JSON array of findings (what `aws securityhub batch-import-findings
 * --findings` takes, 100 at a time), one finding per line, or indented with `--pretty`.
 */
export function* renderAsffChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const context = asffContextOf(result, options);
  let first = true;
  for (const finding of asffFindings(result.findings, context, options.passed === 'full')) {
    const text = options.pretty ? JSON.stringify(finding, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(finding);
    yield `${first ? '[\n' : ',\n'}${options.pretty ? '  ' : ''}${text}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
