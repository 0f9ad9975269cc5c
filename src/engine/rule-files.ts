/**
 * Which files of a rules directory are rule modules: shared by the registry, which imports them,
 * and the bundle check (src/bundle/manifest.ts), which must list them exactly as the registry does.
 */
export function ruleFileNames(entries: readonly string[]): string[] {
  return entries.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js')).sort();
}
