/**
 * Inline suppressions in CloudFormation templates, next to the resource they excuse:
 *
 *   TrainingData:
 *     Type: AWS::S3::Bucket
 *     Metadata:
 *       aigis:
 *         suppress:
 *           - rule: s3-sse-kms-cmk
 *             reason: Public reference data set, no personal data (RISK-142)
 *             expires: "2026-12-31"
 *
 * They apply to that resource only (matched by file and logical id), under the same rules as
 * config suppressions (reason required, optional expiry, `rule` may be a glob). Read here, not by
 * the importer, because they are gating data rather than inventory.
 */
import { z } from 'zod';
import { InputError, formatJsonPath, formatZodIssues } from '../engine/errors.js';
import { isValidIsoDate, type SuppressionSpec } from '../engine/suppressions.js';
import { parseCfnText, pathKey, type ParsedTemplate } from './iac/cfn-parse.js';

const inlineSchema = z.array(
  z
    .object({
      rule: z.string().trim().min(1, 'rule must be a rule id, a glob over rule ids, or "*"'),
      reason: z.string({ error: 'a suppression needs a reason (why the risk is accepted)' }).trim().min(1, 'a suppression needs a reason (why the risk is accepted)'),
      expires: z
        .string({ error: 'expires must be a date written YYYY-MM-DD (quote it in YAML)' })
        .refine(isValidIsoDate, 'expires must be a real calendar date written YYYY-MM-DD')
        .optional(),
    })
    .strict(),
  { error: 'Metadata.aigis.suppress must be a list of { rule, reason, expires? }' },
);

/**
 * `source` is the template's text or, when the importer parsed it already, the parser's result.
 * `file` is the path as shown in reports (relative to the cwd), the same string the importer put
 * in `source.file`, so that scopes match findings.
 */
export function inlineSuppressionsFromTemplate(source: string | ParsedTemplate, file: string): SuppressionSpec[] {
  const parsed = typeof source === 'string' ? parseCfnText(source, file) : source;
  const template = parsed.value as Record<string, unknown> | null;
  const resources = template && typeof template === 'object' ? template.Resources : undefined;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources)) return [];
  const specs: SuppressionSpec[] = [];
  for (const [logicalId, declaration] of Object.entries(resources as Record<string, unknown>)) {
    const metadata = (declaration as { Metadata?: unknown } | null)?.Metadata;
    if (!metadata || typeof metadata !== 'object') continue;
    const aigis = (metadata as Record<string, unknown>).aigis;
    if (aigis === undefined) continue;
    const base = ['Resources', logicalId, 'Metadata', 'aigis'];
    if (!aigis || typeof aigis !== 'object' || Array.isArray(aigis)) throw new InputError(file, base, 'Metadata.aigis must be a mapping with a suppress list');
    const unknownKey = Object.keys(aigis).find((k) => k !== 'suppress');
    if (unknownKey) throw new InputError(file, [...base, unknownKey], `unknown key "${unknownKey}" (expected suppress)`);
    const list = inlineSchema.safeParse((aigis as Record<string, unknown>).suppress);
    if (!list.success) {
      const issue = list.error.issues[0];
      throw new InputError(file, [...base, 'suppress', ...(issue?.path ?? [])], formatZodIssues(list.error.issues));
    }
    for (const [i, entry] of list.data.entries()) {
      const at = [...base, 'suppress', i];
      const line = parsed.locations.get(pathKey(at))?.line;
      specs.push({
        rule: entry.rule,
        resource: '*',
        reason: entry.reason,
        ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
        source: `${file}${line !== undefined ? `:${line}` : ''} at ${formatJsonPath(at)}`,
        scope: { file, logicalId },
        origin: { file, path: at },
      });
    }
  }
  return specs;
}
