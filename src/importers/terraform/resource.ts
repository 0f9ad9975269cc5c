/**
 * A managed resource of a plan as the import collects it (planned values, after_unknown, its
 * configuration and .tf location), and the configuration module it was declared in.
 */
import type { Json, JsonPath } from './json.js';
import type { TfBlockLocation } from './locate.js';

/** The name and ARN a resource is recorded under, and the attributes references to it read. */
export interface Identity {
  name: string;
  arn: string;
  attributes: Record<string, string>;
}

export interface ConfigModule {
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

export interface TfResource {
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
  /**
   * Where the resource is declared: its .tf block, else (no .tf file declares it) its entry in the
   * plan JSON, without attribute positions (plan-positions.ts).
   */
  block?: TfBlockLocation;
  identity: Identity;
  /** The name attribute is unknown until apply (or never set): the name is synthesized. */
  nameUnknown: boolean;
}


export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The account a plan deploys to: what `data.aws_caller_identity`, `aws_region` and `aws_partition` read. */
export interface PlanAccount {
  readonly accountId: string;
  readonly partition: Partition;
  /** The resource's region: its own `region` argument (provider v6), else the provider's. */
  regionOf(resource: TfResource): string;
}
