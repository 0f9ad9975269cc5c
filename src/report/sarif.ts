/**
 * SARIF 2.1.0 writer: one run, the aigis driver with every rule that ran, and one result per
 * finding that needs attention. Tuned for GitHub code scanning (security-severity, tags,
 * partialFingerprints) while staying valid against the OASIS schema.
 *
 * Pure and deterministic: no clock, no file system, no environment; rules are sorted by id and
 * findings keep the order the engine gave them (already sorted).
 */
import { compactJsonChunks, joinChunks, prettyJsonChunks } from './json-chunks.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';
import type {
  Invocation,
  Location,
  Log,
  Notification,
  ReportingDescriptor,
  Result,
  Run,
} from 'sarif';
import { accountStandings } from '../engine/accounts.js';
import type { FrameworkRollup, ReportedRule, ScanResult } from '../engine/scan.js';
import type { Finding, Severity } from '../engine/types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key under which our fingerprint is published; bump the version if its derivation changes. */
export const FINGERPRINT_KEY = 'aigis/v1';
const SRCROOT = '%SRCROOT%';
/** GitHub code scanning rejects a run with more results than this. */
export const MAX_SARIF_RESULTS = 25_000;
/** GitHub code scanning's hard limit on tags per rule. */
export const MAX_RULE_TAGS = 20;

const LEVEL_BY_SEVERITY: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub code scanning maps security-severity (a CVSS-like score, as a string) to its
 * Critical (>= 9.0) / High (7.0-8.9) / Medium (4.0-6.9) / Low (0.1-3.9) / None buckets.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return LEVEL_BY_SEVERITY[severity];
}

export function securitySeverity(severity: Severity): string {
  return SECURITY_SEVERITY[severity];
}

/** `s3-block-public-access` -> `S3BlockPublicAccess` (SARIF reportingDescriptor.name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function renderSarif(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): string {
  return joinChunks(renderSarifChunks(result, options));
}

/** The SARIF log in chunks, the results written one by one (see json-chunks.ts). */
export function* renderSarifChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const log = buildSarif(result, options.timestamp);
  if (options.pretty) yield* prettyJsonChunks(log, ['runs', 0, 'results']);
  else yield* compactJsonChunks(log, [['runs', 0, 'results']], [], ['ruleId']);
  yield '\n';
}

/** `timestamp` (`--timestamp`) becomes the invocation's startTimeUtc. */
export function buildSarif(result: ScanResult, timestamp?: string): Log {
  const rules = [...result.rules].sort((a, b) => cmp(a.id, b.id));
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const fallbackUri = result.inputs[0];
  // Only fail and unknown findings are problems. pass and not_applicable results are evidence for
  // the HTML/JSON reports and the framework rollup, not alerts: code scanning would show every one
  // of them as an open issue. The engine's order puts failing before unknown, most severe first, so
  // the first MAX_SARIF_RESULTS are the ones to keep when there are more.
  const problems = result.findings.filter((finding) => finding.verdict === 'fail' || finding.verdict === 'unknown');
  const omitted = Math.max(0, problems.length - MAX_SARIF_RESULTS);

  const run: Run = {
    tool: {
      driver: {
        name: result.tool.name,
        version: result.tool.version,
        semanticVersion: result.tool.version,
        informationUri: result.tool.informationUri,
        rules: rules.map((rule) => reportingDescriptor(rule, result.tool.informationUri)),
      },
    },
    invocations: [invocation(result, omitted, problems.length, timestamp)],
    originalUriBaseIds: {
      [SRCROOT]: {
        description: {
          text: 'The directory aigis was run from (the repository root in CI); input and template paths are relative to it.',
        },
      },
    },
    columnKind: 'utf16CodeUnits',
    results: (omitted ? problems.slice(0, MAX_SARIF_RESULTS) : problems).map((finding) => sarifResult(finding, ruleIndex.get(finding.ruleId), fallbackUri)),
    properties: { ...runProperties(result), ...(omitted ? { resultsOmitted: omitted } : {}) },
  };

  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function reportingDescriptor(rule: ReportedRule, informationUri: string): ReportingDescriptor {
  const controlTags = rule.controls.map((c) => `${c.framework}/${c.controlId}`);
  // GitHub code scanning rejects an upload with more than 20 tags on a rule (and shows 10); the
  // complete mapping stays in properties.controls and in the help text.
  const tags = unique([rule.service, 'security', ...controlTags]).slice(0, MAX_RULE_TAGS);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: `${informationUri.replace(/\/+$/, '')}/blob/main/docs/rules.md#${rule.id}`,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags,
      'security-severity': securitySeverity(rule.severity),
      severity: rule.severity,
      service: rule.service,
      resourceTypes: rule.resourceTypes,
      controls: rule.controls.map((c) => ({ framework: c.framework, controlId: c.controlId })),
    },
  };
}

function helpText(rule: ReportedRule): string {
  const r = rule.remediation;
  const parts: string[] = [rule.description, '', `Why it matters: ${rule.rationale}`, '', 'Remediation'];
  if (r.console.length > 0) {
    parts.push('', 'Console:', ...r.console.map((step, i) => `  ${i + 1}. ${step}`));
  }
  if (r.cli.trim()) parts.push('', 'AWS CLI:', indent(r.cli));
  if (r.cloudformation.trim()) parts.push('', 'CloudFormation:', indent(r.cloudformation));
  if (r.terraform.trim()) parts.push('', 'Terraform:', indent(r.terraform));
  if (rule.controls.length > 0) {
    parts.push('', `Controls: ${rule.controls.map((c) => `${c.framework} ${c.controlId}`).join(', ')}`);
  }
  if (rule.references.length > 0) parts.push('', 'References:', ...rule.references.map((ref) => `  ${ref}`));
  return parts.join('\n');
}

function helpMarkdown(rule: ReportedRule): string {
  const r = rule.remediation;
  const parts: string[] = [rule.description, '', `**Why it matters.** ${rule.rationale}`, '', '## Remediation'];
  if (r.console.length > 0) {
    parts.push('', '### Console', '', ...r.console.map((step, i) => `${i + 1}. ${step}`));
  }
  if (r.cli.trim()) parts.push('', '### AWS CLI', '', fence(r.cli, 'shell'));
  if (r.cloudformation.trim()) parts.push('', '### CloudFormation', '', fence(r.cloudformation, 'yaml'));
  if (r.terraform.trim()) parts.push('', '### Terraform', '', fence(r.terraform, 'hcl'));
  if (rule.controls.length > 0) {
    parts.push('', '## Controls', '', '| Framework | Control |', '| --- | --- |');
    for (const c of rule.controls) parts.push(`| ${tableCell(c.framework)} | ${tableCell(c.controlId)} |`);
  }
  if (rule.references.length > 0) {
    parts.push('', '## References', '', ...rule.references.map((ref) => `- <${ref}>`));
  }
  return parts.join('\n');
}

/** A fence longer than any backtick run inside the code, so snippets can never close it early. */
function fence(code: string, language: string): string {
  const longestRun = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  return `${ticks}${language}\n${code.replace(/\s+$/, '')}\n${ticks}`;
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function indent(text: string): string {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function sarifResult(finding: Finding, ruleIndex: number | undefined, fallbackUri: string | undefined): Result {
  // SARIF 3.27.10: when kind is anything but "fail", level SHALL be "none". An unknown verdict is
  // "review": the tool could not decide and a human must look (never a silent pass).
  const isUnknown = finding.verdict === 'unknown';
  const sarif: Result = {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: isUnknown ? 'review' : 'fail',
    level: isUnknown ? 'none' : sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [location(finding, fallbackUri)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: resultProperties(finding),
  };
  if (finding.suppression) {
    sarif.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: finding.suppression.reason,
        properties: {
          source: finding.suppression.source,
          ...(finding.suppression.expires ? { expires: finding.suppression.expires } : {}),
        },
      },
    ];
  }
  if (finding.baseline) sarif.baselineState = finding.baseline === 'new' ? 'new' : 'unchanged';
  return sarif;
}

function location(finding: Finding, fallbackUri: string | undefined): Location {
  const { resource } = finding;
  const loc: Location = {
    logicalLocations: [
      {
        fullyQualifiedName: resource.arn,
        ...(resource.name !== undefined ? { name: resource.name } : {}),
        kind: 'resource',
      },
    ],
  };
  const property = propertyLocation(resource.source?.properties, finding.property);
  // A property declared by another resource (a Terraform split S3 resource) can live in another file.
  const file = property?.file ?? resource.source?.file ?? fallbackUri;
  // A live scan has no file to point at; the logical location (the ARN) is then the only location.
  if (file === undefined || file === '') return loc;
  const line = property?.line ?? resource.source?.line;
  const column = property ? property.column : resource.source?.column;
  loc.physicalLocation = {
    artifactLocation: artifactLocation(file),
    region: { startLine: line ?? 1, ...(line !== undefined && column !== undefined ? { startColumn: column } : {}) },
  };
  return loc;
}

type PropertyLocations = NonNullable<NonNullable<Finding['resource']['source']>['properties']>;

/**
 * The location of the offending property: the exact path, else the first-declared nested path
 * under it (`Policies` -> `Policies[0].PolicyDocument`), so the annotation lands inside the block.
 */
function propertyLocation(properties: PropertyLocations | undefined, property: string | undefined): PropertyLocations[string] | undefined {
  if (!properties || property === undefined) return undefined;
  const exact = properties[property];
  if (exact) return exact;
  let best: PropertyLocations[string] | undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (!key.startsWith(`${property}.`) && !key.startsWith(`${property}[`)) continue;
    if (!best || value.line < best.line || (value.line === best.line && (value.column ?? 0) < (best.column ?? 0))) best = value;
  }
  return best;
}

/** Relative paths are resolved against %SRCROOT%; absolute ones become file: URIs. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(slashed)) return { uri: `file:///${encodePath(slashed)}` };
  if (slashed.startsWith('/')) return { uri: `file://${encodePath(slashed)}` };
  return { uri: encodePath(slashed.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

/** Percent-encodes everything a URI path segment cannot hold (spaces, #, ?, %, non-ASCII). */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ':'))
    .join('/');
}

function resultProperties(finding: Finding): Record<string, unknown> {
  return {
    verdict: finding.verdict,
    severity: finding.severity,
    service: finding.service,
    resourceType: finding.resource.type,
    region: finding.resource.region,
    ...(finding.account !== undefined ? { account: finding.account } : {}),
    controls: finding.controls.map((c) => `${c.framework}/${c.controlId}`),
    ...(finding.property !== undefined ? { property: finding.property } : {}),
    ...(finding.resource.source?.logicalId !== undefined ? { logicalId: finding.resource.source.logicalId } : {}),
    ...(finding.ai !== undefined ? { aiWorkload: finding.ai } : {}),
    ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
  };
}

/** Collection errors are tool execution notifications: they explain every `unknown` verdict. */
function invocation(result: ScanResult, omitted: number, problems: number, timestamp: string | undefined): Invocation {
  const truncation: Notification[] = omitted
    ? [
        {
          level: 'warning',
          descriptor: { id: 'results-truncated' },
          message: {
            text:
              `${omitted} of ${problems} failing and unknown findings are left out: GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} results per run. ` +
              `The ${MAX_SARIF_RESULTS} kept are the failing ones first, most severe first, then the unknown ones; the JSON report (--format json) has every finding.`,
          },
          properties: { omitted, kept: MAX_SARIF_RESULTS },
        },
      ]
    : [];
  const notifications: Notification[] = truncation.concat(result.coverage.collectionErrors.map((error) => ({
    level: 'warning',
    descriptor: { id: 'collection-error' },
    message: {
      text:
        `Could not read ${error.service}:${error.operation}` +
        (error.resource ? ` for ${error.resource}` : '') +
        (error.region ? ` in ${error.region}` : '') +
        `: ${error.errorCode}` +
        (error.message ? ` (${error.message})` : ''),
    },
    properties: {
      service: error.service,
      operation: error.operation,
      errorCode: error.errorCode,
      ...(error.account !== undefined ? { account: error.account } : {}),
      ...(error.region !== undefined ? { region: error.region } : {}),
      ...(error.resource !== undefined ? { resource: error.resource } : {}),
    },
  })));
  return {
    executionSuccessful: true,
    ...(timestamp !== undefined ? { startTimeUtc: timestamp } : {}),
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };
}

function runProperties(result: ScanResult): Record<string, unknown> {
  return {
    account: { id: result.account.id, partition: result.account.partition, ...(result.account.alias !== undefined ? { alias: result.account.alias } : {}) },
    ...(result.accounts
      ? {
          accounts: accountStandings(result)
            .sort((a, b) => (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0))
            .map(({ entry, fail, unknown }) => ({ ...entry, fail, unknown })),
        }
      : {}),
    inputs: result.inputs,
    // Audit metadata (src/engine/scan-scope.ts): Regions, services, inputs and config digest.
    ...(result.scanScope ? { scanScope: result.scanScope } : {}),
    summary: result.summary,
    frameworks: result.frameworks.map((framework: FrameworkRollup) => ({
      id: framework.id,
      name: framework.name,
      version: framework.version,
      url: framework.url,
      totals: framework.totals,
    })),
    collectionErrors: result.coverage.collectionErrors.length,
    aiWorkloads: result.aiWorkloads.length,
    ...(result.scope ? { scope: result.scope } : {}),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
