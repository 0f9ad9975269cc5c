/** The inventory schema version (schema.ts); its own module so that importers name it without loading zod. */
export const SCHEMA_VERSION = '1.0';
