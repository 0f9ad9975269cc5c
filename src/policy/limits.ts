/**
 * Size limits for policy documents read by `aigis policy check`. The largest policies AWS accepts
 * are tens of kilobytes (a KMS key policy 32 KB, an S3 bucket policy 20 KB, a managed policy 6,144
 * characters, an ARN 2,048 characters), so each limit leaves a wide margin for real documents
 * while keeping a document written to stall CI bounded. Each is an input error naming the file
 * and the JSON path where the limit was passed (documented in the README's policy section).
 */

export const POLICY_LIMITS = {
  /** Bytes of a policy file; larger files are refused before they are read. */
  fileBytes: 8 * 1024 * 1024,
  /** Characters of a policy document's text (a 10,000-statement policy is about 1 MB). */
  documentChars: 4 * 1024 * 1024,
  /** Characters of any one string in a document (element names, actions, ARNs, condition keys and values). */
  stringChars: 2048,
  /** Nesting of objects and arrays (a policy needs 7; AWS CLI wrappers add 2). */
  depth: 32,
  /**
   * Distinct action patterns whose service prefix has a wildcard (`*:Get*`): each is matched against
   * the whole ~20,000-action catalog, where a pattern of one service is matched against that service.
   */
  crossServicePatterns: 1000,
} as const;

export interface LimitBreach {
  path: (string | number)[];
  detail: string;
}

const shown = (n: number) => n.toLocaleString('en-US');

/**
 * The first place where a parsed JSON value passes the depth or string-length limit, walking
 * without recursion (a depth bomb must not overflow the stack before it is measured). Strings at
 * `exempt` (a policy embedded as JSON text, which is checked once decoded) are not measured.
 */
export function findLimitBreach(value: unknown, exempt?: readonly (string | number)[]): LimitBreach | undefined {
  const exemptKey = exempt ? JSON.stringify(exempt) : undefined;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.length > POLICY_LIMITS.stringChars && (exemptKey === undefined || JSON.stringify(path) !== exemptKey)) {
        return { path, detail: `a string of ${shown(current.length)} characters is longer than the limit of ${shown(POLICY_LIMITS.stringChars)} (IAM's longest ARN is 2,048)` };
      }
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= POLICY_LIMITS.depth) {
      return { path: path.slice(0, 8), detail: `is nested more than ${POLICY_LIMITS.depth} levels deep (a policy needs fewer than 10)` };
    }
    // Pushed in reverse so that the first breach in document order is found first.
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
    } else {
      const entries = Object.entries(current as Record<string, unknown>);
      for (const [key] of entries) {
        if (key.length > POLICY_LIMITS.stringChars) {
          return { path, detail: `a key of ${shown(key.length)} characters is longer than the limit of ${shown(POLICY_LIMITS.stringChars)}` };
        }
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return undefined;
}
