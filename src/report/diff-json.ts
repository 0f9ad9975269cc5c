/**
 * aigis-diff.json, written by `aigis diff`: the two reports compared, the counts, the changed
 * findings per category and the controls they evidence. Compact, one finding (and one control) a
 * line, written in chunks (a large diff is never one string); keys in a fixed order and lists
 * sorted by the engine (src/engine/diff.ts), so the same reports give the same bytes.
 *
 * {
 *   "diffVersion": "1.0",
 *   "tool": { name, version, informationUri },
 *   "previous": { file, reportVersion, passedMode }, "current": { ... },
 *   "regressedKnown": true,
 *   "counts": { new, regressed, fixed, suppressed, stillFailing, unknownChanged },
 *   "findings": { new: [entry], ... },      entry: { fingerprint, ruleId, severity, resource, account?, message?, from, to }
 *   "controls": [ { framework, controlId, frameworkName?, title?, counts, fingerprints } ]
 * }
 */
import { DIFF_CATEGORIES, type ScanDelta } from '../engine/diff.js';

export const DIFF_JSON_VERSION = '1.0';

export function* renderDiffJsonChunks(delta: ScanDelta, tool: { name: string; version: string; informationUri: string }): Generator<string> {
  const s = JSON.stringify;
  yield `{"diffVersion":${s(DIFF_JSON_VERSION)},"tool":${s(tool)},"previous":${s(delta.previous)},"current":${s(delta.current)},"regressedKnown":${s(delta.regressedKnown)},"counts":${s(delta.counts)},"findings":{`;
  for (const [i, category] of DIFF_CATEGORIES.entries()) {
    yield `${i ? ',' : ''}\n${s(category)}:[`;
    yield* lines(delta.findings[category]);
    yield ']';
  }
  yield '},\n"controls":[';
  yield* lines(delta.controls);
  yield ']}\n';
}

/** Elements one a line, a few hundred per chunk. */
function* lines(items: readonly unknown[]): Generator<string> {
  for (let start = 0; start < items.length; start += 256) {
    let chunk = '';
    for (let i = start; i < Math.min(items.length, start + 256); i++) chunk += `${i ? ',' : ''}\n${JSON.stringify(items[i])}`;
    yield chunk;
  }
}
