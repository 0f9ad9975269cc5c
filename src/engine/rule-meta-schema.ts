/** The zod schema of a rule's meta, for a meta the registry's quick check doubts (registry.ts). */
import { z } from 'zod';
import { SEVERITIES } from './types.js';

export const ruleMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, 'rule ids are kebab-case with a service prefix'),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  service: z.string().min(1),
  resourceTypes: z.array(z.string()).min(1),
  description: z.string().min(1),
  rationale: z.string().min(1),
  remediation: z.object({
    console: z.array(z.string()).min(1),
    cli: z.string().min(1),
    cloudformation: z.string().min(1),
    terraform: z.string().min(1),
  }),
  references: z.array(z.string().url()),
});

/**
 * A custom rule's meta (src/engine/custom-rules.ts): the same schema, with the optional
 * `aiControl` flag, and strict, so that a misspelt key (`serverity`) is named rather than dropped.
 */
export const customRuleMetaSchema = ruleMetaSchema.extend({ aiControl: z.boolean().optional() }).strict();
