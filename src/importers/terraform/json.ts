/**
 * Plain JSON helpers of the Terraform plan import: the plan's value types, own-property reads and
 * how a value is shown in an error message.
 */
export type Json = Record<string, unknown>;
export type JsonPath = (string | number)[];

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only (a reference `x.constructor` must not reach Object.prototype). */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A value for a message: strings quoted and cut to a readable length, containers by kind. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
