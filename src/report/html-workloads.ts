/**
 * The AI workload view: each workload of the AI asset graph (training job, model, endpoint,
 * agent, knowledge base ...) with what it uses (buckets, keys, roles, subnets, log destinations)
 * and the failing and unknown findings on each of them, so that "the churn model's training data
 * is not encrypted with a customer key" reads in one place. Workloads with findings come first,
 * worst first; the page prints the first MAX_DETAILED_WORKLOADS in full and lists the others in
 * one line each, so a large estate does not make the page grow without bound.
 */
import type { ScanResult } from '../engine/scan.js';
import { SEVERITIES, SEVERITY_RANK, type Finding } from '../engine/types.js';
import { workloadFindings, type WorkloadFindings as WorkloadRow } from '../engine/workload-findings.js';
import { escapeHtml as e } from './html-escape.js';

/** Workloads printed with their resources and findings. */
export const MAX_DETAILED_WORKLOADS = 100;
/** Workloads listed in one line each after the detailed ones (the JSON report has them all). */
export const MAX_LISTED_WORKLOADS = 2000;
/** Workload cards open when the page loads (worst first). */
const OPEN_WORKLOADS = 3;
/** Findings printed per resource of a workload. */
const MAX_FINDINGS_PER_RESOURCE = 8;

export interface WorkloadLinks {
  /** The drill-down link of a resource, when the page's data block knows it. */
  resource(arn: string): string | undefined;
  rule(ruleId: string): string;
}

/** `AWS::SageMaker::TrainingJob` -> `SageMaker training job`. */
export function workloadTypeLabel(type: string): string {
  const parts = type.split('::');
  const kind = parts[2] ?? type;
  const words = kind.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return parts[1] ? `${parts[1]} ${words}` : words;
}

function severityBadges(row: WorkloadRow): string {
  const badges = SEVERITIES.filter((s) => row.bySeverity[s] > 0).map((s) => `<span class="badge sev-${s}">${e(row.bySeverity[s])} ${e(s)}</span>`);
  if (row.unknown > 0) badges.push(`<span class="badge v-unknown">${e(row.unknown)} unknown</span>`);
  return badges.length ? badges.join(' ') : '<span class="badge v-pass">no failing findings</span>';
}

function resourceCell(resource: string, links: WorkloadLinks): string {
  const href = links.resource(resource);
  return href ? `<a class="arn" href="${e(href)}">${e(resource)}</a>` : `<span class="arn">${e(resource)}</span>`;
}

function findingLines(findings: Finding[], links: WorkloadLinks): string {
  if (findings.length === 0) return '<span class="muted">no failing or unknown findings</span>';
  const sorted = [...findings].sort(
    (a, b) => (a.verdict === b.verdict ? 0 : a.verdict === 'fail' ? -1 : 1) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  const lines = sorted.slice(0, MAX_FINDINGS_PER_RESOURCE).map((f) => {
    const badge = f.verdict === 'fail' ? `<span class="badge sev-${f.severity}">${e(f.severity)}</span>` : '<span class="badge v-unknown">unknown</span>';
    return `<li>${badge} <a class="rule-id" href="${e(links.rule(f.ruleId))}">${e(f.ruleId)}</a> <span class="msg">${e(f.message)}</span></li>`;
  });
  if (sorted.length > MAX_FINDINGS_PER_RESOURCE) lines.push(`<li class="muted">and ${e(sorted.length - MAX_FINDINGS_PER_RESOURCE)} more on this resource</li>`);
  return `<ul class="wl-findings">${lines.join('')}</ul>`;
}

function workloadCard(row: WorkloadRow, index: number, links: WorkloadLinks): string {
  const w = row.workload;
  const body = row.parts.map(
    (part) =>
      `<tr${part.findings.length ? ' class="has-findings"' : ''}><td class="nowrap">${e(part.relation)}</td><td>${resourceCell(part.resource, links)}</td>` +
      `<td>${findingLines(part.findings, links)}</td></tr>`,
  );
  // The worst few open; the others show their name and counts until opened.
  return [
    `<details class="workload" id="workload-${index}"${index < OPEN_WORKLOADS ? ' open' : ''}>`,
    `<summary><span class="wl-type">${e(workloadTypeLabel(w.type))}</span> <span class="wl-name">${e(w.name)}</span> <span class="muted">${e(w.region)}</span>` +
      ` <span class="wl-badges">${severityBadges(row)}</span></summary>`,
    '<div class="table-wrap"><table class="wl-table">',
    '<thead><tr><th>Relation</th><th>Resource</th><th>Failing and unknown findings</th></tr></thead>',
    `<tbody>${body.join('')}</tbody>`,
    '</table></div>',
    '</details>',
  ].join('\n');
}

export function aiWorkloadsSection(result: ScanResult, links: WorkloadLinks): string {
  const intro =
    '<p class="muted">Each AI workload (SageMaker jobs, models, endpoint configs, notebooks and domains; Bedrock agents, knowledge bases, custom models, ' +
    'guardrails and invocation logging) with what it uses and the active failing and unknown findings on each, worst first. Resources tagged ' +
    '<code>aigis:ai-workload=true</code> or listed in the config (<code>aiWorkloads.resources</code>) are AI resources too.' +
    `${result.scope === 'ai' ? ' Findings are narrowed to AI resources and account-wide controls (<code>--scope ai</code>).' : ''}</p>`;
  if (result.aiWorkloads.length === 0) {
    return ['<section id="ai-workloads">', '<h2>AI workloads</h2>', intro, '<p class="muted">No AI workload in this inventory.</p>', '</section>'].join('\n');
  }
  const rows = workloadFindings(result);
  const withFindings = rows.filter((r) => r.open > 0).length;
  const detailed = rows.slice(0, MAX_DETAILED_WORKLOADS).filter((r) => r.open > 0);
  const rest = rows.slice(detailed.length, detailed.length + MAX_LISTED_WORKLOADS);
  const listRow = (r: WorkloadRow): string =>
    `<tr><td>${e(workloadTypeLabel(r.workload.type))}</td><td><div class="rname">${e(r.workload.name)}</div>${resourceCell(r.workload.arn, links)}</td>` +
    `<td class="nowrap">${e(r.workload.region)}</td><td class="num">${e(r.workload.uses.length)}</td><td>${severityBadges(r)}</td></tr>`;
  const omitted = rows.length - detailed.length - rest.length;
  return [
    '<section id="ai-workloads">',
    '<h2>AI workloads</h2>',
    intro,
    `<p class="lead">${e(`${rows.length} workload${rows.length === 1 ? '' : 's'}, ${withFindings} with failing or unknown findings on the workload or what it uses.`)}</p>`,
    ...detailed.map((row, i) => workloadCard(row, i, links)),
    rest.length
      ? [
          `<details class="wl-rest"><summary>${e(
            `${rest.length} ${detailed.length ? 'more ' : ''}workload${rest.length === 1 ? '' : 's'}${rest.every((r) => r.open === 0) ? ' with no failing or unknown findings' : ''}`,
          )}</summary>`,
          '<div class="table-wrap"><table id="ai-workloads-table">',
          '<thead><tr><th>Type</th><th>Workload</th><th>Region</th><th class="num">Uses</th><th>Findings</th></tr></thead>',
          `<tbody>${rest.map(listRow).join('\n')}</tbody>`,
          '</table></div>',
          '</details>',
        ].join('\n')
      : '',
    omitted > 0 ? `<p class="muted">${e(omitted)} more workloads are in the JSON report (aiWorkloads).</p>` : '',
    '</section>',
  ].join('\n');
}

export const WORKLOAD_CSS = `
.workload { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 12px; }
.workload { margin-top: 0; }
.workload > summary { color: var(--ink); font-size: 14.5px; font-weight: 600; padding: 2px 0; }
.workload[open] > summary { margin-bottom: 8px; }
.workload .wl-type { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin-right: 4px; }
.wl-name { font-size: 15.5px; }
.wl-badges { margin-left: 6px; font-weight: normal; }
.wl-table td:first-child { width: 16%; color: var(--muted); }
.wl-table td:nth-child(2) { width: 30%; }
.wl-table tr.has-findings td:first-child { color: var(--ink); font-weight: 600; }
.wl-findings { margin: 0; padding-left: 0; list-style: none; }
.wl-findings li { margin: 0 0 4px; }
.wl-findings .msg { display: inline; }
`;
