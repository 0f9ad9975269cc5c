/**
 * The Terraform resource mappers: the union of the per-service tables, one file per service as in
 * src/collectors/. The shared import (plan-import.ts) checks the plan's shape, walks modules and
 * configuration, follows after_unknown and references, locates .tf blocks, synthesizes unique
 * names and runs the passes; everything that depends on a resource type lives in its mapper.
 *
 * Adding a resource type: add an entry to its service's table (or a new `<service>.ts` exporting a
 * `MapperTable`, listed in TABLES below). `identity` names the resource before apply:
 * `ctx.given(attribute)` is an attribute known in the plan, `ctx.nameOf(attribute)` the name or, when
 * it is unknown until apply, one synthesized within the mapper's `nameRule`, and `ctx.set(name,
 * arn, attributes)` records what references to the resource read (`arn`, `id`, `name`...). `map`
 * reads values through the context (absent: the service default; unknown: leave the field out,
 * the reader notes it), pushes a record built on `ctx.base({ attribute: 'CloudFormationProperty' })`
 * to `ctx.draft` and passes it through `ctx.finish` (the notes). A resource that configures
 * another (a split S3 setting, a policy attachment) has an `attach` step, which runs once every
 * resource is mapped and finds its target by `ctx.referenceTarget` or by name, in state its
 * service shares through `serviceState`. A type with only `identity` resolves references but adds
 * nothing to the inventory. Nothing in the shared import changes; the inventory schema, the
 * collector, the rules and the CloudFormation mapper do.
 */
import { accessAnalyzerMappers } from './access-analyzer.js';
import { apiGatewayMappers } from './apigateway.js';
import { bedrockMappers } from './bedrock.js';
import { cloudTrailMappers } from './cloudtrail.js';
import { cloudWatchMappers } from './cloudwatch.js';
import type { MapperTable, TerraformMapper } from './context.js';
import { detectiveMappers } from './detective.js';
import { ec2Mappers } from './ec2.js';
import { iamMappers } from './iam.js';
import { kmsMappers } from './kms.js';
import { logsMappers } from './logs.js';
import { openSearchServerlessMappers } from './opensearch-serverless.js';
import { s3Mappers } from './s3.js';
import { sageMakerMappers } from './sagemaker.js';
import { snsMappers } from './sns.js';
import { joinMapperTables } from '../mapper-registry.js';

export type { IdentityContext, MapContext, MapperTable, TerraformMapper } from './context.js';

const TABLES: readonly MapperTable[] = [
  s3Mappers,
  kmsMappers,
  iamMappers,
  cloudTrailMappers,
  logsMappers,
  cloudWatchMappers,
  snsMappers,
  sageMakerMappers,
  bedrockMappers,
  openSearchServerlessMappers,
  ec2Mappers,
  accessAnalyzerMappers,
  detectiveMappers,
  apiGatewayMappers,
];

/** Resource type -> mapper (see joinMapperTables). */
const MAPPERS = joinMapperTables<TerraformMapper>(TABLES, 'Terraform');

/** The mapper of a resource type; undefined for types aigis does not read. */
export function mapperFor(type: string): TerraformMapper | undefined {
  return MAPPERS.get(type);
}
