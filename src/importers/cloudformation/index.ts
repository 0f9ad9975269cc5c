/**
 * The CloudFormation resource mappers: the union of the per-service tables, one file per service
 * as in src/collectors/. The shared import (src/importers/iac/cloudformation.ts) parses the
 * template, resolves intrinsics, parameters and conditions, caches identities, synthesizes physical
 * names, records locations and runs the deferred links; everything that depends on a resource
 * type lives in that type's mapper.
 *
 * Adding a resource type: add an entry to its service's table (or a new `<service>.ts` exporting a
 * `MapperTable`, spread into MAPPERS below). `identity` gives what Ref and Fn::GetAtt return and the
 * name and ARN the resource is recorded under (`ctx.named(property)` resolves the name property and
 * falls back to the name CloudFormation would synthesize, within `nameLimit`); `map` reads the
 * resolved properties through `ctx.read` (absent = service default, unknown = leave the field out,
 * noted in `unresolved`) and pushes a record built on `ctx.base()` to `ctx.draft`, then defers
 * `setNotes(record, ctx.notes())`; anything that attaches to another resource (a policy to its
 * bucket or role) goes through `ctx.defer`, which runs once every resource is mapped. A type with
 * only `identity` resolves references but adds nothing to the inventory. Nothing in the shared
 * import changes; the inventory schema, the collector and the rules do (and the Terraform mapper).
 */
import { accessAnalyzerMappers } from './access-analyzer.js';
import { apiGatewayMappers } from './apigateway.js';
import { bedrockMappers } from './bedrock.js';
import { cloudTrailMappers } from './cloudtrail.js';
import { cloudWatchMappers } from './cloudwatch.js';
import type { MapperTable, ResourceMapper } from './context.js';
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

export type { Identity, IdentityContext, MapContext, MapperTable, ResourceMapper, TemplateResource } from './context.js';
export { addNote, setNotes } from './helpers.js';

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
const MAPPERS = joinMapperTables<ResourceMapper>(TABLES, 'CloudFormation');

/** The mapper of a CloudFormation resource type; undefined for types aigis does not map. */
export function mapperFor(type: string): ResourceMapper | undefined {
  return MAPPERS.get(type);
}
