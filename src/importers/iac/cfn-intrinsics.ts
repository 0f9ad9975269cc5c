/**
 * CloudFormation intrinsic functions, evaluated the way CloudFormation would at deploy time,
 * except that anything only known at deploy time (a parameter with no default, Fn::ImportValue,
 * Fn::GetAZs, an attribute we cannot derive) becomes an `Unresolved` marker instead of a guess.
 * Callers turn markers into absent inventory fields, so rules answer `unknown`.
 */

export class Unresolved {
  constructor(readonly reason: string) {}
}

/** `Ref: AWS::NoValue`: the enclosing property is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface IntrinsicHost {
  /** Pseudo parameter or template parameter value; undefined when `name` is neither. */
  refParameter(name: string): unknown;
  /** Physical id of a resource (what Ref returns); undefined when `name` is not a resource. */
  refResource(name: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  mapping(mapName: string, topKey: string, secondKey: string): unknown;
  condition(name: string): boolean | Unresolved;
}

const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Condition']);

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

export function containsUnresolved(value: unknown): boolean {
  if (value instanceof Unresolved) return true;
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsUnresolved);
  return false;
}

/** First unresolved reason inside a value (for notes and messages). */
export function firstUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = firstUnresolved(v);
      if (u) return u;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) {
      const u = firstUnresolved(v);
      if (u) return u;
    }
  }
  return undefined;
}

export class IntrinsicResolver {
  constructor(private readonly host: IntrinsicHost) {}

  resolve(value: unknown, depth = 0): unknown {
    if (depth > 100) return new Unresolved('intrinsic functions nested too deeply');
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v, depth + 1)).filter((v) => v !== NO_VALUE);
    }
    if (isIntrinsic(value)) return this.call(value, depth);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const r = this.resolve(v, depth + 1);
        if (r !== NO_VALUE) out[k] = r;
      }
      return out;
    }
    return value;
  }

  /** Evaluates a condition expression (Conditions section entries, Fn::If's first argument). */
  evaluateCondition(expression: unknown): boolean | Unresolved {
    const value = this.resolve(expression);
    if (value instanceof Unresolved) return value;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return new Unresolved(`condition does not evaluate to a boolean`);
  }

  private call(node: Record<string, unknown>, depth: number): unknown {
    const [fn, rawArg] = Object.entries(node)[0]!;
    const arg = (v: unknown) => this.resolve(v, depth + 1);
    switch (fn) {
      case 'Ref': {
        const name = arg(rawArg);
        if (typeof name !== 'string') return name instanceof Unresolved ? name : new Unresolved('Ref to a non-string');
        if (name === 'AWS::NoValue') return NO_VALUE;
        const parameter = this.host.refParameter(name);
        if (parameter !== undefined) return parameter;
        const resource = this.host.refResource(name);
        if (resource !== undefined) return resource;
        return new Unresolved(`Ref ${name}: not a parameter or resource of this template`);
      }
      case 'Condition': {
        const name = arg(rawArg);
        return typeof name === 'string' ? this.host.condition(name) : new Unresolved('Condition name is not a string');
      }
      case 'Fn::GetAtt': {
        let parts = arg(rawArg);
        if (typeof parts === 'string') parts = splitOnce(parts);
        if (!Array.isArray(parts) || parts.length < 2) return new Unresolved('Fn::GetAtt needs [resource, attribute]');
        const [id, attribute] = parts as unknown[];
        if (typeof id !== 'string' || typeof attribute !== 'string') return new Unresolved('Fn::GetAtt with unresolved arguments');
        return this.host.getAtt(id, attribute);
      }
      case 'Fn::Sub':
        return this.sub(rawArg, depth);
      case 'Fn::Join': {
        const a = arg(rawArg);
        if (!Array.isArray(a) || a.length !== 2) return new Unresolved('Fn::Join needs [delimiter, list]');
        const [delimiter, list] = a;
        if (list instanceof Unresolved) return list;
        if (!Array.isArray(list)) return new Unresolved('Fn::Join list is not a list');
        const bad = list.find((v) => v instanceof Unresolved);
        if (bad) return bad;
        return list.map((v) => scalarString(v)).join(String(delimiter));
      }
      case 'Fn::Select': {
        const a = arg(rawArg);
        if (!Array.isArray(a) || a.length !== 2) return new Unresolved('Fn::Select needs [index, list]');
        const [index, list] = a;
        if (index instanceof Unresolved) return index;
        if (list instanceof Unresolved) return list;
        const i = Number(index);
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
          return new Unresolved('Fn::Select index out of range');
        }
        return list[i];
      }
      case 'Fn::Split': {
        const a = arg(rawArg);
        if (!Array.isArray(a) || a.length !== 2) return new Unresolved('Fn::Split needs [delimiter, string]');
        const [delimiter, source] = a;
        if (source instanceof Unresolved) return source;
        if (typeof source !== 'string' || typeof delimiter !== 'string') return new Unresolved('Fn::Split of a non-string');
        return source.split(delimiter);
      }
      case 'Fn::FindInMap': {
        const a = arg(rawArg);
        if (!Array.isArray(a) || a.length < 3) return new Unresolved('Fn::FindInMap needs [map, top key, second key]');
        const bad = a.slice(0, 3).find((v) => v instanceof Unresolved);
        if (bad) return bad;
        const found = this.host.mapping(String(a[0]), String(a[1]), String(a[2]));
        if (found === undefined) {
          // AWS::LanguageExtensions allows a DefaultValue as the fourth argument.
          const fallback = a[3] as Record<string, unknown> | undefined;
          if (fallback && typeof fallback === 'object' && 'DefaultValue' in fallback) return fallback.DefaultValue;
          return new Unresolved(`Fn::FindInMap ${a.slice(0, 3).join('/')}: no such mapping entry`);
        }
        return found;
      }
      case 'Fn::If': {
        if (!Array.isArray(rawArg) || rawArg.length !== 3) return new Unresolved('Fn::If needs [condition, then, else]');
        const name = arg(rawArg[0]);
        if (typeof name !== 'string') return new Unresolved('Fn::If condition name is not a string');
        const decided = this.host.condition(name);
        if (decided instanceof Unresolved) return decided;
        return arg(decided ? rawArg[1] : rawArg[2]);
      }
      case 'Fn::Equals': {
        const a = arg(rawArg);
        if (!Array.isArray(a) || a.length !== 2) return new Unresolved('Fn::Equals needs two values');
        const bad = a.find((v) => containsUnresolved(v));
        if (bad !== undefined) return firstUnresolved(bad)!;
        return comparable(a[0]) === comparable(a[1]);
      }
      case 'Fn::Not': {
        const a = arg(rawArg);
        const v = Array.isArray(a) ? a[0] : a;
        const b = toBoolean(v);
        return b instanceof Unresolved ? b : !b;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const a = arg(rawArg);
        if (!Array.isArray(a)) return new Unresolved(`${fn} needs a list`);
        const values = a.map(toBoolean);
        // A decided operand can settle the result even when another one is unknown.
        if (fn === 'Fn::And' && values.includes(false)) return false;
        if (fn === 'Fn::Or' && values.includes(true)) return true;
        const unknown = values.find((v) => v instanceof Unresolved);
        if (unknown) return unknown;
        return fn === 'Fn::And';
      }
      case 'Fn::Base64': {
        const a = arg(rawArg);
        if (a instanceof Unresolved) return a;
        return Buffer.from(scalarString(a), 'utf8').toString('base64');
      }
      case 'Fn::ToJsonString': {
        const a = arg(rawArg);
        return containsUnresolved(a) ? firstUnresolved(a)! : JSON.stringify(a);
      }
      case 'Fn::Length': {
        const a = arg(rawArg);
        if (a instanceof Unresolved) return a;
        return Array.isArray(a) ? a.length : new Unresolved('Fn::Length of a non-list');
      }
      case 'Fn::ImportValue': {
        const a = arg(rawArg);
        return new Unresolved(`Fn::ImportValue ${typeof a === 'string' ? a : '(computed name)'}: exported by another stack`);
      }
      case 'Fn::GetAZs':
        return new Unresolved('Fn::GetAZs: availability zones depend on the account');
      case 'Fn::Cidr':
        return new Unresolved('Fn::Cidr is not evaluated');
      default:
        if (CONDITION_FUNCTIONS.has(fn)) return new Unresolved(`${fn} is not supported here`);
        return new Unresolved(`${fn} is not evaluated`);
    }
  }

  private sub(rawArg: unknown, depth: number): unknown {
    let template: unknown;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(rawArg)) {
      template = this.resolve(rawArg[0], depth + 1);
      const vars = this.resolve(rawArg[1] ?? {}, depth + 1);
      if (typeof vars === 'object' && vars !== null && !Array.isArray(vars)) variables = vars as Record<string, unknown>;
    } else {
      template = this.resolve(rawArg, depth + 1);
    }
    if (template instanceof Unresolved) return template;
    if (typeof template !== 'string') return new Unresolved('Fn::Sub of a non-string');
    let failure: Unresolved | undefined;
    const out = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      let value: unknown;
      if (Object.prototype.hasOwnProperty.call(variables, name)) value = variables[name];
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = splitOnce(name);
        value = this.host.getAtt(id, attribute);
      } else {
        value = this.call({ Ref: name }, depth + 1);
      }
      if (value instanceof Unresolved || value === NO_VALUE || value === undefined) {
        failure ??= value instanceof Unresolved ? value : new Unresolved(`Fn::Sub variable ${name} has no value`);
        return whole;
      }
      return scalarString(value);
    });
    return failure ?? out;
  }
}

function splitOnce(value: string): [string, string] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value, ''] : [value.slice(0, dot), value.slice(dot + 1)];
}

function scalarString(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalarString).join(',');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** CloudFormation compares Fn::Equals operands as strings ("true" equals true, "1" equals 1). */
function comparable(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function toBoolean(value: unknown): boolean | Unresolved {
  if (value instanceof Unresolved) return value;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return new Unresolved('condition operand is not a boolean');
}
