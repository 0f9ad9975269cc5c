/**
 * What kind of document a file is, judged by parsing its content (a `.json` can be any of the
 * three, a template can be `.template` or have no extension at all, and valid YAML may be indented
 * as a whole). A document that parses is classified by its structure; one that does not parse but
 * declares itself one of ours (an `AWSTemplateFormatVersion`, an `AWS::` resource type, a plan's
 * `format_version`) is still claimed, so that the import reports why it cannot be read instead of
 * the file being skipped without a word.
 */
import path from 'node:path';
import { parseCfnText, type ParsedTemplate } from './cfn-parse.js';

export type IacKind = 'cloudformation' | 'terraform-plan' | 'snapshot';

export interface DetectedDocument {
  kind: IacKind;
  /** The YAML/JSON parse of a template, when detection already did it (the import reuses it). */
  parsed?: ParsedTemplate;
}

/** Extensions under which a YAML document may be a template (any file is checked if it says so). */
const CFN_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template', '.cfn', '.txt', '']);

export function detectIacKind(text: string, file: string): IacKind | undefined {
  return detectIacDocument(text, file)?.kind;
}

export function detectIacDocument(text: string, file: string): DetectedDocument | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      // Broken JSON that clearly meant to be one of ours: claim it so the import reports the error.
      const kind = claimBrokenJson(text);
      return kind ? { kind } : undefined;
    }
    const kind = classify(data);
    return kind ? { kind } : undefined;
  }
  if (!CFN_EXTENSIONS.has(path.extname(file).toLowerCase()) && !text.includes('AWSTemplateFormatVersion')) return undefined;
  // Cheap gate before a full parse: a template names its Resources section somewhere.
  if (!text.includes('Resources') && !text.includes('AWSTemplateFormatVersion')) return undefined;
  let parsed: ParsedTemplate;
  try {
    parsed = parseCfnText(text, file);
  } catch {
    return looksLikeTemplate(text) ? { kind: 'cloudformation' } : undefined;
  }
  return classify(parsed.value) === 'cloudformation' ? { kind: 'cloudformation', parsed } : undefined;
}

function claimBrokenJson(text: string): IacKind | undefined {
  if (text.includes('"format_version"') && (text.includes('"planned_values"') || text.includes('"resource_changes"'))) return 'terraform-plan';
  if (text.includes('"schemaVersion"') && text.includes('"account"')) return 'snapshot';
  return looksLikeTemplate(text) ? 'cloudformation' : undefined;
}

/** Text that declares itself a template. Plain substring tests: no pattern runs over hostile text. */
function looksLikeTemplate(text: string): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  return text.includes('Resources') && (text.includes('Type: AWS::') || text.includes('"Type": "AWS::') || text.includes('"Type":"AWS::') || text.includes("Type: 'AWS::") || text.includes('Type: "AWS::'));
}

function classify(data: unknown): IacKind | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.format_version === 'string' && ('planned_values' in d || 'resource_changes' in d)) return 'terraform-plan';
  if ('schemaVersion' in d && typeof d.account === 'object') return 'snapshot';
  if ('AWSTemplateFormatVersion' in d) return 'cloudformation';
  const resources = d.Resources;
  if (typeof resources === 'object' && resources !== null && !Array.isArray(resources)) {
    // A Resources mapping of declarations with a `Service::Thing` type: AWS::, Custom::, a
    // registry type (`Org::Service::Resource`) or an AWS::Serverless one behind a transform.
    const types = Object.values(resources).map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>).Type : undefined));
    if (types.some((t) => typeof t === 'string' && t.includes('::'))) return 'cloudformation';
  }
  return undefined;
}
