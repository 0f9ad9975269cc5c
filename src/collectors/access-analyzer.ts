/**
 * IAM Access Analyzer, per region: analyzers and, for external-access analyzers, their ACTIVE
 * findings. Unused-access analyzers report through ListFindingsV2 (not in the IAM action catalog
 * yet), so their findings are left absent (unknown) rather than guessed.
 */
import { ListAnalyzersCommand, ListFindingsCommand, type AnalyzerSummary } from '@aws-sdk/client-accessanalyzer';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import { tagMap, type AccessAnalyzerInput } from './shapes.js';

const EXTERNAL_ACCESS_TYPES = new Set(['ACCOUNT', 'ORGANIZATION']);

export async function collectAccessAnalyzerRegion(rt: CollectRuntime, region: string): Promise<AccessAnalyzerInput[] | undefined> {
  const listed: AnalyzerSummary[] = [];
  const result = await paginate(
    (nextToken) => rt.call('accessanalyzer', region, 'ListAnalyzers', (c) => c.send(new ListAnalyzersCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.analyzers ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: AccessAnalyzerInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('accessanalyzer'), async (summary) => {
    if (!summary.arn || !summary.name) return;
    const analyzer: AccessAnalyzerInput = { arn: summary.arn, region, name: summary.name, type: summary.type ?? 'UNKNOWN' };
    if (summary.status) analyzer.status = summary.status;
    if (summary.tags && Object.keys(summary.tags).length) analyzer.tags = tagMap(Object.entries(summary.tags).map(([Key, Value]) => ({ Key, Value })));
    if (summary.type && EXTERNAL_ACCESS_TYPES.has(summary.type)) {
      const findings: NonNullable<AccessAnalyzerInput['activeFindings']> = [];
      const listedFindings = await paginate(
        (nextToken) =>
          rt.call(
            'accessanalyzer',
            region,
            'ListFindings',
            (c) =>
              c.send(
                new ListFindingsCommand({ analyzerArn: summary.arn!, filter: { status: { eq: ['ACTIVE'] } }, maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
              ),
            { resource: summary.arn },
          ),
        (page) => page.nextToken,
        (page) => {
          for (const f of page.findings ?? []) {
            // The filter asks for ACTIVE findings only; an archived or resolved one that comes back
            // anyway (an endpoint that ignores the filter) must not count as active.
            if (!f.id || (f.status !== undefined && f.status !== 'ACTIVE')) continue;
            const finding: (typeof findings)[number] = { id: f.id };
            if (f.resource) finding.resource = f.resource;
            if (f.resourceType) finding.resourceType = f.resourceType;
            if (f.isPublic !== undefined) finding.isPublic = f.isPublic;
            findings.push(finding);
          }
        },
      );
      if (listedFindings === 'complete') analyzer.activeFindings = findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    out.push(analyzer);
  });
  return out;
}
