import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./sdk-watch-hooks.mjs', import.meta.url);

// CommonJS modules loaded with require() (createRequire included) never reach the hooks above:
// print them too, in the same form, as each is compiled.
const Module = createRequire(import.meta.url)('node:module');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (typeof filename === 'string' && filename.startsWith('/')) process.stderr.write(`module-watch: ${pathToFileURL(filename).href}\n`);
  return compile.apply(this, arguments);
};
