/**
 * The shared part of the Terraform plan import (the plan's shape is already checked): module and
 * configuration walking, the addresses the plan creates, identities, and the passes that run the
 * resource mappers (src/importers/terraform/<service>.ts) over every resource, in plan order:
 *
 *   1. identity: every resource's name, ARN and attributes (names may come from references, so
 *      every resource is collected first);
 *   2. map: primary resources add their records to the draft inventory;
 *   3. attach: resources that attach settings to them (split S3 resources, IAM attachments);
 *   4. afterAttach: what attachments left unknown, noted on their targets.
 */
import path from 'node:path';
import type { InventoryInput, SourceLocation } from '../../inventory/schema.js';
import { addAwsManagedKeys } from '../iac/aws-managed-keys.js';
import { InventoryDraft, compact } from '../iac/draft.js';
import type { IacImportOptions } from '../iac/options.js';
import { UNKNOWN, known } from '../iac/props.js';
import { DEFAULT_REGION, PLACEHOLDER_ACCOUNT_ID, partitionForRegion } from '../iac/synth.js';
import type { JsonPath, MapContext, StateKey, TerraformMapper } from './context.js';
import { setNotes, tagsOf } from './helpers.js';
import { mapperFor } from './index.js';
import { isObject, own, type Json } from './json.js';
import { PlanResources } from './modules.js';
import { jsonMemberPositions } from './plan-positions.js';
import { DEFAULT_NAME_RULE, synthesizedName } from './names.js';
import { References } from './references.js';
import type { Partition, TfResource } from './resource.js';
import { ValueReader, configured, isUnknown } from './values.js';

export interface TerraformImportOptions extends IacImportOptions {
  /** Directory of the root module's .tf files; default: the plan file's directory. */
  terraformDir?: string;
}

type Step = 'map' | 'attach' | 'afterAttach';

export class TerraformPlanImport {
  private readonly plan = new PlanResources();
  /** Addresses the plan creates (their resources get the AWS defaults for new resources). */
  private readonly created = new Set<string>();
  private readonly draft = new InventoryDraft();
  private readonly region: string;
  private readonly accountId: string;
  private readonly partition: Partition;
  private readonly rootDir: string;
  /** What makes this plan's synthesized names and ids its own (IacImportOptions.sourceId). */
  private readonly sourceId: string;
  private readonly references: References;
  private readonly values: ValueReader;
  /** The services' shared state (serviceState), for this import only. */
  private readonly states = new Map<StateKey<unknown>, unknown>();

  constructor(
    private readonly data: Json,
    private readonly file: string,
    options: TerraformImportOptions,
    /** The plan's JSON text, when it is at hand: resources no .tf file locates are located in it. */
    private readonly text?: string,
  ) {
    this.rootDir = options.terraformDir ?? path.dirname(file);
    this.region = options.region ?? providerRegion(data) ?? DEFAULT_REGION;
    this.partition = partitionForRegion(this.region);
    this.accountId = options.accountId ?? PLACEHOLDER_ACCOUNT_ID;
    this.sourceId = options.sourceId ?? file;
    this.references = new References(this.plan, { accountId: this.accountId, partition: this.partition, regionOf: (resource) => this.regionOf(resource) });
    this.values = new ValueReader(file, this.references);
  }

  run(): InventoryInput {
    const planned = (this.data.planned_values as Json | undefined)?.root_module as Json | undefined;
    const afterUnknown = new Map<string, unknown>();
    /** Index of each address's change in `resource_changes` (for locations in the plan JSON). */
    const changeIndex = new Map<string, number>();
    ((this.data.resource_changes ?? []) as Json[]).forEach((change, index) => {
      // A deposed object (create_before_destroy) shares the address of the new one: its change is not the plan's.
      if (typeof change.deposed === 'string') return;
      if (!changeIndex.has(change.address as string)) changeIndex.set(change.address as string, index);
      afterUnknown.set(change.address as string, (change.change as Json | undefined)?.after_unknown);
      const actions = (change.change as Json | undefined)?.actions;
      if (Array.isArray(actions) && actions.includes('create')) this.created.add(change.address as string);
    });
    // Without a configuration section the root module's .tf files are still beside the plan.
    const rootConfig = this.plan.configModule((this.data.configuration as Json | undefined)?.root_module ?? {}, this.rootDir);
    this.plan.collect(planned ?? {}, ['planned_values', 'root_module'], '', rootConfig, afterUnknown);
    const resources = this.plan.resources;
    this.locateInPlan(resources, changeIndex);
    // Identities need every resource collected first (names may come from references).
    for (const resource of resources) this.computeIdentity(resource);
    for (const resource of resources) if (!resource.type.startsWith('aws_iam_')) this.draft.regions.add(this.regionOf(resource));
    if (!this.draft.regions.size) this.draft.regions.add(this.region);

    // Primary resources first, then the resources that attach settings to them, then the notes
    // those attachments leave on their targets.
    for (const step of ['map', 'attach', 'afterAttach'] as const) {
      for (const resource of resources) this.runStep(resource, step);
    }
    addAwsManagedKeys(this.draft, this.accountId, this.partition);
    return this.draft.toInventory({ accountId: this.accountId, partition: this.partition, kind: 'terraform', detail: this.file });
  }

  /**
   * Resources that no .tf file locates point at their entry in the plan JSON (see plan-positions.ts
   * for which entry and why), so a finding never lands on line 1 of the plan.
   */
  private locateInPlan(resources: readonly TfResource[], changeIndex: ReadonlyMap<string, number>): void {
    if (this.text === undefined) return;
    const unlocated = resources.filter((r) => !r.block);
    if (!unlocated.length) return;
    const paths: (string | number)[][] = [];
    for (const r of unlocated) {
      const index = changeIndex.get(r.address);
      paths.push(index !== undefined ? ['resource_changes', index, 'address'] : [...r.jsonPath, 'address']);
      paths.push([...r.jsonPath, 'address']);
    }
    const positions = jsonMemberPositions(this.text, paths);
    unlocated.forEach((r, i) => {
      const position = positions.get(2 * i) ?? positions.get(2 * i + 1);
      if (position) r.block = { file: this.file, line: position.line, column: position.column, attributes: new Map() };
    });
  }

  private regionOf(resource: TfResource): string {
    // Provider v6 has a per-resource `region` argument.
    const own = resource.values.region;
    return typeof own === 'string' && own ? own : this.region;
  }

  // ------------------------------------------------------------ identity

  private computeIdentity(resource: TfResource): void {
    const v = resource.values;
    const given = (attribute: string) => (typeof v[attribute] === 'string' && v[attribute] !== '' && !isUnknown(resource, [attribute]) ? (v[attribute] as string) : undefined);
    const mapper = mapperFor(resource.type);
    if (!mapper?.identity) {
      // Types without an identity of their own (attachments, account settings, types aigis does not read).
      const name = given('name') ?? resource.name;
      resource.identity = { name, arn: given('arn') ?? '', attributes: {} };
      return;
    }
    mapper.identity({
      resource,
      partition: this.partition,
      region: this.regionOf(resource),
      accountId: this.accountId,
      // Synthesized ids (KMS key ids, guardrail ids...) are this plan's own too.
      seed: `${this.sourceId}\u0000${resource.type}:${resource.address}`,
      given,
      nameOf: (attribute) => {
        const value = given(attribute);
        if (value !== undefined) return value;
        resource.nameUnknown = true;
        return synthesizedName(resource, attribute, mapper.nameRule ?? DEFAULT_NAME_RULE, this.sourceId);
      },
      set: (name, arn, attributes) => {
        resource.identity = { name, arn, attributes: { arn, ...attributes } };
      },
    });
  }

  // ------------------------------------------------------------ mapping

  private runStep(resource: TfResource, step: Step): void {
    const mapper: TerraformMapper | undefined = mapperFor(resource.type);
    const run = mapper?.[step];
    if (run) run.call(mapper, this.mapContext(resource));
  }

  /** A context bound to one resource and one step; its functions may be destructured. */
  private mapContext(r: TfResource): MapContext {
    const u = new Set<string>();
    const id = r.identity;
    const values = this.values;
    // IAM is global: the live collector records its resources in region `global`, and so do we.
    const region = r.type.startsWith('aws_iam_') ? 'global' : this.regionOf(r);
    const attrPath = (attr: string | (string | number)[]) => (typeof attr === 'string' ? [attr] : attr);
    const state = <T>(key: StateKey<T>): T => {
      if (!this.states.has(key)) this.states.set(key, key.create());
      return this.states.get(key) as T;
    };
    return {
      resource: r,
      draft: this.draft,
      partition: this.partition,
      accountId: this.accountId,
      region,
      created: this.created.has(r.address),
      unresolved: u,
      str: (attr, note) => known(values.str(r, attrPath(attr), note, u)),
      bool: (attr, note, fallback) => known(values.bool(r, attrPath(attr), note, u, fallback)),
      nullableStr: (attr, note) => {
        const value = values.str(r, [attr], note, u);
        return value === UNKNOWN ? undefined : value === undefined || value === '' ? null : value;
      },
      readStr: (attrPath, note) => values.str(r, attrPath, note, u),
      readBool: (attrPath, note, fallback) => values.bool(r, attrPath, note, u, fallback),
      readStrList: (attrPath, note) => values.strList(r, attrPath, note, u),
      policy: (attribute, note) => values.policy(r, attribute, note, u),
      checkedPolicy: (value, at) => values.checkedPolicy(value, at),
      isUnknown: (attrPath) => isUnknown(r, attrPath),
      configured: (attribute) => configured(r, attribute),
      referenceTarget: (attrPath) => this.references.referenceTarget(r, attrPath),
      block: (name) => values.block(r, name),
      blocks: (value, at) => values.blocks(value, at),
      oneOf: <T extends string>(attrPath: JsonPath, value: string, allowed: readonly T[]) => values.oneOf(r, attrPath, value, allowed),
      number: (value, at) => values.number(value, at),
      base: (properties) => compact({ arn: id.arn, region, source: this.sourceOf(r, properties), ...tagsOf(r.values) }),
      finish: <T extends object>(draft: T): T => {
        setNotes(draft, u.size ? [...u].sort() : undefined);
        return draft;
      },
      state,
    };
  }

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
}

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
