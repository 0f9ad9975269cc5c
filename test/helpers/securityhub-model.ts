/**
 * A validator for Security Hub input against the API model (botocore securityhub 2018-10-26,
 * vendored in test/vendor/securityhub/service-2.subset.json): structures (required members, no
 * unknown members), lists, maps, strings (enums, patterns), numbers, and the limits the model
 * states in its documentation ("Maximum length of 256", "Maximum number of 32 items", "up to 50
 * key-value pairs", "240 Kb") as well as in its min/max traits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

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

export const MODEL_FILE = path.resolve(import.meta.dirname, '../vendor/securityhub/service-2.subset.json');
export const model = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as Model;

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
  if (!shape) return void errors.push(`${at}: shape ${shapeName} is outside the vendored subset (aigis does not write it)`);
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
  if (Array.isArray(findings)) findings.forEach((f, i) => errors.push(...validateFinding(f, `$.Findings[${i}]`).filter((e) => !errors.includes(e))));
  return [...new Set(errors)];
}
