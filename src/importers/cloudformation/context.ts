/**
 * What a CloudFormation resource mapper receives from the shared import (src/importers/iac/
 * cloudformation.ts): the resource as declared, and per resource an identity context (to name it)
 * and a map context (to add it to the inventory draft). Mappers never see the template's other
 * sections: intrinsics, parameters and conditions are already resolved when they read properties.
 */
import type { SourceLocation } from '../../inventory/schema.js';
import type { InventoryDraft } from '../iac/draft.js';
import type { PropertyReader } from '../iac/props.js';

export type Json = Record<string, unknown>;

export interface TemplateResource {
  logicalId: string;
  type: string;
  raw: Json;
}

/** What Ref and Fn::GetAtt return for a resource, and the name and ARN it is recorded under. */
export interface Identity {
  name: string;
  arn?: string;
  ref: unknown;
  attributes: Record<string, unknown>;
  /** Name property could not be resolved: the name is synthesized from the logical id. */
  nameUnresolved?: string;
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** Per resource, for `identity`: enough to build names, ids and ARNs before deploy. */
export interface IdentityContext {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId: string;
  /** Seed of the resource's synthetic ids (type, input identity, logical id): stable across runs. */
  readonly seed: string;
  /**
   * The resolved name property; when it is absent or cannot be resolved, `fallback` (by default
   * the name CloudFormation would synthesize: `<stack>-<LogicalId>-<SUFFIX>`).
   */
  named(property: string, fallback?: string): { name: string; unresolved?: string };
  /** Resolves a raw template value (intrinsics, parameters, conditions). */
  resolve(value: unknown): unknown;
}

/** The fields every inventory record of a resource starts with. */
export interface BaseFields {
  arn: string;
  region: string;
  source: SourceLocation;
  tags?: Record<string, string>;
}

/** Per resource, for `map`: its resolved properties, its identity and the draft it adds to. */
export interface MapContext {
  readonly draft: InventoryDraft;
  readonly partition: Partition;
  readonly accountId: string;
  /** The region the resource is recorded in (`global` for mappers marked global). */
  readonly region: string;
  readonly identity: Identity;
  readonly read: PropertyReader;
  /** The property paths that could not be resolved (the reader adds to it). */
  readonly unresolved: Set<string>;
  /** ARN (or name), region, source location and tags. */
  base(): BaseFields;
  /** The unresolved paths, sorted; undefined when there are none. */
  notes(): string[] | undefined;
  /**
   * Runs `link` once every resource of the template is mapped (attachments: bucket policies,
   * aliases, IAM policies), in the order the links were deferred. Notes are also set there, so
   * that links can add theirs.
   */
  defer(link: () => void): void;
  /** Points a setting of `target` at the resource and property that declare it (BucketPolicy -> bucket). */
  linkLocation(target: { source?: SourceLocation }, key: string, fromLogicalId: string, fromProperty: string): void;
}

/** How one CloudFormation resource type becomes part of the inventory. */
export interface ResourceMapper {
  /** Physical name, ARN, Ref and attributes; absent: Ref is unresolved and no attribute is known. */
  identity?(resource: TemplateResource, ctx: IdentityContext): Identity;
  /** Adds the resource to the draft (or defers a link to another resource); absent: not in the inventory. */
  map?(resource: TemplateResource, ctx: MapContext): void;
  /** Length limit (and case) of the name synthesized when the name property is absent; default 128. */
  nameLimit?: { max: number; lowerCase?: boolean };
  /** Recorded in region `global`, as the live collector records IAM. */
  global?: boolean;
}

/** One service's mappers: CloudFormation resource type -> mapper. */
export type MapperTable = Readonly<Record<string, ResourceMapper>>;
