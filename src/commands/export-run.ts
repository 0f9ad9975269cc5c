/**
 * `aigis export securityhub`: an aigis JSON report -> ASFF findings (src/report/asff.ts, the same
 * findings as `--format asff`, stamped with the time of sending) -> BatchImportFindings, per
 * Region, in batches of at most 100 findings and 6 MB, one request at a time, throttling retried
 * by the SDK (adaptive mode, with back-off). Every finding Security Hub refuses is reported on one
 * line; the exit code is 1 when any finding was not imported.
 *
 * The Security Hub client is imported here, when a real export runs: `--dry-run` and every other
 * command load no AWS SDK client (test/startup.test.ts).
 */
import type { RetryStrategyV2 } from '@smithy/types';
import { z } from 'zod';
import { readReportDocument } from '../engine/baseline.js';
import { InputError, UsageError, formatZodIssues } from '../engine/errors.js';
import { loadRules } from '../engine/registry.js';
import { SEVERITIES, VERDICTS, type ResourceRef } from '../engine/types.js';
import {
  ASFF_LIMITS,
  DEFAULT_HOME_REGIONS,
  aliasesOf,
  asffFindings,
  asffIncludes,
  findingRegion,
  remediationText,
  type AsffContext,
  type AsffFinding,
  type AsffRule,
  type AsffSourceFinding,
} from '../report/asff.js';
import { inertText } from '../report/inert.js';
import type { ExportArgs } from './export.js';
import type { Io } from './io.js';
import path from 'node:path';

/** "Security Hub accepts up to 100 findings per batch, up to 240 KB per finding, and up to 6 MB per batch." */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
const DEFAULT_MAX_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 60_000;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

const fingerprint = z.string().regex(/^[0-9a-f]{32}$/, 'expected an aigis fingerprint (32 lowercase hex characters)');
const reportSchema = z.object({
  reportVersion: z.string().regex(/^2\./, 'unsupported reportVersion (export reads reports of version 2.x: scan again with this aigis)'),
  tool: z.object({ name: z.string(), version: z.string(), informationUri: z.string() }),
  account: z.object({ id: z.string(), partition: z.string(), alias: z.string().optional() }),
  // 2.3: account aliases and the scan's audit metadata (absent from older reports).
  accounts: z.array(z.object({ id: z.string(), alias: z.string().optional() })).optional(),
  scanScope: z
    .object({ regions: z.array(z.string()), services: z.array(z.string()), inputs: z.array(z.string()), configDigest: z.string() })
    .optional(),
  rules: z.array(z.object({ id: z.string(), title: z.string(), controls: z.array(z.object({ framework: z.string(), controlId: z.string() })) })),
  findings: z.array(
    z.object({
      ruleId: z.string(),
      severity: z.enum(SEVERITIES),
      verdict: z.enum(VERDICTS),
      resource: z.object({
        arn: z.string(),
        type: z.string(),
        region: z.string(),
        name: z.string().optional(),
        source: z.object({ file: z.string().optional(), line: z.number().optional(), logicalId: z.string().optional() }).optional(),
      }),
      message: z.string(),
      property: z.string().optional(),
      ai: z.array(z.string()).optional(),
      fingerprint,
      suppression: z.object({ reason: z.string(), expires: z.string().optional(), source: z.string() }).optional(),
      baseline: z.enum(['new', 'existing']).optional(),
      account: z.string().optional(),
    }),
  ),
});

export interface ExportOptions {
  /** Home Region (global resources); default: the partition's. */
  region?: string;
  profile?: string;
  maxAttempts?: number;
  /** Tests: retries without back-off. */
  retryStrategy?: RetryStrategyV2;
  /** CreatedAt/UpdatedAt; default: now. */
  timestamp?: string;
}

/** A report ready to send: its findings (those that go to Security Hub) per Region, converted to ASFF batch by batch. */
export interface ExportPlan {
  context: AsffContext;
  /** Region -> the report's findings that go there, in the report's order; Regions sorted. */
  byRegion: Map<string, AsffSourceFinding[]>;
  total: number;
}

/** Reads an aigis JSON report; the ASFF is that of `--format asff` (pass findings only when the report has them). */
export async function loadExportPlan(file: string, displayName: string, options: Pick<ExportOptions, 'region' | 'timestamp'>): Promise<ExportPlan> {
  const data = await readReportDocument(file, displayName, 'report');
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('reportVersion' in data)) {
    throw new InputError(displayName, [], 'expected an aigis JSON report (aigis scan --format json), an object with reportVersion');
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) throw new InputError(displayName, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  const report = parsed.data;
  const homeRegion = options.region ?? DEFAULT_HOME_REGIONS[report.account.partition] ?? 'us-east-1';
  // The report states what a rule is (title, controls); the remediation comes from the rule itself.
  const remediation = new Map<string, string>();
  for (const rule of await loadRules()) {
    const text = remediationText(rule.meta);
    if (text !== undefined) remediation.set(rule.meta.id, text);
  }
  const rules = new Map<string, AsffRule>();
  for (const rule of report.rules) {
    const text = remediation.get(rule.id);
    rules.set(rule.id, { id: rule.id, title: rule.title, controls: rule.controls, ...(text !== undefined ? { remediationText: text } : {}) });
  }
  const context: AsffContext = {
    tool: report.tool,
    account: report.account,
    homeRegion,
    timestamp: options.timestamp ?? new Date().toISOString(),
    rules,
    aliases: aliasesOf(report),
    ...(report.scanScope ? { scanScope: report.scanScope } : {}),
  };
  const grouped = new Map<string, AsffSourceFinding[]>();
  let total = 0;
  for (const f of report.findings) {
    if (!asffIncludes(f.verdict, true)) continue;
    const finding = { ...f, resource: f.resource as ResourceRef } as AsffSourceFinding;
    const region = findingRegion(finding.resource.region, homeRegion);
    const list = grouped.get(region);
    if (list) list.push(finding);
    else grouped.set(region, [finding]);
    total++;
  }
  const byRegion = new Map([...grouped.keys()].sort().map((region) => [region, grouped.get(region)!] as const));
  return { context, byRegion, total };
}

/** Findings in batches of at most 100 findings and 6 MB of request body, in order. */
export function* batchesOf(findings: Iterable<AsffFinding>): Generator<AsffFinding[]> {
  const envelope = Buffer.byteLength('{"Findings":[]}');
  let batch: AsffFinding[] = [];
  let bytes = envelope;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding)) + 1;
    if (batch.length > 0 && (batch.length >= ASFF_LIMITS.batchFindings || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = envelope;
    }
    batch.push(finding);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

/** Findings per Region (sorted), each Region's in batches (batchesOf). */
export function batchFindings(findings: readonly AsffFinding[]): Map<string, AsffFinding[][]> {
  const byRegion = new Map<string, AsffFinding[]>();
  for (const finding of findings) {
    const list = byRegion.get(finding.Region);
    if (list) list.push(finding);
    else byRegion.set(finding.Region, [finding]);
  }
  return new Map([...byRegion.keys()].sort().map((region) => [region, [...batchesOf(byRegion.get(region)!)]] as const));
}

/** The plan's batches per Region, each converted when it is reached: never the whole report in ASFF at once. */
export function planBatches(plan: ExportPlan): Map<string, Iterable<AsffFinding[]>> {
  const out = new Map<string, Iterable<AsffFinding[]>>();
  for (const [region, findings] of plan.byRegion) out.set(region, { [Symbol.iterator]: () => batchesOf(asffFindings(findings, plan.context, true)) });
  return out;
}

export interface ExportOutcome {
  sent: number;
  imported: number;
  failed: { id: string; resource: string; code: string; message: string }[];
  /** Findings not sent because a request failed (after retries); the error, one line. */
  notSent: number;
  requestError?: string;
  requests: number;
}

/** Sends the batches, one request at a time; stops at the first request that fails after its retries. */
export async function sendToSecurityHub(batches: Map<string, Iterable<AsffFinding[]>>, total: number, options: ExportOptions = {}): Promise<ExportOutcome> {
  const { SecurityHubClient, BatchImportFindingsCommand } = await import('@aws-sdk/client-securityhub');
  const outcome: ExportOutcome = { sent: 0, imported: 0, failed: [], notSent: 0, requests: 0 };
  for (const [region, regionBatches] of batches) {
    const client = new SecurityHubClient({
      region,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: 'adaptive',
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS },
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
    });
    try {
      for (const batch of regionBatches) {
        const resources = new Map(batch.map((f) => [f.Id, f.Resources[0]?.Id ?? '']));
        outcome.requests++;
        try {
          // The SDK's types are wider than what aigis writes (ASFF enums as unions of strings).
          const response = await client.send(new BatchImportFindingsCommand({ Findings: batch as never }));
          outcome.sent += batch.length;
          const failed = response.FailedFindings ?? [];
          outcome.imported += response.SuccessCount ?? batch.length - failed.length;
          for (const f of failed) {
            outcome.failed.push({ id: f.Id ?? '', resource: resources.get(f.Id ?? '') ?? '', code: f.ErrorCode ?? 'Unknown', message: f.ErrorMessage ?? '' });
          }
          // A response that counts failures it does not list: still failures.
          const unlisted = (response.FailedCount ?? failed.length) - failed.length;
          for (let i = 0; i < unlisted; i++) outcome.failed.push({ id: '', resource: '', code: 'Unknown', message: 'counted as failed without an entry in FailedFindings' });
        } catch (error) {
          const e = error as { name?: string; message?: string };
          outcome.requestError = `BatchImportFindings in ${region} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
          outcome.notSent = total - outcome.sent;
          return outcome;
        }
      }
    } finally {
      client.destroy();
    }
  }
  return outcome;
}

export async function runExportCommand(args: ExportArgs, io: Io): Promise<number> {
  if (args.target !== 'securityhub') throw new UsageError(`export: unknown target "${args.target ?? ''}" (choose from securityhub)`);
  if (!args.input) throw new UsageError('export securityhub: give the report with --input');
  if (args.region !== undefined && !REGION.test(args.region)) throw new UsageError(`--region: "${args.region}" is not an AWS Region name (e.g. us-east-1)`);
  if (args.maxAttempts !== undefined && (!Number.isInteger(args.maxAttempts) || args.maxAttempts < 1 || args.maxAttempts > 20)) {
    throw new UsageError('--max-attempts: a whole number from 1 to 20');
  }
  const file = path.resolve(io.cwd, args.input);
  const plan = await loadExportPlan(file, args.input, { ...(args.region !== undefined ? { region: args.region } : {}) });
  const perRegion = [...plan.byRegion].map(([region, list]) => `${region}: ${list.length}`).join(', ');
  if (plan.total === 0) {
    io.stdout('aigis: export: the report has no failing or unknown findings: nothing to send\n');
    return 0;
  }
  const batches = planBatches(plan);
  if (args.dryRun) {
    let batchCount = 0;
    for (const list of batches.values()) for (const _ of list) batchCount++;
    io.stdout(`aigis: export: dry run: ${plan.total} findings in ${batchCount} batches (${perRegion}); nothing sent\n`);
    return 0;
  }
  const outcome = await sendToSecurityHub(batches, plan.total, {
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...(args.maxAttempts !== undefined ? { maxAttempts: args.maxAttempts } : {}),
  });
  // Ids, resources and messages can carry text from the scanned account: printed inert.
  for (const f of outcome.failed) {
    io.stderr(`aigis: securityhub: not imported: ${inertText(f.id || '(no id)')}${f.resource ? ` (${inertText(f.resource)})` : ''}: ${inertText(f.code)}${f.message ? `: ${inertText(f.message)}` : ''}\n`);
  }
  if (outcome.requestError) io.stderr(`aigis: securityhub: ${inertText(outcome.requestError, 1000)}; ${outcome.notSent} findings not sent\n`);
  io.stdout(
    `aigis: export: ${outcome.sent} of ${plan.total} findings sent to Security Hub in ${outcome.requests} requests (${perRegion}): ` +
      `${outcome.imported} imported, ${outcome.failed.length} failed${outcome.notSent ? `, ${outcome.notSent} not sent` : ''}\n`,
  );
  return outcome.failed.length > 0 || outcome.notSent > 0 ? 1 : 0;
}
