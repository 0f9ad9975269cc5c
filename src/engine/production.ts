/**
 * Which endpoints are production. aigis reads the environment from a tag: the first of the keys
 * `environment`, `env`, `stage` (any case, e.g. `Environment`, `ENV`) present on the resource.
 * Its value (trimmed, any case) `prod`, `production`, `prd` or `live` means production; any other
 * value (`dev`, `test`, `staging`...) means not production. Without such a tag, or when the tags
 * were not read, the resource cannot be told apart and rules judge it as production, saying so.
 */

export const ENVIRONMENT_TAG_KEYS = ['environment', 'env', 'stage'] as const;
export const PRODUCTION_VALUES = ['prod', 'production', 'prd', 'live'] as const;

export type ProductionStatus =
  | { kind: 'production'; tag: string; value: string }
  | { kind: 'not-production'; tag: string; value: string }
  /** No environment tag (`tagsRead` false: the tags were not collected). */
  | { kind: 'untagged'; tagsRead: boolean };

export function productionStatus(tags: Readonly<Record<string, string>> | undefined): ProductionStatus {
  if (!tags) return { kind: 'untagged', tagsRead: false };
  // Keys sorted so that a resource with both `Env` and `env` always reads the same one.
  const keys = Object.keys(tags).sort();
  for (const wanted of ENVIRONMENT_TAG_KEYS) {
    const key = keys.find((k) => k.length === wanted.length && k.toLowerCase() === wanted);
    if (key === undefined) continue;
    const value = tags[key]!;
    const normalized = value.trim().toLowerCase();
    return (PRODUCTION_VALUES as readonly string[]).includes(normalized)
      ? { kind: 'production', tag: key, value }
      : { kind: 'not-production', tag: key, value };
  }
  return { kind: 'untagged', tagsRead: true };
}

/** "tagged environment=prod" / "no environment, env or stage tag: judged as production". */
export function describeProduction(status: ProductionStatus): string {
  switch (status.kind) {
    case 'production':
      return `tagged ${status.tag}=${status.value}`;
    case 'not-production':
      return `tagged ${status.tag}=${status.value}, not production`;
    case 'untagged':
      return status.tagsRead ? 'no environment, env or stage tag: judged as production' : 'tags not read: judged as production';
  }
}
