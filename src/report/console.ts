/**
 * The console summary printed on stderr after a scan: totals, the worst findings, per-framework
 * control status and coverage gaps. Plain text, no colours (it often ends up in CI logs).
 * Every value from the scanned input goes through inertText (one line, no control or bidi
 * character, no workflow command); a last pass checks each whole line the same way.
 */
import { accountStandings, MULTIPLE_ACCOUNTS } from '../engine/accounts.js';
import type { ScanResult } from '../engine/scan.js';
import { SEVERITIES } from '../engine/types.js';
import { aliasSuffix } from './audit-metadata.js';
import { MESSAGE_MAX, inertLines, inertText } from './inert.js';
import { deltaCountsText } from './markdown-delta.js';

const MAX_LISTED = 15;

/** `totals`: the counts line in the caller's words (policy check counts documents, not resources). */
export function renderConsoleSummary(result: ScanResult, written: string[], totals?: string): string {
  const { summary } = result;
  const lines: string[] = [];
  const accounts = result.accounts;
  lines.push(
    accounts
      ? `aigis ${inertText(result.tool.version)} — ${accounts.length} accounts${result.account.id !== MULTIPLE_ACCOUNTS ? ` of ${inertText(result.account.id)}` : ''} (${inertText(result.account.partition)})`
      : `aigis ${inertText(result.tool.version)} — account ${inertText(result.account.id)}${aliasSuffix(result.account.alias, (t) => inertText(t))} (${inertText(result.account.partition)})`,
  );
  lines.push(
    totals ??
      `${summary.findings} findings on ${summary.resourcesEvaluated} resources: ` +
        `${summary.byVerdict.fail} fail, ${summary.byVerdict.unknown} unknown, ${summary.byVerdict.pass} pass, ` +
        `${summary.byVerdict.not_applicable} not applicable` +
        (summary.suppressed ? `, ${summary.suppressed} suppressed` : '') +
        (summary.newFailing !== undefined ? `; ${summary.newFailing} new since baseline` : ''),
  );
  lines.push(`failing by severity: ${SEVERITIES.map((s) => `${s} ${summary.failingBySeverity[s]}`).join(', ')}`);
  if (result.aiWorkloads.length || result.scope === 'ai') {
    const aiFailing = result.findings.filter((f) => f.ai && f.verdict === 'fail' && !f.suppression).length;
    lines.push(
      `AI workloads: ${result.aiWorkloads.length}; ${aiFailing} failing finding${aiFailing === 1 ? '' : 's'} on their resources` +
        (result.scope === 'ai' ? ' (--scope ai: only AI resources and account-wide controls are reported)' : ''),
    );
  }

  if (result.delta) lines.push(`since ${inertText(result.delta.previous.file ?? 'the previous report')}: ${deltaCountsText(result.delta)}`);
  if (accounts) lines.push(...accountLines(result));

  const failing = result.findings.filter((f) => f.verdict === 'fail' && !f.suppression);
  if (failing.length) {
    lines.push('');
    lines.push('Failing:');
    for (const f of failing.slice(0, MAX_LISTED)) {
      lines.push(`  [${f.severity.toUpperCase()}] ${inertText(f.ruleId)}  ${inertText(f.resource.arn)}`);
      lines.push(`      ${inertText(f.message, MESSAGE_MAX)}`);
    }
    if (failing.length > MAX_LISTED) lines.push(`  ... and ${failing.length - MAX_LISTED} more (see the reports)`);
  }

  if (result.frameworks.length) {
    lines.push('');
    lines.push('Controls:');
    for (const fw of result.frameworks) {
      const t = fw.totals;
      // Controls whose rules exist but were not selected (--rules, config) are not "without a rule".
      const notSelected = fw.controls.filter((c) => c.notSelected).length;
      lines.push(
        `  ${inertText(fw.name)}: ${t.failing} failing, ${t.unknown} unknown, ${t.passing} passing, ${t.not_applicable} not applicable, ${t.not_assessed - notSelected} not assessed by any rule` +
          (notSelected ? `, ${notSelected} not assessed (rules not selected in this run)` : ''),
      );
    }
  }

  const errors = result.coverage.collectionErrors;
  if (errors.length) {
    lines.push('');
    lines.push(`Coverage: ${errors.length} collection error${errors.length > 1 ? 's' : ''} (affected verdicts are unknown):`);
    for (const e of errors.slice(0, MAX_LISTED)) {
      lines.push(`  ${e.account !== undefined ? `${inertText(e.account)} ` : ''}${inertText(e.service)}${e.region ? `/${inertText(e.region)}` : ''} ${inertText(e.operation)}${e.resource ? ` ${inertText(e.resource)}` : ''}: ${inertText(e.errorCode)}`);
    }
    if (errors.length > MAX_LISTED) lines.push(`  ... and ${errors.length - MAX_LISTED} more`);
  }
  if (written.length) {
    lines.push('');
    for (const file of written) lines.push(`wrote ${inertText(file, MESSAGE_MAX)}`);
  }
  return `${inertLines(lines.join('\n'))}\n`;
}

/** A multi-account scan: the accounts worst first (most severe failures), the unscanned ones said so. */
function accountLines(result: ScanResult): string[] {
  const standings = accountStandings(result);
  const notScanned = standings.filter((s) => s.entry.status === 'not_scanned').length;
  const lines = ['', `Accounts, worst first (${standings.length}${notScanned ? `, ${notScanned} not scanned` : ''}):`];
  for (const { entry, fail, unknown, failingBySeverity, failingControls } of standings.slice(0, MAX_LISTED)) {
    const label = `${inertText(entry.id)}${entry.name !== undefined ? ` ${inertText(entry.name)}` : ''}${entry.alias !== undefined ? ` alias ${inertText(entry.alias)}` : ''}${entry.path !== undefined ? ` (${inertText(entry.path)})` : ''}`;
    if (entry.status === 'not_scanned') {
      lines.push(`  ${label}: not scanned: ${inertText(entry.reason ?? 'unknown reason', MESSAGE_MAX)}`);
      continue;
    }
    const worst = SEVERITIES.filter((s) => failingBySeverity[s] > 0).map((s) => `${s} ${failingBySeverity[s]}`);
    const controls = Object.values(failingControls).reduce((n, c) => n + c, 0);
    lines.push(
      `  ${label}: ${fail} failing${worst.length ? ` (${worst.join(', ')})` : ''}, ${unknown} unknown, ${entry.resourcesEvaluated} resources` +
        (controls ? `; ${controls} failing control${controls === 1 ? '' : 's'} (all frameworks)` : ''),
    );
  }
  if (standings.length > MAX_LISTED) lines.push(`  ... and ${standings.length - MAX_LISTED} more (see the reports)`);
  return lines;
}
