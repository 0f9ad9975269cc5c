/**
 * A module resolution hook (node:module `register`), registered by src/engine/custom-rules.ts
 * before it imports the first custom rule module: `import ... from 'aigis'` (or 'aigis/rules') in
 * a rule module is the public rule API (src/api/rules.ts) of the aigis that runs it, wherever the
 * rules directory is (a repository without node_modules, the GitHub Action's workspace) and
 * whichever aigis version its own node_modules may hold. Every other specifier resolves as usual.
 */
let api: string | undefined;

export function initialize(data: { api: string }): void {
  api = data.api;
}

type Resolve = (specifier: string, context: object) => Promise<{ url: string; shortCircuit?: boolean }>;

export async function resolve(specifier: string, context: object, nextResolve: Resolve): Promise<{ url: string; shortCircuit?: boolean }> {
  if (api && (specifier === 'aigis' || specifier === 'aigis/rules')) return { url: api, shortCircuit: true };
  return nextResolve(specifier, context);
}
