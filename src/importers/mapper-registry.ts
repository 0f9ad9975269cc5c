/**
 * The registry of an IaC source: per-service tables (resource type -> mapper) joined into one
 * lookup. A Map, not an object: a template's or plan's type `constructor` must find nothing; a
 * type mapped by two services is a programming error, caught when the module loads.
 */
export function joinMapperTables<M>(tables: readonly Readonly<Record<string, M>>[], source: string): ReadonlyMap<string, M> {
  const map = new Map<string, M>();
  for (const table of tables) {
    for (const [type, mapper] of Object.entries(table)) {
      if (map.has(type)) throw new Error(`${source} resource type ${type} is mapped twice`);
      map.set(type, mapper);
    }
  }
  return map;
}
