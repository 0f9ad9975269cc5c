/**
 * A previous aigis JSON report (version 1.x or 2.x) as one side of a diff (src/engine/diff.ts),
 * validated with zod: the first problem with the file and its JSON path, one line.
 */
import { z } from 'zod';
import { InputError, formatZodIssues } from './errors.js';
import { SEVERITIES, VERDICTS, type ControlRef } from './types.js';
import { frameworkLabels, sideFinding, type DiffSide, type PassedSide } from './diff.js';

const fingerprint = z.string().regex(/^[0-9a-f]{32}$/, 'expected an aigis fingerprint (32 lowercase hex characters)');
const controlRef = z.object({ framework: z.string(), controlId: z.string() });

const reportSchema = z.object({
  reportVersion: z.string().regex(/^[12]\./, 'unsupported reportVersion (this aigis reads 1.x and 2.x)'),
  account: z.object({ id: z.string() }).optional(),
  accounts: z.array(z.object({ id: z.string() })).optional(),
  frameworks: z
    .array(z.object({ id: z.string(), name: z.string().optional(), controls: z.array(z.object({ id: z.string(), title: z.string().optional() })).optional() }))
    .optional(),
  rules: z.array(z.object({ id: z.string(), controls: z.array(controlRef).optional() })).optional(),
  findings: z.array(
    z.object({
      ruleId: z.string(),
      severity: z.enum(SEVERITIES),
      verdict: z.enum(VERDICTS),
      resource: z.object({ arn: z.string(), type: z.string().optional(), name: z.string().optional(), region: z.string().optional() }),
      message: z.string().optional(),
      fingerprint,
      suppression: z.object({}).optional(),
      account: z.string().optional(),
      // Version 1 repeated the rule's controls in every finding.
      controls: z.array(controlRef).optional(),
    }),
  ),
  passed: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('full') }),
      z.object({ mode: z.literal('list'), rules: z.array(z.object({ ruleId: z.string(), pass: z.array(z.string()), notApplicable: z.array(z.string()) })) }),
      z.object({ mode: z.literal('count'), rules: z.array(z.object({ ruleId: z.string() })).optional() }),
    ])
    .optional(),
});

/**
 * A parsed JSON document as one side of a diff. Refuses what is not an aigis JSON report (a SARIF
 * log has no passing side and no controls) with the file and the JSON path of the first problem.
 */
export function parseDiffReport(data: unknown, file: string): DiffSide {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(file, [], 'expected an aigis JSON report (a JSON object)');
  if ('runs' in data) throw new InputError(file, ['runs'], 'a SARIF log: give aigis JSON reports (`aigis scan --format json`), which carry the passing side and the controls');
  if (!('reportVersion' in data)) throw new InputError(file, [], 'expected an aigis JSON report (with reportVersion)');
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  const report = parsed.data;
  const major = report.reportVersion.split('.')[0];
  // Version 1 wrote every finding of every verdict; version 2 says how it gives the passing side.
  const passed: PassedSide = major === '1' || !report.passed ? { mode: major === '1' ? 'full' : 'count' } : report.passed.mode === 'list' ? report.passed : { mode: report.passed.mode };
  const controlsByRule = new Map<string, readonly ControlRef[]>();
  for (const rule of report.rules ?? []) if (rule.controls) controlsByRule.set(rule.id, rule.controls);
  for (const f of report.findings) if (f.controls && !controlsByRule.has(f.ruleId)) controlsByRule.set(f.ruleId, f.controls);
  const { frameworkNames, controlTitles } = frameworkLabels(report.frameworks ?? []);
  const ids = report.accounts ? report.accounts.map((a) => a.id) : report.account ? [report.account.id] : undefined;
  return {
    info: { file, reportVersion: report.reportVersion, passedMode: passed.mode },
    ...(ids ? { accountIds: ids } : {}),
    findings: report.findings.map((f) => sideFinding(f, f.resource)),
    passed,
    controlsByRule,
    frameworkNames,
    controlTitles,
  };
}
