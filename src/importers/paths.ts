/** How input files are named in reports, errors and synthesized identities. */
import path from 'node:path';

/**
 * `file` relative to `cwd`, with forward slashes: SARIF resolves it against the checkout root
 * (%SRCROOT%), and the same text on every OS keeps names and fingerprints stable.
 */
export function relativeToCwd(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  const rel = path.relative(cwd, absolute);
  // Outside the working directory: keep it absolute rather than produce ../../ paths SARIF cannot anchor.
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
  return shown.split(path.sep).join('/');
}
