/**
 * A generated ScanResult of any size for the HTML report at scale: `resources` resources, each
 * judged by five rules (100k resources = 500k findings, about a third of them failing or unknown,
 * as in the synthetic bench inventory), with template locations, evidence, AI reasons, suppressions
 * and a few resources whose names, messages and evidence are hostile markup. Built directly, not
 * through the engine, so a 100k report is ready in a second or two. Deterministic.
 */
import { compareFindings, rollupFrameworks, summarize, type ReportedRule, type ScanResult } from '../../src/engine/scan.js';
import type { ControlRef, Finding, ResourceRef, Verdict } from '../../src/engine/types.js';
import { FRAMEWORKS, HOSTILE_IMG, HOSTILE_SCRIPT, RULE_METAS } from './scan-result.js';
import { mulberry32 } from '../../bench/prng.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

/** The resource names that carry hostile markup: `pwn-<img ...>-<index>`. */
export function hostileName(index: number): string {
  return `pwn-${HOSTILE_IMG}-${index}`;
}

/** Indexes of the hostile resources in a result of `resources` resources (one early, one late). */
export function hostileIndexes(resources: number): number[] {
  return [...new Set([Math.min(3, resources - 1), resources - 1])];
}

function controlsFor(ruleId: string): ControlRef[] {
  const refs: ControlRef[] = [];
  for (const framework of FRAMEWORKS) {
    for (const control of framework.controls) if (control.rules.includes(ruleId)) refs.push({ framework: framework.id, controlId: control.id });
  }
  return refs;
}


export function buildLargeScanResult(resources: number): ScanResult {
  const random = mulberry32(resources);
  const rules: ReportedRule[] = RULE_METAS.map((m) => ({ ...m, controls: controlsFor(m.id) }));
  const hostile = new Set(hostileIndexes(resources));
  const findings: Finding[] = [];
  for (let i = 0; i < resources; i++) {
    const kind = i % 3;
    const id = i.toString(36).padStart(5, '0');
    const name = hostile.has(i) ? hostileName(i) : kind === 0 ? `data-${id}` : kind === 1 ? `ml-role-${id}` : `nb-${id}`;
    const resource: ResourceRef = {
      arn: kind === 0 ? `arn:aws:s3:::${name}` : kind === 1 ? `arn:aws:iam::123456789012:role/${name}` : `arn:aws:sagemaker:${REGIONS[i % REGIONS.length]}:123456789012:notebook-instance/${name}`,
      type: kind === 0 ? 'AWS::S3::Bucket' : kind === 1 ? 'AWS::IAM::Role' : 'AWS::SageMaker::NotebookInstance',
      region: kind === 1 ? 'global' : REGIONS[i % REGIONS.length]!,
      name,
      ...(i % 7 === 0 ? { source: { file: `templates/stack-${i % 13}.yaml`, line: 10 + (i % 400), logicalId: `Res${id}` } } : {}),
    };
    // The same array for every finding of a resource, as the engine gives them.
    const ai = i % 4 === 0 ? [`AI workload (${kind === 2 ? 'notebook instance' : 'training job'})`, `training data of training job train-${id}`] : undefined;
    // Five of the six rules judge each resource (which one is left out rotates).
    for (let r = 0; r < rules.length; r++) {
      if (r === i % rules.length) continue;
      const rule = rules[r]!;
      const roll = random();
      // Hostile resources fail everywhere, so that their text reaches every part of a row.
      const verdict: Verdict = hostile.has(i) || roll < 0.28 ? 'fail' : roll < 0.34 ? 'unknown' : roll < 0.84 ? 'pass' : 'not_applicable';
      const bad = hostile.has(i) && verdict === 'fail';
      const message =
        verdict === 'fail'
          ? `${resource.type.split('::')[2]} ${name} fails ${rule.id}: setting ${r} is ${i % 2 === 0 ? 'off' : 'missing'}.${bad ? ` owner=${HOSTILE_SCRIPT} </script><!-- \u2028` : ''}`
          : verdict === 'unknown'
            ? `Could not read the settings of ${name} (AccessDenied).`
            : verdict === 'pass'
              ? `${name} passes ${rule.id}.`
              : `Nothing to judge for ${name}.`;
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        verdict,
        service: rule.service,
        resource,
        message,
        ...(verdict === 'fail' ? { evidence: bad ? { tags: { owner: HOSTILE_SCRIPT, note: HOSTILE_IMG } } : { setting: r, enabled: false, key: i % 5 === 0 ? null : `alias/key-${i % 50}` } } : {}),
        ...(verdict === 'fail' ? { property: `Setting${r}` } : {}),
        ...(ai ? { ai } : {}),
        controls: rule.controls,
        fingerprint: `${rule.id}/${id}`,
        ...(verdict === 'fail' && i % 97 === 0 ? { suppression: { reason: `Accepted risk for ${name}.`, source: '.aigis.yaml' } } : {}),
      });
    }
  }
  findings.sort(compareFindings);
  return {
    tool: { name: 'aigis', version: '0.1.0', informationUri: 'https://github.com/aigis-dev/aigis' },
    account: { id: '123456789012', partition: 'aws' },
    inputs: ['synthetic.json'],
    rules,
    findings,
    frameworks: rollupFrameworks(FRAMEWORKS, findings, new Set(rules.map((r) => r.id))),
    summary: summarize(findings, resources),
    coverage: { collectionErrors: [] },
    aiWorkloads: [],
  };
}
