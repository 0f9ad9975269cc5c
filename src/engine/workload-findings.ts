/**
 * Which findings sit on each AI workload: the active (unsuppressed) failing and unknown findings on
 * the workload itself and on each resource it uses (buckets, keys, roles, subnets named by id, log
 * destinations), counted once per workload, with the workloads ordered worst first. The reports'
 * workload views (HTML cards, the markdown list) read this; no report computes it again.
 */
import type { AiWorkloadReport, ScanResult } from './scan.js';
import { SEVERITIES, type Finding, type Severity } from './types.js';

export interface WorkloadFindings {
  workload: AiWorkloadReport;
  /** The workload itself, then each resource it uses: relation, resource, its active open findings. */
  parts: { relation: string; resource: string; findings: Finding[] }[];
  bySeverity: Record<Severity, number>;
  unknown: number;
  open: number;
}

/** Active (unsuppressed) fail and unknown findings by resource ARN, and by the id after the ARN's last `/` (subnets are named by id). */
function openFindingsByResource(findings: readonly Finding[]): { byArn: Map<string, Finding[]>; byId: Map<string, Finding[]> } {
  const byArn = new Map<string, Finding[]>();
  const byId = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.suppression || (finding.verdict !== 'fail' && finding.verdict !== 'unknown')) continue;
    const arn = finding.resource.arn;
    let list = byArn.get(arn);
    if (!list) byArn.set(arn, (list = []));
    list.push(finding);
    const slash = arn.lastIndexOf('/');
    if (slash > 0 && arn.startsWith('arn:')) {
      const id = arn.slice(slash + 1);
      let same = byId.get(id);
      if (!same) byId.set(id, (same = []));
      if (same[same.length - 1] !== finding) same.push(finding);
    }
  }
  return { byArn, byId };
}

function rowsOf(result: ScanResult): WorkloadFindings[] {
  const { byArn, byId } = openFindingsByResource(result.findings);
  const lookup = (resource: string): Finding[] => byArn.get(resource) ?? (resource.startsWith('arn:') ? [] : (byId.get(resource) ?? []));
  return result.aiWorkloads.map((workload) => {
    const parts = [{ relation: 'the workload', resource: workload.arn, findings: lookup(workload.arn) }];
    for (const use of workload.uses) parts.push({ relation: use.relation, resource: use.resource, findings: lookup(use.resource) });
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    let unknown = 0;
    let open = 0;
    // A finding on a resource used twice (same key for volume and output) is counted once.
    const seen = new Set<Finding>();
    for (const part of parts) {
      for (const finding of part.findings) {
        if (seen.has(finding)) continue;
        seen.add(finding);
        open++;
        if (finding.verdict === 'fail') bySeverity[finding.severity]++;
        else unknown++;
      }
    }
    return { workload, parts, bySeverity, unknown, open };
  });
}

/** Worst first: most critical failing findings, then high ... then unknown; then by type and name. */
function compareRows(a: WorkloadFindings, b: WorkloadFindings): number {
  for (const sev of SEVERITIES) if (a.bySeverity[sev] !== b.bySeverity[sev]) return b.bySeverity[sev] - a.bySeverity[sev];
  if (a.unknown !== b.unknown) return b.unknown - a.unknown;
  const key = (r: WorkloadFindings): string => `${r.workload.type}\u0000${r.workload.name}\u0000${r.workload.arn}`;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The workloads with their findings, worst first. */
export function workloadFindings(result: ScanResult): WorkloadFindings[] {
  return rowsOf(result).sort(compareRows);
}
