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
 */
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import type { InventoryInput, SourceLocation } from '../../inventory/schema.js';
import { stripBom } from '../../inventory/input-text.js';
import { parseCfnText, type ParsedTemplate, type Position } from './cfn-parse.js';
import { validateTemplate } from './cfn-validate.js';
import { IntrinsicResolver, NO_VALUE, Unresolved, type IntrinsicHost } from './cfn-intrinsics.js';
import { InventoryDraft, compact, type BucketDraft, type KeyDraft, type RoleDraft, type UserDraft, type GroupDraft } from './draft.js';
import type { IacImportOptions } from './options.js';
import { PropertyReader, UNKNOWN, known, type Read } from './props.js';
import { addAwsManagedKeys } from './aws-managed-keys.js';
import {
  DEFAULT_REGION,
  PLACEHOLDER_ACCOUNT_ID,
  S3_NEW_BUCKET_DEFAULT_BLOCK,
  defaultKeyPolicy,
  iamPath,
  partitionForRegion,
  syntheticAlnumId,
  syntheticHexId,
  syntheticUuid,
  urlSuffixForPartition,
} from './synth.js';

type Json = Record<string, unknown>;

interface TemplateResource {
  logicalId: string;
  type: string;
  raw: Json;
}

interface Identity {
  name: string;
  arn?: string;
  ref: unknown;
  attributes: Record<string, unknown>;
  /** Name property could not be resolved: the name is synthesized from the logical id. */
  nameUnresolved?: string;
}

/** Where the property paths of a resource are recorded: at most this many segments deep. */
const MAX_LOCATION_DEPTH = 6;

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
  private readonly propertyLocations = new Map<string, Map<string, Position>>();
  private readonly resourceLocations = new Map<string, Position>();
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
      const given = options.parameters?.[name];
      if (given !== undefined) checkParameterValue(name, given, this.parameters[name], file);
    }
    this.region = options.region ?? DEFAULT_REGION;
    this.partition = partitionForRegion(this.region);
    this.accountId = options.accountId ?? PLACEHOLDER_ACCOUNT_ID;
    this.stackName = options.stackName ?? stackNameOf(file);
    this.sourceId = options.sourceId ?? file;
    this.resolver = new IntrinsicResolver(this);
    this.indexLocations(parsed);
  }

  private indexLocations(parsed: ParsedTemplate): void {
    for (const [key, position] of parsed.locations) {
      const parts = key.split('\u0000');
      if (parts[0] !== 'Resources' || parts.length < 2) continue;
      const logicalId = parts[1]!;
      if (parts.length === 2) {
        this.resourceLocations.set(logicalId, position);
        continue;
      }
      if (parts[2] !== 'Properties' || parts.length < 4) continue;
      const rest = parts.slice(3);
      if (rest.length > MAX_LOCATION_DEPTH) continue;
      // Positions inside intrinsic functions (`Fn::If` branches) are not property paths.
      if (rest.some((p) => p === 'Ref' || p.startsWith('Fn::'))) continue;
      const formatted = rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      let out = '';
      for (const part of formatted) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
      const map = this.propertyLocations.get(logicalId) ?? new Map<string, Position>();
      map.set(out, position);
      this.propertyLocations.set(logicalId, map);
    }
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
    const override = this.options.parameters?.[name];
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
    const limits = NAME_LIMITS[type] ?? { max: 128 };
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

  private computeIdentity(resource: TemplateResource): Identity {
    const { logicalId, type } = resource;
    const p = this.partition;
    const r = this.region;
    const a = this.accountId;
    const seed = `${type}:${this.sourceId}:${logicalId}`;
    const named = (property: string, fallback = this.physicalName(logicalId, type)) => this.nameProperty(resource, property, fallback);
    const iamPathOf = () => {
      const props = (resource.raw.Properties ?? {}) as Json;
      const value = props.Path === undefined ? '/' : this.resolver.resolve(props.Path);
      return iamPath(typeof value === 'string' ? value : '/');
    };
    switch (type) {
      case 'AWS::S3::Bucket': {
        const { name, unresolved } = named('BucketName');
        const arn = `arn:${p}:s3:::${name}`;
        return {
          name,
          arn,
          ref: name,
          nameUnresolved: unresolved,
          attributes: {
            Arn: arn,
            DomainName: `${name}.s3.${urlSuffixForPartition(p)}`,
            RegionalDomainName: `${name}.s3.${r}.${urlSuffixForPartition(p)}`,
            DualStackDomainName: `${name}.s3.dualstack.${r}.${urlSuffixForPartition(p)}`,
            WebsiteURL: `http://${name}.s3-website-${r}.${urlSuffixForPartition(p)}`,
          },
        };
      }
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey': {
        const keyId = syntheticUuid(seed);
        const arn = `arn:${p}:kms:${r}:${a}:key/${keyId}`;
        return { name: keyId, arn, ref: keyId, attributes: { Arn: arn, KeyId: keyId } };
      }
      case 'AWS::KMS::Alias': {
        const { name, unresolved } = named('AliasName', `alias/${logicalId}`);
        return { name, arn: `arn:${p}:kms:${r}:${a}:${name}`, ref: name, attributes: {}, nameUnresolved: unresolved };
      }
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group': {
        const kind = type.slice('AWS::IAM::'.length);
        const { name, unresolved } = named(`${kind}Name`);
        const arn = `arn:${p}:iam::${a}:${kind.toLowerCase()}${iamPathOf()}${name}`;
        const idPrefix = kind === 'Role' ? 'AROA' : kind === 'User' ? 'AIDA' : 'AGPA';
        return {
          name,
          arn,
          ref: name,
          nameUnresolved: unresolved,
          attributes: { Arn: arn, [`${kind}Id`]: `${idPrefix}${syntheticAlnumId(seed, 17)}` },
        };
      }
      case 'AWS::IAM::ManagedPolicy': {
        const { name, unresolved } = named('ManagedPolicyName');
        const arn = `arn:${p}:iam::${a}:policy${iamPathOf()}${name}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { PolicyArn: arn } };
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::RolePolicy':
      case 'AWS::IAM::UserPolicy':
      case 'AWS::IAM::GroupPolicy': {
        const { name, unresolved } = named('PolicyName');
        return { name, ref: name, nameUnresolved: unresolved, attributes: {} };
      }
      case 'AWS::IAM::InstanceProfile': {
        const { name } = named('InstanceProfileName');
        const arn = `arn:${p}:iam::${a}:instance-profile${iamPathOf()}${name}`;
        return { name, arn, ref: name, attributes: { Arn: arn } };
      }
      case 'AWS::CloudTrail::Trail': {
        const { name, unresolved } = named('TrailName');
        const arn = `arn:${p}:cloudtrail:${r}:${a}:trail/${name}`;
        return { name, arn, ref: name, nameUnresolved: unresolved, attributes: { Arn: arn } };
      }
      case 'AWS::Logs::LogGroup': {
        const { name } = named('LogGroupName');
        return { name, ref: name, attributes: { Arn: `arn:${p}:logs:${r}:${a}:log-group:${name}:*` } };
      }
      case 'AWS::SNS::Topic': {
        const { name } = named('TopicName');
        const arn = `arn:${p}:sns:${r}:${a}:${name}`;
        return { name, arn, ref: arn, attributes: { TopicArn: arn, TopicName: name } };
      }
      case 'AWS::SageMaker::NotebookInstance': {
        const { name, unresolved } = named('NotebookInstanceName');
        const arn = `arn:${p}:sagemaker:${r}:${a}:notebook-instance/${name.toLowerCase()}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { NotebookInstanceName: name } };
      }
      case 'AWS::SageMaker::Model': {
        const { name, unresolved } = named('ModelName');
        const arn = `arn:${p}:sagemaker:${r}:${a}:model/${name.toLowerCase()}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { ModelName: name } };
      }
      case 'AWS::SageMaker::EndpointConfig': {
        const { name, unresolved } = named('EndpointConfigName');
        const arn = `arn:${p}:sagemaker:${r}:${a}:endpoint-config/${name.toLowerCase()}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { EndpointConfigName: name } };
      }
      case 'AWS::SageMaker::Domain': {
        const { name, unresolved } = named('DomainName');
        const id = syntheticHexId('d-', seed, 12);
        const arn = `arn:${p}:sagemaker:${r}:${a}:domain/${id}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { DomainArn: arn, DomainId: id } };
      }
      case 'AWS::Bedrock::Guardrail': {
        const { name, unresolved } = named('Name');
        const id = syntheticAlnumId(seed, 12).toLowerCase();
        const arn = `arn:${p}:bedrock:${r}:${a}:guardrail/${id}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { GuardrailArn: arn, GuardrailId: id, Version: 'DRAFT' } };
      }
      case 'AWS::Bedrock::GuardrailVersion': {
        return { name: logicalId, ref: new Unresolved('guardrail version number is assigned at deploy time'), attributes: {} };
      }
      case 'AWS::Bedrock::Agent': {
        const { name, unresolved } = named('AgentName');
        const id = syntheticAlnumId(seed, 10);
        const arn = `arn:${p}:bedrock:${r}:${a}:agent/${id}`;
        return { name, arn, ref: id, nameUnresolved: unresolved, attributes: { AgentArn: arn, AgentId: id } };
      }
      case 'AWS::EC2::VPCEndpoint': {
        const id = syntheticHexId('vpce-', seed);
        return { name: id, arn: `arn:${p}:ec2:${r}:${a}:vpc-endpoint/${id}`, ref: id, attributes: { Id: id } };
      }
      case 'AWS::EC2::VPC': {
        const id = syntheticHexId('vpc-', seed);
        return { name: id, ref: id, attributes: { VpcId: id } };
      }
      case 'AWS::EC2::Subnet': {
        const id = syntheticHexId('subnet-', seed);
        return { name: id, ref: id, attributes: { SubnetId: id } };
      }
      case 'AWS::EC2::SecurityGroup': {
        const id = syntheticHexId('sg-', seed);
        return { name: id, ref: id, attributes: { GroupId: id } };
      }
      case 'AWS::AccessAnalyzer::Analyzer': {
        const { name, unresolved } = named('AnalyzerName');
        const arn = `arn:${p}:access-analyzer:${r}:${a}:analyzer/${name}`;
        return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { Arn: arn } };
      }
      case 'AWS::GuardDuty::Detector': {
        const id = syntheticHexId('', seed, 32);
        return { name: id, ref: id, attributes: { Id: id } };
      }
      case 'AWS::Config::ConfigurationRecorder': {
        const { name } = named('Name', 'default');
        return { name, ref: name, attributes: {} };
      }
      case 'AWS::SecurityHub::Hub': {
        const arn = `arn:${p}:securityhub:${r}:${a}:hub/default`;
        return { name: 'default', arn, ref: arn, attributes: { ARN: arn } };
      }
      default:
        return { name: logicalId, ref: new Unresolved(`Ref ${logicalId} (${type}): physical id assigned at deploy time`), attributes: {} };
    }
  }

  // ------------------------------------------------------------ mapping

  private sourceOf(logicalId: string): SourceLocation {
    const position = this.resourceLocations.get(logicalId);
    const properties = this.propertyLocations.get(logicalId);
    return compact({
      file: this.file,
      line: position?.line,
      column: position?.column,
      logicalId,
      properties: properties && properties.size ? Object.fromEntries([...properties.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) : undefined,
    });
  }

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
    // IAM is global: the live collector records its resources in region `global`, and so do we.
    const region = type.startsWith('AWS::IAM::') ? 'global' : this.region;
    const base = () => ({
      arn: identity.arn ?? identity.name,
      region,
      source: this.sourceOf(logicalId),
      ...tagsOf(read),
    });
    const notes = () => (unresolved.size ? [...unresolved].sort() : undefined);

    switch (type) {
      case 'AWS::S3::Bucket': {
        const bucket: BucketDraft = compact({
          ...base(),
          name: identity.name,
          publicAccessBlock: this.publicAccessBlock(read, unresolved),
          publicAccessBlockFromDefault: read.value('PublicAccessBlockConfiguration') === undefined ? true : undefined,
          encryption: bucketEncryption(read),
          policy: null,
          versioning: versioning(read),
          objectLock: objectLock(read),
          logging: bucketLogging(read, identity.name),
          ownership: ownership(read),
        });
        this.draft.buckets.push(bucket);
        deferred.push(() => setNotes(bucket, notes()));
        return;
      }
      case 'AWS::S3::BucketPolicy': {
        const bucketName = known(read.str('Bucket'));
        const document = read.value('PolicyDocument');
        deferred.push(() => {
          const bucket = this.draft.buckets.find((b) => b.name === bucketName);
          if (!bucket) return;
          if (document === UNKNOWN || document === undefined) {
            delete bucket.policy;
            addNote(bucket, 'BucketPolicy');
          } else {
            bucket.policy = document;
          }
          this.linkLocation(bucket, 'BucketPolicy', logicalId, 'PolicyDocument');
          // Bucket-policy rules name the setting `PolicyDocument` (the BucketPolicy's property).
          this.linkLocation(bucket, 'PolicyDocument', logicalId, 'PolicyDocument');
        });
        return;
      }
      case 'AWS::KMS::Key': {
        const enabled = known(read.bool('Enabled', true));
        const key: KeyDraft = compact({
          ...base(),
          keyId: identity.name,
          aliases: [],
          keyManager: 'CUSTOMER' as const,
          keyState: enabled === undefined ? undefined : enabled ? 'Enabled' : 'Disabled',
          keySpec: known(read.str('KeySpec', 'SYMMETRIC_DEFAULT')),
          keyUsage: known(read.str('KeyUsage', 'ENCRYPT_DECRYPT')),
          origin: known(read.str('Origin', 'AWS_KMS')),
          description: known(read.str('Description')),
          rotationEnabled: known(read.bool('EnableKeyRotation', false)),
          // Without KeyPolicy, KMS attaches its documented default policy (root account, kms:*).
          policy: read.value('KeyPolicy') === undefined ? defaultKeyPolicy(this.partition, this.accountId) : known(read.value('KeyPolicy')),
        });
        this.draft.keys.push(key);
        deferred.push(() => setNotes(key, notes()));
        return;
      }
      case 'AWS::KMS::Alias': {
        const target = known(read.str('TargetKeyId'));
        deferred.push(() => {
          const key = this.draft.keys.find((k) => k.keyId === target || k.arn === target);
          if (key && !identity.nameUnresolved) key.aliases.push(identity.name);
        });
        return;
      }
      case 'AWS::CloudTrail::Trail': {
        const advanced = read.list('AdvancedEventSelectors');
        const classic = read.list('EventSelectors');
        const trail = compact({
          ...base(),
          name: identity.name,
          homeRegion: region,
          isMultiRegionTrail: known(read.bool('IsMultiRegionTrail', false)) ?? false,
          isOrganizationTrail: known(read.bool('IsOrganizationTrail', false)) ?? false,
          isLogging: known(read.bool('IsLogging')),
          logFileValidationEnabled: known(read.bool('EnableLogFileValidation', false)),
          kmsKeyId: nullable(read.str('KMSKeyId')),
          s3BucketName: known(read.str('S3BucketName')),
          cloudWatchLogsLogGroupArn: nullable(read.str('CloudWatchLogsLogGroupArn')),
          eventSelectors:
            advanced !== undefined && advanced !== UNKNOWN
              ? null
              : classic === UNKNOWN || advanced === UNKNOWN
                ? undefined
                : classic === undefined
                  ? [{ readWriteType: 'All' as const, includeManagementEvents: true, dataResources: [] }]
                  : classic.map((s) => eventSelector(s as Json)),
          advancedEventSelectors:
            advanced === UNKNOWN ? undefined : advanced === undefined ? null : advanced.map((s) => advancedSelector(s as Json)),
        });
        this.draft.trails.push(trail);
        deferred.push(() => setNotes(trail, notes()));
        return;
      }
      case 'AWS::IAM::Role': {
        const role: RoleDraft = compact({
          ...base(),
          name: identity.name,
          path: iamPath(known(read.str('Path'))),
          trustPolicy: policyOrMarker(read, 'AssumeRolePolicyDocument'),
          description: known(read.str('Description')),
          maxSessionDuration: known(read.num('MaxSessionDuration')) ?? 3600,
          permissionsBoundary: nullable(read.str('PermissionsBoundary')),
          attachedManagedPolicies: managedPolicyArns(read),
          inlinePolicies: inlinePolicies(read),
        });
        this.draft.roles.push(role);
        deferred.push(() => setNotes(role, notes()));
        return;
      }
      case 'AWS::IAM::User': {
        const user: UserDraft = compact({
          ...base(),
          name: identity.name,
          path: iamPath(known(read.str('Path'))),
          groups: known(read.strList('Groups')) ?? [],
          consoleAccess: read.value('LoginProfile') === undefined ? false : true,
          permissionsBoundary: nullable(read.str('PermissionsBoundary')),
          attachedManagedPolicies: managedPolicyArns(read),
          inlinePolicies: inlinePolicies(read),
        });
        this.draft.users.push(user);
        deferred.push(() => setNotes(user, notes()));
        return;
      }
      case 'AWS::IAM::Group': {
        const group: GroupDraft = compact({
          ...base(),
          name: identity.name,
          path: iamPath(known(read.str('Path'))),
          attachedManagedPolicies: managedPolicyArns(read),
          inlinePolicies: inlinePolicies(read),
        });
        this.draft.groups.push(group);
        deferred.push(() => setNotes(group, notes()));
        return;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const roles = known(read.strList('Roles')) ?? [];
        const users = known(read.strList('Users')) ?? [];
        const groups = known(read.strList('Groups')) ?? [];
        const document = read.partial('PolicyDocument');
        const policy = compact({
          ...base(),
          name: identity.name,
          path: iamPath(known(read.str('Path'))),
          awsManaged: false,
          defaultVersionId: 'v1',
          attachmentCount: roles.length + users.length + groups.length,
          document: document === UNKNOWN ? undefined : document,
        });
        this.draft.policies.push(policy);
        deferred.push(() => {
          setNotes(policy, notes());
          for (const principal of this.principals(roles, users, groups)) principal.attachedManagedPolicies.push(policy.arn);
        });
        return;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::RolePolicy':
      case 'AWS::IAM::UserPolicy':
      case 'AWS::IAM::GroupPolicy': {
        const document = read.partial('PolicyDocument');
        const roles = type === 'AWS::IAM::RolePolicy' ? [known(read.str('RoleName'))] : known(read.strList('Roles')) ?? [];
        const users = type === 'AWS::IAM::UserPolicy' ? [known(read.str('UserName'))] : known(read.strList('Users')) ?? [];
        const groups = type === 'AWS::IAM::GroupPolicy' ? [known(read.str('GroupName'))] : known(read.strList('Groups')) ?? [];
        deferred.push(() => {
          for (const principal of this.principals(roles, users, groups)) {
            const index = principal.inlinePolicies.length;
            const key = `Policies[${index}]`;
            if (document === UNKNOWN || document === undefined) {
              addNote(principal, key);
              continue;
            }
            principal.inlinePolicies.push({ name: identity.name, policy: document });
            for (const note of unresolved) addNote(principal, `${key}.${note}`);
            this.linkLocation(principal, key, logicalId, 'PolicyDocument');
          }
        });
        return;
      }
      case 'AWS::IAM::UserToGroupAddition': {
        const group = known(read.str('GroupName'));
        const users = known(read.strList('Users')) ?? [];
        deferred.push(() => {
          for (const user of this.draft.users) if (group && users.includes(user.name)) user.groups.push(group);
        });
        return;
      }
      case 'AWS::SageMaker::NotebookInstance': {
        const notebook = compact({
          ...base(),
          name: identity.name,
          directInternetAccess: known(read.str('DirectInternetAccess', 'Enabled')) as 'Enabled' | 'Disabled' | undefined,
          subnetId: nullable(read.str('SubnetId')),
          securityGroups: known(read.strList('SecurityGroupIds')) ?? (read.value('SecurityGroupIds') === UNKNOWN ? undefined : []),
          kmsKeyId: nullable(read.str('KmsKeyId')),
          rootAccess: known(read.str('RootAccess', 'Enabled')) as 'Enabled' | 'Disabled' | undefined,
          roleArn: known(read.str('RoleArn')),
          instanceType: known(read.str('InstanceType')),
        });
        this.draft.notebooks.push(notebook);
        deferred.push(() => setNotes(notebook, notes()));
        return;
      }
      case 'AWS::SageMaker::Model': {
        const containers = read.list('Containers');
        const model = compact({
          ...base(),
          name: identity.name,
          enableNetworkIsolation: known(read.bool('EnableNetworkIsolation', false)),
          vpcConfig: vpcConfig(read, 'VpcConfig', 'Subnets', 'SecurityGroupIds'),
          executionRoleArn: known(read.str('ExecutionRoleArn')),
          primaryContainerImage:
            known(read.str('PrimaryContainer.Image')) ??
            (Array.isArray(containers) ? known(read.str('Containers[0].Image')) : undefined),
        });
        this.draft.models.push(model);
        deferred.push(() => setNotes(model, notes()));
        return;
      }
      case 'AWS::SageMaker::EndpointConfig': {
        const variants = read.list('ProductionVariants');
        const capture = read.value('DataCaptureConfig');
        const config = compact({
          ...base(),
          name: identity.name,
          kmsKeyId: nullable(read.str('KmsKeyId')),
          dataCaptureEnabled:
            capture === undefined ? false : capture === UNKNOWN ? undefined : known(read.bool('DataCaptureConfig.EnableCapture', true)),
          productionVariants:
            variants === UNKNOWN || variants === undefined
              ? undefined
              : variants.map((_, i) =>
                  compact({
                    variantName: known(read.str(`ProductionVariants[${i}].VariantName`)) ?? `variant-${i}`,
                    modelName: modelNameFrom(known(read.str(`ProductionVariants[${i}].ModelName`))) ?? '',
                    instanceType: known(read.str(`ProductionVariants[${i}].InstanceType`)),
                  }),
                ),
        });
        this.draft.endpointConfigs.push(config);
        deferred.push(() => setNotes(config, notes()));
        return;
      }
      case 'AWS::SageMaker::Domain': {
        const domain = compact({
          ...base(),
          id: String(identity.attributes.DomainId),
          name: identity.name,
          appNetworkAccessType: known(read.str('AppNetworkAccessType', 'PublicInternetOnly')) as 'PublicInternetOnly' | 'VpcOnly' | undefined,
          kmsKeyId: nullable(read.str('KmsKeyId')),
          vpcId: known(read.str('VpcId')),
          subnetIds: known(read.strList('SubnetIds')),
          authMode: known(read.str('AuthMode')),
        });
        this.draft.domains.push(domain);
        deferred.push(() => setNotes(domain, notes()));
        return;
      }
      case 'AWS::Bedrock::Guardrail': {
        const guardrail = compact({
          ...base(),
          id: String(identity.attributes.GuardrailId),
          name: identity.name,
          version: 'DRAFT',
          kmsKeyArn: nullable(read.str('KmsKeyArn')),
          contentPolicy: objectList(read, 'ContentPolicyConfig', 'FiltersConfig', (i, p) => ({
            type: known(read.str(`${p}[${i}].Type`)) ?? '',
            inputStrength: (known(read.str(`${p}[${i}].InputStrength`)) ?? 'NONE') as 'NONE',
            outputStrength: (known(read.str(`${p}[${i}].OutputStrength`)) ?? 'NONE') as 'NONE',
          }), (filters) => ({ filters })),
          sensitiveInformationPolicy: sensitiveInformation(read),
          topicPolicy: objectList(read, 'TopicPolicyConfig', 'TopicsConfig', (i, p) => ({
            name: known(read.str(`${p}[${i}].Name`)) ?? '',
            type: known(read.str(`${p}[${i}].Type`)) ?? 'DENY',
          }), (topics) => ({ topics })),
          wordPolicy: wordPolicy(read),
          contextualGroundingPolicy: objectList(read, 'ContextualGroundingPolicyConfig', 'FiltersConfig', (i, p) => ({
            type: known(read.str(`${p}[${i}].Type`)) ?? '',
            threshold: known(read.num(`${p}[${i}].Threshold`)) ?? 0,
          }), (filters) => ({ filters })),
        });
        this.draft.guardrails.push(guardrail);
        deferred.push(() => setNotes(guardrail, notes()));
        return;
      }
      case 'AWS::Bedrock::Agent': {
        const guardrailConfig = read.value('GuardrailConfiguration');
        const identifier = known(read.str('GuardrailConfiguration.GuardrailIdentifier'));
        const agent = compact({
          ...base(),
          id: String(identity.attributes.AgentId),
          name: identity.name,
          roleArn: known(read.str('AgentResourceRoleArn')),
          foundationModel: known(read.str('FoundationModel')),
          kmsKeyArn: nullable(read.str('CustomerEncryptionKeyArn')),
          guardrail:
            guardrailConfig === undefined
              ? null
              : guardrailConfig === UNKNOWN || identifier === undefined
                ? undefined
                : compact({ id: identifier, version: known(read.str('GuardrailConfiguration.GuardrailVersion')) }),
        });
        this.draft.agents.push(agent);
        deferred.push(() => setNotes(agent, notes()));
        return;
      }
      case 'AWS::EC2::VPCEndpoint': {
        const vpcId = known(read.str('VpcId'));
        const endpoint = compact({
          ...base(),
          id: identity.name,
          vpcId: vpcId ?? `<unresolved: VpcId>`,
          serviceName: known(read.str('ServiceName')) ?? '<unresolved: ServiceName>',
          type: (known(read.str('VpcEndpointType', 'Gateway')) ?? 'Gateway') as 'Gateway',
          privateDnsEnabled: known(read.bool('PrivateDnsEnabled', false)),
          policy: nullable(read.value('PolicyDocument')),
        });
        this.draft.vpcEndpoints.push(endpoint);
        deferred.push(() => setNotes(endpoint, notes()));
        return;
      }
      case 'AWS::AccessAnalyzer::Analyzer': {
        const analyzer = compact({
          ...base(),
          name: identity.name,
          type: known(read.str('Type')) ?? 'ACCOUNT',
          status: 'ACTIVE',
        });
        this.draft.analyzers.push(analyzer);
        deferred.push(() => setNotes(analyzer, notes()));
        return;
      }
      case 'AWS::GuardDuty::Detector': {
        const enabled = known(read.bool('Enable'));
        if (enabled !== undefined) {
          this.draft.guardDutyDetectors.push({ region, id: identity.name, status: enabled ? 'ENABLED' : 'DISABLED' });
        }
        return;
      }
      case 'AWS::Config::ConfigurationRecorder': {
        this.draft.configRecorders.push(
          compact({ region, name: identity.name, allSupported: known(read.bool('RecordingGroup.AllSupported', false)) }),
        );
        return;
      }
      case 'AWS::SecurityHub::Hub':
        this.draft.securityHubs.push({ region, enabled: true, hubArn: identity.arn });
        return;
      case 'AWS::Macie::Session': {
        const status = known(read.str('Status', 'ENABLED'));
        if (status === 'ENABLED' || status === 'PAUSED') this.draft.macieSessions.push({ region, status });
        return;
      }
      default:
        return;
    }
  }

  /**
   * Bucket-level Block Public Access as declared. Not declared: the template creates the bucket,
   * and S3 has turned all four settings on for every new bucket since April 2023, so absence is
   * that default (flagged, so the verdict can say so); an explicit `false` is what weakens it.
   */
  private publicAccessBlock(read: PropertyReader, unresolved: Set<string>) {
    const declared = read.value('PublicAccessBlockConfiguration');
    if (declared === undefined) return { ...S3_NEW_BUCKET_DEFAULT_BLOCK };
    if (declared === UNKNOWN) return undefined;
    const flag = (name: string) => known(read.bool(`PublicAccessBlockConfiguration.${name}`, false));
    const flags = {
      blockPublicAcls: flag('BlockPublicAcls'),
      ignorePublicAcls: flag('IgnorePublicAcls'),
      blockPublicPolicy: flag('BlockPublicPolicy'),
      restrictPublicBuckets: flag('RestrictPublicBuckets'),
    };
    if (Object.values(flags).some((v) => v === undefined)) return undefined;
    return flags as { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
  }

  private principals(roles: (string | undefined)[], users: (string | undefined)[], groups: (string | undefined)[]) {
    const out: (RoleDraft | UserDraft | GroupDraft)[] = [];
    for (const name of roles) out.push(...this.draft.roles.filter((r) => r.name === name || r.arn === name));
    for (const name of users) out.push(...this.draft.users.filter((u) => u.name === name || u.arn === name));
    for (const name of groups) out.push(...this.draft.groups.filter((g) => g.name === name || g.arn === name));
    return out;
  }

  /** Points a setting of one resource at the resource that declares it (BucketPolicy -> bucket). */
  private linkLocation(target: { source?: SourceLocation }, key: string, fromLogicalId: string, fromProperty: string): void {
    const position = this.propertyLocations.get(fromLogicalId)?.get(fromProperty) ?? this.resourceLocations.get(fromLogicalId);
    if (!position || !target.source) return;
    target.source.properties = { ...(target.source.properties ?? {}), [key]: { line: position.line, column: position.column } };
  }
}

// ------------------------------------------------------------ helpers

/** Name length limits (and case) of the types whose unnamed resources get a synthesized name. */
const NAME_LIMITS: Record<string, { max: number; lowerCase?: boolean }> = {
  'AWS::S3::Bucket': { max: 63, lowerCase: true },
  'AWS::IAM::Role': { max: 64 },
  'AWS::IAM::User': { max: 64 },
  'AWS::IAM::Group': { max: 128 },
  'AWS::IAM::ManagedPolicy': { max: 128 },
  'AWS::IAM::InstanceProfile': { max: 128 },
  'AWS::CloudTrail::Trail': { max: 128 },
  'AWS::SageMaker::NotebookInstance': { max: 63 },
  'AWS::SageMaker::Model': { max: 63 },
  'AWS::SageMaker::EndpointConfig': { max: 63 },
  'AWS::SageMaker::Domain': { max: 63 },
  'AWS::Bedrock::Guardrail': { max: 50 },
  'AWS::Bedrock::Agent': { max: 100 },
  'AWS::SNS::Topic': { max: 256 },
  'AWS::Logs::LogGroup': { max: 512 },
  'AWS::AccessAnalyzer::Analyzer': { max: 255 },
};

/** The stack name a template stands for: its file name without the template extensions. */
function stackNameOf(file: string): string {
  return path.basename(file).replace(/\.(template\.)?(json|ya?ml|template)$/i, '');
}

function transformsOf(template: Json, file: string): string[] {
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
function checkParameterValue(name: string, value: string, declaration: unknown, file: string): void {
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

function sectionOf(template: Json, name: string, file: string): Json {
  const value = template[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(file, [name], `${name} must be a mapping`);
  return value as Json;
}

export function setNotes(target: object, notes: string[] | undefined): void {
  const draft = target as { unresolved?: string[] };
  const merged = new Set([...(draft.unresolved ?? []), ...(notes ?? [])]);
  if (merged.size) draft.unresolved = [...merged].sort();
}

export function addNote(draft: object, note: string): void {
  setNotes(draft, [note]);
}

/** Absent -> null (the setting is not configured), unknown -> undefined, known -> value. */
function nullable<T>(value: Read<T>): T | null | undefined {
  if (value === UNKNOWN) return undefined;
  return value === undefined ? null : value;
}

function tagsOf(read: PropertyReader): { tags?: Record<string, string> } {
  const list = read.value('Tags');
  if (list === undefined || list === UNKNOWN) return {};
  const tags: Record<string, string> = {};
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (entry && typeof entry === 'object' && 'Key' in entry) tags[String((entry as Json).Key)] = String((entry as Json).Value ?? '');
    }
  } else if (typeof list === 'object') {
    for (const [k, v] of Object.entries(list as Json)) tags[k] = String(v);
  }
  return Object.keys(tags).length ? { tags } : {};
}

/**
 * S3 applies SSE-S3 (AES256) to every bucket that has no default encryption configured (since
 * January 2023), so a bucket without BucketEncryption is known to be SSE-S3, as a live scan reports.
 */
function bucketEncryption(read: PropertyReader) {
  const declared = read.value('BucketEncryption');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return { rules: [{ sseAlgorithm: 'AES256' }] };
  const rules = read.list('BucketEncryption.ServerSideEncryptionConfiguration');
  if (rules === UNKNOWN) return undefined;
  const out = (rules ?? []).map((_, i) => {
    const p = `BucketEncryption.ServerSideEncryptionConfiguration[${i}]`;
    return compact({
      sseAlgorithm: known(read.str(`${p}.ServerSideEncryptionByDefault.SSEAlgorithm`)) ?? '',
      kmsMasterKeyId: known(read.str(`${p}.ServerSideEncryptionByDefault.KMSMasterKeyID`)),
      bucketKeyEnabled: known(read.bool(`${p}.BucketKeyEnabled`)),
    });
  });
  // An unresolved algorithm or key would let a rule judge the wrong key: the whole setting is unknown.
  if (read.unresolved.size && [...read.unresolved].some((u) => u.startsWith('BucketEncryption'))) return undefined;
  return { rules: out.filter((r) => r.sseAlgorithm !== '') };
}

function versioning(read: PropertyReader) {
  const status = read.str('VersioningConfiguration.Status');
  if (status === UNKNOWN) return undefined;
  return {
    status: (status === 'Enabled' || status === 'Suspended' ? status : 'Off') as 'Enabled' | 'Suspended' | 'Off',
    mfaDelete: 'Disabled' as const,
  };
}

function objectLock(read: PropertyReader) {
  const enabled = read.bool('ObjectLockEnabled', false);
  if (enabled === UNKNOWN) return undefined;
  if (!enabled) return null;
  const retention = read.value('ObjectLockConfiguration.Rule.DefaultRetention');
  if (retention === UNKNOWN) return undefined;
  const mode = known(read.str('ObjectLockConfiguration.Rule.DefaultRetention.Mode'));
  return compact({
    enabled: true,
    defaultRetention:
      retention === undefined || (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
        ? undefined
        : compact({
            mode: mode as 'GOVERNANCE' | 'COMPLIANCE',
            days: known(read.num('ObjectLockConfiguration.Rule.DefaultRetention.Days')),
            years: known(read.num('ObjectLockConfiguration.Rule.DefaultRetention.Years')),
          }),
  });
}

function bucketLogging(read: PropertyReader, bucketName: string) {
  const declared = read.value('LoggingConfiguration');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const target = read.str('LoggingConfiguration.DestinationBucketName');
  if (target === UNKNOWN) return undefined;
  // Without a destination, S3 delivers the access logs to the bucket itself.
  return compact({ targetBucket: target ?? bucketName, targetPrefix: known(read.str('LoggingConfiguration.LogFilePrefix')) });
}

function ownership(read: PropertyReader) {
  const value = read.str('OwnershipControls.Rules[0].ObjectOwnership');
  if (value === UNKNOWN || value === undefined) return undefined;
  return { objectOwnership: value };
}

function policyOrMarker(read: PropertyReader, property: string): unknown {
  const value = read.partial(property);
  if (value === UNKNOWN || value === undefined) return { Version: '2012-10-17', Statement: [] };
  return value;
}

function managedPolicyArns(read: PropertyReader): string[] {
  const list = read.value('ManagedPolicyArns');
  if (!Array.isArray(list)) {
    // UNKNOWN: notes are recorded; keep the known entries out rather than guess.
    return [];
  }
  return list.map(String);
}

function inlinePolicies(read: PropertyReader): { name: string; policy: unknown }[] {
  const list = read.list('Policies');
  if (list === undefined || list === UNKNOWN) {
    if (list === UNKNOWN) {
      // Some entries contain unresolved values: keep the entries with markers.
      const raw = read.props.Policies;
      if (Array.isArray(raw)) {
        return raw.map((_, i) => ({
          name: known(read.str(`Policies[${i}].PolicyName`)) ?? `policy-${i}`,
          policy: policyOrMarker(read, `Policies[${i}].PolicyDocument`),
        }));
      }
    }
    return [];
  }
  return list.map((_, i) => ({
    name: known(read.str(`Policies[${i}].PolicyName`)) ?? `policy-${i}`,
    policy: policyOrMarker(read, `Policies[${i}].PolicyDocument`),
  }));
}

function eventSelector(selector: Json) {
  const dataResources = Array.isArray(selector.DataResources) ? (selector.DataResources as Json[]) : [];
  return {
    readWriteType: (typeof selector.ReadWriteType === 'string' ? selector.ReadWriteType : 'All') as 'All',
    includeManagementEvents: selector.IncludeManagementEvents === undefined ? true : String(selector.IncludeManagementEvents) === 'true',
    dataResources: dataResources.map((d) => ({ type: String(d.Type), values: Array.isArray(d.Values) ? d.Values.map(String) : [] })),
    excludeManagementEventSources: Array.isArray(selector.ExcludeManagementEventSources)
      ? selector.ExcludeManagementEventSources.map(String)
      : [],
  };
}

function advancedSelector(selector: Json) {
  const fields = Array.isArray(selector.FieldSelectors) ? (selector.FieldSelectors as Json[]) : [];
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  return compact({
    name: typeof selector.Name === 'string' ? selector.Name : undefined,
    fieldSelectors: fields.map((f) =>
      compact({
        field: String(f.Field),
        equals: list(f.Equals),
        notEquals: list(f.NotEquals),
        startsWith: list(f.StartsWith),
        notStartsWith: list(f.NotStartsWith),
        endsWith: list(f.EndsWith),
        notEndsWith: list(f.NotEndsWith),
      }),
    ),
  });
}

function vpcConfig(read: PropertyReader, property: string, subnets: string, groups: string) {
  const declared = read.value(property);
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const subnetList = read.strList(`${property}.${subnets}`);
  const groupList = read.strList(`${property}.${groups}`);
  if (subnetList === UNKNOWN || groupList === UNKNOWN) return undefined;
  return { subnets: subnetList ?? [], securityGroupIds: groupList ?? [] };
}

function modelNameFrom(value: string | undefined): string | undefined {
  // Ref to an AWS::SageMaker::Model returns its ARN; the endpoint config stores the model name.
  if (value === undefined) return undefined;
  const match = /:model\/(.+)$/.exec(value);
  return match ? match[1] : value;
}

function objectList<T, R>(
  read: PropertyReader,
  property: string,
  listName: string,
  item: (index: number, path: string) => T,
  wrap: (items: T[]) => R,
): R | null | undefined {
  const declared = read.value(property);
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const path = `${property}.${listName}`;
  const list = read.list(path);
  if (list === UNKNOWN) return undefined;
  return wrap((list ?? []).map((_, i) => item(i, path)));
}

function sensitiveInformation(read: PropertyReader) {
  const declared = read.value('SensitiveInformationPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const pii = known(read.list('SensitiveInformationPolicyConfig.PiiEntitiesConfig')) ?? [];
  const regexes = known(read.list('SensitiveInformationPolicyConfig.RegexesConfig')) ?? [];
  const p = 'SensitiveInformationPolicyConfig';
  return {
    piiEntities: pii.map((_, i) => ({
      type: known(read.str(`${p}.PiiEntitiesConfig[${i}].Type`)) ?? '',
      action: known(read.str(`${p}.PiiEntitiesConfig[${i}].Action`)) ?? '',
    })),
    regexes: regexes.map((_, i) => ({
      name: known(read.str(`${p}.RegexesConfig[${i}].Name`)) ?? '',
      pattern: known(read.str(`${p}.RegexesConfig[${i}].Pattern`)) ?? '',
      action: known(read.str(`${p}.RegexesConfig[${i}].Action`)) ?? '',
    })),
  };
}

function wordPolicy(read: PropertyReader) {
  const declared = read.value('WordPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const words = known(read.list('WordPolicyConfig.WordsConfig')) ?? [];
  const managed = known(read.list('WordPolicyConfig.ManagedWordListsConfig')) ?? [];
  return {
    words: words.map((_, i) => known(read.str(`WordPolicyConfig.WordsConfig[${i}].Text`)) ?? ''),
    managedWordLists: managed.map((_, i) => known(read.str(`WordPolicyConfig.ManagedWordListsConfig[${i}].Type`)) ?? ''),
  };
}

