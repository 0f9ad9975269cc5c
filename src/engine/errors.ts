/**
 * Errors the user can fix (bad file, bad flag, bad schema). The CLI prints them as one line and
 * exits 2; anything else is a bug and keeps its stack.
 */
export class InputError extends Error {
  constructor(
    /** The file (or flag, e.g. `--rules`) that is wrong. */
    readonly file: string,
    /** JSON path inside the file, as property names and indexes. */
    readonly jsonPath: readonly PropertyKey[],
    readonly detail: string,
  ) {
    super(`${file}${jsonPath.length ? ` at ${formatJsonPath(jsonPath)}` : ''}: ${detail}`);
    this.name = 'InputError';
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `$.s3.buckets[3].encryption` */
export function formatJsonPath(pathParts: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of pathParts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

interface IssueLike {
  message: string;
  path: readonly PropertyKey[];
}

/** The first issue in full; a count of the rest (one clear line, not a wall of text). */
export function formatZodIssues(issues: readonly IssueLike[]): string {
  return formatIssueSummary(issues[0], issues.length);
}

/** formatZodIssues for a document validated in parts: its first issue and how many there are in all. */
export function formatIssueSummary(first: IssueLike | undefined, count: number): string {
  if (!first) return 'invalid';
  const more = count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
  return `${first.message}${more}`;
}
