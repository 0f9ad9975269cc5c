/**
 * What a Terraform resource mapper receives from the shared import (plan-import.ts): the resource
 * as the plan has it, and per step a context bound to it. Mappers never walk the plan: modules,
 * after_unknown and references are already followed when they read an attribute, and the shared
 * import runs the steps in passes (every identity, then every map, every attach, every afterAttach).
 */
import type { SourceLocation } from '../../inventory/schema.js';
import type { InventoryDraft } from '../iac/draft.js';
import type { Read } from '../iac/props.js';
import type { Json, JsonPath } from './json.js';
import type { NameRule } from './names.js';
import type { ReferenceTarget } from './references.js';
import type { Partition, TfResource } from './resource.js';

export type { Json, JsonPath } from './json.js';
export type { NameRule } from './names.js';
export type { ReferenceTarget } from './references.js';
export type { Identity, Partition, TfResource } from './resource.js';

/** A path into a resource's values: `['rule', 0, 'apply_server_side_encryption_by_default']`. */
export type AttrPath = (string | number)[];

/** For `identity`: enough to name the resource before apply. */
export interface IdentityContext {
  readonly resource: TfResource;
  readonly partition: Partition;
  /** The resource's region (its own `region` argument, else the provider's). */
  readonly region: string;
  readonly accountId: string;
  /** Seed of synthesized ids (KMS key ids, guardrail ids...): this plan's and this resource's own. */
  readonly seed: string;
  /** A string attribute that is set, not empty and known before apply; else undefined. */
  given(attribute: string): string | undefined;
  /** The name attribute, or (unknown or unset) a name synthesized within the mapper's `nameRule`. */
  nameOf(attribute: string): string;
  /** Records the identity; `arn` is one of the attributes references read. */
  set(name: string, arn: string, attributes: Record<string, string>): void;
}

/** The fields every inventory record of a resource starts with. */
export interface BaseFields {
  arn: string;
  region: string;
  source: SourceLocation;
  tags?: Record<string, string>;
}

/**
 * For `map`, `attach` and `afterAttach`: the resource's values through readers that follow
 * references, the draft inventory, and per-import state shared by a service's mappers. Each step
 * gets its own context (and its own `unresolved` set).
 */
export interface MapContext {
  readonly resource: TfResource;
  readonly draft: InventoryDraft;
  readonly partition: Partition;
  readonly accountId: string;
  /** The region the record goes in: `global` for IAM (as the live collector records it). */
  readonly region: string;
  /** Does the plan create the resource (it then gets AWS's defaults for new resources)? */
  readonly created: boolean;
  /** Notes of the attributes that stay unknown; the readers add to it. */
  readonly unresolved: Set<string>;

  /** A string attribute: undefined when absent or unknown (noted). */
  str(attr: string | AttrPath, note: string): string | undefined;
  /** A boolean attribute: `fallback` when absent, undefined when unknown (noted). */
  bool(attr: string | AttrPath, note: string, fallback?: boolean): boolean | undefined;
  /** A string attribute whose absence (or '') the inventory records as null. */
  nullableStr(attr: string, note: string): string | null | undefined;
  /** The three-state reads: known, UNKNOWN (noted) or undefined (absent). */
  readStr(attrPath: AttrPath, note: string): Read<string>;
  readBool(attrPath: AttrPath, note: string, fallback?: boolean): Read<boolean>;
  readStrList(attrPath: AttrPath, note: string): Read<string[]>;
  /** A JSON policy attribute, checked as IAM would read it; references are not followed. */
  policy(attribute: string, note: string): Read<unknown>;
  /** A policy document found elsewhere (inline blocks), checked at `at` in the plan. */
  checkedPolicy(value: unknown, at: JsonPath): unknown;
  /** Is the attribute unknown until apply? */
  isUnknown(attrPath: AttrPath): boolean;
  /** Did the configuration set the attribute or block at all? */
  configured(attribute: string): boolean;
  /** The resource of the plan an attribute's expression refers to. */
  referenceTarget(attrPath: AttrPath): ReferenceTarget | undefined;
  /** First element of a nested block list (`rule[0]`), or undefined. */
  block(name: string): Json | undefined;
  /** A list of nested blocks at `at` in the plan (one block may be written as an object). */
  blocks(value: unknown, at: JsonPath): Json[];
  /** A known value that must be one of AWS's values, else an input error at the attribute. */
  oneOf<T extends string>(attrPath: JsonPath, value: string, allowed: readonly T[]): T;
  /** A number at `at` in the plan (a numeric string is read too), else an input error. */
  number(value: unknown, at: JsonPath): number;
  /** ARN, region, source location (attribute -> property names) and tags. */
  base(properties: Record<string, string>): BaseFields;
  /** Sets the notes gathered so far on the record, and returns it. */
  finish<T extends object>(draft: T): T;
  /** This import's instance of a service's shared state (created on first use). */
  state<T>(key: StateKey<T>): T;
}

/** How one Terraform resource type becomes part of the inventory. Every step is optional. */
export interface TerraformMapper {
  /** The service's naming rule for names synthesized by `nameOf`. */
  nameRule?: NameRule;
  /** Name, ARN and the attributes references read. Default: `name` (else the resource name) and `arn`. */
  identity?(ctx: IdentityContext): void;
  /** Adds the resource's record to the draft (first pass). */
  map?(ctx: MapContext): void;
  /** Attaches settings to a record another type mapped (split S3 resources, IAM attachments). */
  attach?(ctx: MapContext): void;
  /** Runs once every attachment is in (notes that attachments left on a record). */
  afterAttach?(ctx: MapContext): void;
}

export type MapperTable = Readonly<Record<string, TerraformMapper>>;

/** State a service's mappers share during one import (e.g. buckets by name, for the split S3 resources). */
export interface StateKey<T> {
  readonly create: () => T;
}

export function serviceState<T>(create: () => T): StateKey<T> {
  return { create };
}
