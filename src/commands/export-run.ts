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
  asffFindings,
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
  account: z.object({ id: z.string(), partition: z.string() }),
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

/** The findings of an aigis JSON report in ASFF, as `--format asff` writes them (pass findings only when the report has them). */
export async function reportToAsff(file: string, displayName: string, options: Pick<ExportOptions, 'region' | 'timestamp'>): Promise<AsffFinding[]> {
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
  const context: AsffContext = { tool: report.tool, account: report.account, homeRegion, timestamp: options.timestamp ?? new Date().toISOString(), rules };
  const findings = report.findings.map((f) => ({ ...f, resource: f.resource as ResourceRef }) as AsffSourceFinding);
  return [...asffFindings(findings, context, true)];
}

/** Findings per Region (sorted), each Region's in batches of at most 100 findings and 6 MB of request body. */
export function batchFindings(findings: readonly AsffFinding[]): Map<string, AsffFinding[][]> {
  const byRegion = new Map<string, AsffFinding[]>();
  for (const finding of findings) {
    const list = byRegion.get(finding.Region);
    if (list) list.push(finding);
    else byRegion.set(finding.Region, [finding]);
  }
  const envelope = Buffer.byteLength('{"Findings":[]}');
  const out = new Map<string, AsffFinding[][]>();
  for (const region of [...byRegion.keys()].sort()) {
    const batches: AsffFinding[][] = [];
    let batch: AsffFinding[] = [];
    let bytes = envelope;
    for (const finding of byRegion.get(region)!) {
      const size = Buffer.byteLength(JSON.stringify(finding)) + 1;
      if (batch.length > 0 && (batch.length >= ASFF_LIMITS.batchFindings || bytes + size > MAX_BATCH_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = envelope;
      }
      batch.push(finding);
      bytes += size;
    }
    if (batch.length > 0) batches.push(batch);
    out.set(region, batches);
  }
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
export async function sendToSecurityHub(batches: Map<string, AsffFinding[][]>, options: ExportOptions = {}): Promise<ExportOutcome> {
  const { SecurityHubClient, BatchImportFindingsCommand } = await import('@aws-sdk/client-securityhub');
  const outcome: ExportOutcome = { sent: 0, imported: 0, failed: [], notSent: 0, requests: 0 };
  const total = [...batches.values()].flat().reduce((n, b) => n + b.length, 0);
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
  const findings = await reportToAsff(file, args.input, { ...(args.region !== undefined ? { region: args.region } : {}) });
  const batches = batchFindings(findings);
  const perRegion = [...batches].map(([region, list]) => `${region}: ${list.reduce((n, b) => n + b.length, 0)}`).join(', ');
  const batchCount = [...batches.values()].reduce((n, list) => n + list.length, 0);
  if (findings.length === 0) {
    io.stdout('aigis: export: the report has no failing or unknown findings: nothing to send\n');
    return 0;
  }
  if (args.dryRun) {
    io.stdout(`aigis: export: dry run: ${findings.length} findings in ${batchCount} batches (${perRegion}); nothing sent\n`);
    return 0;
  }
  const outcome = await sendToSecurityHub(batches, {
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...(args.maxAttempts !== undefined ? { maxAttempts: args.maxAttempts } : {}),
  });
  // Ids, resources and messages can carry text from the scanned account: printed inert.
  for (const f of outcome.failed) {
    io.stderr(`aigis: securityhub: not imported: ${inertText(f.id || '(no id)')}${f.resource ? ` (${inertText(f.resource)})` : ''}: ${inertText(f.code)}${f.message ? `: ${inertText(f.message)}` : ''}\n`);
  }
  if (outcome.requestError) io.stderr(`aigis: securityhub: ${inertText(outcome.requestError, 1000)}; ${outcome.notSent} findings not sent\n`);
  io.stdout(
    `aigis: export: ${outcome.sent} of ${findings.length} findings sent to Security Hub in ${outcome.requests} requests (${perRegion}): ` +
      `${outcome.imported} imported, ${outcome.failed.length} failed${outcome.notSent ? `, ${outcome.notSent} not sent` : ''}\n`,
  );
  return outcome.failed.length > 0 || outcome.notSent > 0 ? 1 : 0;
}
