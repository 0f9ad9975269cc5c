/**
 * The shape check of a Terraform plan: the structure of the sections the importer reads, checked
 * before anything is read, so that everything after it can rely on it. A wrong type is an
 * InputError naming the JSON path; module and value nesting are limited (TERRAFORM_PLAN_LIMITS).
 */
import { InputError } from '../../engine/errors.js';
import { isObject, shown, type Json, type JsonPath } from './json.js';
import { TERRAFORM_PLAN_LIMITS } from './limits.js';

/** Plan format versions: digits and dots (`"1.2"`), checked before the major version is read. */
const FORMAT_VERSION = /^\d{1,9}(?:\.\d{1,9}){0,3}$/;

/**
 * Checks the structure of the sections the importer reads, so that everything after it can rely
 * on it: a wrong type is an InputError naming the JSON path. Absent (or null) optional sections
 * are fine. Nesting is limited (TERRAFORM_PLAN_LIMITS) so no later walk can exhaust the stack.
 */
export class PlanShape {
  constructor(private readonly file: string) {}

  check(plan: Json): void {
    this.formatVersion(plan.format_version);
    const planned = this.object(plan.planned_values, ['planned_values']);
    const root = planned && this.object(planned.root_module, ['planned_values', 'root_module']);
    if (root) this.plannedModule(root, ['planned_values', 'root_module'], 0);

    const changes = this.array(plan.resource_changes, ['resource_changes']);
    changes?.forEach((raw, i) => {
      const at = ['resource_changes', i];
      const change = this.required(raw, at);
      this.string(change.address, [...at, 'address'], true);
      this.string(change.deposed, [...at, 'deposed']);
      const body = this.object(change.change, [...at, 'change']);
      const afterUnknown = body?.after_unknown;
      if (afterUnknown !== undefined && afterUnknown !== null && typeof afterUnknown !== 'boolean' && typeof afterUnknown !== 'object') {
        this.fail([...at, 'change', 'after_unknown'], `must be an object or a boolean, not ${shown(afterUnknown)}`);
      }
      this.depth(afterUnknown, [...at, 'change', 'after_unknown']);
    });

    const configuration = this.object(plan.configuration, ['configuration']);
    if (configuration) {
      const providers = this.object(configuration.provider_config, ['configuration', 'provider_config']);
      for (const [key, raw] of Object.entries(providers ?? {})) {
        const at = ['configuration', 'provider_config', key];
        const provider = this.required(raw, at);
        const expressions = this.object(provider.expressions, [...at, 'expressions']);
        this.depth(expressions, [...at, 'expressions']);
        if (expressions) this.expression(expressions.region, [...at, 'expressions', 'region']);
      }
      const root = this.object(configuration.root_module, ['configuration', 'root_module']);
      if (root) this.configModule(root, ['configuration', 'root_module'], 0);
    }

    const variables = this.object(plan.variables, ['variables']);
    for (const [name, raw] of Object.entries(variables ?? {})) {
      const variable = this.object(raw, ['variables', name]);
      this.depth(variable?.value, ['variables', name, 'value']);
    }
  }

  private formatVersion(version: unknown): void {
    if (version === undefined || version === null) this.fail(['format_version'], 'is not a Terraform plan (no format_version)');
    if (typeof version !== 'string' || !FORMAT_VERSION.test(version)) {
      this.fail(['format_version'], `${shown(version)} is not a plan format version (digits and dots, e.g. "1.2")`);
    }
    const [major, minor] = version.split('.').map(Number) as [number, number | undefined];
    if (major > 1 || (major === 0 && !minor)) {
      this.fail(['format_version'], `unsupported plan format_version ${JSON.stringify(version)} (aigis reads 0.1 to 1.x: terraform show -json of Terraform 0.12 and later)`);
    }
  }

  /**
   * `top`: the outermost child module of the chain being walked. A nesting error names it (the
   * path of the module past the limit is hundreds of `.child_modules[0]` long: unreadable).
   */
  private plannedModule(module: Json, at: JsonPath, depth: number, top: JsonPath = at): void {
    if (depth > TERRAFORM_PLAN_LIMITS.moduleDepth) this.fail(top, `modules are nested deeper than ${TERRAFORM_PLAN_LIMITS.moduleDepth} levels inside (child_modules)`);
    if (depth > 0) this.string(module.address, [...at, 'address']);
    this.array(module.resources, [...at, 'resources'])?.forEach((raw, i) => {
      const rAt = [...at, 'resources', i];
      const r = this.required(raw, rAt);
      if (typeof r.type !== 'string' || typeof r.name !== 'string' || typeof r.address !== 'string') this.fail(rAt, 'resource needs address, type and name');
      this.string(r.mode, [...rAt, 'mode']);
      if (r.index !== undefined && r.index !== null && typeof r.index !== 'string' && typeof r.index !== 'number') this.fail([...rAt, 'index'], `must be a number or a string, not ${shown(r.index)}`);
      this.depth(this.object(r.values, [...rAt, 'values']), [...rAt, 'values']);
    });
    this.array(module.child_modules, [...at, 'child_modules'])?.forEach((raw, i) => {
      const cAt = [...at, 'child_modules', i];
      this.plannedModule(this.required(raw, cAt), cAt, depth + 1, depth === 0 ? cAt : top);
    });
  }

  private configModule(module: Json, at: JsonPath, depth: number, top: JsonPath = at): void {
    if (depth > TERRAFORM_PLAN_LIMITS.moduleDepth) this.fail(top, `modules are nested deeper than ${TERRAFORM_PLAN_LIMITS.moduleDepth} levels inside (module_calls)`);
    this.array(module.resources, [...at, 'resources'])?.forEach((raw, i) => {
      const rAt = [...at, 'resources', i];
      const r = this.required(raw, rAt);
      this.string(r.type, [...rAt, 'type'], true);
      this.string(r.name, [...rAt, 'name'], true);
      this.string(r.mode, [...rAt, 'mode']);
      const expressions = this.object(r.expressions, [...rAt, 'expressions']);
      this.depth(expressions, [...rAt, 'expressions']);
    });
    for (const [name, raw] of Object.entries(this.object(module.module_calls, [...at, 'module_calls']) ?? {})) {
      const cAt = [...at, 'module_calls', name];
      const call = this.required(raw, cAt);
      this.string(call.source, [...cAt, 'source']);
      const expressions = this.object(call.expressions, [...cAt, 'expressions']);
      this.depth(expressions, [...cAt, 'expressions']);
      for (const [input, expression] of Object.entries(expressions ?? {})) this.expression(expression, [...cAt, 'expressions', input]);
      const child = this.object(call.module, [...cAt, 'module']);
      if (child) this.configModule(child, [...cAt, 'module'], depth + 1, depth === 0 ? cAt : top);
    }
    for (const [name, raw] of Object.entries(this.object(module.outputs, [...at, 'outputs']) ?? {})) {
      const output = this.required(raw, [...at, 'outputs', name]);
      const expression = this.object(output.expression, [...at, 'outputs', name, 'expression']);
      this.depth(expression, [...at, 'outputs', name, 'expression']);
      if (expression) this.expression(expression, [...at, 'outputs', name, 'expression']);
    }
  }

  /** An expression object: `references` (when present) is a list of strings. */
  private expression(value: unknown, at: JsonPath): void {
    if (!isObject(value)) return;
    this.array(value.references, [...at, 'references'])?.forEach((reference, i) => this.string(reference, [...at, 'references', i], true));
  }

  private fail(at: JsonPath, detail: string): never {
    throw new InputError(this.file, at, detail);
  }

  private object(value: unknown, at: JsonPath): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.fail(at, `must be an object, not ${shown(value)}`);
    return value;
  }

  private required(value: unknown, at: JsonPath): Json {
    if (!isObject(value)) this.fail(at, `must be an object, not ${shown(value)}`);
    return value;
  }

  private array(value: unknown, at: JsonPath): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(at, `must be an array, not ${shown(value)}`);
    return value;
  }

  private string(value: unknown, at: JsonPath, required = false): void {
    if ((value === undefined || value === null) && !required) return;
    if (typeof value !== 'string') this.fail(at, value === undefined ? 'is missing (a string)' : `must be a string, not ${shown(value)}`);
  }

  /**
   * Nesting of one value (iterative: the check itself cannot exhaust the stack). The error names
   * the value, with the first steps of the way down: the full path would be unreadably long.
   */
  private depth(value: unknown, at: JsonPath): void {
    const deep = nestedDeeperThan(value, TERRAFORM_PLAN_LIMITS.valueDepth);
    if (deep) this.fail([...at, ...deep.slice(0, 1)], `is nested deeper than ${TERRAFORM_PLAN_LIMITS.valueDepth} levels inside`);
  }
}

/** The path of the first object or array nested more than `limit` levels inside `value`, if any. */
function nestedDeeperThan(value: unknown, limit: number): JsonPath | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  interface Frame {
    container: Record<string | number, unknown>;
    keys: (string | number)[];
    next: number;
  }
  const frame = (container: object): Frame => ({
    container: container as Record<string | number, unknown>,
    keys: Array.isArray(container) ? Array.from(container.keys()) : Object.keys(container),
    next: 0,
  });
  const stack: Frame[] = [frame(value)];
  const path: JsonPath = [];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.keys.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const key = top.keys[top.next++]!;
    const child = top.container[key];
    if (typeof child !== 'object' || child === null) continue;
    if (stack.length >= limit) return [...path, key];
    path.push(key);
    stack.push(frame(child));
  }
  return undefined;
}
