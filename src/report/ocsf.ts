/**
 * OCSF writer: one Compliance Finding event (class 2003, category 2 "Findings") per failing or
 * unknown finding, and per passing and not-applicable one with `--passed full`. Targets OCSF
 * 1.8.0 (docs/ocsf.md has the field mapping; test/report/ocsf.test.ts validates the events against
 * test/schemas/ocsf-1.8.0-compliance-finding.schema.json, a JSON Schema written for aigis from the
 * OCSF 1.8.0 documentation).
 *
 * JSON Lines: one event per line, no enclosing array. The tools that carry events into a security
 * lake (Amazon Data Firehose, AWS Glue and Athena's JSON SerDe, Tenzir, Cribl, Vector, Fluent Bit)
 * read one JSON object per line as one record; a top-level array must be parsed whole or needs a
 * custom classifier. Lines also stream: each event is written as it is made, a batch at a time.
 *
 * Pure and deterministic: `time` is `--timestamp` when given, else the inventory's `collectedAt`
 * when it recorded one, else 0 (the epoch: "not recorded"), never the clock.
 */
import { aliasOfAccount } from './audit-metadata.js';
import type { ReportedRule, ScanResult } from '../engine/scan.js';
import type { Finding, Severity, Verdict } from '../engine/types.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';

/** The OCSF version the events follow (`metadata.version`). */
export const OCSF_VERSION = '1.8.0';

export const OCSF_CATEGORY_UID = 2;
export const OCSF_CATEGORY_NAME = 'Findings';
/** category_uid * 1000 + the class's uid within the category (3). */
export const OCSF_CLASS_UID = 2003;
export const OCSF_CLASS_NAME = 'Compliance Finding';
/** Every event is a new finding as of this scan: activity Create. */
const ACTIVITY_ID = 1;
const ACTIVITY_NAME = 'Create';

/** aigis severity -> OCSF severity_id and its caption. */
const SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/**
 * The verdict as the compliance check's status. `unknown` is Warning ("did not yield a result due
 * to missing information"), never Pass; `not_applicable` is Other with its own caption.
 */
const COMPLIANCE_STATUS: Record<Verdict, { id: number; name: string; detail?: string }> = {
  pass: { id: 1, name: 'Pass' },
  unknown: { id: 2, name: 'Warning', detail: 'data missing' },
  fail: { id: 3, name: 'Fail' },
  not_applicable: { id: 99, name: 'Not Applicable', detail: 'not applicable' },
};

/** The finding's own (workflow) status: Finding.status_id. */
const FINDING_STATUS = {
  new: { id: 1, name: 'New' },
  suppressed: { id: 3, name: 'Suppressed' },
  resolved: { id: 4, name: 'Resolved' },
} as const;

/**
 * Events per chunk: an event is 1-4 KB, so a chunk stays under about 128 KB, a regular
 * young-generation string (larger ones go to V8's large-object space; see json-chunks.ts).
 */
const BATCH = 32;

export interface OcsfEvent {
  [key: string]: unknown;
}

/** The events in JSON Lines, `BATCH` lines per chunk; empty when there is nothing to report. */
export function* renderOcsfChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const build = ocsfEventBuilder(result, options);
  const full = options.passed === 'full';
  let batch = '';
  let count = 0;
  for (let i = 0; i < result.findings.length; i++) {
    const finding = result.findings[i]!;
    if (!full && finding.verdict !== 'fail' && finding.verdict !== 'unknown') continue;
    batch += `${JSON.stringify(build(finding))}\n`;
    if (++count % BATCH === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** The events as objects (for tests and callers that want them). */
export function ocsfEvents(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): OcsfEvent[] {
  const build = ocsfEventBuilder(result, options);
  const full = options.passed === 'full';
  return result.findings.filter((f) => full || f.verdict === 'fail' || f.verdict === 'unknown').map(build);
}

/** `time`: --timestamp, else the inventory's collection time, else 0; milliseconds since the epoch. */
export function ocsfTime(result: ScanResult, options: ReportOptions): number {
  for (const value of [options.timestamp, result.collectedAt]) {
    if (value === undefined) continue;
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return 0;
}

/** A function from finding to event, with what every event of a rule shares computed once per rule. */
export function ocsfEventBuilder(result: ScanResult, options: ReportOptions): (finding: Finding) => OcsfEvent {
  const time = ocsfTime(result, options);
  const metadata = {
    version: OCSF_VERSION,
    product: {
      name: result.tool.name,
      vendor_name: result.tool.name,
      version: result.tool.version,
      url_string: result.tool.informationUri,
    },
    profiles: ['cloud'],
  };
  const frameworkNames = new Map(result.frameworks.map((f) => [f.id, f.name]));
  const metaById = new Map(result.rules.map((r) => [r.id, r]));
  const rules = new Map<string, RuleParts>();
  const ruleParts = (finding: Finding): RuleParts => {
    let parts = rules.get(finding.ruleId);
    if (!parts) rules.set(finding.ruleId, (parts = rulePartsOf(finding, metaById.get(finding.ruleId), frameworkNames)));
    return parts;
  };
  const partition = result.account.partition;
  // Audit metadata (src/engine/scan-scope.ts): the inputs are the findings' data sources; Regions,
  // services and the config digest have no OCSF attribute and go under `unmapped.scan`.
  const scope = result.scanScope;
  const dataSources = scope && scope.inputs.length > 0 ? scope.inputs : undefined;
  const scan = scope ? { regions: scope.regions, services: scope.services, config_digest: scope.configDigest } : undefined;
  return (finding) => {
    const parts = ruleParts(finding);
    const severity = SEVERITY[finding.severity];
    const compliance = COMPLIANCE_STATUS[finding.verdict];
    const status = finding.suppression
      ? FINDING_STATUS.suppressed
      : finding.verdict === 'fail' || finding.verdict === 'unknown'
        ? FINDING_STATUS.new
        : FINDING_STATUS.resolved;
    const { resource } = finding;
    // IAM, Organizations and other global services: "global" is not a region, so none is given.
    const region = resource.region && resource.region !== 'global' ? resource.region : undefined;
    const unmapped = unmappedOf(finding, scan);
    return {
      class_uid: OCSF_CLASS_UID,
      class_name: OCSF_CLASS_NAME,
      category_uid: OCSF_CATEGORY_UID,
      category_name: OCSF_CATEGORY_NAME,
      activity_id: ACTIVITY_ID,
      activity_name: ACTIVITY_NAME,
      type_uid: OCSF_CLASS_UID * 100 + ACTIVITY_ID,
      type_name: `${OCSF_CLASS_NAME}: ${ACTIVITY_NAME}`,
      severity_id: severity.id,
      severity: severity.name,
      status_id: status.id,
      status: status.name,
      ...(finding.suppression ? { status_detail: `suppressed: ${finding.suppression.reason}` } : {}),
      time,
      message: finding.message,
      metadata,
      finding_info: {
        uid: finding.fingerprint,
        title: parts.title,
        ...(parts.desc ? { desc: parts.desc } : {}),
        analytic: parts.analytic,
        ...(dataSources ? { data_sources: dataSources } : {}),
      },
      compliance: {
        control: finding.ruleId,
        ...(parts.requirements.length ? { requirements: parts.requirements } : {}),
        ...(parts.standards.length ? { standards: parts.standards } : {}),
        status_id: compliance.id,
        status: compliance.name,
        ...(compliance.detail ? { status_details: [`${compliance.detail}: ${finding.message}`] } : {}),
      },
      resources: [
        {
          uid: resource.arn,
          type: resource.type,
          ...(resource.name !== undefined && resource.name !== '' ? { name: resource.name } : {}),
          ...(region ? { region } : {}),
          cloud_partition: partition,
        },
      ],
      cloud: {
        provider: 'AWS',
        ...(accountOf(finding.account ?? result.account.id, aliasOfAccount(result, finding.account)) ?? {}),
        ...(region ? { region } : {}),
        cloud_partition: partition,
      },
      ...(parts.remediation ? { remediation: parts.remediation } : {}),
      ...(unmapped ? { unmapped } : {}),
    };
  };
}

interface RuleParts {
  title: string;
  desc?: string;
  analytic: { uid: string; name: string; type_id: number; type: string };
  requirements: string[];
  standards: string[];
  remediation?: { desc: string; references?: string[] };
}

function rulePartsOf(finding: Finding, rule: ReportedRule | undefined, frameworkNames: Map<string, string>): RuleParts {
  const title = rule?.title ?? finding.title;
  const requirements: string[] = [];
  const standards: string[] = [];
  for (const control of finding.controls) {
    const framework = frameworkNames.get(control.framework) ?? control.framework;
    requirements.push(`${framework} ${control.controlId}`);
    if (!standards.includes(framework)) standards.push(framework);
  }
  const remediation = rule ? remediationOf(rule) : undefined;
  return {
    title,
    ...(rule?.description ? { desc: rule.description } : {}),
    analytic: { uid: finding.ruleId, name: title, type_id: 1, type: 'Rule' },
    requirements,
    standards,
    ...(remediation ? { remediation } : {}),
  };
}

/** The rule's console steps and AWS CLI command as text; its references as the remediation's. */
function remediationOf(rule: ReportedRule): { desc: string; references?: string[] } | undefined {
  const r = rule.remediation;
  const parts: string[] = [];
  if (r.console.length > 0) parts.push(r.console.map((step, i) => `${i + 1}. ${step}`).join('\n'));
  if (r.cli.trim()) parts.push(`AWS CLI:\n${r.cli.trim()}`);
  if (parts.length === 0 && r.terraform.trim()) parts.push(`Terraform:\n${r.terraform.trim()}`);
  if (parts.length === 0 && r.cloudformation.trim()) parts.push(`CloudFormation:\n${r.cloudformation.trim()}`);
  if (parts.length === 0) return undefined;
  return { desc: parts.join('\n\n'), ...(rule.references.length ? { references: rule.references } : {}) };
}

/**
 * `cloud.account` for a 12-digit AWS account id; none for what is not one (`aigis policy check`
 * reads policy files of no account, a multi-account label).
 */
function accountOf(id: string, alias: string | undefined): { account: { uid: string; name?: string; type_id: number; type: string } } | undefined {
  return /^\d{12}$/.test(id) ? { account: { uid: id, ...(alias !== undefined && alias !== '' ? { name: alias } : {}), type_id: 10, type: 'AWS Account' } } : undefined;
}

/** What aigis knows that OCSF has no attribute for, under `unmapped` (absent when there is none). */
function unmappedOf(finding: Finding, scan: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (finding.evidence !== undefined) out.evidence = finding.evidence;
  if (finding.property !== undefined) out.property = finding.property;
  if (finding.ai !== undefined && finding.ai.length > 0) out.ai = finding.ai;
  if (finding.suppression) out.suppression = finding.suppression;
  if (finding.baseline !== undefined) out.baseline = finding.baseline;
  const source = finding.resource.source;
  if (source?.file) out.source = { file: source.file, ...(source.line !== undefined ? { line: source.line } : {}), ...(source.logicalId !== undefined ? { logical_id: source.logicalId } : {}) };
  if (scan) out.scan = scan;
  return Object.keys(out).length > 0 ? out : undefined;
}
