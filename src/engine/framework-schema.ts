/**
 * The zod schema of a framework file (frameworks/*.yaml). Loaded only when a file is not in the
 * plain shape frameworks.ts reads without a YAML library (see `readPlainFramework`), so listing
 * rules or frameworks does not pay for zod.
 */
import { z } from 'zod';
import type { Framework } from './frameworks.js';

export const frameworkSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  version: z.string(),
  url: z.string().url(),
  description: z.string().optional(),
  controls: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        /** Section or family, for grouping in reports. */
        group: z.string().optional(),
        rules: z.array(z.string()).default([]),
      }),
    )
    .min(1),
});

// The hand-written Framework type and the schema's output stay the same type.
type Parsed = z.infer<typeof frameworkSchema>;
export const sameType: [Parsed] extends [Framework] ? ([Framework] extends [Parsed] ? true : false) : false = true;
