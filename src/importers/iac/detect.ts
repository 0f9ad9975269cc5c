/**
 * What kind of document a file is, judged by content (a `.json` can be any of the three, a
 * template can be `.template` or have no extension at all).
 */
import path from 'node:path';
import { parseCfnText } from './cfn-parse.js';

export type IacKind = 'cloudformation' | 'terraform-plan' | 'snapshot';

const CFN_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template', '.cfn', '']);

export function detectIacKind(text: string, file: string): IacKind | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      // Broken JSON that clearly meant to be one of ours: claim it so the import reports the error.
      if (/"format_version"\s*:/.test(text) && /"(planned_values|resource_changes)"\s*:/.test(text)) return 'terraform-plan';
      if (/"schemaVersion"\s*:/.test(text) && /"account"\s*:/.test(text)) return 'snapshot';
      if (/"AWSTemplateFormatVersion"\s*:/.test(text) || (/"Resources"\s*:/.test(text) && /"Type"\s*:\s*"AWS::/.test(text))) return 'cloudformation';
      data = undefined;
    }
    if (data !== undefined) return classify(data);
  }
  // YAML: only templates are YAML. Cheap textual gate before a full parse.
  if (!CFN_EXTENSIONS.has(path.extname(file).toLowerCase()) && !/AWSTemplateFormatVersion/.test(text)) return undefined;
  if (!/^Resources\s*:/m.test(text) && !/^AWSTemplateFormatVersion\s*:/m.test(text)) return undefined;
  try {
    return classify(parseCfnText(text, file).value);
  } catch {
    // Malformed YAML that declares itself a template is still a template (the import reports why).
    return /^AWSTemplateFormatVersion\s*:/m.test(text) || /Type\s*:\s*['"]?AWS::/.test(text) ? 'cloudformation' : undefined;
  }
}

function classify(data: unknown): IacKind | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.format_version === 'string' && ('planned_values' in d || 'resource_changes' in d)) return 'terraform-plan';
  if ('schemaVersion' in d && typeof d.account === 'object') return 'snapshot';
  if ('AWSTemplateFormatVersion' in d) return 'cloudformation';
  const resources = d.Resources;
  if (typeof resources === 'object' && resources !== null && !Array.isArray(resources)) {
    const types = Object.values(resources).map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>).Type : undefined));
    if (types.some((t) => typeof t === 'string' && (t.startsWith('AWS::') || t.startsWith('Custom::')))) return 'cloudformation';
  }
  return undefined;
}
