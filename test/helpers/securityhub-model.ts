/**
 * A validator for Security Hub input against the API model as the installed AWS SDK for JavaScript
 * v3 carries it (`@aws-sdk/client-securityhub` in node_modules): its TypeScript declarations
 * (dist-types/models/*.d.ts: one interface per structure, `?` = optional member, member types,
 * enums as const objects, the API documentation as JSDoc) read with the TypeScript compiler API,
 * and its runtime schema (dist-es/schemas/schemas_0.js: list shape names, and the number of leading
 * required members, cross-checked against the declarations). Checked: structures (required members,
 * no unknown members), lists, maps, strings (enums), numbers, and the limits the documentation
 * states ("Maximum length of 256", "Maximum number of 32 items", "up to 50 key-value pairs",
 * "Maximum of 100 findings per request", "240 Kb").
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

interface Member {
  shape: string;
  documentation?: string;
}
interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, Member>;
  member?: Member;
  key?: Member;
  value?: Member;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
}
interface Model {
  operations: Record<string, { documentation: string; input: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const require = createRequire(import.meta.url);
export const SDK_DIR = path.dirname(require.resolve('@aws-sdk/client-securityhub/package.json'));
export const SDK_VERSION = (JSON.parse(readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The non-blank rule of botocore's NonEmptyString (pattern `.*\S.*`), which nearly every string of
 * a finding uses: the SDK's declarations write those members as plain `string`, so it is applied to
 * every non-enum string member (the ASFF user guide: values must not be empty or blank).
 */
export const NON_BLANK_PATTERN = '.*\\S.*';
/** The SDK writes every numeric member as `number`; the model's doubles among the shapes aigis writes. */
const DOUBLE_MEMBERS = new Set(['Severity.Product']);

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function docOf(node: ts.Node): string | undefined {
  const parts = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '');
  return parts.length ? parts.join('\n') : undefined;
}

/** The runtime schema: per structure its member names and leading required count; list shape names. */
function readSchema(): { required: Map<string, { members: string[]; required: number }>; listNames: Map<string, string> } {
  const source = parse(path.join(SDK_DIR, 'dist-es/schemas/schemas_0.js'));
  const strings = new Map<string, string>();
  const required = new Map<string, { members: string[]; required: number }>();
  const listNames = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
      const init = decl.initializer;
      if (ts.isStringLiteral(init)) strings.set(decl.name.text, init.text);
      if (!ts.isArrayLiteralExpression(init) || !decl.name.text.endsWith('$')) continue;
      const [kind, , , , names, types, count] = init.elements;
      if (!kind || !ts.isNumericLiteral(kind) || kind.text !== '3' || !names || !ts.isArrayLiteralExpression(names)) continue;
      const structure = decl.name.text.slice(0, -1);
      const members = names.elements.map((e) => (ts.isIdentifier(e) ? (strings.get(e.text) ?? '') : ''));
      required.set(structure, { members, required: count && ts.isNumericLiteral(count) ? Number(count.text) : 0 });
      if (types && ts.isArrayLiteralExpression(types))
        types.elements.forEach((t, i) => {
          if (ts.isArrowFunction(t) && ts.isIdentifier(t.body) && !t.body.text.endsWith('$')) listNames.set(`${structure}.${members[i]}`, t.body.text);
        });
    }
  }
  return { required, listNames };
}

function buildModel(): Model {
  const dir = path.join(SDK_DIR, 'dist-types/models');
  const shapes: Record<string, Shape> = {
    NonEmptyString: { type: 'string', pattern: NON_BLANK_PATTERN },
    Integer: { type: 'integer' },
    Double: { type: 'double' },
    Boolean: { type: 'boolean' },
    Timestamp: { type: 'timestamp' },
    Document: { type: 'document' },
  };
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const aliases = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /^(models_\d+|enums)\.d\.ts$/.test(f)).sort()) {
    for (const statement of parse(path.join(dir, file)).statements) {
      if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
      if (ts.isTypeAliasDeclaration(statement)) aliases.add(statement.name.text);
      if (ts.isVariableStatement(statement))
        for (const decl of statement.declarationList.declarations) {
          if (!ts.isIdentifier(decl.name) || !decl.type || !ts.isTypeLiteralNode(decl.type)) continue;
          const values = decl.type.members.flatMap((m) =>
            ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? [m.type.literal.text] : [],
          );
          if (values.length) shapes[decl.name.text] = { type: 'string', enum: values };
        }
    }
  }
  const schema = readSchema();

  const shapeOf = (type: ts.TypeNode, owner: string, memberName: string): string => {
    if (ts.isUnionTypeNode(type)) {
      const kept = type.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (kept.length !== 1) throw new Error(`${owner}.${memberName}: unsupported union ${type.getText()}`);
      return shapeOf(kept[0]!, owner, memberName);
    }
    if (ts.isParenthesizedTypeNode(type)) return shapeOf(type.type, owner, memberName);
    switch (type.kind) {
      case ts.SyntaxKind.StringKeyword:
        return 'NonEmptyString';
      case ts.SyntaxKind.NumberKeyword:
        return DOUBLE_MEMBERS.has(`${owner}.${memberName}`) ? 'Double' : 'Integer';
      case ts.SyntaxKind.BooleanKeyword:
        return 'Boolean';
    }
    if (ts.isArrayTypeNode(type)) {
      const name = schema.listNames.get(`${owner}.${memberName}`) ?? `${owner}.${memberName}[]`;
      shapes[name] ??= { type: 'list', member: { shape: shapeOf(type.elementType, owner, `${memberName}[]`) } };
      return name;
    }
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const ref = type.typeName.text;
      if (ref === 'Date') return 'Timestamp';
      if (ref === '__DocumentType') return 'Document';
      if (ref === 'Record' && type.typeArguments?.length === 2) {
        const name = `${owner}.${memberName}{}`;
        shapes[name] = { type: 'map', key: { shape: shapeOf(type.typeArguments[0]!, owner, memberName) }, value: { shape: shapeOf(type.typeArguments[1]!, owner, `${memberName}{}`) } };
        return name;
      }
      if (shapes[ref]) return ref;
      const decl = interfaces.get(ref);
      if (decl) return addStructure(decl);
      // A tagged union (`export type X = X.AMember | X.BMember | ...`): an object, not checked further.
      if (aliases.has(ref)) return 'Document';
    }
    throw new Error(`${owner}.${memberName}: unsupported type ${type.getText()}`);
  };

  // Structures reachable from BatchImportFindings' request and response, built on first use.
  function addStructure(decl: ts.InterfaceDeclaration): string {
    const owner = decl.name.text;
    if (shapes[owner]) return owner;
    shapes[owner] = { type: 'structure' };
    const members: Record<string, Member> = {};
    const required: string[] = [];
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m) || !m.type || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
      const name = m.name.text;
      members[name] = { shape: shapeOf(m.type, owner, name), documentation: docOf(m) };
      if (!m.questionToken) required.push(name);
    }
    // The runtime schema lists the required members first and counts them: both must agree.
    const fromSchema = schema.required.get(owner);
    if (fromSchema && fromSchema.members.slice(0, fromSchema.required).join() !== required.join())
      throw new Error(`${owner}: declarations require ${required.join(', ')}, the schema ${fromSchema.members.slice(0, fromSchema.required).join(', ')}`);
    shapes[owner] = { type: 'structure', members, ...(required.length ? { required } : {}) };
    return owner;
  }
  for (const root of ['BatchImportFindingsRequest', 'BatchImportFindingsResponse']) {
    const decl = interfaces.get(root);
    if (!decl) throw new Error(`@aws-sdk/client-securityhub ${SDK_VERSION} declares no ${root}`);
    addStructure(decl);
  }
  // Limits the documentation states on list members apply to the list (the schema has no traits).
  for (const shape of Object.values(shapes)) {
    for (const member of Object.values(shape.members ?? {})) {
      const list = shapes[member.shape];
      const perRequest = /Maximum of (\d+) findings per request/.exec(member.documentation ?? '');
      if (list?.type === 'list' && perRequest) list.max = Number(perRequest[1]);
    }
  }

  const command = parse(path.join(SDK_DIR, 'dist-types/commands/BatchImportFindingsCommand.d.ts'));
  const commandClass = command.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'BatchImportFindingsCommand');
  const documentation = commandClass ? (docOf(commandClass) ?? '') : '';
  return { operations: { BatchImportFindings: { documentation, input: { shape: 'BatchImportFindingsRequest' } } }, shapes };
}

export const model = buildModel();

/** Limits a member's documentation states. */
export interface DocLimits {
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxPairs?: number;
  maxKeyLength?: number;
  maxValueLength?: number;
}

export function docLimits(documentation: string | undefined): DocLimits {
  const text = (documentation ?? '').replace(/<[^>]+>/g, ' ');
  const limits: DocLimits = {};
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const exact = num(/Length Constraints:\s*(\d+)\./);
  if (exact !== undefined) {
    limits.minLength = exact;
    limits.maxLength = exact;
  }
  const minLength = num(/Minimum length of (\d+)/) ?? num(/Minimum of (\d+) length/);
  const maxLength = num(/Maximum length of (\d+)/) ?? num(/Maximum of (\d+) length/);
  if (minLength !== undefined) limits.minLength = minLength;
  if (maxLength !== undefined) limits.maxLength = maxLength;
  const minItems = num(/Minimum number of (\d+) items?/);
  const maxItems = num(/Maximum number of (\d+) items?/);
  if (minItems !== undefined) limits.minItems = minItems;
  if (maxItems !== undefined) limits.maxItems = maxItems;
  const pairs = num(/up to (\d+) key-value pairs/);
  if (pairs !== undefined) limits.maxPairs = pairs;
  const key = num(/the key can contain up to (\d+) characters/);
  const value = num(/the value can contain up to (\d+) characters/);
  if (key !== undefined) limits.maxKeyLength = key;
  if (value !== undefined) limits.maxValueLength = value;
  return limits;
}

/** The documented maximum size of one finding, in bytes ("The maximum allowed size for a finding is 240 Kb."). */
export function maxFindingBytes(): number {
  const m = /maximum allowed size for a finding is (\d+) Kb/.exec(model.operations.BatchImportFindings!.documentation);
  if (!m) throw new Error('the model no longer states the finding size limit');
  return Number(m[1]) * 1024;
}

/** Every problem of `value` as an instance of `shapeName`, as `path: problem` lines. */
export function validateShape(value: unknown, shapeName: string, at = '$', limits: DocLimits = {}): string[] {
  const errors: string[] = [];
  visit(value, shapeName, at, limits, errors, 0);
  return errors;
}

function visit(value: unknown, shapeName: string, at: string, limits: DocLimits, errors: string[], depth: number): void {
  if (depth > 32) return void errors.push(`${at}: nested too deep`);
  const shape = model.shapes[shapeName];
  if (!shape) return void errors.push(`${at}: shape ${shapeName} is not in the model`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void errors.push(`${at}: expected an object (${shapeName})`);
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) if (record[name] === undefined) errors.push(`${at}: missing required member ${name}`);
      for (const [name, member] of Object.entries(record)) {
        const def = shape.members?.[name];
        if (!def) {
          errors.push(`${at}: ${name} is not a member of ${shapeName}`);
          continue;
        }
        if (member === undefined) continue;
        visit(member, def.shape, `${at}.${name}`, docLimits(def.documentation), errors, depth + 1);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return void errors.push(`${at}: expected an array (${shapeName})`);
      const min = Math.max(shape.min ?? 0, limits.minItems ?? 0);
      const max = Math.min(shape.max ?? Infinity, limits.maxItems ?? Infinity);
      if (value.length < min) errors.push(`${at}: ${value.length} items, at least ${min} required`);
      if (value.length > max) errors.push(`${at}: ${value.length} items, at most ${max} allowed`);
      value.forEach((item, i) => visit(item, shape.member!.shape, `${at}[${i}]`, {}, errors, depth + 1));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void errors.push(`${at}: expected an object (${shapeName})`);
      const entries = Object.entries(value as Record<string, unknown>);
      if (limits.maxPairs !== undefined && entries.length > limits.maxPairs) errors.push(`${at}: ${entries.length} pairs, at most ${limits.maxPairs} allowed`);
      for (const [k, v] of entries) {
        visit(k, shape.key!.shape, `${at} key ${JSON.stringify(k)}`, limits.maxKeyLength !== undefined ? { maxLength: limits.maxKeyLength } : {}, errors, depth + 1);
        visit(v, shape.value!.shape, `${at}[${JSON.stringify(k)}]`, limits.maxValueLength !== undefined ? { maxLength: limits.maxValueLength } : {}, errors, depth + 1);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return void errors.push(`${at}: expected a string (${shapeName})`);
      if (shape.enum && !shape.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`);
      if (shape.pattern && !new RegExp(shape.pattern, 'u').test(value)) errors.push(`${at}: does not match /${shape.pattern}/`);
      // Lengths in UTF-16 code units: never fewer than the characters the API counts.
      const min = Math.max(shape.min ?? 0, limits.minLength ?? 0);
      const max = Math.min(shape.max ?? Infinity, limits.maxLength ?? Infinity);
      if (value.length < min) errors.push(`${at}: length ${value.length}, at least ${min} required`);
      if (value.length > max) errors.push(`${at}: length ${value.length}, at most ${max} allowed`);
      return;
    }
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) errors.push(`${at}: expected an integer (${shapeName})`);
      else {
        if (shape.min !== undefined && value < shape.min) errors.push(`${at}: ${value} < ${shape.min}`);
        if (shape.max !== undefined && value > shape.max) errors.push(`${at}: ${value} > ${shape.max}`);
      }
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) errors.push(`${at}: expected a number (${shapeName})`);
      return;
    case 'document':
      return;
    case 'timestamp':
      if (typeof value !== 'string') errors.push(`${at}: expected a timestamp string`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${at}: expected a boolean`);
      return;
    default:
      errors.push(`${at}: unsupported shape type ${shape.type}`);
  }
}

/**
 * One finding as BatchImportFindings takes it: the model's shape, the 240 KB limit, and the
 * ASFF user guide's rules the model leaves to prose (timestamps in RFC 3339 with a time zone,
 * Severity.Label present).
 */
export function validateFinding(finding: unknown, at = '$'): string[] {
  const errors = validateShape(finding, 'AwsSecurityFinding', at);
  const bytes = Buffer.byteLength(JSON.stringify(finding));
  if (bytes > maxFindingBytes()) errors.push(`${at}: ${bytes} bytes, more than ${maxFindingBytes()}`);
  const record = (finding ?? {}) as Record<string, unknown>;
  for (const key of ['CreatedAt', 'UpdatedAt']) {
    const value = record[key];
    if (typeof value === 'string' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(value)) errors.push(`${at}.${key}: not an RFC 3339 date-time`);
  }
  const severity = record.Severity as { Label?: unknown } | undefined;
  if (!severity || severity.Label === undefined) errors.push(`${at}: missing Severity.Label`);
  return errors;
}

/** A whole BatchImportFindings request body. */
export function validateBatchRequest(body: unknown): string[] {
  const errors = validateShape(body, 'BatchImportFindingsRequest');
  const findings = (body as { Findings?: unknown[] } | null)?.Findings;
  // The API reference: "Array Members: Minimum number of 1 item" (the SDK documents only the maximum).
  if (Array.isArray(findings) && findings.length < 1) errors.push(`$.Findings: ${findings.length} items, at least 1 required`);
  if (Array.isArray(findings)) findings.forEach((f, i) => errors.push(...validateFinding(f, `$.Findings[${i}]`).filter((e) => !errors.includes(e))));
  return [...new Set(errors)];
}
