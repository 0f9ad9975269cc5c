/**
 * Reading a resource's planned values with the three states the inventory cares about: known,
 * UNKNOWN (only known after apply, and no reference leads to a resource of the plan: the note is
 * recorded) and absent. Values that must have a shape (policy documents, nested blocks, numbers,
 * enumerations) are checked: a wrong one is an input error at its place in the plan.
 */
import { InputError } from '../../engine/errors.js';
import { normalizePolicyInput } from '../../policy/document.js';
import { UNKNOWN, type Read } from '../iac/props.js';
import { isObject, own, shown, type Json, type JsonPath } from './json.js';
import { impliedAttribute, type References } from './references.js';
import type { TfResource } from './resource.js';

/** Is the attribute at `attrPath` unknown until apply? */
export function isUnknown(resource: TfResource, attrPath: (string | number)[]): boolean {
  let current: unknown = resource.afterUnknown;
  for (const part of attrPath) {
    if (current === true) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current === true || (typeof current === 'object' && current !== null && containsTrue(current));
}

/** Did the configuration set this attribute or block at all? */
export function configured(resource: TfResource, attribute: string): boolean {
  const expressions = resource.config?.expressions as Json | undefined;
  return expressions !== undefined && expressions[attribute] !== undefined;
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsTrue);
  return false;
}

export class ValueReader {
  constructor(
    private readonly file: string,
    private readonly references: References,
  ) {}

  /**
   * Reads an attribute: known value, UNKNOWN (after apply only, and no reference we can follow:
   * `note` is recorded) or undefined (not set).
   */
  read(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>, follow = true): Read<unknown> {
    let current: unknown = resource.values;
    for (const part of attrPath) {
      if (typeof current !== 'object' || current === null) {
        current = undefined;
        break;
      }
      current = (current as Record<string | number, unknown>)[part];
    }
    if (current !== undefined && current !== null && !isUnknown(resource, attrPath)) return current;
    if (!isUnknown(resource, attrPath)) return current === null ? undefined : current;
    // Unknown but not set in the configuration: a provider-computed default (e.g. a v5 bucket's
    // inline `policy`, a role's `managed_policy_arns`), which split resources may fill in later.
    if (resource.config && !configured(resource, String(attrPath[0]))) return undefined;
    // The plan does not say whether the expression IS the reference or only contains it
    // (jsonencode, interpolation), so references are followed only for id/ARN/name attributes.
    const followed = follow ? this.references.referenceTarget(resource, attrPath) : undefined;
    if (followed) {
      const value = own(followed.target.identity.attributes, followed.attribute ?? impliedAttribute(attrPath));
      if (typeof value === 'string') return value;
    }
    const fromData = follow ? this.references.dataSourceValue(resource, attrPath) : undefined;
    if (fromData !== undefined) return fromData;
    unresolved.add(note);
    return UNKNOWN;
  }

  str(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>): Read<string> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined || v === UNKNOWN) return v;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  bool(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>, fallback?: boolean): Read<boolean> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined) return fallback;
    if (v === UNKNOWN) return UNKNOWN;
    return v === true || v === 'true';
  }

  strList(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>): Read<string[]> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined || v === UNKNOWN) return v;
    if (!Array.isArray(v)) return [String(v)];
    if (isUnknown(resource, attrPath)) {
      unresolved.add(note);
      return UNKNOWN;
    }
    return v.map(String);
  }

  /** First element of a nested block list (`rule[0]`), or undefined. */
  block(resource: TfResource, name: string): Json | undefined {
    const list = resource.values[name];
    if (Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null) return list[0] as Json;
    if (typeof list === 'object' && list !== null && !Array.isArray(list)) return list as Json;
    return undefined;
  }

  /** A JSON policy string attribute; undefined when unknown (noted) or absent. */
  policy(resource: TfResource, attribute: string, note: string, unresolved: Set<string>): Read<unknown> {
    const value = this.read(resource, [attribute], note, unresolved, false);
    if (value === undefined || value === UNKNOWN) return value;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    return this.checkedPolicy(value, [...resource.jsonPath, 'values', attribute]);
  }

  /** A policy document that IAM would read, else an input error at its place in the plan. */
  checkedPolicy(value: unknown, at: JsonPath): unknown {
    const result = normalizePolicyInput(value);
    if (!result.ok) {
      const first = result.errors[0];
      throw new InputError(this.file, [...at, ...(first?.path ?? [])], first?.message ?? 'is not a valid policy document');
    }
    return value;
  }

  /**
   * A known value that must be one of AWS's values (Terraform's provider validates them, so a
   * real plan has one): anything else is an input error at the plan's attribute.
   */
  oneOf<T extends string>(r: TfResource, attrPath: JsonPath, value: string, allowed: readonly T[]): T {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InputError(this.file, [...r.jsonPath, 'values', ...attrPath], `${shown(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  /** A list of nested blocks (one block may be written as an object): each must be an object. */
  blocks(value: unknown, at: JsonPath): Json[] {
    if (value === undefined || value === null) return [];
    if (isObject(value)) return [value];
    if (!Array.isArray(value)) throw new InputError(this.file, at, `must be a list of blocks, not ${shown(value)}`);
    return value.map((block, i) => {
      if (!isObject(block)) throw new InputError(this.file, [...at, i], `must be a block (an object), not ${shown(block)}`);
      return block;
    });
  }

  /** A number (Terraform writes numbers as JSON numbers; a numeric string is read too). */
  number(value: unknown, at: JsonPath): number {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    throw new InputError(this.file, at, `must be a number, not ${shown(value)}`);
  }
}
