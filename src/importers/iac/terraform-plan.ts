/**
 * Terraform plan JSON (`terraform show -json <planfile>`) -> inventory.
 *
 * Resources come from `planned_values` (root and child modules, recursively): the state the plan
 * will produce. `resource_changes[].change.after_unknown` says which attributes are only known
 * after apply; for those we follow the `configuration` expression references (e.g.
 * `aws_kms_key.data.arn`) to a resource of the same plan and use that resource's (synthesized)
 * identity, else the inventory field stays absent (unknown) and the property is listed in
 * `unresolved`. The split S3 resources of provider v4+ are joined to their bucket by bucket name,
 * or by the reference when the name is unknown until apply.
 *
 * Property paths in `source.properties` / `unresolved` use the CloudFormation property names
 * (`BucketEncryption`, `PublicAccessBlockConfiguration`, `DirectInternetAccess`...) so one rule's
 * `property` works for both; the location is the .tf line of the attribute or split resource.
 *
 * Plan formats: every `format_version` Terraform has written since 0.12 (0.1: Terraform
 * 0.12.0-1.0.0; 0.2: 1.0.1-1.0.11; 1.0: 1.1; 1.1: 1.2-1.4; 1.2: 1.5 and later) and any later 1.x
 * (minor versions only add fields). What aigis reads exists in all of them; what differs is
 * handled here: 0.1 lists a reference by its resource only (`aws_kms_key.k`, not
 * `aws_kms_key.k.arn`), later formats list the full traversal first; `sensitive_values`,
 * `relevant_attributes`, `checks`, `timestamp`, `importing`, `full_name` of providers... are newer
 * and not needed. A major version above 1 is refused (Terraform's own compatibility rule).
 *
 * Names: a resource whose name is known only after apply (or never set) gets a synthesized
 * physical name unique to the plan (`options.sourceId`) and its full address, as Terraform makes
 * one unique per state: `terraform-<address>-<hash>`, or `<name_prefix><hash>`, within the
 * service's naming rules. The same plan always yields the same names.
 *
 * A plan comes from a pull request: its shape is checked before anything is read (a wrong type is
 * an InputError naming the JSON path), module nesting and value nesting are limited
 * (TERRAFORM_PLAN_LIMITS) and reference following is bounded and cycle-safe.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import type { InventoryInput, SourceLocation } from '../../inventory/schema.js';
import { normalizePolicyInput } from '../../policy/document.js';
import { addAwsManagedKeys } from './aws-managed-keys.js';
import { InventoryDraft, compact, type BucketDraft, type GroupDraft, type KeyDraft, type RoleDraft, type UserDraft } from './draft.js';
import type { IacImportOptions } from './options.js';
import { UNKNOWN, known, type Read } from './props.js';
import { DEFAULT_REGION, PLACEHOLDER_ACCOUNT_ID, S3_NEW_BUCKET_DEFAULT_BLOCK, defaultKeyPolicy, iamPath, partitionForRegion, syntheticAlnumId, syntheticHexId, syntheticUuid } from './synth.js';
import { TfLocator, type TfBlockLocation } from './tf-locate.js';

type Json = Record<string, unknown>;
type JsonPath = (string | number)[];

export interface TerraformImportOptions extends IacImportOptions {
  /** Directory of the root module's .tf files; default: the plan file's directory. */
  terraformDir?: string;
}

/**
 * Input limits of the Terraform plan importer (a plan comes from a pull request). Each is far
 * above what Terraform produces; a plan over a nesting limit is an input error naming the JSON
 * path, and reference following past its budget leaves the value unknown (never a guess).
 */
export const TERRAFORM_PLAN_LIMITS = {
  /** Levels of nested modules: planned_values `child_modules`, configuration `module_calls`. */
  moduleDepth: 100,
  /** Nesting of one value: a resource's `values`, a change's `after_unknown`, configuration `expressions`. */
  valueDepth: 100,
  /** Reference hops followed for one attribute (var -> module argument -> output -> resource), cycles cut. */
  referenceSteps: 256,
  /** Longest reference string followed (Terraform's are a few dozen characters). */
  referenceLength: 1024,
} as const;

/** Plan format versions: digits and dots (`"1.2"`), checked before the major version is read. */
const FORMAT_VERSION = /^\d{1,9}(?:\.\d{1,9}){0,3}$/;

interface ConfigModule {
  resources: Json[];
  /** Configuration resources by `type.name` (managed mode). */
  byTypeName: Map<string, Json>;
  moduleCalls: Json;
  outputs: Json;
  /** The module call's argument expressions (what `var.x` is inside the module). */
  inputs: Json;
  parent?: ConfigModule;
  /** Module address of the instance this config was reached from ('' for the root). */
  address: string;
  /** Directory of the module's .tf files when its source is local. */
  directory?: string;
  /** Child configurations already built, by module call name. */
  children: Map<string, ConfigModule | undefined>;
}

interface TfResource {
  address: string;
  /** `module.a.module.b` (with instance keys), '' for the root module. */
  moduleAddress: string;
  type: string;
  name: string;
  index?: string | number;
  /** Where the resource is in the plan JSON (`planned_values.root_module...resources[i]`). */
  jsonPath: JsonPath;
  values: Json;
  afterUnknown: unknown;
  config?: Json;
  configModule?: ConfigModule;
  block?: TfBlockLocation;
  identity: { name: string; arn: string; attributes: Record<string, string> };
  nameUnknown: boolean;
}

export function importTerraformPlan(text: string, file: string, options: TerraformImportOptions = {}): InventoryInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, [], `is not valid JSON: ${(error as Error).message}`);
  }
  return importTerraformPlanData(data, file, options);
}

export function importTerraformPlanData(data: unknown, file: string, options: TerraformImportOptions = {}): InventoryInput {
  if (!isObject(data)) throw new InputError(file, [], 'is not a Terraform plan (not a JSON object)');
  new PlanShape(file).check(data);
  return new TerraformPlanImport(data, file, options).run();
}

// ------------------------------------------------------------ shape

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value for a message: strings quoted and cut to a readable length, containers by kind. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Checks the structure of the sections the importer reads, so that everything after it can rely
 * on it: a wrong type is an InputError naming the JSON path. Absent (or null) optional sections
 * are fine. Nesting is limited (TERRAFORM_PLAN_LIMITS) so no later walk can exhaust the stack.
 */
class PlanShape {
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

// ------------------------------------------------------------ addresses

/**
 * Splits a module address (`module.a["k.x"].module.b[0]`) into its calls, by a linear scan (keys
 * may hold dots and brackets inside quotes; no pattern runs over the address). Undefined when it
 * is not a module address.
 */
function moduleSegments(address: string): { name: string; start: number }[] | undefined {
  const out: { name: string; start: number }[] = [];
  let i = 0;
  if (address === '') return out;
  for (;;) {
    const start = i;
    if (!address.startsWith('module.', i)) return undefined;
    i += 'module.'.length;
    const nameStart = i;
    while (i < address.length && isNameChar(address.charCodeAt(i))) i++;
    if (i === nameStart) return undefined;
    out.push({ name: address.slice(nameStart, i), start });
    if (address[i] === '[') {
      i++;
      if (address[i] === '"') {
        i++;
        while (i < address.length && address[i] !== '"') i += address[i] === '\\' ? 2 : 1;
        i++;
      } else {
        while (i < address.length && address[i] !== ']') i++;
      }
      if (address[i] !== ']') return undefined;
      i++;
    }
    if (i === address.length) return out;
    if (address[i] !== '.') return undefined;
    i++;
  }
}

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

/** `module.a.module.b[0]` -> `module.a`; `module.a` -> ''; undefined when not a module address. */
function parentModuleAddress(address: string): string | undefined {
  const segments = moduleSegments(address);
  const last = segments?.[segments.length - 1];
  if (!segments || !last) return undefined;
  return last.start === 0 ? '' : address.slice(0, last.start - 1);
}

function shortHash(seed: string, length = 12): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

// ------------------------------------------------------------ import

class TerraformPlanImport {
  private readonly resources: TfResource[] = [];
  private readonly byAddress = new Map<string, TfResource>();
  /** Addresses the plan creates (their resources get the AWS defaults for new resources). */
  private readonly created = new Set<string>();
  /** Instances by resource address without instance key (`module.m.aws_x.y`). */
  private readonly byBase = new Map<string, TfResource[]>();
  private readonly draft = new InventoryDraft();
  private readonly locator = new TfLocator();
  private readonly region: string;
  private readonly accountId: string;
  private readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  private readonly rootDir: string;
  /** What makes this plan's synthesized names and ids its own (IacImportOptions.sourceId). */
  private readonly sourceId: string;
  private readonly bucketsByResource = new Map<TfResource, BucketDraft>();
  private readonly bucketsByName = new Map<string, BucketDraft>();
  private readonly keysByResource = new Map<TfResource, KeyDraft>();
  private readonly keysById = new Map<string, KeyDraft>();
  private readonly policiesByArn = new Map<string, { attachmentCount?: number }>();
  private readonly principalsByResource = new Map<TfResource, RoleDraft | UserDraft | GroupDraft>();
  /** `aws_iam_role\0name` and `aws_iam_role\0arn` -> the principals that have it. */
  private readonly principalsByName = new Map<string, TfResource[]>();

  constructor(
    private readonly plan: Json,
    private readonly file: string,
    options: TerraformImportOptions,
  ) {
    this.rootDir = options.terraformDir ?? path.dirname(file);
    this.region = options.region ?? providerRegion(plan) ?? DEFAULT_REGION;
    this.partition = partitionForRegion(this.region);
    this.accountId = options.accountId ?? PLACEHOLDER_ACCOUNT_ID;
    this.sourceId = options.sourceId ?? file;
  }

  run(): InventoryInput {
    const planned = (this.plan.planned_values as Json | undefined)?.root_module as Json | undefined;
    const afterUnknown = new Map<string, unknown>();
    for (const change of (this.plan.resource_changes ?? []) as Json[]) {
      // A deposed object (create_before_destroy) shares the address of the new one: its change is not the plan's.
      if (typeof change.deposed === 'string') continue;
      afterUnknown.set(change.address as string, (change.change as Json | undefined)?.after_unknown);
      const actions = (change.change as Json | undefined)?.actions;
      if (Array.isArray(actions) && actions.includes('create')) this.created.add(change.address as string);
    }
    // Without a configuration section the root module's .tf files are still beside the plan.
    const rootConfig = this.configModule((this.plan.configuration as Json | undefined)?.root_module ?? {}, this.rootDir);
    this.collect(planned ?? {}, ['planned_values', 'root_module'], '', rootConfig, afterUnknown);
    // Identities need every resource collected first (names may come from references).
    for (const resource of this.resources) this.computeIdentity(resource);
    for (const resource of this.resources) if (!resource.type.startsWith('aws_iam_')) this.draft.regions.add(this.regionOf(resource));
    if (!this.draft.regions.size) this.draft.regions.add(this.region);

    // Primary resources first, then the resources that attach settings to them.
    for (const resource of this.resources) this.mapPrimary(resource);
    for (const resource of this.resources) this.mapAttachment(resource);
    for (const [resource, principal] of this.principalsByResource) setNotes(principal, [...this.pendingNotes(resource)]);
    addAwsManagedKeys(this.draft, this.accountId, this.partition);
    return this.draft.toInventory({ accountId: this.accountId, partition: this.partition, kind: 'terraform', detail: this.file });
  }

  // ------------------------------------------------------------ collection

  private configModule(module: unknown, directory: string | undefined, extra: { inputs?: Json; parent?: ConfigModule; address?: string } = {}): ConfigModule | undefined {
    if (!isObject(module)) return undefined;
    const resources = Array.isArray(module.resources) ? (module.resources as Json[]) : [];
    const byTypeName = new Map<string, Json>();
    for (const r of resources) {
      const key = `${String(r.type)}.${String(r.name)}`;
      if (r.mode !== 'data' && !byTypeName.has(key)) byTypeName.set(key, r);
    }
    return {
      resources,
      byTypeName,
      moduleCalls: isObject(module.module_calls) ? module.module_calls : {},
      outputs: isObject(module.outputs) ? module.outputs : {},
      inputs: extra.inputs ?? {},
      parent: extra.parent,
      address: extra.address ?? '',
      directory,
      children: new Map(),
    };
  }

  /** The configuration of module call `callName` inside `parent`. */
  private childConfig(parent: ConfigModule | undefined, callName: string | undefined): ConfigModule | undefined {
    if (!parent || !callName) return undefined;
    if (parent.children.has(callName)) return parent.children.get(callName);
    const call = Object.hasOwn(parent.moduleCalls, callName) ? parent.moduleCalls[callName] : undefined;
    let child: ConfigModule | undefined;
    if (isObject(call)) {
      const source = typeof call.source === 'string' ? call.source : '';
      const directory =
        parent.directory !== undefined && (source.startsWith('./') || source.startsWith('../')) ? path.join(parent.directory, source) : undefined;
      const address = parent.address ? `${parent.address}.module.${callName}` : `module.${callName}`;
      child = this.configModule(call.module, directory, { inputs: isObject(call.expressions) ? call.expressions : {}, parent, address });
    }
    parent.children.set(callName, child);
    return child;
  }

  private collect(module: Json, jsonPath: JsonPath, moduleAddress: string, config: ConfigModule | undefined, afterUnknown: Map<string, unknown>): void {
    ((module.resources ?? []) as Json[]).forEach((r, i) => {
      if (r.mode === 'data') return;
      const type = r.type as string;
      const name = r.name as string;
      const address = r.address as string;
      const configResource = config?.byTypeName.get(`${type}.${name}`);
      const block = config?.directory !== undefined ? this.locator.find(config.directory, type, name) : undefined;
      const resource: TfResource = {
        address,
        moduleAddress,
        type,
        name,
        index: r.index === null ? undefined : (r.index as string | number | undefined),
        jsonPath: [...jsonPath, 'resources', i],
        values: isObject(r.values) ? r.values : {},
        afterUnknown: afterUnknown.get(address),
        config: configResource,
        configModule: config,
        block,
        identity: { name: '', arn: '', attributes: {} },
        nameUnknown: false,
      };
      this.resources.push(resource);
      this.byAddress.set(address, resource);
      const base = `${moduleAddress ? `${moduleAddress}.` : ''}${type}.${name}`;
      const instances = this.byBase.get(base);
      if (instances) instances.push(resource);
      else this.byBase.set(base, [resource]);
    });
    ((module.child_modules ?? []) as Json[]).forEach((c, i) => {
      const address = typeof c.address === 'string' ? c.address : moduleAddress;
      // The call this child module instance comes from: the last `module.NAME` of its address.
      const segments = moduleSegments(address);
      const callName = segments && segments.length ? segments[segments.length - 1]!.name : undefined;
      this.collect(c, [...jsonPath, 'child_modules', i], address, this.childConfig(config, callName), afterUnknown);
    });
  }

  // ------------------------------------------------------------ values

  private regionOf(resource: TfResource): string {
    // Provider v6 has a per-resource `region` argument.
    const own = resource.values.region;
    return typeof own === 'string' && own ? own : this.region;
  }

  /** Is the attribute at `attrPath` unknown until apply? */
  private isUnknown(resource: TfResource, attrPath: (string | number)[]): boolean {
    let current: unknown = resource.afterUnknown;
    for (const part of attrPath) {
      if (current === true) return true;
      if (typeof current !== 'object' || current === null) return false;
      current = (current as Record<string | number, unknown>)[part];
    }
    return current === true || (typeof current === 'object' && current !== null && containsTrue(current));
  }

  /** Did the configuration set this attribute or block at all? */
  private configured(resource: TfResource, attribute: string): boolean {
    const expressions = resource.config?.expressions as Json | undefined;
    return expressions !== undefined && expressions[attribute] !== undefined;
  }

  /** Expression of an attribute in the configuration (nested blocks are arrays of objects). */
  private expression(resource: TfResource, attrPath: (string | number)[]): Json | undefined {
    let current: unknown = resource.config?.expressions;
    for (const part of attrPath) {
      if (typeof current !== 'object' || current === null) return undefined;
      if (Array.isArray(current) && typeof part === 'number') current = current[part] ?? current[0];
      else current = (current as Record<string | number, unknown>)[part];
    }
    return typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Json) : undefined;
  }

  /** The plan resource and attribute an expression refers to, e.g. `aws_kms_key.data.arn`. */
  private referenceTarget(resource: TfResource, attrPath: (string | number)[]): { target: TfResource; attribute?: string } | undefined {
    const walk = { steps: 0, seen: new Set<string>() };
    return this.follow(this.expression(resource, attrPath)?.references, resource.moduleAddress, resource.configModule, resource, walk);
  }

  /**
   * Follows expression references to a resource of the plan: directly (`aws_kms_key.k.arn`), into
   * a module's output (`module.m.key_arn`) or out to the module call's argument (`var.key_arn`).
   * Bounded: each (module, reference) is visited once per walk (a var -> output -> var cycle ends)
   * and a walk takes at most TERRAFORM_PLAN_LIMITS.referenceSteps steps; past that it is unknown.
   */
  private follow(
    references: unknown,
    moduleAddress: string,
    config: ConfigModule | undefined,
    resource: TfResource,
    walk: { steps: number; seen: Set<string> },
  ): { target: TfResource; attribute?: string } | undefined {
    if (!Array.isArray(references)) return undefined;
    for (const reference of references) {
      if (typeof reference !== 'string' || reference.length > TERRAFORM_PLAN_LIMITS.referenceLength) continue;
      if (++walk.steps > TERRAFORM_PLAN_LIMITS.referenceSteps) return undefined;
      const key = `${moduleAddress}\u0000${reference}`;
      if (walk.seen.has(key)) continue;
      walk.seen.add(key);
      const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(reference);
      if (variable) {
        if (!config?.parent) continue;
        const input = own(config.inputs, variable[1]!);
        const parentAddress = parentModuleAddress(moduleAddress);
        if (parentAddress === undefined) continue;
        const found = this.follow(isObject(input) ? input.references : undefined, parentAddress, config.parent, resource, walk);
        if (found) return found;
        continue;
      }
      // `module.m.out`, `module.m[0].out`, `module.m["k"].out`: the output of a child module instance.
      const output = /^module\.([A-Za-z0-9_-]+)((?:\[[^\]]{0,256}\])?)\.([A-Za-z0-9_-]+)$/.exec(reference);
      if (output) {
        const childAddress = `${moduleAddress ? `${moduleAddress}.` : ''}module.${output[1]}${output[2]}`;
        const child = this.childConfig(config, output[1]);
        const expression = child ? own(child.outputs, output[3]!) : undefined;
        const found = this.follow(isObject(expression) && isObject(expression.expression) ? expression.expression.references : undefined, childAddress, child, resource, walk);
        if (found) return found;
        continue;
      }
      const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\[[^\]]{0,256}\])?)(?:\.([A-Za-z0-9_]+))?$/.exec(reference);
      if (!match || match[1] === 'var' || match[1] === 'local' || match[1] === 'module' || match[1] === 'data' || match[1] === 'each' || match[1] === 'count') continue;
      const base = `${moduleAddress ? `${moduleAddress}.` : ''}${match[1]}.${match[2]}`;
      let target = this.byAddress.get(`${base}${match[3]}`);
      if (!target && !match[3]) {
        const instances = this.byBase.get(base) ?? [];
        // Same index as the referring resource (count/for_each twins), else the only instance.
        target = instances.find((r) => r.index !== undefined && r.index === resource.index) ?? (instances.length === 1 ? instances[0] : undefined);
      }
      if (target) return { target, attribute: match[4] };
    }
    // data.aws_caller_identity / aws_region / aws_partition are known to us.
    return undefined;
  }

  private dataSourceValue(resource: TfResource, attrPath: (string | number)[]): string | undefined {
    const references = this.expression(resource, attrPath)?.references;
    if (!Array.isArray(references)) return undefined;
    for (const reference of references) {
      if (typeof reference !== 'string') continue;
      if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(reference)) return this.accountId;
      if (/^data\.aws_region\.[^.]+\.(name|region)$/.test(reference)) return this.regionOf(resource);
      if (/^data\.aws_partition\.[^.]+\.partition$/.test(reference)) return this.partition;
    }
    return undefined;
  }

  /**
   * Reads an attribute: known value, UNKNOWN (after apply only, and no reference we can follow:
   * `note` is recorded) or undefined (not set).
   */
  private read(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>, follow = true): Read<unknown> {
    let current: unknown = resource.values;
    for (const part of attrPath) {
      if (typeof current !== 'object' || current === null) {
        current = undefined;
        break;
      }
      current = (current as Record<string | number, unknown>)[part];
    }
    if (current !== undefined && current !== null && !this.isUnknown(resource, attrPath)) return current;
    if (!this.isUnknown(resource, attrPath)) return current === null ? undefined : current;
    // Unknown but not set in the configuration: a provider-computed default (e.g. a v5 bucket's
    // inline `policy`, a role's `managed_policy_arns`), which split resources may fill in later.
    if (resource.config && !this.configured(resource, String(attrPath[0]))) return undefined;
    // The plan does not say whether the expression IS the reference or only contains it
    // (jsonencode, interpolation), so references are followed only for id/ARN/name attributes.
    const followed = follow ? this.referenceTarget(resource, attrPath) : undefined;
    if (followed) {
      const value = own(followed.target.identity.attributes, followed.attribute ?? impliedAttribute(attrPath));
      if (typeof value === 'string') return value;
    }
    const fromData = follow ? this.dataSourceValue(resource, attrPath) : undefined;
    if (fromData !== undefined) return fromData;
    unresolved.add(note);
    return UNKNOWN;
  }

  private str(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>): Read<string> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined || v === UNKNOWN) return v;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  private bool(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>, fallback?: boolean): Read<boolean> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined) return fallback;
    if (v === UNKNOWN) return UNKNOWN;
    return v === true || v === 'true';
  }

  private strList(resource: TfResource, attrPath: (string | number)[], note: string, unresolved: Set<string>): Read<string[]> {
    const v = this.read(resource, attrPath, note, unresolved);
    if (v === undefined || v === UNKNOWN) return v;
    if (!Array.isArray(v)) return [String(v)];
    if (this.isUnknown(resource, attrPath)) {
      unresolved.add(note);
      return UNKNOWN;
    }
    return v.map(String);
  }

  /** First element of a nested block list (`rule[0]`), or undefined. */
  private block(resource: TfResource, name: string): Json | undefined {
    const list = resource.values[name];
    if (Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null) return list[0] as Json;
    if (typeof list === 'object' && list !== null && !Array.isArray(list)) return list as Json;
    return undefined;
  }

  /** A JSON policy string attribute; undefined when unknown (noted) or absent. */
  private policy(resource: TfResource, attribute: string, note: string, unresolved: Set<string>): Read<unknown> {
    const value = this.read(resource, [attribute], note, unresolved, false);
    if (value === undefined || value === UNKNOWN) return value;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    return this.checkedPolicy(value, [...resource.jsonPath, 'values', attribute]);
  }

  /** A policy document that IAM would read, else an input error at its place in the plan. */
  private checkedPolicy(value: unknown, at: JsonPath): unknown {
    const result = normalizePolicyInput(value);
    if (!result.ok) {
      const first = result.errors[0];
      throw new InputError(this.file, [...at, ...(first?.path ?? [])], first?.message ?? 'is not a valid policy document');
    }
    return value;
  }

  // ------------------------------------------------------------ identity

  /**
   * A physical name for a resource whose name is known only after apply, or never set: unique to
   * this plan and the resource's full address (two modules' `aws_iam_role.this`, or two plans'
   * `aws_iam_role.role`, are different roles), deterministic, and within the service's rules.
   * `name_prefix` / `bucket_prefix` are kept: the prefix plus a hash, as Terraform adds a suffix.
   */
  private synthesizedName(resource: TfResource, attribute: string): string {
    const rule = (Object.hasOwn(NAME_RULES, resource.type) ? NAME_RULES[resource.type] : undefined) ?? DEFAULT_NAME_RULE;
    const hash = shortHash(`${this.sourceId}\u0000${resource.address}`);
    const prefixAttribute = attribute === 'bucket' ? 'bucket_prefix' : `${attribute}_prefix`;
    const prefix = resource.values[prefixAttribute];
    if (typeof prefix === 'string' && prefix !== '' && !this.isUnknown(resource, [prefixAttribute])) {
      return `${prefix.slice(0, Math.max(0, rule.max - hash.length))}${hash}`;
    }
    const lead = `${rule.lead ?? ''}terraform-`;
    const room = rule.max - lead.length - hash.length - 1;
    // The end of the address names the resource (`aws_iam_role.this["x"]`); the start is its module path.
    const body = sanitizeName(resource.address.slice(-4 * rule.max), rule.charset);
    const kept = body.length > room ? body.slice(body.length - room).replace(/^[-_]/, '') : body;
    return `${lead}${kept ? `${kept}-` : ''}${hash}`;
  }

  private computeIdentity(resource: TfResource): void {
    const v = resource.values;
    const p = this.partition;
    const r = this.regionOf(resource);
    const a = this.accountId;
    // Synthesized ids (KMS key ids, guardrail ids...) are this plan's own too.
    const seed = `${this.sourceId}\u0000${resource.type}:${resource.address}`;
    const given = (attribute: string) => (typeof v[attribute] === 'string' && v[attribute] !== '' && !this.isUnknown(resource, [attribute]) ? (v[attribute] as string) : undefined);
    const nameOf = (attribute: string) => {
      const value = given(attribute);
      if (value !== undefined) return value;
      resource.nameUnknown = true;
      return this.synthesizedName(resource, attribute);
    };
    const set = (name: string, arn: string, attributes: Record<string, string>) => {
      resource.identity = { name, arn, attributes: { arn, ...attributes } };
    };
    switch (resource.type) {
      case 'aws_s3_bucket': {
        const name = nameOf('bucket');
        set(name, given('arn') ?? `arn:${p}:s3:::${name}`, { id: name, bucket: name });
        return;
      }
      case 'aws_kms_key': {
        const keyId = given('key_id') ?? syntheticUuid(seed);
        set(keyId, given('arn') ?? `arn:${p}:kms:${r}:${a}:key/${keyId}`, { id: keyId, key_id: keyId });
        return;
      }
      case 'aws_kms_alias': {
        const name = nameOf('name');
        set(name, given('arn') ?? `arn:${p}:kms:${r}:${a}:${name}`, { id: name, name });
        return;
      }
      case 'aws_iam_role':
      case 'aws_iam_user':
      case 'aws_iam_group': {
        const kind = resource.type.slice('aws_iam_'.length);
        const name = nameOf('name');
        set(name, given('arn') ?? `arn:${p}:iam::${a}:${kind}${iamPath(v.path)}${name}`, { id: name, name, unique_id: `${kind === 'role' ? 'AROA' : kind === 'user' ? 'AIDA' : 'AGPA'}${syntheticAlnumId(seed, 17)}` });
        return;
      }
      case 'aws_iam_policy': {
        const name = nameOf('name');
        const arn = given('arn') ?? `arn:${p}:iam::${a}:policy${iamPath(v.path)}${name}`;
        set(name, arn, { id: arn, name, policy_id: `ANPA${syntheticAlnumId(seed, 17)}` });
        return;
      }
      case 'aws_cloudtrail': {
        const name = nameOf('name');
        const arn = given('arn') ?? `arn:${p}:cloudtrail:${r}:${a}:trail/${name}`;
        set(name, arn, { id: name, name });
        return;
      }
      case 'aws_cloudwatch_log_group': {
        const name = nameOf('name');
        set(name, given('arn') ?? `arn:${p}:logs:${r}:${a}:log-group:${name}`, { id: name, name });
        return;
      }
      case 'aws_sagemaker_notebook_instance':
      case 'aws_sagemaker_model':
      case 'aws_sagemaker_endpoint_configuration': {
        const name = nameOf('name');
        const kind = { aws_sagemaker_notebook_instance: 'notebook-instance', aws_sagemaker_model: 'model', aws_sagemaker_endpoint_configuration: 'endpoint-config' }[resource.type]!;
        set(name, given('arn') ?? `arn:${p}:sagemaker:${r}:${a}:${kind}/${name.toLowerCase()}`, { id: name, name });
        return;
      }
      case 'aws_sagemaker_domain': {
        const name = nameOf('domain_name');
        const id = given('id') ?? syntheticHexId('d-', seed, 12);
        set(name, given('arn') ?? `arn:${p}:sagemaker:${r}:${a}:domain/${id}`, { id, domain_name: name });
        return;
      }
      case 'aws_bedrock_guardrail': {
        const name = nameOf('name');
        const id = given('guardrail_id') ?? syntheticAlnumId(seed, 12).toLowerCase();
        const arn = given('guardrail_arn') ?? `arn:${p}:bedrock:${r}:${a}:guardrail/${id}`;
        set(name, arn, { id: `${id},DRAFT`, guardrail_id: id, guardrail_arn: arn, version: 'DRAFT', name });
        return;
      }
      case 'aws_bedrockagent_agent': {
        const name = nameOf('agent_name');
        const id = given('agent_id') ?? syntheticAlnumId(seed, 10);
        const arn = given('agent_arn') ?? `arn:${p}:bedrock:${r}:${a}:agent/${id}`;
        set(name, arn, { id, agent_id: id, agent_arn: arn, agent_name: name });
        return;
      }
      case 'aws_bedrock_custom_model': {
        const name = nameOf('custom_model_name');
        const arn = given('custom_model_arn') ?? `arn:${p}:bedrock:${r}:${a}:custom-model/${name}`;
        set(name, arn, { id: arn, custom_model_arn: arn });
        return;
      }
      case 'aws_vpc_endpoint':
      case 'aws_vpc':
      case 'aws_subnet':
      case 'aws_security_group': {
        const prefix = { aws_vpc_endpoint: 'vpce-', aws_vpc: 'vpc-', aws_subnet: 'subnet-', aws_security_group: 'sg-' }[resource.type]!;
        const id = given('id') ?? syntheticHexId(prefix, seed);
        const kind = { aws_vpc_endpoint: 'vpc-endpoint', aws_vpc: 'vpc', aws_subnet: 'subnet', aws_security_group: 'security-group' }[resource.type]!;
        set(id, given('arn') ?? `arn:${p}:ec2:${r}:${a}:${kind}/${id}`, { id });
        return;
      }
      case 'aws_accessanalyzer_analyzer': {
        const name = nameOf('analyzer_name');
        set(name, given('arn') ?? `arn:${p}:access-analyzer:${r}:${a}:analyzer/${name}`, { id: name });
        return;
      }
      case 'aws_guardduty_detector': {
        const id = given('id') ?? syntheticHexId('', seed, 32);
        set(id, given('arn') ?? `arn:${p}:guardduty:${r}:${a}:detector/${id}`, { id });
        return;
      }
      case 'aws_sns_topic': {
        const name = nameOf('name');
        const arn = given('arn') ?? `arn:${p}:sns:${r}:${a}:${name}`;
        set(name, arn, { id: arn });
        return;
      }
      default: {
        const name = given('name') ?? resource.name;
        resource.identity = { name, arn: given('arn') ?? '', attributes: {} };
      }
    }
  }

  // ------------------------------------------------------------ mapping

  private sourceOf(resource: TfResource, properties: Record<string, string>): SourceLocation {
    const block = resource.block;
    if (!block) return { file: this.file, logicalId: resource.address };
    const props: Record<string, { line: number; column: number }> = {};
    for (const [attribute, key] of Object.entries(properties)) {
      const position = block.attributes.get(attribute);
      if (position) props[key] = position;
    }
    return compact({
      file: block.file,
      line: block.line,
      column: block.column,
      logicalId: resource.address,
      properties: Object.keys(props).length ? props : undefined,
    });
  }

  private notes(unresolved: Set<string>): string[] | undefined {
    return unresolved.size ? [...unresolved].sort() : undefined;
  }

  private mapPrimary(resource: TfResource): void {
    const u = new Set<string>();
    const r = resource;
    const id = r.identity;
    // IAM is global: the live collector records its resources in region `global`, and so do we.
    const region = r.type.startsWith('aws_iam_') ? 'global' : this.regionOf(r);
    const str = (attr: string | (string | number)[], note: string) => known(this.str(r, typeof attr === 'string' ? [attr] : attr, note, u));
    const bool = (attr: string | (string | number)[], note: string, fallback?: boolean) => known(this.bool(r, typeof attr === 'string' ? [attr] : attr, note, u, fallback));
    const nullableStr = (attr: string, note: string) => {
      const value = this.str(r, [attr], note, u);
      return value === UNKNOWN ? undefined : value === undefined || value === '' ? null : value;
    };
    const base = (properties: Record<string, string>) => compact({ arn: id.arn, region, source: this.sourceOf(r, properties), ...tagsOf(r.values) });
    const finish = <T extends object>(draft: T): T => {
      setNotes(draft, this.notes(u));
      return draft;
    };
    switch (r.type) {
      case 'aws_s3_bucket': {
        if (r.nameUnknown) u.add('BucketName');
        const sse = this.block(r, 'server_side_encryption_configuration');
        const versioningBlock = this.block(r, 'versioning');
        const loggingBlock = this.block(r, 'logging');
        const lock = this.block(r, 'object_lock_configuration');
        const inlinePolicy = this.policy(r, 'policy', 'BucketPolicy', u);
        const bucket: BucketDraft = compact({
          ...base({
            bucket: 'BucketName',
            server_side_encryption_configuration: 'BucketEncryption',
            versioning: 'VersioningConfiguration',
            logging: 'LoggingConfiguration',
            object_lock_enabled: 'ObjectLockEnabled',
            object_lock_configuration: 'ObjectLockConfiguration',
            policy: 'BucketPolicy',
            tags: 'Tags',
          }),
          name: id.name,
          // Bucket-level block only exists as aws_s3_bucket_public_access_block (joined below). A
          // bucket the plan creates without one gets S3's default for new buckets; an existing
          // bucket's setting is not in the plan.
          publicAccessBlock: this.created.has(r.address) ? { ...S3_NEW_BUCKET_DEFAULT_BLOCK } : undefined,
          publicAccessBlockFromDefault: this.created.has(r.address) ? true : undefined,
          // Provider v4+ marks the inline encryption block as computed: unknown but not configured means
          // "whatever S3 applies", which is SSE-S3 unless a split resource (joined below) says otherwise.
          encryption: sse
            ? this.sseRules(r, ['server_side_encryption_configuration', 0, 'rule'], u)
            : this.isUnknown(r, ['server_side_encryption_configuration']) && this.configured(r, 'server_side_encryption_configuration')
              ? (u.add('BucketEncryption'), undefined)
              : { rules: [{ sseAlgorithm: 'AES256' }] },
          policy: inlinePolicy === UNKNOWN ? undefined : inlinePolicy ?? null,
          versioning: versioningBlock
            ? { status: versioningBlock.enabled === true ? ('Enabled' as const) : ('Off' as const), mfaDelete: versioningBlock.mfa_delete === true ? ('Enabled' as const) : ('Disabled' as const) }
            : { status: 'Off' as const, mfaDelete: 'Disabled' as const },
          objectLock: r.values.object_lock_enabled === true || lock ? { enabled: true } : null,
          logging: loggingBlock
            ? compact({ targetBucket: String(loggingBlock.target_bucket ?? ''), targetPrefix: typeof loggingBlock.target_prefix === 'string' ? loggingBlock.target_prefix : undefined })
            : null,
        });
        const inlinePolicyLocation = bucket.source?.properties?.BucketPolicy;
        if (inlinePolicyLocation && bucket.source?.properties) bucket.source.properties.PolicyDocument = { ...inlinePolicyLocation };
        if (!this.created.has(r.address)) u.add('PublicAccessBlockConfiguration');
        this.draft.buckets.push(bucket);
        remember(this.bucketsByName, bucket.name, bucket);
        remember(this.bucketsByName, bucket.arn, bucket);
        this.bucketsByResource.set(r, bucket);
        finish(bucket);
        return;
      }
      case 'aws_s3_account_public_access_block': {
        const flag = (attr: string) => bool(attr, 'PublicAccessBlockConfiguration', false);
        const flags = {
          blockPublicAcls: flag('block_public_acls'),
          ignorePublicAcls: flag('ignore_public_acls'),
          blockPublicPolicy: flag('block_public_policy'),
          restrictPublicBuckets: flag('restrict_public_buckets'),
        };
        if (Object.values(flags).every((f) => f !== undefined)) this.draft.accountPublicAccessBlock = flags as Required<typeof flags> as never;
        return;
      }
      case 'aws_kms_key': {
        const enabled = bool('is_enabled', 'Enabled', true);
        const policy = this.policy(r, 'policy', 'KeyPolicy', u);
        const key: KeyDraft = compact({
          ...base({ description: 'Description', enable_key_rotation: 'EnableKeyRotation', policy: 'KeyPolicy', is_enabled: 'Enabled' }),
          keyId: id.name,
          aliases: [],
          keyManager: 'CUSTOMER' as const,
          keyState: enabled === undefined ? undefined : enabled ? 'Enabled' : 'Disabled',
          keySpec: str('customer_master_key_spec', 'KeySpec') ?? 'SYMMETRIC_DEFAULT',
          keyUsage: str('key_usage', 'KeyUsage') ?? 'ENCRYPT_DECRYPT',
          origin: 'AWS_KMS',
          description: str('description', 'Description') || undefined,
          rotationEnabled: bool('enable_key_rotation', 'EnableKeyRotation', false),
          // Without `policy`, KMS attaches its documented default policy (root account, kms:*).
          policy: policy === UNKNOWN ? undefined : policy ?? defaultKeyPolicy(this.partition, this.accountId),
        });
        this.draft.keys.push(key);
        remember(this.keysById, key.keyId, key);
        remember(this.keysById, key.arn, key);
        this.keysByResource.set(r, key);
        finish(key);
        return;
      }
      case 'aws_cloudtrail': {
        const selectors = this.blocks(r.values.event_selector, [...r.jsonPath, 'values', 'event_selector']);
        const advanced = this.blocks(r.values.advanced_event_selector, [...r.jsonPath, 'values', 'advanced_event_selector']);
        const trail = compact({
          ...base({
            is_multi_region_trail: 'IsMultiRegionTrail',
            enable_logging: 'IsLogging',
            enable_log_file_validation: 'EnableLogFileValidation',
            kms_key_id: 'KMSKeyId',
            s3_bucket_name: 'S3BucketName',
            event_selector: 'EventSelectors',
            advanced_event_selector: 'AdvancedEventSelectors',
            cloud_watch_logs_group_arn: 'CloudWatchLogsLogGroupArn',
          }),
          name: id.name,
          homeRegion: region,
          isMultiRegionTrail: bool('is_multi_region_trail', 'IsMultiRegionTrail', false) ?? false,
          isOrganizationTrail: bool('is_organization_trail', 'IsOrganizationTrail', false) ?? false,
          isLogging: bool('enable_logging', 'IsLogging', true),
          logFileValidationEnabled: bool('enable_log_file_validation', 'EnableLogFileValidation', false),
          kmsKeyId: nullableStr('kms_key_id', 'KMSKeyId'),
          s3BucketName: str('s3_bucket_name', 'S3BucketName'),
          cloudWatchLogsLogGroupArn: nullableStr('cloud_watch_logs_group_arn', 'CloudWatchLogsLogGroupArn'),
          eventSelectors: advanced.length
            ? null
            : selectors.length
              ? selectors.map((s, i) => ({
                  readWriteType: this.oneOf(r, ['event_selector', i, 'read_write_type'], typeof s.read_write_type === 'string' ? s.read_write_type : 'All', ['ReadOnly', 'WriteOnly', 'All'] as const),
                  includeManagementEvents: s.include_management_events !== false,
                  dataResources: this.blocks(s.data_resource, [...r.jsonPath, 'values', 'event_selector', i, 'data_resource']).map((d) => ({
                    type: String(d.type),
                    values: Array.isArray(d.values) ? d.values.map(String) : [],
                  })),
                  excludeManagementEventSources: Array.isArray(s.exclude_management_event_sources) ? s.exclude_management_event_sources.map(String) : [],
                }))
              : [{ readWriteType: 'All' as const, includeManagementEvents: true, dataResources: [] }],
          advancedEventSelectors: advanced.length
            ? advanced.map((s, i) =>
                compact({
                  name: typeof s.name === 'string' && s.name ? s.name : undefined,
                  fieldSelectors: this.blocks(s.field_selector, [...r.jsonPath, 'values', 'advanced_event_selector', i, 'field_selector']).map((f) =>
                    compact({
                      field: String(f.field),
                      equals: listOrUndefined(f.equals),
                      notEquals: listOrUndefined(f.not_equals),
                      startsWith: listOrUndefined(f.starts_with),
                      notStartsWith: listOrUndefined(f.not_starts_with),
                      endsWith: listOrUndefined(f.ends_with),
                      notEndsWith: listOrUndefined(f.not_ends_with),
                    }),
                  ),
                }),
              )
            : null,
        });
        this.draft.trails.push(finish(trail));
        return;
      }
      case 'aws_iam_role':
      case 'aws_iam_user':
      case 'aws_iam_group': {
        if (r.nameUnknown) u.add(r.type === 'aws_iam_role' ? 'RoleName' : r.type === 'aws_iam_user' ? 'UserName' : 'GroupName');
        const inline = this.blocks(r.values.inline_policy, [...r.jsonPath, 'values', 'inline_policy'])
          .map((p, i) => ({ p, i }))
          .filter(({ p }) => typeof p.policy === 'string' && p.policy.trim() !== '')
          .map(({ p, i }) => ({ name: String(p.name ?? 'inline'), policy: this.checkedPolicy(p.policy, [...r.jsonPath, 'values', 'inline_policy', i, 'policy']) }));
        const managed = this.strList(r, ['managed_policy_arns'], 'ManagedPolicyArns', u);
        const common = {
          ...base({ assume_role_policy: 'AssumeRolePolicyDocument', inline_policy: 'Policies', managed_policy_arns: 'ManagedPolicyArns', permissions_boundary: 'PermissionsBoundary', name: r.type === 'aws_iam_role' ? 'RoleName' : 'UserName' }),
          name: id.name,
          path: iamPath(r.values.path),
          permissionsBoundary: nullableStr('permissions_boundary', 'PermissionsBoundary'),
          attachedManagedPolicies: managed === UNKNOWN || managed === undefined ? [] : [...managed],
          inlinePolicies: inline,
        };
        if (r.type === 'aws_iam_role') {
          const trust = this.policy(r, 'assume_role_policy', 'AssumeRolePolicyDocument', u);
          const role: RoleDraft = compact({
            ...common,
            trustPolicy: trust === UNKNOWN || trust === undefined ? { Version: '2012-10-17', Statement: [] } : trust,
            description: str('description', 'Description') || undefined,
            maxSessionDuration: typeof r.values.max_session_duration === 'number' ? r.values.max_session_duration : 3600,
          });
          this.draft.roles.push(role);
          this.addPrincipal(r, role);
        } else if (r.type === 'aws_iam_user') {
          const user: UserDraft = compact({ ...common, groups: [], consoleAccess: false });
          this.draft.users.push(user);
          this.addPrincipal(r, user);
        } else {
          const group: GroupDraft = compact({ ...common });
          this.draft.groups.push(group);
          this.addPrincipal(r, group);
        }
        for (const note of u) this.pendingNotes(r).add(note);
        return;
      }
      case 'aws_iam_policy': {
        if (r.nameUnknown) u.add('ManagedPolicyName');
        const document = this.policy(r, 'policy', 'PolicyDocument', u);
        const policy = compact({
          ...base({ policy: 'PolicyDocument', name: 'ManagedPolicyName' }),
          name: id.name,
          path: iamPath(r.values.path),
          awsManaged: false,
          defaultVersionId: 'v1',
          attachmentCount: 0,
          document: document === UNKNOWN ? undefined : document,
        });
        this.draft.policies.push(finish(policy));
        remember(this.policiesByArn, policy.arn, policy);
        return;
      }
      case 'aws_sagemaker_notebook_instance': {
        const notebook = compact({
          ...base({ direct_internet_access: 'DirectInternetAccess', subnet_id: 'SubnetId', security_groups: 'SecurityGroupIds', kms_key_id: 'KmsKeyId', root_access: 'RootAccess', role_arn: 'RoleArn', instance_type: 'InstanceType' }),
          name: id.name,
          directInternetAccess: this.oneOf(r, ['direct_internet_access'], str('direct_internet_access', 'DirectInternetAccess') ?? 'Enabled', ENABLED_DISABLED),
          subnetId: nullableStr('subnet_id', 'SubnetId'),
          securityGroups: known(this.strList(r, ['security_groups'], 'SecurityGroupIds', u)) ?? (u.has('SecurityGroupIds') ? undefined : []),
          kmsKeyId: nullableStr('kms_key_id', 'KmsKeyId'),
          rootAccess: this.oneOf(r, ['root_access'], str('root_access', 'RootAccess') ?? 'Enabled', ENABLED_DISABLED),
          roleArn: str('role_arn', 'RoleArn'),
          instanceType: str('instance_type', 'InstanceType'),
        });
        if (u.has('DirectInternetAccess')) delete (notebook as { directInternetAccess?: string }).directInternetAccess;
        this.draft.notebooks.push(finish(notebook));
        return;
      }
      case 'aws_sagemaker_model': {
        const vpc = this.block(r, 'vpc_config');
        const primary = this.block(r, 'primary_container') ?? this.block(r, 'container');
        const model = compact({
          ...base({ enable_network_isolation: 'EnableNetworkIsolation', vpc_config: 'VpcConfig', execution_role_arn: 'ExecutionRoleArn', primary_container: 'PrimaryContainer', container: 'Containers' }),
          name: id.name,
          enableNetworkIsolation: bool('enable_network_isolation', 'EnableNetworkIsolation', false),
          vpcConfig: vpc
            ? this.isUnknown(r, ['vpc_config'])
              ? (u.add('VpcConfig'), undefined)
              : { subnets: toStrings(vpc.subnets), securityGroupIds: toStrings(vpc.security_group_ids) }
            : null,
          executionRoleArn: str('execution_role_arn', 'ExecutionRoleArn'),
          primaryContainerImage: typeof primary?.image === 'string' ? primary.image : undefined,
        });
        this.draft.models.push(finish(model));
        return;
      }
      case 'aws_sagemaker_endpoint_configuration': {
        const capture = this.block(r, 'data_capture_config');
        const variants = this.blocks(r.values.production_variants, [...r.jsonPath, 'values', 'production_variants']);
        const config = compact({
          ...base({ kms_key_arn: 'KmsKeyId', data_capture_config: 'DataCaptureConfig', production_variants: 'ProductionVariants' }),
          name: id.name,
          kmsKeyId: nullableStr('kms_key_arn', 'KmsKeyId'),
          dataCaptureEnabled: capture ? capture.enable_capture !== false : false,
          productionVariants: variants.map((v, i) =>
            compact({
              variantName: typeof v.variant_name === 'string' ? v.variant_name : `variant-${i}`,
              modelName: known(this.str(r, ['production_variants', i, 'model_name'], `ProductionVariants[${i}].ModelName`, u)) ?? '',
              instanceType: typeof v.instance_type === 'string' ? v.instance_type : undefined,
            }),
          ),
        });
        this.draft.endpointConfigs.push(finish(config));
        return;
      }
      case 'aws_sagemaker_domain': {
        const domain = compact({
          ...base({ app_network_access_type: 'AppNetworkAccessType', kms_key_id: 'KmsKeyId', vpc_id: 'VpcId', subnet_ids: 'SubnetIds', auth_mode: 'AuthMode' }),
          id: id.attributes.id!,
          name: id.name,
          appNetworkAccessType: this.oneOf(r, ['app_network_access_type'], str('app_network_access_type', 'AppNetworkAccessType') ?? 'PublicInternetOnly', ['PublicInternetOnly', 'VpcOnly'] as const),
          kmsKeyId: nullableStr('kms_key_id', 'KmsKeyId'),
          vpcId: str('vpc_id', 'VpcId'),
          subnetIds: known(this.strList(r, ['subnet_ids'], 'SubnetIds', u)),
          authMode: str('auth_mode', 'AuthMode'),
        });
        if (u.has('AppNetworkAccessType')) delete (domain as { appNetworkAccessType?: string }).appNetworkAccessType;
        this.draft.domains.push(finish(domain));
        return;
      }
      case 'aws_bedrock_guardrail': {
        const content = this.block(r, 'content_policy_config');
        const sensitive = this.block(r, 'sensitive_information_policy_config');
        const topics = this.block(r, 'topic_policy_config');
        const words = this.block(r, 'word_policy_config');
        const grounding = this.block(r, 'contextual_grounding_policy_config');
        const guardrail = compact({
          ...base({ kms_key_arn: 'KmsKeyArn', content_policy_config: 'ContentPolicyConfig', sensitive_information_policy_config: 'SensitiveInformationPolicyConfig', topic_policy_config: 'TopicPolicyConfig', word_policy_config: 'WordPolicyConfig', contextual_grounding_policy_config: 'ContextualGroundingPolicyConfig' }),
          id: id.attributes.guardrail_id!,
          name: id.name,
          version: 'DRAFT',
          kmsKeyArn: nullableStr('kms_key_arn', 'KmsKeyArn'),
          contentPolicy: content
            ? { filters: this.blocks(content.filters_config, [...r.jsonPath, 'values', 'content_policy_config', 0, 'filters_config']).map((f) => ({ type: String(f.type), inputStrength: strength(f.input_strength), outputStrength: strength(f.output_strength) })) }
            : null,
          sensitiveInformationPolicy: sensitive
            ? {
                piiEntities: this.blocks(sensitive.pii_entities_config, [...r.jsonPath, 'values', 'sensitive_information_policy_config', 0, 'pii_entities_config']).map((e) => ({ type: String(e.type), action: String(e.action) })),
                regexes: this.blocks(sensitive.regexes_config, [...r.jsonPath, 'values', 'sensitive_information_policy_config', 0, 'regexes_config']).map((e) => ({ name: String(e.name), pattern: String(e.pattern), action: String(e.action) })),
              }
            : null,
          topicPolicy: topics ? { topics: this.blocks(topics.topics_config, [...r.jsonPath, 'values', 'topic_policy_config', 0, 'topics_config']).map((t) => ({ name: String(t.name), type: String(t.type ?? 'DENY') })) } : null,
          wordPolicy: words
            ? {
                words: this.blocks(words.words_config, [...r.jsonPath, 'values', 'word_policy_config', 0, 'words_config']).map((w) => String(w.text)),
                managedWordLists: this.blocks(words.managed_word_lists_config, [...r.jsonPath, 'values', 'word_policy_config', 0, 'managed_word_lists_config']).map((w) => String(w.type)),
              }
            : null,
          contextualGroundingPolicy: grounding
            ? {
                filters: this.blocks(grounding.filters_config, [...r.jsonPath, 'values', 'contextual_grounding_policy_config', 0, 'filters_config']).map((f, i) => ({
                  type: String(f.type),
                  threshold: this.number(f.threshold, [...r.jsonPath, 'values', 'contextual_grounding_policy_config', 0, 'filters_config', i, 'threshold']),
                })),
              }
            : null,
        });
        this.draft.guardrails.push(finish(guardrail));
        return;
      }
      case 'aws_bedrockagent_agent': {
        const guardrailBlock = this.block(r, 'guardrail_configuration');
        let guardrail: { id: string; version?: string } | null | undefined = null;
        if (guardrailBlock) {
          const identifier = this.str(r, ['guardrail_configuration', 0, 'guardrail_identifier'], 'GuardrailConfiguration.GuardrailIdentifier', u);
          guardrail = identifier === UNKNOWN || identifier === undefined ? undefined : compact({ id: identifier, version: typeof guardrailBlock.guardrail_version === 'string' ? guardrailBlock.guardrail_version : undefined });
        } else if (this.isUnknown(r, ['guardrail_configuration'])) {
          guardrail = undefined;
          u.add('GuardrailConfiguration');
        }
        const agent = compact({
          ...base({ agent_resource_role_arn: 'AgentResourceRoleArn', foundation_model: 'FoundationModel', customer_encryption_key_arn: 'CustomerEncryptionKeyArn', guardrail_configuration: 'GuardrailConfiguration' }),
          id: id.attributes.agent_id!,
          name: id.name,
          roleArn: str('agent_resource_role_arn', 'AgentResourceRoleArn'),
          foundationModel: str('foundation_model', 'FoundationModel'),
          kmsKeyArn: nullableStr('customer_encryption_key_arn', 'CustomerEncryptionKeyArn'),
          guardrail,
        });
        this.draft.agents.push(finish(agent));
        return;
      }
      case 'aws_bedrock_custom_model': {
        const model = compact({
          ...base({ base_model_identifier: 'BaseModelIdentifier', custom_model_kms_key_id: 'CustomModelKmsKeyId' }),
          name: id.name,
          baseModelArn: str('base_model_identifier', 'BaseModelIdentifier'),
          kmsKeyArn: nullableStr('custom_model_kms_key_id', 'CustomModelKmsKeyId'),
          customizationType: str('customization_type', 'CustomizationType'),
        });
        this.draft.customModels.push(finish(model));
        return;
      }
      case 'aws_bedrock_model_invocation_logging_configuration': {
        const config = this.block(r, 'logging_config');
        if (!config) return;
        const s3 = firstObject(config.s3_config);
        const cw = firstObject(config.cloudwatch_config);
        this.draft.invocationLogging.push({
          region,
          config: compact({
            textDataDeliveryEnabled: optionalBool(config.text_data_delivery_enabled),
            imageDataDeliveryEnabled: optionalBool(config.image_data_delivery_enabled),
            embeddingDataDeliveryEnabled: optionalBool(config.embedding_data_delivery_enabled),
            videoDataDeliveryEnabled: optionalBool(config.video_data_delivery_enabled),
            s3Config: s3 ? compact({ bucketName: String(s3.bucket_name ?? ''), keyPrefix: typeof s3.key_prefix === 'string' ? s3.key_prefix : undefined }) : null,
            cloudWatchConfig: cw ? compact({ logGroupName: String(cw.log_group_name ?? ''), roleArn: typeof cw.role_arn === 'string' ? cw.role_arn : undefined }) : null,
          }),
        });
        return;
      }
      case 'aws_vpc_endpoint': {
        const policy = this.policy(r, 'policy', 'PolicyDocument', u);
        const endpoint = compact({
          ...base({ vpc_id: 'VpcId', service_name: 'ServiceName', vpc_endpoint_type: 'VpcEndpointType', policy: 'PolicyDocument', private_dns_enabled: 'PrivateDnsEnabled' }),
          id: id.name,
          vpcId: str('vpc_id', 'VpcId') ?? '<unresolved: VpcId>',
          serviceName: str('service_name', 'ServiceName') ?? '<unresolved: ServiceName>',
          type: this.oneOf(r, ['vpc_endpoint_type'], str('vpc_endpoint_type', 'VpcEndpointType') ?? 'Gateway', ['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork'] as const),
          privateDnsEnabled: bool('private_dns_enabled', 'PrivateDnsEnabled', false),
          policy: policy === UNKNOWN ? undefined : policy ?? null,
        });
        this.draft.vpcEndpoints.push(finish(endpoint));
        return;
      }
      case 'aws_accessanalyzer_analyzer': {
        this.draft.analyzers.push(finish(compact({ ...base({}), name: id.name, type: str('type', 'Type') ?? 'ACCOUNT', status: 'ACTIVE' })));
        return;
      }
      case 'aws_guardduty_detector': {
        const enabled = bool('enable', 'Enable', true);
        if (enabled !== undefined) this.draft.guardDutyDetectors.push({ region, id: id.name, status: enabled ? 'ENABLED' : 'DISABLED' });
        return;
      }
      case 'aws_config_configuration_recorder': {
        const group = this.block(r, 'recording_group');
        const name = typeof r.values.name === 'string' ? r.values.name : 'default';
        this.draft.configRecorders.push(compact({ region, name, allSupported: group ? group.all_supported !== false : true }));
        return;
      }
      case 'aws_securityhub_account':
        this.draft.securityHubs.push({ region, enabled: true });
        return;
      case 'aws_macie2_account': {
        const status = typeof r.values.status === 'string' ? r.values.status : 'ENABLED';
        if (status === 'ENABLED' || status === 'PAUSED') this.draft.macieSessions.push({ region, status });
        return;
      }
      default:
        return;
    }
  }

  /**
   * A known value that must be one of AWS's values (Terraform's provider validates them, so a
   * real plan has one): anything else is an input error at the plan's attribute.
   */
  private oneOf<T extends string>(r: TfResource, attrPath: JsonPath, value: string, allowed: readonly T[]): T {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InputError(this.file, [...r.jsonPath, 'values', ...attrPath], `${shown(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  /** A list of nested blocks (one block may be written as an object): each must be an object. */
  private blocks(value: unknown, at: JsonPath): Json[] {
    if (value === undefined || value === null) return [];
    if (isObject(value)) return [value];
    if (!Array.isArray(value)) throw new InputError(this.file, at, `must be a list of blocks, not ${shown(value)}`);
    return value.map((block, i) => {
      if (!isObject(block)) throw new InputError(this.file, [...at, i], `must be a block (an object), not ${shown(block)}`);
      return block;
    });
  }

  /** A number (Terraform writes numbers as JSON numbers; a numeric string is read too). */
  private number(value: unknown, at: JsonPath): number {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    throw new InputError(this.file, at, `must be a number, not ${shown(value)}`);
  }

  private readonly pendingByResource = new Map<TfResource, Set<string>>();
  private pendingNotes(resource: TfResource): Set<string> {
    const existing = this.pendingByResource.get(resource);
    if (existing) return existing;
    const created = new Set<string>();
    this.pendingByResource.set(resource, created);
    return created;
  }

  private sseRules(r: TfResource, rulePath: (string | number)[], u: Set<string>) {
    let rules: unknown = r.values;
    for (const part of rulePath) rules = (rules as Record<string | number, unknown> | undefined)?.[part];
    if (!Array.isArray(rules)) return this.isUnknown(r, rulePath) ? (u.add('BucketEncryption'), undefined) : { rules: [] };
    const before = u.size;
    const out = this.blocks(rules, [...r.jsonPath, 'values', ...rulePath]).map((rule, i) => {
      const byDefault = [...rulePath, i, 'apply_server_side_encryption_by_default', 0];
      const algorithm = this.str(r, [...byDefault, 'sse_algorithm'], 'BucketEncryption', u);
      const key = this.str(r, [...byDefault, 'kms_master_key_id'], 'BucketEncryption', u);
      return compact({
        sseAlgorithm: known(algorithm) ?? '',
        kmsMasterKeyId: known(key) || undefined,
        bucketKeyEnabled: typeof rule.bucket_key_enabled === 'boolean' ? rule.bucket_key_enabled : undefined,
      });
    });
    // An unknown key or algorithm would let a rule judge the wrong key: the whole setting is unknown.
    if (u.size > before) return undefined;
    return { rules: out.filter((rule) => rule.sseAlgorithm !== '') };
  }

  /** The bucket a split S3 resource configures: by reference when possible, else by name. */
  private targetBucket(r: TfResource, u: Set<string>): BucketDraft | undefined {
    const followed = this.referenceTarget(r, ['bucket']);
    if (followed?.target.type === 'aws_s3_bucket') return this.bucketsByResource.get(followed.target);
    const name = this.str(r, ['bucket'], 'Bucket', u);
    if (name === UNKNOWN || name === undefined) return undefined;
    return this.bucketsByName.get(name);
  }

  private attach(bucket: BucketDraft, r: TfResource, key: string, attributes: Record<string, string> = {}): void {
    if (!r.block || !bucket.source) return;
    const sameFile = bucket.source.file === r.block.file;
    const entry = (position: { line: number; column: number }) => (sameFile ? { ...position } : { ...position, file: r.block!.file });
    const properties = { ...(bucket.source.properties ?? {}) };
    properties[key] = entry({ line: r.block.line, column: r.block.column });
    for (const [attribute, sub] of Object.entries(attributes)) {
      const position = r.block.attributes.get(attribute);
      if (position) properties[`${key}.${sub}`] = entry(position);
    }
    bucket.source.properties = properties;
  }

  private mapAttachment(r: TfResource): void {
    const u = new Set<string>();
    const settle = (bucket: BucketDraft, key: string, unknown: boolean) => {
      const notes = new Set(bucket.unresolved ?? []);
      notes.delete(key);
      if (unknown) notes.add(key);
      if (notes.size) bucket.unresolved = [...notes].sort();
      else delete bucket.unresolved;
    };
    switch (r.type) {
      case 'aws_s3_bucket_public_access_block': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const flag = (attr: string) => known(this.bool(r, [attr], 'PublicAccessBlockConfiguration', u, false));
        const flags = {
          blockPublicAcls: flag('block_public_acls'),
          ignorePublicAcls: flag('ignore_public_acls'),
          blockPublicPolicy: flag('block_public_policy'),
          restrictPublicBuckets: flag('restrict_public_buckets'),
        };
        const complete = Object.values(flags).every((f) => f !== undefined);
        // Declared: it replaces S3's default, known or not.
        delete bucket.publicAccessBlockFromDefault;
        bucket.publicAccessBlock = complete ? (flags as { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean }) : undefined;
        settle(bucket, 'PublicAccessBlockConfiguration', !complete);
        this.attach(bucket, r, 'PublicAccessBlockConfiguration', {
          block_public_acls: 'BlockPublicAcls',
          ignore_public_acls: 'IgnorePublicAcls',
          block_public_policy: 'BlockPublicPolicy',
          restrict_public_buckets: 'RestrictPublicBuckets',
        });
        return;
      }
      case 'aws_s3_bucket_server_side_encryption_configuration': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const encryption = this.sseRules(r, ['rule'], u);
        if (encryption) bucket.encryption = encryption;
        else delete bucket.encryption;
        settle(bucket, 'BucketEncryption', encryption === undefined);
        this.attach(bucket, r, 'BucketEncryption');
        return;
      }
      case 'aws_s3_bucket_versioning': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const config = this.block(r, 'versioning_configuration');
        const status = config?.status;
        bucket.versioning = {
          status: status === 'Enabled' ? 'Enabled' : status === 'Suspended' ? 'Suspended' : 'Off',
          mfaDelete: config?.mfa_delete === 'Enabled' ? 'Enabled' : 'Disabled',
        };
        this.attach(bucket, r, 'VersioningConfiguration');
        return;
      }
      case 'aws_s3_bucket_policy': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const policy = this.policy(r, 'policy', 'BucketPolicy', u);
        if (policy === UNKNOWN || policy === undefined) delete bucket.policy;
        else bucket.policy = policy;
        settle(bucket, 'BucketPolicy', policy === UNKNOWN);
        this.attach(bucket, r, 'BucketPolicy');
        // Bucket-policy rules name the setting `PolicyDocument` (the CloudFormation BucketPolicy's property).
        this.attach(bucket, r, 'PolicyDocument');
        return;
      }
      case 'aws_s3_bucket_logging': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const target = this.str(r, ['target_bucket'], 'LoggingConfiguration', u);
        if (target === UNKNOWN || target === undefined) delete bucket.logging;
        else bucket.logging = compact({ targetBucket: target, targetPrefix: typeof r.values.target_prefix === 'string' ? r.values.target_prefix : undefined });
        settle(bucket, 'LoggingConfiguration', target === UNKNOWN);
        this.attach(bucket, r, 'LoggingConfiguration');
        return;
      }
      case 'aws_s3_bucket_ownership_controls': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const rule = this.block(r, 'rule');
        if (typeof rule?.object_ownership === 'string') bucket.ownership = { objectOwnership: rule.object_ownership };
        this.attach(bucket, r, 'OwnershipControls');
        return;
      }
      case 'aws_s3_bucket_object_lock_configuration': {
        const bucket = this.targetBucket(r, u);
        if (!bucket) return;
        const retention = firstObject(this.block(r, 'rule')?.default_retention);
        const mode = retention?.mode;
        bucket.objectLock = compact({
          enabled: true,
          defaultRetention:
            mode === 'GOVERNANCE' || mode === 'COMPLIANCE'
              ? compact({ mode: mode as 'GOVERNANCE' | 'COMPLIANCE', days: typeof retention?.days === 'number' ? retention.days : undefined, years: typeof retention?.years === 'number' ? retention.years : undefined })
              : undefined,
        });
        this.attach(bucket, r, 'ObjectLockConfiguration');
        return;
      }
      case 'aws_kms_alias': {
        const followed = this.referenceTarget(r, ['target_key_id']);
        let key = followed?.target.type === 'aws_kms_key' ? this.keysByResource.get(followed.target) : undefined;
        if (!key) {
          const target = known(this.str(r, ['target_key_id'], 'TargetKeyId', u));
          key = target === undefined ? undefined : this.keysById.get(target);
        }
        if (key && !r.nameUnknown) key.aliases.push(r.identity.name);
        return;
      }
      case 'aws_iam_role_policy':
      case 'aws_iam_user_policy':
      case 'aws_iam_group_policy': {
        const kind = r.type.split('_')[2]!;
        const principal = this.principalFor(r, kind, kind === 'role' ? 'role' : kind === 'user' ? 'user' : 'group');
        if (!principal) return;
        const draft = this.principalDraft(principal);
        const index = draft.inlinePolicies.length;
        const policy = this.policy(r, 'policy', `Policies[${index}]`, u);
        if (policy === UNKNOWN || policy === undefined) {
          this.pendingNotes(principal).add(`Policies[${index}]`);
          return;
        }
        draft.inlinePolicies.push({ name: known(this.str(r, ['name'], 'PolicyName', u)) ?? r.name, policy });
        this.attachPrincipalLocation(principal, r, `Policies[${index}]`);
        return;
      }
      case 'aws_iam_role_policy_attachment':
      case 'aws_iam_user_policy_attachment':
      case 'aws_iam_group_policy_attachment': {
        const kind = r.type.split('_')[2]!;
        const principal = this.principalFor(r, kind, kind);
        if (!principal) return;
        const arn = this.policyArn(r, u);
        if (arn === undefined) {
          this.pendingNotes(principal).add('ManagedPolicyArns');
          return;
        }
        this.principalDraft(principal).attachedManagedPolicies.push(arn);
        this.countAttachment(arn);
        return;
      }
      case 'aws_iam_policy_attachment': {
        const arn = this.policyArn(r, u);
        for (const kind of ['roles', 'users', 'groups'] as const) {
          const names = new Set(toStrings(r.values[kind]));
          const principals = new Set([...names].flatMap((name) => this.principalsNamed(`aws_iam_${kind.slice(0, -1)}`, name).filter((p) => p.identity.name === name)));
          for (const principal of principals) {
            if (arn === undefined) this.pendingNotes(principal).add('ManagedPolicyArns');
            else {
              this.principalDraft(principal).attachedManagedPolicies.push(arn);
              this.countAttachment(arn);
            }
          }
        }
        return;
      }
      case 'aws_iam_user_group_membership': {
        const user = this.principalFor(r, 'user', 'user');
        const groups = Array.isArray(r.values.groups) ? (r.values.groups as unknown[]).map(String) : [];
        if (user) (this.principalDraft(user) as UserDraft).groups.push(...groups);
        return;
      }
      case 'aws_iam_group_membership': {
        const group = typeof r.values.group === 'string' ? r.values.group : undefined;
        const users = new Set(toStrings(r.values.users));
        for (const user of this.draft.users) if (group && users.has(user.name)) user.groups.push(group);
        return;
      }
      case 'aws_iam_user_login_profile': {
        const user = this.principalFor(r, 'user', 'user');
        if (user) (this.principalDraft(user) as UserDraft).consoleAccess = true;
        return;
      }
      default:
        return;
    }
  }

  private principalFor(r: TfResource, attribute: string, kind: string): TfResource | undefined {
    const followed = this.referenceTarget(r, [attribute]);
    if (followed?.target.type === `aws_iam_${kind}`) return followed.target;
    const name = r.values[attribute];
    if (typeof name !== 'string') return undefined;
    return this.principalsNamed(`aws_iam_${kind}`, name)[0];
  }

  /** Principals of `type` whose name or ARN is `name`, in plan order. */
  private principalsNamed(type: string, name: string): TfResource[] {
    return this.principalsByName.get(`${type}\u0000${name}`) ?? [];
  }

  private addPrincipal(resource: TfResource, draft: RoleDraft | UserDraft | GroupDraft): void {
    this.principalsByResource.set(resource, draft);
    const keys = new Set([resource.identity.name, resource.identity.arn]);
    for (const key of keys) {
      const list = this.principalsByName.get(`${resource.type}\u0000${key}`);
      if (list) list.push(resource);
      else this.principalsByName.set(`${resource.type}\u0000${key}`, [resource]);
    }
  }

  private principalDraft(principal: TfResource): RoleDraft | UserDraft | GroupDraft {
    return this.principalsByResource.get(principal)!;
  }

  private policyArn(r: TfResource, u: Set<string>): string | undefined {
    return known(this.str(r, ['policy_arn'], 'PolicyArn', u));
  }

  private countAttachment(arn: string): void {
    const policy = this.policiesByArn.get(arn);
    if (policy) policy.attachmentCount = (policy.attachmentCount ?? 0) + 1;
  }

  private attachPrincipalLocation(principal: TfResource, from: TfResource, key: string): void {
    const draft = this.principalDraft(principal);
    if (!from.block || !draft.source) return;
    const sameFile = draft.source.file === from.block.file;
    draft.source.properties = {
      ...(draft.source.properties ?? {}),
      [key]: sameFile ? { line: from.block.line, column: from.block.column } : { line: from.block.line, column: from.block.column, file: from.block.file },
    };
  }
}

// ------------------------------------------------------------ helpers

/** The default AWS provider's region: a constant, or a root variable's value; '' counts as none. */
function providerRegion(plan: Json): string | undefined {
  const providers = (plan.configuration as Json | undefined)?.provider_config as Json | undefined;
  const aws = providers ? own(providers, 'aws') : undefined;
  const expressions = isObject(aws) && isObject(aws.expressions) ? aws.expressions : undefined;
  const region = expressions ? own(expressions, 'region') : undefined;
  if (!isObject(region)) return undefined;
  if (typeof region.constant_value === 'string') return region.constant_value || undefined;
  const references = region.references;
  if (Array.isArray(references)) {
    const variable = references.find((r): r is string => typeof r === 'string' && r.startsWith('var.'));
    const variables = isObject(plan.variables) ? plan.variables : {};
    const declared = variable ? own(variables, variable.slice(4)) : undefined;
    const value = isObject(declared) ? declared.value : undefined;
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** An own property only (a reference `x.constructor` must not reach Object.prototype). */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * The attribute a reference without one means. Plan format 0.1 (Terraform 0.12-1.0.0) lists
 * `kms_key_id = aws_kms_key.k.arn` as the reference `aws_kms_key.k` only: an `..._arn` argument
 * takes the ARN, anything else the id (which every resource's id or ARN arguments accept).
 */
function impliedAttribute(attrPath: readonly (string | number)[]): string {
  const last = [...attrPath].reverse().find((part): part is string => typeof part === 'string');
  return last !== undefined && (last === 'arn' || last.endsWith('_arn')) ? 'arn' : 'id';
}

/** Keeps the first value for a key (the first resource in plan order wins, as a search would). */
function remember<T>(map: Map<string, T>, key: string | undefined, value: T): void {
  if (key !== undefined && !map.has(key)) map.set(key, value);
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsTrue);
  return false;
}

const ENABLED_DISABLED = ['Enabled', 'Disabled'] as const;

interface NameRule {
  /** Longest name the service accepts. */
  max: number;
  /** Characters a synthesized name keeps from the address (others become `-`). */
  charset: 'bucket' | 'word' | 'alnum';
  /** Fixed start of every name of the type. */
  lead?: string;
}

/** AWS naming rules of the types whose names are synthesized when unknown. */
const NAME_RULES: Record<string, NameRule> = {
  // 3-63 lower-case letters, digits, dots and hyphens.
  aws_s3_bucket: { max: 63, charset: 'bucket' },
  aws_kms_alias: { max: 256, charset: 'word', lead: 'alias/' },
  // IAM: role, user and group names up to 64 of [\w+=,.@-]; managed policy names up to 128.
  aws_iam_role: { max: 64, charset: 'word' },
  aws_iam_user: { max: 64, charset: 'word' },
  aws_iam_group: { max: 64, charset: 'word' },
  aws_iam_policy: { max: 128, charset: 'word' },
  aws_cloudtrail: { max: 128, charset: 'word' },
  aws_cloudwatch_log_group: { max: 512, charset: 'word' },
  // SageMaker: up to 63 letters, digits and hyphens.
  aws_sagemaker_notebook_instance: { max: 63, charset: 'alnum' },
  aws_sagemaker_model: { max: 63, charset: 'alnum' },
  aws_sagemaker_endpoint_configuration: { max: 63, charset: 'alnum' },
  aws_sagemaker_domain: { max: 63, charset: 'alnum' },
  aws_bedrock_guardrail: { max: 50, charset: 'word' },
  aws_bedrockagent_agent: { max: 100, charset: 'alnum' },
  aws_bedrock_custom_model: { max: 63, charset: 'alnum' },
  aws_accessanalyzer_analyzer: { max: 255, charset: 'word' },
  aws_sns_topic: { max: 256, charset: 'word' },
};
const DEFAULT_NAME_RULE: NameRule = { max: 63, charset: 'alnum' };

/** An address as name characters: runs of anything else become one `-`. */
function sanitizeName(text: string, charset: NameRule['charset']): string {
  const cleaned =
    charset === 'bucket'
      ? text.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
      : charset === 'word'
        ? text.replace(/[^A-Za-z0-9_-]+/g, '-')
        : text.replace(/[^A-Za-z0-9-]+/g, '-');
  // No two separators in a row (CloudTrail and Bedrock refuse `--` and `_-`), none at either end.
  return cleaned.replace(/[-_]{2,}/g, '-').replace(/^[-_]/, '').replace(/[-_]$/, '');
}

function tagsOf(values: Json): { tags?: Record<string, string> } {
  const tags = values.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return {};
  const out = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
  return Object.keys(out).length ? { tags: out } : {};
}

function setNotes(target: object, notes: string[] | undefined): void {
  const draft = target as { unresolved?: string[] };
  const merged = new Set([...(draft.unresolved ?? []), ...(notes ?? [])]);
  if (merged.size) draft.unresolved = [...merged].sort();
}

function listOrUndefined(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length ? value.map(String) : undefined;
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}


function firstObject(value: unknown): Json | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'object' && value[0] !== null ? (value[0] as Json) : undefined;
  return typeof value === 'object' && value !== null ? (value as Json) : undefined;
}

function optionalBool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function strength(value: unknown): 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' {
  return value === 'LOW' || value === 'MEDIUM' || value === 'HIGH' ? value : 'NONE';
}
