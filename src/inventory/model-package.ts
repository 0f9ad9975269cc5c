/**
 * The Model Registry link of a SageMaker model, as the collector and both IaC importers record it in
 * `modelPackageName`: one value for all of the model's containers.
 */

/**
 * `containers` holds, per container, its ModelPackageName: a string, null when the container names
 * none (it runs an image and model data of its own), undefined when it is not known. The model's
 * value is null when any container names no package (that container is deployed outside the
 * registry), the package when every container names the same one, and undefined when one is not
 * known or the containers name different packages (one field cannot show several).
 */
export function modelPackageOf(containers: readonly (string | null | undefined)[]): string | null | undefined {
  if (containers.length === 0 || containers.includes(null)) return null;
  const names = new Set<string>();
  for (const c of containers) {
    if (c === undefined || c === null) return undefined;
    names.add(c);
  }
  return names.size === 1 ? [...names][0] : undefined;
}
