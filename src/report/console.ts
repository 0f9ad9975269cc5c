/**
 * The console summary printed on stderr after a scan: totals, the worst findings, per-framework
 * control status and coverage gaps. Plain text, no colours (it often ends up in CI logs).
 */
import type { ScanResult } from '../engine/scan.js';
import { SEVERITIES } from '../engine/types.js';

const MAX_LISTED = 15;

export function renderConsoleSummary(result: ScanResult, written: string[]): string {
  const { summary } = result;
  const lines: string[] = [];
  lines.push(`aigis ${result.tool.version} — account ${result.account.id} (${result.account.partition})`);
  lines.push(
    `${summary.findings} findings on ${summary.resourcesEvaluated} resources: ` +
      `${summary.byVerdict.fail} fail, ${summary.byVerdict.unknown} unknown, ${summary.byVerdict.pass} pass, ` +
      `${summary.byVerdict.not_applicable} not applicable` +
      (summary.suppressed ? `, ${summary.suppressed} suppressed` : '') +
      (summary.newFailing !== undefined ? `; ${summary.newFailing} new since baseline` : ''),
  );
  lines.push(`failing by severity: ${SEVERITIES.map((s) => `${s} ${summary.failingBySeverity[s]}`).join(', ')}`);

  const failing = result.findings.filter((f) => f.verdict === 'fail' && !f.suppression);
  if (failing.length) {
    lines.push('');
    lines.push('Failing:');
    for (const f of failing.slice(0, MAX_LISTED)) {
      lines.push(`  [${f.severity.toUpperCase()}] ${f.ruleId}  ${f.resource.arn}`);
      lines.push(`      ${f.message}`);
    }
    if (failing.length > MAX_LISTED) lines.push(`  ... and ${failing.length - MAX_LISTED} more (see the reports)`);
  }

  if (result.frameworks.length) {
    lines.push('');
    lines.push('Controls:');
    for (const fw of result.frameworks) {
      const t = fw.totals;
      lines.push(
        `  ${fw.name}: ${t.failing} failing, ${t.unknown} unknown, ${t.passing} passing, ${t.not_applicable} not applicable, ${t.not_assessed} not assessed by any rule`,
      );
    }
  }

  const errors = result.coverage.collectionErrors;
  if (errors.length) {
    lines.push('');
    lines.push(`Coverage: ${errors.length} collection error${errors.length > 1 ? 's' : ''} (affected verdicts are unknown):`);
    for (const e of errors.slice(0, MAX_LISTED)) {
      lines.push(`  ${e.service}${e.region ? `/${e.region}` : ''} ${e.operation}${e.resource ? ` ${e.resource}` : ''}: ${e.errorCode}`);
    }
    if (errors.length > MAX_LISTED) lines.push(`  ... and ${errors.length - MAX_LISTED} more`);
  }
  if (written.length) {
    lines.push('');
    for (const file of written) lines.push(`wrote ${file}`);
  }
  return `${lines.join('\n')}\n`;
}
