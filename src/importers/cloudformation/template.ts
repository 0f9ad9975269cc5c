/**
 * The template's own sections, read before any resource is mapped: the stack name a file stands
 * for, Transform, the Parameters/Mappings/Conditions/Outputs mappings, and --parameters values
 * checked against their declarations.
 */
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import type { Json } from './context.js';

/** The stack name a template stands for: its file name without the template extensions. */
export function stackNameOf(file: string): string {
  return path.basename(file).replace(/\.(template\.)?(json|ya?ml|template)$/i, '');
}

export function transformsOf(template: Json, file: string): string[] {
  const value = template.Transform;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, i) => {
    if (typeof entry === 'string') return entry;
    // `{Name: AWS::Include, Parameters: {...}}` (a macro with parameters)
    if (typeof entry === 'object' && entry !== null && typeof (entry as Json).Name === 'string') return (entry as Json).Name as string;
    throw new InputError(file, Array.isArray(value) ? ['Transform', i] : ['Transform'], 'Transform must be a transform name or a list of them');
  });
}

/**
 * A --parameters value checked as CloudFormation checks it at deploy time (type, AllowedValues,
 * lengths and bounds; AllowedPattern is a pattern from the template and is not run here).
 */
export function checkParameterValue(name: string, value: string, declaration: unknown, file: string): void {
  const d = (typeof declaration === 'object' && declaration !== null ? declaration : {}) as Json;
  const type = typeof d.Type === 'string' ? d.Type : 'String';
  const fail = (why: string) => {
    throw new InputError(file, ['Parameters', name], `--parameters ${name}=${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}: ${why}`);
  };
  const isList = type.startsWith('List<') || type === 'CommaDelimitedList';
  const items = isList ? value.split(',').map((v) => v.trim()) : [value];
  for (const item of items) {
    if ((type === 'Number' || type === 'List<Number>') && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(item.trim())) fail(`the parameter is a ${type} and "${item}" is not a number`);
    if (Array.isArray(d.AllowedValues) && !d.AllowedValues.map(String).includes(item)) {
      fail(`not one of the AllowedValues (${d.AllowedValues.slice(0, 10).map(String).join(', ')}${d.AllowedValues.length > 10 ? ', ...' : ''})`);
    }
    if (type === 'Number') {
      const n = Number(item);
      if (d.MinValue !== undefined && n < Number(d.MinValue)) fail(`below MinValue ${String(d.MinValue)}`);
      if (d.MaxValue !== undefined && n > Number(d.MaxValue)) fail(`above MaxValue ${String(d.MaxValue)}`);
    }
  }
  if (type === 'String') {
    if (d.MinLength !== undefined && value.length < Number(d.MinLength)) fail(`shorter than MinLength ${String(d.MinLength)}`);
    if (d.MaxLength !== undefined && value.length > Number(d.MaxLength)) fail(`longer than MaxLength ${String(d.MaxLength)}`);
  }
}

export function sectionOf(template: Json, name: string, file: string): Json {
  const value = template[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(file, [name], `${name} must be a mapping`);
  return value as Json;
}
