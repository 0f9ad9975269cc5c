/**
 * Generates schema/inventory.schema.json (JSON Schema draft 2020-12) from the zod inventory schema,
 * so that people producing snapshots by other means (their own exporters, jq pipelines) can
 * validate them without running aigis. The zod schema stays the single source of truth:
 * `npm run schema` regenerates the file and test/schema.test.ts fails when it is stale.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { packageRoot } from '../src/engine/paths.js';
import { SCHEMA_VERSION, inventorySchema, policyDocument } from '../src/inventory/schema.js';

export const INVENTORY_SCHEMA_ID = 'https://raw.githubusercontent.com/aigis-dev/aigis/main/schema/inventory.schema.json';

const POLICY_DESCRIPTION =
  'A policy document object or JSON string: an IAM policy as written ({"Version": ..., "Statement": [...]}), ' +
  'or the same document serialized as a JSON string, URL-encoded or not, as the IAM Get* APIs return it.';

export function inventorySchemaPath(): string {
  return path.join(packageRoot(), 'schema', 'inventory.schema.json');
}

/** The JSON Schema of the inventory as written in a snapshot file (the zod input side). */
export function buildInventoryJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(inventorySchema, {
    target: 'draft-2020-12',
    io: 'input',
    // Policy documents are z.unknown().transform(normalize): their input is anything JSON, which
    // the override below documents; nothing else in the schema is unrepresentable.
    unrepresentable: 'any',
    override(ctx) {
      if (ctx.zodSchema === policyDocument) {
        ctx.jsonSchema.description = POLICY_DESCRIPTION;
        // oneOf, not a `type` array: ajv's strict mode rejects union types, and the two never overlap.
        ctx.jsonSchema.oneOf = [{ type: 'object' }, { type: 'string' }];
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  // Key order is part of the committed file: $schema, $id, title, description first.
  return {
    $schema,
    $id: INVENTORY_SCHEMA_ID,
    title: `aigis inventory ${SCHEMA_VERSION}`,
    description:
      'A normalized snapshot of the AI-relevant configuration of one AWS account, as produced by a live collection ' +
      'or an importer and read by `aigis scan`. A field that is absent was not collected (rules answer unknown); null means ' +
      'collected and the setting does not exist; a whole section absent means the service was not collected.',
    ...rest,
  };
}

export function renderInventoryJsonSchema(): string {
  return `${JSON.stringify(buildInventoryJsonSchema(), null, 2)}\n`;
}

async function main(): Promise<void> {
  const target = inventorySchemaPath();
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, renderInventoryJsonSchema(), 'utf8');
  await rename(temp, target);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
