// Module resolution hooks (registered by sdk-watch-register.mjs): print one line per AWS SDK client
// package a process resolves, so a test can tell which commands load the SDK; and one line per
// module it loads (`module-watch: URL`), so a test can tell what else a command loads.
export async function resolve(specifier, context, nextResolve) {
  const match = /^@aws-sdk\/client-[a-z0-9-]+/.exec(specifier);
  if (match) process.stderr.write(`sdk-watch: ${match[0]}\n`);
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) process.stderr.write(`module-watch: ${url}\n`);
  return nextLoad(url, context);
}
