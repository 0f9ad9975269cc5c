/**
 * A small OCSF event validator that reads the schema's own source files (vendored under
 * test/vendor/ocsf-<version>/: dictionary.json, categories.json, events/, objects/, profiles/), the
 * way the OCSF schema server compiles them:
 * - a class or object is its `extends` chain, parent first; `$include` brings in a profile's
 *   attributes (bound to that profile unless the including definition says `"profile": null`);
 *   each attribute is the dictionary's definition deep-merged with the class's or object's
 *   (so enums are the dictionary's values plus the class's, the class's captions winning);
 * - an event names its class by `class_uid` = category uid * 1000 + class uid, and `type_uid` =
 *   class_uid * 100 + activity_id.
 * It checks: required attributes present (a profile's only when the event lists the profile in
 * `metadata.profiles`); no attribute the class or object does not define; types (string, integer,
 * long, float, boolean, timestamp, derived types with their regex, max_len, range), arrays; `*_id`
 * enum values and their sibling captions (free text only for 99, Other); object constraints
 * (at_least_one, just_one); deprecated attributes and enum values (errors unless allowed); the
 * class's classification names; `metadata.version` equal to the schema's version.
 * It returns every problem as `path: message`; an empty list means the event is valid.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Definition = Record<string, Json>;
interface Attribute {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, { caption?: string; '@deprecated'?: unknown }>;
  sibling?: string;
  profile?: string | null;
  '@deprecated'?: unknown;
}
interface Resolved {
  name: string;
  caption: string;
  attributes: Record<string, Attribute>;
  constraints: Record<string, string[]>;
}

export interface ValidateOptions {
  /** Deprecated attributes and enum values are errors unless this is set. */
  allowDeprecated?: boolean;
}

export class OcsfSchema {
  readonly version: string;
  private readonly dictionary: Record<string, Definition>;
  private readonly types: Record<string, Definition>;
  private readonly categories: Record<string, Definition>;
  private readonly eventFiles = new Map<string, string>();
  private readonly resolvedObjects = new Map<string, Resolved>();
  private readonly classesByUid = new Map<number, { resolved: Resolved; categoryUid: number; categoryCaption: string }>();

  constructor(readonly dir: string) {
    this.version = String((this.json('version.json') as Definition).version);
    const dictionary = this.json('dictionary.json') as Definition;
    this.dictionary = dictionary.attributes as Record<string, Definition>;
    this.types = (dictionary.types as Definition).attributes as Record<string, Definition>;
    this.categories = (this.json('categories.json') as Definition).attributes as Record<string, Definition>;
    for (const file of walk(path.join(dir, 'events'))) {
      const def = this.json(path.relative(dir, file)) as Definition;
      this.eventFiles.set(String(def.name), path.relative(dir, file));
    }
    for (const name of this.eventFiles.keys()) {
      const def = this.json(this.eventFiles.get(name)!) as Definition;
      if (typeof def.uid !== 'number') continue;
      // The category may come from the class a class extends (compliance_finding from finding).
      const categoryName = this.inherited(name, 'category');
      const category = typeof categoryName === 'string' ? this.categories[categoryName] : undefined;
      if (!category) throw new Error(`class ${name}: unknown category ${String(categoryName)}`);
      const categoryUid = category.uid as number;
      const classUid = categoryUid * 1000 + def.uid;
      const resolved = this.resolveEvent(name);
      // As the schema server compiles a class: class_uid and category_uid take the class's own
      // values (the base event's enums say only 0), with their names as the sibling captions.
      const attributes = { ...resolved.attributes };
      attributes.class_uid = { ...attributes.class_uid, enum: { [classUid]: { caption: resolved.caption } } };
      attributes.category_uid = { ...attributes.category_uid, enum: { [categoryUid]: { caption: String(category.caption) } } };
      this.classesByUid.set(classUid, { resolved: { ...resolved, attributes }, categoryUid, categoryCaption: String(category.caption) });
    }
  }

  /** Every problem with the event, as `path: message`; empty when the event is valid. */
  validateEvent(event: unknown, options: ValidateOptions = {}): string[] {
    const errors: string[] = [];
    if (!isObject(event)) return ['$: an event is a JSON object'];
    const classUid = typeof event.class_uid === 'number' ? event.class_uid : NaN;
    const cls = this.classesByUid.get(classUid);
    if (!cls) return [`class_uid: ${JSON.stringify(event.class_uid)} is not a class of this schema (${[...this.classesByUid.keys()].join(', ')})`];
    const metadata = isObject(event.metadata) ? event.metadata : {};
    const profiles = new Set(Array.isArray(metadata.profiles) ? metadata.profiles.filter((p): p is string => typeof p === 'string') : []);
    const context: Context = { errors, profiles, allowDeprecated: options.allowDeprecated === true, depth: 0 };
    this.checkObject(event, cls.resolved, '', context);
    // Classification (class_uid, category_uid and their names are checked as enums above).
    const activityId = event.activity_id;
    if (typeof activityId === 'number') {
      if (event.type_uid !== classUid * 100 + activityId) errors.push(`type_uid: ${JSON.stringify(event.type_uid)}, expected class_uid * 100 + activity_id = ${classUid * 100 + activityId}`);
      const activity = cls.resolved.attributes.activity_id?.enum?.[String(activityId)]?.caption;
      if (event.type_name !== undefined && activity !== undefined && activityId !== 99 && event.type_name !== `${cls.resolved.caption}: ${activity}`) {
        errors.push(`type_name: ${JSON.stringify(event.type_name)}, expected ${JSON.stringify(`${cls.resolved.caption}: ${activity}`)}`);
      }
    }
    if (metadata.version !== undefined && metadata.version !== this.version) errors.push(`metadata.version: ${JSON.stringify(metadata.version)}, this schema is ${this.version}`);
    for (const profile of profiles) {
      if (!this.exists(`profiles/${profile}.json`)) errors.push(`metadata.profiles: ${JSON.stringify(profile)} is not a profile of this schema`);
    }
    return errors;
  }

  private checkObject(value: Record<string, unknown>, def: Resolved, at: string, context: Context): void {
    if (++context.depth > 64) throw new Error(`${at}: nested too deep`);
    for (const [name, attr] of Object.entries(def.attributes)) {
      const present = value[name] !== undefined && value[name] !== null;
      const bound = typeof attr.profile === 'string' && !context.profiles.has(attr.profile);
      if (attr.requirement === 'required' && !present && !bound) context.errors.push(`${join(at, name)}: required attribute missing (${def.name})`);
    }
    for (const [name, item] of Object.entries(value)) {
      const where = join(at, name);
      const attr = def.attributes[name];
      if (!attr) {
        context.errors.push(`${where}: not an attribute of ${def.name}`);
        continue;
      }
      if (typeof attr.profile === 'string' && !context.profiles.has(attr.profile)) {
        context.errors.push(`${where}: belongs to the ${attr.profile} profile, which metadata.profiles does not list`);
      }
      if (attr['@deprecated'] !== undefined && !context.allowDeprecated) context.errors.push(`${where}: deprecated`);
      if (item === null) continue;
      if (attr.is_array) {
        if (!Array.isArray(item)) {
          context.errors.push(`${where}: expected an array`);
          continue;
        }
        item.forEach((element, i) => this.checkValue(element, attr, `${where}[${i}]`, context));
      } else {
        this.checkValue(item, attr, where, context);
      }
      if (attr.enum && !attr.is_array) this.checkEnum(value, name, attr, where, context);
    }
    for (const [kind, names] of Object.entries(def.constraints)) {
      const count = names.filter((n) => value[n] !== undefined && value[n] !== null).length;
      if (kind === 'at_least_one' && count < 1) context.errors.push(`${at || '$'}: needs at least one of ${names.join(', ')} (${def.name})`);
      else if (kind === 'just_one' && count !== 1) context.errors.push(`${at || '$'}: needs exactly one of ${names.join(', ')} (${def.name})`);
      else if (kind !== 'at_least_one' && kind !== 'just_one') throw new Error(`${def.name}: constraint ${kind} not supported by this validator`);
    }
    context.depth--;
  }

  private checkEnum(value: Record<string, unknown>, name: string, attr: Attribute, where: string, context: Context): void {
    const item = value[name];
    const entry = attr.enum![String(item)];
    if (!entry) {
      context.errors.push(`${where}: ${JSON.stringify(item)} is not one of ${Object.keys(attr.enum!).join(', ')}`);
      return;
    }
    if (entry['@deprecated'] !== undefined && !context.allowDeprecated) context.errors.push(`${where}: value ${JSON.stringify(item)} is deprecated`);
    const sibling = attr.sibling;
    if (sibling && value[sibling] !== undefined && String(item) !== '99' && value[sibling] !== entry.caption) {
      context.errors.push(`${join(where.slice(0, where.length - name.length).replace(/\.$/, ''), sibling)}: ${JSON.stringify(value[sibling])} does not match ${name} ${JSON.stringify(item)} (${JSON.stringify(entry.caption)})`);
    }
  }

  private checkValue(item: unknown, attr: Attribute, where: string, context: Context): void {
    const type = attr.type;
    if (!type) throw new Error(`${where}: attribute without a type`);
    if (type === 'object') {
      // The generic object (unmapped, and the like): any JSON object.
      if (!isObject(item)) context.errors.push(`${where}: expected an object`);
      return;
    }
    if (type.endsWith('_t')) {
      this.checkScalar(item, type, where, context);
      return;
    }
    if (!isObject(item)) {
      context.errors.push(`${where}: expected a ${type} object`);
      return;
    }
    this.checkObject(item, this.resolveObject(type), where, context);
  }

  private checkScalar(item: unknown, type: string, where: string, context: Context): void {
    const def = this.types[type];
    if (!def) throw new Error(`${where}: unknown type ${type}`);
    const base = typeof def.type === 'string' ? def.type : type;
    if (base !== type) this.checkScalar(item, base, where, context);
    switch (type) {
      case 'string_t':
        if (typeof item !== 'string') context.errors.push(`${where}: expected a string`);
        break;
      case 'integer_t':
      case 'long_t':
        if (typeof item !== 'number' || !Number.isInteger(item)) context.errors.push(`${where}: expected an integer`);
        else if (type === 'integer_t' && (item < -(2 ** 31) || item >= 2 ** 31)) context.errors.push(`${where}: out of the 32-bit integer range`);
        break;
      case 'float_t':
        if (typeof item !== 'number') context.errors.push(`${where}: expected a number`);
        break;
      case 'boolean_t':
        if (typeof item !== 'boolean') context.errors.push(`${where}: expected a boolean`);
        break;
      case 'json_t':
        break;
      default:
        break;
    }
    if (typeof def.regex === 'string' && typeof item === 'string' && !new RegExp(def.regex).test(item)) context.errors.push(`${where}: ${JSON.stringify(item)} does not match ${type}`);
    if (typeof def.max_len === 'number' && typeof item === 'string' && item.length > def.max_len) context.errors.push(`${where}: longer than ${def.max_len}`);
    if (Array.isArray(def.range) && typeof item === 'number' && (item < (def.range[0] as number) || item > (def.range[1] as number))) context.errors.push(`${where}: out of range ${JSON.stringify(def.range)}`);
    if (Array.isArray(def.values) && !def.values.includes(item as Json)) context.errors.push(`${where}: not one of ${JSON.stringify(def.values)}`);
  }

  /** A key of an event definition, or of the nearest class it extends that has it. */
  private inherited(name: string, key: string): Json | undefined {
    for (let at: string | undefined = name, hops = 0; at !== undefined && hops < 16; hops++) {
      const def = this.json(this.eventFiles.get(at)!) as Definition;
      if (def[key] !== undefined) return def[key];
      at = typeof def.extends === 'string' ? def.extends : undefined;
    }
    return undefined;
  }

  private resolveEvent(name: string): Resolved {
    const file = this.eventFiles.get(name);
    if (!file) throw new Error(`event class ${name} is not vendored`);
    const def = this.json(file) as Definition;
    const parent = typeof def.extends === 'string' ? this.resolveEvent(def.extends) : undefined;
    return this.resolve(def, parent);
  }

  private resolveObject(name: string): Resolved {
    const cached = this.resolvedObjects.get(name);
    if (cached) return cached;
    const file = `objects/${name}.json`;
    if (!this.exists(file)) throw new Error(`object ${name} is not vendored (${file}): vendor it to validate events that use it`);
    const def = this.json(file) as Definition;
    const parent = typeof def.extends === 'string' ? this.resolveObject(def.extends) : undefined;
    const resolved = this.resolve(def, parent);
    this.resolvedObjects.set(name, resolved);
    return resolved;
  }

  private resolve(def: Definition, parent: Resolved | undefined): Resolved {
    const own = (def.attributes ?? {}) as Record<string, Json>;
    // Included profiles first, then the definition's own attributes over them.
    const layered: Record<string, Definition> = {};
    const includes = Array.isArray(own.$include) ? (own.$include as string[]) : [];
    for (const include of includes) {
      const profile = this.json(include) as Definition;
      const profileName = profile.meta === 'profile' ? String(profile.name) : undefined;
      for (const [name, attr] of Object.entries(profile.attributes as Record<string, Definition>)) {
        layered[name] = { ...(profileName ? { profile: profileName } : {}), ...attr };
      }
    }
    for (const [name, attr] of Object.entries(own)) {
      if (name === '$include') continue;
      layered[name] = deepMerge(layered[name] ?? {}, attr as Definition) as Definition;
    }
    const attributes: Record<string, Attribute> = { ...(parent?.attributes ?? {}) };
    for (const [name, attr] of Object.entries(layered)) {
      const dictionary = this.dictionary[name];
      if (!dictionary) throw new Error(`${String(def.name)}.${name}: not in the dictionary`);
      const base = (parent?.attributes[name] as Definition | undefined) ?? dictionary;
      attributes[name] = deepMerge(base, attr) as Attribute;
    }
    const constraints = { ...(parent?.constraints ?? {}), ...((def.constraints ?? {}) as Record<string, string[]>) };
    return { name: String(def.name), caption: String(def.caption), attributes, constraints };
  }

  private json(file: string): Json {
    return JSON.parse(readFileSync(path.join(this.dir, file), 'utf8')) as Json;
  }

  private exists(file: string): boolean {
    try {
      return statSync(path.join(this.dir, file)).isFile();
    } catch {
      return false;
    }
  }
}

interface Context {
  errors: string[];
  profiles: Set<string>;
  allowDeprecated: boolean;
  depth: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(at: string, name: string): string {
  return at ? `${at}.${name}` : name;
}

/** `b` over `a`, objects merged key by key (enums keep both sides' values); anything else replaced. */
function deepMerge(a: Json, b: Json): Json {
  if (!isObject(a) || !isObject(b)) return b;
  const out: Record<string, Json> = { ...(a as Record<string, Json>) };
  for (const [key, value] of Object.entries(b as Record<string, Json>)) out[key] = key in out ? deepMerge(out[key]!, value) : value;
  return out;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.json')) yield full;
  }
}
