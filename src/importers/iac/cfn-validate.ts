/**
 * The checks CloudFormation makes before it deploys anything, made on the whole template at once
 * so that an error names the place where the problem is written: a condition used but never
 * defined (at the `Condition`/`Fn::If` that uses it, not at a `Conditions` entry the file does not
 * have), a Ref or GetAtt to nothing, resources that depend on each other in a circle, and an
 * `Fn::Select` whose literal index is outside its literal list. CloudFormation rejects each of
 * these templates, so scanning one as if it deployed would judge infrastructure that can never
 * exist. One linear walk; cycles are found with an iterative depth-first search (no recursion
 * a hostile template could exhaust).
 */
import { InputError } from '../../engine/errors.js';

type Json = Record<string, unknown>;
type PathPart = string | number;

interface Use {
  target: string;
  path: PathPart[];
}

export interface TemplateSections {
  resources: Json;
  parameters: Json;
  conditions: Json;
  outputs: Json;
  /** True when a transform (SAM, macros) may add resources, parameters and conditions. */
  transformed: boolean;
}

/** Walks deeper than this are cut short: the parser already refuses nesting beyond 200 levels. */
const MAX_WALK_DEPTH = 220;

export function validateTemplate(sections: TemplateSections, file: string): void {
  const resourceIds = new Set(Object.keys(sections.resources).filter((id) => !id.startsWith('Fn::ForEach::')));
  const loops = Object.keys(sections.resources).some((id) => id.startsWith('Fn::ForEach::'));
  const dependencies = new Map<string, Use[]>();
  const conditionUses: Use[] = [];
  const refUses: Use[] = [];
  const getAttUses: Use[] = [];

  const walk = (root: unknown, rootPath: PathPart[], owner: string | undefined, inConditions: boolean) => {
    const stack: { value: unknown; path: PathPart[] }[] = [{ value: root, path: rootPath }];
    while (stack.length) {
      const { value, path } = stack.pop()!;
      if (path.length - rootPath.length > MAX_WALK_DEPTH) continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
        continue;
      }
      if (typeof value !== 'object' || value === null) continue;
      const node = value as Json;
      const keys = Object.keys(node);
      if (keys.length === 1) {
        const fn = keys[0]!;
        const arg = node[fn];
        const at = [...path, fn];
        if (fn === 'Ref' && typeof arg === 'string') {
          refUses.push({ target: arg, path: at });
          if (owner && resourceIds.has(arg)) addDependency(dependencies, owner, arg, at);
        } else if (fn === 'Fn::GetAtt') {
          const target = typeof arg === 'string' ? arg.split('.')[0]! : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
          if (target !== undefined) {
            getAttUses.push({ target, path: at });
            if (owner && resourceIds.has(target)) addDependency(dependencies, owner, target, at);
          }
        } else if (fn === 'Fn::Sub') {
          const text = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
          const variables = Array.isArray(arg) && typeof arg[1] === 'object' && arg[1] !== null ? (arg[1] as Json) : {};
          if (text !== undefined) {
            for (const name of subVariables(text)) {
              if (Object.prototype.hasOwnProperty.call(variables, name)) continue;
              const dot = name.indexOf('.');
              if (dot > 0 && !name.startsWith('AWS::')) {
                const target = name.slice(0, dot);
                getAttUses.push({ target, path: at });
                if (owner && resourceIds.has(target)) addDependency(dependencies, owner, target, at);
              } else {
                refUses.push({ target: name, path: at });
                if (owner && resourceIds.has(name)) addDependency(dependencies, owner, name, at);
              }
            }
          }
        } else if (fn === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
          conditionUses.push({ target: arg[0], path: [...at, 0] });
        } else if (fn === 'Condition' && inConditions && typeof arg === 'string') {
          conditionUses.push({ target: arg, path: at });
        } else if (fn === 'Fn::Select' && Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1])) {
          const index = typeof arg[0] === 'number' ? arg[0] : typeof arg[0] === 'string' && /^\d{1,9}$/.test(arg[0]) ? Number(arg[0]) : undefined;
          const list = arg[1] as unknown[];
          // Only a literal list has a known length (an element may itself be an intrinsic: it still counts).
          if (index !== undefined && (index < 0 || index >= list.length)) {
            throw new InputError(file, [...at, 0], `Fn::Select index ${index} is out of range for a list of ${list.length} (CloudFormation rejects the template)`);
          }
        }
      }
      for (let k = keys.length - 1; k >= 0; k--) stack.push({ value: node[keys[k]!], path: [...path, keys[k]!] });
    }
  };

  for (const [id, raw] of Object.entries(sections.resources)) {
    if (id.startsWith('Fn::ForEach::') || typeof raw !== 'object' || raw === null) continue;
    const declaration = raw as Json;
    if (typeof declaration.Condition === 'string') conditionUses.push({ target: declaration.Condition, path: ['Resources', id, 'Condition'] });
    const dependsOn = typeof declaration.DependsOn === 'string' ? [declaration.DependsOn] : Array.isArray(declaration.DependsOn) ? declaration.DependsOn : [];
    dependsOn.forEach((target, i) => {
      if (typeof target !== 'string') return;
      const at = typeof declaration.DependsOn === 'string' ? ['Resources', id, 'DependsOn'] : ['Resources', id, 'DependsOn', i];
      if (!resourceIds.has(target)) {
        if (!sections.transformed && !loops) throw new InputError(file, at, `DependsOn "${target}": no such resource in this template`);
        return;
      }
      addDependency(dependencies, id, target, at);
    });
    walk(declaration.Properties, ['Resources', id, 'Properties'], id, false);
    for (const key of ['Metadata', 'UpdatePolicy', 'CreationPolicy']) {
      if (declaration[key] !== undefined) walk(declaration[key], ['Resources', id, key], id, false);
    }
  }
  walk(sections.conditions, ['Conditions'], undefined, true);
  walk(sections.outputs, ['Outputs'], undefined, false);
  for (const [name, output] of Object.entries(sections.outputs)) {
    if (typeof output === 'object' && output !== null && typeof (output as Json).Condition === 'string') {
      conditionUses.push({ target: (output as Json).Condition as string, path: ['Outputs', name, 'Condition'] });
    }
  }

  for (const use of conditionUses) {
    if (!Object.prototype.hasOwnProperty.call(sections.conditions, use.target) && !sections.transformed) {
      throw new InputError(file, use.path, `condition "${use.target}" is used but not defined in Conditions`);
    }
  }
  // A transform or a loop may declare what these name: CloudFormation checks after expanding them.
  if (!sections.transformed && !loops) {
    for (const use of refUses) {
      if (use.target.startsWith('AWS::')) continue;
      if (resourceIds.has(use.target) || Object.prototype.hasOwnProperty.call(sections.parameters, use.target)) continue;
      throw new InputError(file, use.path, `Ref "${use.target}": not a parameter or resource of this template (CloudFormation rejects the template)`);
    }
    for (const use of getAttUses) {
      if (resourceIds.has(use.target)) continue;
      throw new InputError(file, use.path, `Fn::GetAtt "${use.target}": no such resource in this template (CloudFormation rejects the template)`);
    }
  }
  const cycle = findCycle(dependencies);
  if (cycle) {
    const first = dependencies.get(cycle[0]!)!.find((d) => d.target === cycle[1])!;
    throw new InputError(file, first.path, `circular dependency between resources: ${cycle.join(' -> ')} (CloudFormation rejects the template)`);
  }
}

function addDependency(dependencies: Map<string, Use[]>, from: string, target: string, path: PathPart[]): void {
  let list = dependencies.get(from);
  if (!list) dependencies.set(from, (list = []));
  list.push({ target, path });
}

/** `${Name}` and `${Res.Attr}` of an Fn::Sub string; `${!Literal}` is not a variable. Linear scan, no pattern. */
export function subVariables(text: string): string[] {
  const out: string[] = [];
  let at = text.indexOf('${');
  while (at !== -1) {
    const end = text.indexOf('}', at + 2);
    if (end === -1) break;
    const inner = text.slice(at + 2, end);
    if (!inner.startsWith('!')) out.push(inner.trim());
    at = text.indexOf('${', end + 1);
  }
  return out;
}

/** The first cycle found (as ids, first repeated at the end), by iterative three-colour DFS in sorted order. */
function findCycle(dependencies: Map<string, Use[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of [...dependencies.keys()].sort()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 1);
    while (path.length) {
      const node = path[path.length - 1]!;
      const edges = dependencies.get(node) ?? [];
      const i = next[next.length - 1]!;
      if (i >= edges.length) {
        state.set(node, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const target = edges[i]!.target;
      const seen = state.get(target);
      if (seen === 1) return [...path.slice(path.indexOf(target)), target];
      if (seen === undefined) {
        state.set(target, 1);
        path.push(target);
        next.push(0);
      }
    }
  }
  return undefined;
}
