/**
 * Validates OCSF events against OCSF's own schema sources: a checkout of
 * https://github.com/ocsf/ocsf-schema at a release tag (`dictionary.json`, `categories.json`,
 * `version.json`, `events/`, `objects/`, `profiles/`). Written for aigis's tests from the layout of
 * those files; none of them is in this repository (test/schemas/README.md says why), so the test
 * that uses this runs only where such a checkout is named (AIGIS_OCSF_SCHEMA_DIR).
 *
 * A class or object is resolved as the schema describes it: its `extends` chain (parent first),
 * `$include`d profiles (their attributes count only when the event lists the profile in
 * `metadata.profiles`), and each attribute's dictionary entry with the class's or object's own
 * settings over it (requirement, enum values, deprecation). Checked: every attribute is defined where
 * it appears, required attributes are present, values have their data type (the base type chain of
 * `types`, with max_len, range and regex), `*_id` values are in their enum and their sibling
 * caption matches (but for 99 Other), `at_least_one`/`just_one` constraints, no deprecated attribute
 * or object, the class, category and type uids, and `metadata.version`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

type Json = unknown;
type EnumValues = Record<string, { caption?: string }>;

interface SourceAttribute {
  requirement?: string;
  enum?: EnumValues;
  type?: string;
  is_array?: boolean;
  sibling?: string;
  '@deprecated'?: unknown;
}

interface SourceDefinition {
  name: string;
  uid?: number;
  caption?: string;
  extends?: string;
  category?: string;
  profiles?: string[];
  attributes: Record<string, SourceAttribute | string[]>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
  '@deprecated'?: unknown;
}

interface ResolvedAttribute {
  requirement?: string;
  enum?: EnumValues;
  type: string;
  isArray: boolean;
  sibling?: string;
  deprecated: boolean;
  /** The profile that adds it, or undefined for the class's or object's own attributes. */
  profile?: string;
}

interface Resolved {
  name: string;
  attributes: Map<string, ResolvedAttribute>;
  constraints: { at_least_one?: string[]; just_one?: string[] };
  deprecated: boolean;
  /** Profiles a class supports (its chain's `profiles`); empty for objects. */
  profiles: Set<string>;
}

interface TypeDefinition {
  type?: string;
  max_len?: number;
  range?: [number, number];
  regex?: string;
}

export interface OcsfSources {
  version: string;
  /** Problems of one event, each `path: what is wrong`; empty when it is valid. */
  validate(event: Json): string[];
}

export function loadOcsfSources(dir: string): OcsfSources {
  const read = (file: string): Json => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const version = (read('version.json') as { version: string }).version;
  const dictionary = read('dictionary.json') as { attributes: Record<string, SourceAttribute>; types: { attributes: Record<string, TypeDefinition> } };
  const categories = (read('categories.json') as { attributes: Record<string, { uid: number; caption: string }> }).attributes;
  const classes = new Map<string, SourceDefinition>();
  for (const file of jsonFiles(path.join(dir, 'events'))) {
    const definition = JSON.parse(readFileSync(file, 'utf8')) as SourceDefinition;
    classes.set(definition.name, definition);
  }
  const objects = new Map<string, SourceDefinition>();
  for (const file of jsonFiles(path.join(dir, 'objects'))) {
    const definition = JSON.parse(readFileSync(file, 'utf8')) as SourceDefinition;
    objects.set(definition.name, definition);
  }
  const includeCache = new Map<string, SourceDefinition>();
  const include = (file: string): SourceDefinition => {
    let definition = includeCache.get(file);
    if (!definition) includeCache.set(file, (definition = read(file) as SourceDefinition));
    return definition;
  };

  const resolvedCache = new Map<string, Resolved>();
  const resolve = (table: Map<string, SourceDefinition>, name: string): Resolved => {
    const key = `${table === classes ? 'class' : 'object'}:${name}`;
    const cached = resolvedCache.get(key);
    if (cached) return cached;
    const definition = table.get(name);
    if (!definition) throw new Error(`OCSF sources: no ${table === classes ? 'class' : 'object'} ${name}`);
    const parent = definition.extends ? resolve(table, definition.extends) : undefined;
    // Settings as the chain states them, parent first; the dictionary entry goes under them at the end.
    const local = new Map<string, { settings: SourceAttribute; profile?: string }>();
    for (const [attribute, entry] of parent ? parent.attributes : []) local.set(attribute, { settings: attributeSettings(entry), ...(entry.profile ? { profile: entry.profile } : {}) });
    for (const [attribute, entry] of Object.entries(definition.attributes)) {
      if (attribute === '$include') {
        for (const file of entry as string[]) {
          const included = include(file);
          const profile = (included as { meta?: string }).meta === 'profile' ? included.name : undefined;
          for (const [name, settings] of Object.entries(included.attributes)) {
            if (name === '$include') continue;
            const before = local.get(name);
            local.set(name, { settings: merge(before?.settings, settings as SourceAttribute), ...(profile && !before ? { profile } : before?.profile ? { profile: before.profile } : {}) });
          }
        }
        continue;
      }
      const before = local.get(attribute);
      // An attribute the definition states itself is its own, even when a profile also adds it.
      local.set(attribute, { settings: merge(before?.settings, entry as SourceAttribute) });
    }
    const attributes = new Map<string, ResolvedAttribute>();
    for (const [attribute, { settings, profile }] of local) {
      const full = merge(dictionary.attributes[attribute], settings);
      if (!full.type) throw new Error(`OCSF sources: attribute ${attribute} of ${name} has no type`);
      attributes.set(attribute, {
        type: full.type,
        isArray: full.is_array === true,
        deprecated: full['@deprecated'] !== undefined,
        ...(full.requirement ? { requirement: full.requirement } : {}),
        ...(full.enum ? { enum: full.enum } : {}),
        ...(full.sibling ? { sibling: full.sibling } : {}),
        ...(profile ? { profile } : {}),
      });
    }
    const resolved: Resolved = {
      name,
      attributes,
      constraints: definition.constraints ?? parent?.constraints ?? {},
      deprecated: definition['@deprecated'] !== undefined,
      profiles: new Set([...(parent?.profiles ?? []), ...(definition.profiles ?? [])]),
    };
    resolvedCache.set(key, resolved);
    return resolved;
  };

  const classByUid = new Map<number, { definition: SourceDefinition; categoryUid: number; categoryCaption: string }>();
  for (const definition of classes.values()) {
    const category = categoryOf(classes, definition);
    if (definition.uid === undefined || !category || !categories[category]) continue;
    const categoryUid = categories[category].uid;
    classByUid.set(categoryUid * 1000 + definition.uid, { definition, categoryUid, categoryCaption: categories[category].caption });
  }

  const checkType = (value: Json, type: string, where: string, problems: string[]): void => {
    let base = type;
    const limits: TypeDefinition[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const definition = dictionary.types.attributes[base];
      if (!definition) throw new Error(`OCSF sources: unknown data type ${base}`);
      limits.push(definition);
      if (!definition.type) break;
      base = definition.type;
    }
    switch (base) {
      case 'string_t':
        if (typeof value !== 'string') return void problems.push(`${where}: expected a string (${type})`);
        for (const limit of limits) {
          if (limit.max_len !== undefined && value.length > limit.max_len) problems.push(`${where}: longer than ${limit.max_len} (${type})`);
          if (limit.regex !== undefined && !new RegExp(limit.regex).test(value)) problems.push(`${where}: does not match ${type}`);
        }
        return;
      case 'integer_t':
      case 'long_t':
        if (typeof value !== 'number' || !Number.isInteger(value)) return void problems.push(`${where}: expected an integer (${type})`);
        for (const limit of limits) if (limit.range && (value < limit.range[0] || value > limit.range[1])) problems.push(`${where}: out of range (${type})`);
        return;
      case 'float_t':
        if (typeof value !== 'number') problems.push(`${where}: expected a number (${type})`);
        return;
      case 'boolean_t':
        if (typeof value !== 'boolean') problems.push(`${where}: expected true or false (${type})`);
        return;
      case 'json_t':
        return;
      default:
        throw new Error(`OCSF sources: data type ${type} has base ${base}, which this validator does not know`);
    }
  };

  const checkValue = (value: Json, attribute: ResolvedAttribute, where: string, profiles: ReadonlySet<string>, problems: string[]): void => {
    if (attribute.isArray) {
      if (!Array.isArray(value)) return void problems.push(`${where}: expected an array`);
      value.forEach((item, i) => checkValue(item, { ...attribute, isArray: false }, `${where}[${i}]`, profiles, problems));
      return;
    }
    if (attribute.type.endsWith('_t')) {
      checkType(value, attribute.type, where, problems);
      // The uids of classes and categories are enumerated by the classes themselves (checked in validate).
      if (/^\$\.(class_uid|category_uid|type_uid)$/.test(where)) return;
      if (attribute.enum && !Object.hasOwn(attribute.enum, String(value))) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${Object.keys(attribute.enum).join(', ')}`);
      return;
    }
    // `object` is OCSF's open object (unmapped data): any JSON object.
    if (attribute.type === 'object') {
      if (!isPlainObject(value)) problems.push(`${where}: expected an object`);
      return;
    }
    checkObject(value, resolve(objects, attribute.type), where, profiles, problems);
  };

  const checkObject = (value: Json, definition: Resolved, where: string, profiles: ReadonlySet<string>, problems: string[]): void => {
    if (!isPlainObject(value)) return void problems.push(`${where}: expected an object (${definition.name})`);
    if (definition.deprecated) problems.push(`${where}: ${definition.name} is deprecated`);
    for (const [name, item] of Object.entries(value)) {
      const attribute = definition.attributes.get(name);
      const at = `${where}.${name}`;
      if (!attribute) {
        problems.push(`${at}: not an attribute of ${definition.name}`);
        continue;
      }
      if (attribute.profile && !profiles.has(attribute.profile)) problems.push(`${at}: belongs to the ${attribute.profile} profile, which metadata.profiles does not list`);
      if (attribute.deprecated) problems.push(`${at}: deprecated`);
      checkValue(item, attribute, at, profiles, problems);
      if (attribute.enum && attribute.sibling && value[attribute.sibling] !== undefined && item !== 99 && !/^\$\.(class_uid|category_uid)$/.test(at)) {
        const caption = attribute.enum[String(item)]?.caption;
        if (caption !== undefined && value[attribute.sibling] !== caption) problems.push(`${where}.${attribute.sibling}: ${JSON.stringify(value[attribute.sibling])} is not the caption of ${name} ${String(item)} (${caption})`);
      }
    }
    for (const [name, attribute] of definition.attributes) {
      if (attribute.requirement !== 'required' || (attribute.profile && !profiles.has(attribute.profile))) continue;
      if (value[name] === undefined || value[name] === null) problems.push(`${where}.${name}: required by ${definition.name}, missing`);
    }
    const present = (names: string[]) => names.filter((n) => value[n] !== undefined && value[n] !== null).length;
    const { at_least_one: atLeastOne, just_one: justOne } = definition.constraints;
    if (atLeastOne && present(atLeastOne) === 0) problems.push(`${where}: ${definition.name} needs at least one of ${atLeastOne.join(', ')}`);
    if (justOne && present(justOne) !== 1) problems.push(`${where}: ${definition.name} needs exactly one of ${justOne.join(', ')}`);
  };

  return {
    version,
    validate(event: Json): string[] {
      const problems: string[] = [];
      if (!isPlainObject(event)) return ['$: expected an object'];
      const found = typeof event.class_uid === 'number' ? classByUid.get(event.class_uid) : undefined;
      if (!found) return [`$.class_uid: ${JSON.stringify(event.class_uid)} is not a class of OCSF ${version}`];
      const resolved = resolve(classes, found.definition.name);
      if (event.category_uid !== found.categoryUid) problems.push(`$.category_uid: expected ${found.categoryUid}`);
      if (event.category_name !== undefined && event.category_name !== found.categoryCaption) problems.push(`$.category_name: expected ${JSON.stringify(found.categoryCaption)}`);
      if (event.class_name !== undefined && event.class_name !== found.definition.caption) problems.push(`$.class_name: expected ${JSON.stringify(found.definition.caption)}`);
      if (typeof event.activity_id === 'number' && event.type_uid !== (event.class_uid as number) * 100 + event.activity_id) problems.push('$.type_uid: expected class_uid * 100 + activity_id');
      const activity = resolved.attributes.get('activity_id')?.enum?.[String(event.activity_id)]?.caption;
      if (event.type_name !== undefined && activity !== undefined && event.activity_id !== 99 && event.type_name !== `${found.definition.caption}: ${activity}`) {
        problems.push(`$.type_name: expected ${JSON.stringify(`${found.definition.caption}: ${activity}`)}`);
      }
      const metadata = isPlainObject(event.metadata) ? event.metadata : {};
      if (metadata.version !== version) problems.push(`$.metadata.version: ${JSON.stringify(metadata.version)}, the sources are ${version}`);
      const listed = Array.isArray(metadata.profiles) ? metadata.profiles.filter((p): p is string => typeof p === 'string') : [];
      for (const profile of listed) if (!resolved.profiles.has(profile)) problems.push(`$.metadata.profiles: ${found.definition.name} does not support the ${profile} profile`);
      checkObject(event, resolved, '$', new Set(listed), problems);
      return problems;
    },
  };
}

/** A class's category: its own, else its parent's (finding's is findings). */
function categoryOf(classes: Map<string, SourceDefinition>, definition: SourceDefinition): string | undefined {
  for (let current: SourceDefinition | undefined = definition, guard = 0; current && guard < 20; guard++) {
    if (current.category) return current.category;
    current = current.extends ? classes.get(current.extends) : undefined;
  }
  return undefined;
}

function attributeSettings(entry: ResolvedAttribute): SourceAttribute {
  return {
    type: entry.type,
    ...(entry.isArray ? { is_array: true } : {}),
    ...(entry.requirement ? { requirement: entry.requirement } : {}),
    ...(entry.enum ? { enum: entry.enum } : {}),
    ...(entry.sibling ? { sibling: entry.sibling } : {}),
    ...(entry.deprecated ? { '@deprecated': true } : {}),
  };
}

/** `over`'s settings on top of `base`'s; enum values are merged, the later caption winning. */
function merge(base: SourceAttribute | undefined, over: SourceAttribute): SourceAttribute {
  const merged: SourceAttribute = { ...base, ...over };
  if (base?.enum || over.enum) merged.enum = { ...base?.enum, ...over.enum };
  return merged;
}

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...jsonFiles(full));
    else if (name.endsWith('.json')) files.push(full);
  }
  return files;
}
