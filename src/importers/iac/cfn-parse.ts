/**
 * CloudFormation text (YAML or JSON) -> plain JS value plus the line/column of every map key and
 * sequence item. YAML is parsed by the `yaml` package; the short-form intrinsic tags (`!Ref`,
 * `!Sub`, ...) are declared as custom tags so the parser accepts them, and are turned into the
 * long form (`{"Fn::Sub": ...}`) here, so the resolver only ever sees one shape. JSON goes
 * through the same parser (JSON is YAML 1.2), which is what gives JSON templates line numbers.
 *
 * Most YAML templates are read first by cfn-yaml-lite.ts, which gives the same result without
 * loading `yaml` (loading and warming it up took most of a one-template scan's parse time);
 * whatever it leaves (anything outside its subset, every invalid document) comes here.
 */
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node, ScalarTag, CollectionTag } from 'yaml';
import { InputError } from '../../engine/errors.js';
import { longForm, readCfnYamlLite } from './cfn-yaml-lite.js';

type Yaml = typeof import('yaml');
let yamlPackage: Yaml | undefined;

/** The `yaml` package, loaded (synchronously: parseCfnText is) with the first template that needs it. */
function yaml(): Yaml {
  return (yamlPackage ??= createRequire(import.meta.url)('yaml') as Yaml);
}

export interface Position {
  line: number;
  column: number;
}

export interface ParsedTemplate {
  value: unknown;
  /** Position of each map key / sequence item, keyed by `pathKey(path)`. */
  locations: Map<string, Position>;
}

const INTRINSIC_TAGS = [
  'Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'Equals', 'Not', 'And', 'Or',
  'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Transform', 'Length', 'ToJsonString',
] as const;

/** The parser keeps the tag on the node; we only need it to accept them (no "unresolved tag" warnings). */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = INTRINSIC_TAGS.flatMap((name) => {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => value } as ScalarTag,
    { tag, collection: 'seq', resolve: (value: unknown) => value } as unknown as CollectionTag,
    { tag, collection: 'map', resolve: (value: unknown) => value } as unknown as CollectionTag,
  ];
});

export function pathKey(path: readonly (string | number)[]): string {
  return path.join('\u0000');
}

/**
 * Aliases (`*name`) are expanded while converting, so a few lines can stand for billions of nodes
 * ("billion laughs", also through `<<` keys). A document without aliases has fewer nodes than
 * characters: the budget is that plus a margin, so only an expansion can run out of it.
 */
function nodeBudget(text: string): number {
  return 2 * text.length + 100_000;
}

interface Budget {
  /** Nodes that may still be converted. */
  left: number;
  /** Each alias node's anchored node, resolved once. */
  anchors: WeakMap<object, unknown>;
}

export function parseCfnText(text: string, file: string): ParsedTemplate {
  return readCfnYamlLite(text) ?? parseWithYaml(text, file);
}

/** The template through the `yaml` package (what readCfnYamlLite gives for the documents it reads). */
export function parseWithYaml(text: string, file: string): ParsedTemplate {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, customTags: CUSTOM_TAGS, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    // The parser recurses per nesting level: a hostile document can exhaust the stack.
    if (error instanceof RangeError) throw new InputError(file, [], 'is nested too deeply to be a template');
    throw error;
  }
  const error = doc.errors[0];
  if (error && /Maximum call stack/.test(error.message)) throw new InputError(file, [], 'is nested too deeply to be a template');
  if (error) {
    const pos = error.pos?.[0] !== undefined ? lineCounter.linePos(error.pos[0]) : undefined;
    const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
    throw new InputError(file, [], `is not valid YAML/JSON${where}: ${firstLine(error.message)}`);
  }
  const locations = new Map<string, Position>();
  const budget: Budget = { left: nodeBudget(text), anchors: new WeakMap() };
  const value = convert(doc, doc.contents, [], locations, lineCounter, file, text, budget);
  return { value, locations };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

function position(node: { range?: [number, number, number] | null } | null | undefined, lineCounter: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function convert(
  doc: Document,
  node: unknown,
  path: (string | number)[],
  locations: Map<string, Position>,
  lineCounter: LineCounter,
  file: string,
  text: string,
  budget: Budget,
  depth = 0,
): unknown {
  if (depth > 200) throw new InputError(file, path.slice(0, 8), 'is nested too deeply');
  if (--budget.left < 0) {
    throw new InputError(file, path.slice(0, 8), `YAML aliases expand to more than ${nodeBudget(text).toLocaleString('en-US')} nodes (an alias bomb?): a template cannot be this large`);
  }
  if (node === null || node === undefined) return null;
  const { isAlias, isMap, isScalar, isSeq } = yamlPackage!;
  if (isAlias(node)) {
    // The parser finds an alias's anchor by walking the document: once per alias node, not per expansion.
    let target = budget.anchors.get(node);
    if (target === undefined) {
      target = node.resolve(doc);
      if (target !== undefined) budget.anchors.set(node, target);
    }
    if (target === undefined) throw new InputError(file, path.slice(0, 8), `alias *${String(node.source).slice(0, 40)} has no anchor`);
    return convert(doc, target, path, locations, lineCounter, file, text, budget, depth + 1);
  }
  const tag = (node as { tag?: string }).tag;
  const intrinsic = tag && tag.startsWith('!') && !tag.startsWith('!!') ? tag.slice(1) : undefined;
  // Children of a short-form intrinsic are arguments, not properties: record them under the long form.
  if (intrinsic) path = [...path, intrinsic === 'Ref' || intrinsic === 'Condition' ? intrinsic : `Fn::${intrinsic}`];
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
    if (typeof value === 'number' && node.range) {
      // Unquoted account ids and the like: `012345678901` must not lose its leading zero, and a
      // 20-digit number must not be rounded. CloudFormation passes these on as strings anyway.
      const raw = text.slice(node.range[0], node.range[1]).trim();
      if (/^[-+]?0\d+$/.test(raw) || (/^[-+]?\d+$/.test(raw) && !Number.isSafeInteger(value))) value = raw;
    }
  } else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = [...path, key];
      const pos = position(keyNode as { range?: [number, number, number] }, lineCounter);
      // The parser's own uniqueKeys check is quadratic in the map size (a 9,000-resource template
      // took seconds); a hash lookup gives the same error.
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        const where = pos ? ` (line ${pos.line}, column ${pos.column})` : '';
        throw new InputError(file, childPath, `duplicate key "${key}"${where}: CloudFormation keys must be unique`);
      }
      if (pos) locations.set(pathKey(childPath), pos);
      out[key] = convert(doc, pair.value, childPath, locations, lineCounter, file, text, budget, depth + 1);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item, index) => {
      const childPath = [...path, index];
      const pos = position(item as { range?: [number, number, number] }, lineCounter);
      if (pos) locations.set(pathKey(childPath), pos);
      return convert(doc, item, childPath, locations, lineCounter, file, text, budget, depth + 1);
    });
  } else {
    value = null;
  }
  return intrinsic ? longForm(intrinsic, value) : value;
}

