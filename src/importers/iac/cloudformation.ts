/**
 * CloudFormation template (JSON or YAML) -> inventory. Intrinsics are resolved between the
 * template's own resources, parameters (defaults and overrides), pseudo parameters, mappings and
 * conditions; physical ids that only exist after deploy are synthesized deterministically from
 * the logical id; values that cannot be known before deploy leave the inventory field absent and
 * are listed in the resource's `unresolved`.
 *
 * Property-path convention for `source.properties` and `unresolved`: the CloudFormation property
 * path relative to the resource's `Properties`, dotted, with array indexes in brackets
 * (`BucketEncryption`, `BucketEncryption.ServerSideEncryptionConfiguration[0]`,
 * `Policies[0].PolicyDocument`).
 *
 * This module is what every resource type shares; what a type means (its names, ARNs and
 * attributes, and how its properties become inventory) is its mapper, one file per service in
 * src/importers/cloudformation/ (see the index there for how to add a type).
 */
import { InputError } from '../../engine/errors.js';
import type { InventoryInput } from '../../inventory/schema.js';
import { stripBom } from '../../inventory/input-text.js';
import type { BaseFields, Identity, IdentityContext, Json, MapContext, TemplateResource } from '../cloudformation/context.js';
import { tagsOf } from '../cloudformation/helpers.js';
import { mapperFor } from '../cloudformation/index.js';
import { TemplateLocations } from '../cloudformation/locations.js';
import { checkParameterValue, sectionOf, stackNameOf, transformsOf } from '../cloudformation/template.js';
import { parseCfnText, type ParsedTemplate } from './cfn-parse.js';
import { validateTemplate } from './cfn-validate.js';
import { IntrinsicResolver, NO_VALUE, Unresolved, type IntrinsicHost } from './cfn-intrinsics.js';
import { InventoryDraft } from './draft.js';
import type { IacImportOptions } from './options.js';
import { PropertyReader } from './props.js';
import { addAwsManagedKeys } from './aws-managed-keys.js';
import { DEFAULT_REGION, PLACEHOLDER_ACCOUNT_ID, partitionForRegion, syntheticAlnumId, syntheticUuid, urlSuffixForPartition } from './synth.js';

export { addNote, setNotes } from '../cloudformation/index.js';

export interface CloudFormationImportOptions extends IacImportOptions {
  /** Filled with the names of the template's Parameters (to tell the user about unused --parameters). */
  declaredParameters?: Set<string>;
}

export function importCloudFormation(text: string, file: string, options: CloudFormationImportOptions = {}): InventoryInput {
  return importCloudFormationParsed(parseCfnText(stripBom(text), file), file, options);
}

export function importCloudFormationParsed(parsed: ParsedTemplate, file: string, options: CloudFormationImportOptions = {}): InventoryInput {
  return new CloudFormationImport(parsed, file, options).run();
}

/** The transform that this importer expands itself (in part: Fn::ForEach loops are reported, not expanded). */
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

class CloudFormationImport implements IntrinsicHost {
  private readonly region: string;
  private readonly accountId: string;
  private readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  private readonly stackName: string;
  /** The input's stable identity (see IacImportOptions.sourceId): seeds synthesized names and ids. */
  private readonly sourceId: string;
  /** Transforms other than AWS::LanguageExtensions: their output is not in this inventory. */
  private readonly transforms: string[];
  private readonly template: Json;
  private readonly resources = new Map<string, TemplateResource>();
  private readonly parameters: Json;
  private readonly mappings: Json;
  private readonly conditions: Json;
  private readonly resolver: IntrinsicResolver;
  private readonly identities = new Map<string, Identity>();
  private readonly identityInProgress = new Set<string>();
  private readonly conditionValues = new Map<string, boolean | Unresolved>();
  private readonly conditionInProgress = new Set<string>();
  private readonly parameterValues = new Map<string, unknown>();
  private readonly locations: TemplateLocations;
  private readonly draft = new InventoryDraft();
  /** Resource entries that are not plain resources (Fn::ForEach loops). */
  private readonly skipped: string[] = [];

  constructor(
    parsed: ParsedTemplate,
    private readonly file: string,
    private readonly options: CloudFormationImportOptions,
  ) {
    const value = parsed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(file, [], 'is not a CloudFormation template (the document is not a mapping)');
    }
    this.template = value as Json;
    const resources = this.template.Resources;
    if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
      throw new InputError(file, ['Resources'], 'Resources must be a mapping of logical ids to resource declarations');
    }
    for (const [logicalId, raw] of Object.entries(resources as Json)) {
      // AWS::LanguageExtensions loops are not expanded: their resources are not in this inventory.
      if (logicalId.startsWith('Fn::ForEach::')) {
        this.skipped.push(logicalId);
        continue;
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new InputError(file, ['Resources', logicalId], 'a resource declaration must be a mapping with Type and Properties');
      }
      const type = (raw as Json).Type;
      if (type === undefined) throw new InputError(file, ['Resources', logicalId, 'Type'], 'resource has no Type');
      if (typeof type !== 'string') throw new InputError(file, ['Resources', logicalId, 'Type'], 'Type must be a string');
      const properties = (raw as Json).Properties;
      if (properties !== undefined && properties !== null && (typeof properties !== 'object' || Array.isArray(properties))) {
        throw new InputError(file, ['Resources', logicalId, 'Properties'], 'Properties must be a mapping');
      }
      this.resources.set(logicalId, { logicalId, type, raw: raw as Json });
    }
    this.parameters = sectionOf(this.template, 'Parameters', file);
    this.mappings = sectionOf(this.template, 'Mappings', file);
    this.conditions = sectionOf(this.template, 'Conditions', file);
    this.transforms = transformsOf(this.template, file).filter((t) => t !== LANGUAGE_EXTENSIONS);
    validateTemplate(
      {
        resources: resources as Json,
        parameters: this.parameters,
        conditions: this.conditions,
        outputs: sectionOf(this.template, 'Outputs', file),
        transformed: this.transforms.length > 0,
      },
      file,
    );
    for (const name of Object.keys(this.parameters)) {
      options.declaredParameters?.add(name);
      const given = parameterOverride(options.parameters, name);
      if (given !== undefined) checkParameterValue(name, given, this.parameters[name], file);
    }
    this.region = options.region ?? DEFAULT_REGION;
    this.partition = partitionForRegion(this.region);
    this.accountId = options.accountId ?? PLACEHOLDER_ACCOUNT_ID;
    this.stackName = options.stackName ?? stackNameOf(file);
    this.sourceId = options.sourceId ?? file;
    this.resolver = new IntrinsicResolver(this);
    this.locations = new TemplateLocations(parsed, file);
  }

  run(): InventoryInput {
    this.draft.regions.add(this.region);
    const included: TemplateResource[] = [];
    for (const resource of this.resources.values()) {
      const condition = resource.raw.Condition;
      if (typeof condition === 'string') {
        if (this.condition(condition) === false) continue;
      }
      included.push(resource);
    }
    const deferred: (() => void)[] = [];
    for (const resource of included) this.mapResource(resource, deferred);
    // Attachments (bucket policies, aliases, IAM policies) run once every target exists.
    for (const link of deferred) link();
    addAwsManagedKeys(this.draft, this.accountId, this.partition);
    const inventory = this.draft.toInventory({
      accountId: this.accountId,
      partition: this.partition,
      kind: 'cloudformation',
      detail: this.file,
    });
    // Said in the coverage section of reports, like a listing that could not be read.
    inventory.collectionErrors = [
      ...this.transforms.map((transform) => ({
        service: 'cloudformation',
        operation: 'Transform',
        resource: transform,
        errorCode: 'NotExpanded',
        message: `${this.file}: the template uses the transform ${transform}; the resources it generates (${transform.startsWith('AWS::Serverless') ? 'AWS::Serverless::* resources' : 'its output'}) are not evaluated: scan the processed template (e.g. sam build, or aws cloudformation get-template --template-stage Processed)`,
      })),
      ...this.skipped.map((logicalId) => ({
        service: 'cloudformation',
        operation: 'Fn::ForEach',
        resource: logicalId,
        errorCode: 'NotExpanded',
        message: `${this.file}: the resources generated by ${logicalId} (AWS::LanguageExtensions) are not evaluated`,
      })),
    ];
    return inventory;
  }

  // ------------------------------------------------------------ IntrinsicHost

  refParameter(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return urlSuffixForPartition(this.partition);
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/${syntheticUuid(`stack:${this.stackName}`)}`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    if (!Object.prototype.hasOwnProperty.call(this.parameters, name)) return undefined;
    if (this.parameterValues.has(name)) return this.parameterValues.get(name);
    const value = this.parameterValue(name);
    this.parameterValues.set(name, value);
    return value;
  }

  private parameterValue(name: string): unknown {
    const declaration = (this.parameters[name] ?? {}) as Json;
    const type = typeof declaration.Type === 'string' ? declaration.Type : 'String';
    const override = parameterOverride(this.options.parameters, name);
    if (type.startsWith('AWS::SSM::Parameter::Value')) {
      return new Unresolved(`parameter ${name} is read from SSM Parameter Store at deploy time`);
    }
    let value: unknown = override ?? declaration.Default;
    if (value === undefined || value === null) return new Unresolved(`parameter ${name} has no default and no value was given`);
    if (type.startsWith('List<') || type === 'CommaDelimitedList') {
      return Array.isArray(value) ? value.map(String) : String(value).split(',').map((s) => s.trim());
    }
    if (typeof value !== 'string') value = String(value);
    return value;
  }

  refResource(name: string): unknown {
    if (!this.resources.has(name)) return undefined;
    return this.identity(name).ref;
  }

  getAtt(logicalId: string, attribute: string): unknown {
    if (!this.resources.has(logicalId)) return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: no such resource`);
    const value = this.identity(logicalId).attributes[attribute];
    return value ?? new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: assigned at deploy time`);
  }

  mapping(mapName: string, topKey: string, secondKey: string): unknown {
    const map = this.mappings[mapName];
    if (typeof map !== 'object' || map === null) return undefined;
    const top = (map as Json)[topKey];
    if (typeof top !== 'object' || top === null) return undefined;
    const value = (top as Json)[secondKey];
    return value === undefined ? undefined : this.resolver.resolve(value);
  }

  condition(name: string): boolean | Unresolved {
    const cached = this.conditionValues.get(name);
    if (cached !== undefined) return cached;
    if (!Object.prototype.hasOwnProperty.call(this.conditions, name)) {
      throw new InputError(this.file, ['Conditions', name], 'condition is used but not defined');
    }
    if (this.conditionInProgress.has(name)) throw new InputError(this.file, ['Conditions', name], 'condition refers to itself');
    this.conditionInProgress.add(name);
    const value = this.resolver.evaluateCondition(this.conditions[name]);
    this.conditionInProgress.delete(name);
    this.conditionValues.set(name, value);
    return value;
  }

  // ------------------------------------------------------------ identities

  private identity(logicalId: string): Identity {
    const cached = this.identities.get(logicalId);
    if (cached) return cached;
    if (this.identityInProgress.has(logicalId)) {
      return { name: logicalId, ref: new Unresolved(`circular reference through ${logicalId}`), attributes: {} };
    }
    this.identityInProgress.add(logicalId);
    const resource = this.resources.get(logicalId)!;
    const identity = this.computeIdentity(resource);
    this.identityInProgress.delete(logicalId);
    this.identities.set(logicalId, identity);
    return identity;
  }

  /** Resolves just the name property (names may themselves use intrinsics). */
  private nameProperty(resource: TemplateResource, property: string, fallback: string): { name: string; unresolved?: string } {
    const props = (resource.raw.Properties ?? {}) as Json;
    if (props[property] === undefined) return { name: fallback };
    const value = this.resolver.resolve(props[property]);
    if (value instanceof Unresolved || value === NO_VALUE || typeof value === 'object') {
      return value === NO_VALUE ? { name: fallback } : { name: fallback, unresolved: property };
    }
    return { name: String(value) };
  }

  /**
   * The name CloudFormation gives a resource whose name property is absent (or cannot be resolved
   * before deploy): `<stack>-<LogicalId>-<SUFFIX>`, unique to the stack, here with a suffix derived
   * from the input's identity and the logical id. Two templates that both declare an unnamed `Role`
   * so get two roles, as they would in two stacks, and the same template always gets the same names.
   */
  private physicalName(logicalId: string, type: string): string {
    const limits = mapperFor(type)?.nameLimit ?? { max: 128 };
    const suffix = syntheticAlnumId(`${this.sourceId}\u0000${logicalId}`, 12);
    const clean = (part: string) => part.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
    let stack = clean(this.stackName);
    let logical = clean(logicalId);
    const budget = limits.max - suffix.length - 2;
    // Like CloudFormation, shorten both parts to fit the service's limit, the stack name first.
    if (stack.length + logical.length + 1 > budget) {
      logical = logical.slice(0, Math.max(1, Math.min(logical.length, Math.floor(budget / 2))));
      stack = stack.slice(0, Math.max(1, budget - logical.length - 1));
    }
    const name = `${stack}-${logical}-${suffix}`;
    return limits.lowerCase ? name.toLowerCase() : name;
  }

  /** What the type's mapper says (physical name, ARN, Ref, attributes); unmapped types are assigned at deploy time. */
  private computeIdentity(resource: TemplateResource): Identity {
    const { logicalId, type } = resource;
    const mapper = mapperFor(type);
    if (!mapper?.identity) {
      return { name: logicalId, ref: new Unresolved(`Ref ${logicalId} (${type}): physical id assigned at deploy time`), attributes: {} };
    }
    const ctx: IdentityContext = {
      partition: this.partition,
      region: this.region,
      accountId: this.accountId,
      seed: `${type}:${this.sourceId}:${logicalId}`,
      named: (property, fallback = this.physicalName(logicalId, type)) => this.nameProperty(resource, property, fallback),
      resolve: (value) => this.resolver.resolve(value),
    };
    return mapper.identity(resource, ctx);
  }

  // ------------------------------------------------------------ mapping

  /**
   * Resolves the resource's properties and hands them to its type's mapper. Every resource is
   * resolved and named, mapped or not, so that a broken intrinsic or condition is an error in any
   * resource, as CloudFormation would reject it.
   */
  private mapResource(resource: TemplateResource, deferred: (() => void)[]): void {
    const { logicalId, type } = resource;
    const resolved = this.resolver.resolve(resource.raw.Properties ?? {});
    const props = (typeof resolved === 'object' && resolved !== null && !Array.isArray(resolved) ? resolved : {}) as Json;
    const unresolved = new Set<string>();
    const read = new PropertyReader(props, unresolved);
    const identity = this.identity(logicalId);
    if (identity.nameUnresolved) unresolved.add(identity.nameUnresolved);
    if (typeof resource.raw.Condition === 'string' && this.condition(resource.raw.Condition) instanceof Unresolved) {
      unresolved.add('Condition');
    }
    const mapper = mapperFor(type);
    if (!mapper?.map) return;
    // IAM is global: the live collector records its resources in region `global`, and so do we.
    const region = mapper.global ? 'global' : this.region;
    const ctx: MapContext = {
      draft: this.draft,
      partition: this.partition,
      accountId: this.accountId,
      region,
      identity,
      read,
      unresolved,
      base: (): BaseFields => ({
        arn: identity.arn ?? identity.name,
        region,
        source: this.locations.sourceOf(logicalId),
        ...tagsOf(read),
      }),
      notes: () => (unresolved.size ? [...unresolved].sort() : undefined),
      defer: (link) => {
        deferred.push(link);
      },
      linkLocation: (target, key, fromLogicalId, fromProperty) => this.locations.linkLocation(target, key, fromLogicalId, fromProperty),
    };
    mapper.map(resource, ctx);
  }
}

/** The --parameters value for `name`, own keys only: a parameter may be named `constructor`. */
function parameterOverride(parameters: Record<string, string> | undefined, name: string): string | undefined {
  return parameters !== undefined && Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : undefined;
}
