/**
 * Line and column of every value in a JSON text, keyed by its path, so that findings about a
 * policy file point at the offending line (SARIF annotations in pull requests). A small parser
 * of its own because JSON.parse does not report positions; it only runs on text JSON.parse
 * already accepted.
 */

export interface Location {
  line: number;
  column: number;
}

export function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

export function jsonLocations(text: string): Map<string, Location> {
  const out = new Map<string, Location>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Location => ({ line, column: i - lineStart + 1 });
  const skip = () => {
    for (;;) {
      const ch = text[i];
      if (ch === '\n') {
        line++;
        i++;
        lineStart = i;
      } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\uFEFF') i++;
      else return;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: (string | number)[], depth: number): void => {
    skip();
    out.set(pathKey(path), here());
    if (depth > 200) throw new Error('JSON nested too deeply');
    const ch = text[i];
    if (ch === '{') {
      i++;
      skip();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        const key = string();
        skip();
        i++; // ':'
        value([...path, key], depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // '}'
        return;
      }
    }
    if (ch === '[') {
      i++;
      skip();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value([...path, n], depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // ']'
        return;
      }
    }
    if (ch === '"') {
      string();
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value([], 0);
  return out;
}

/** The location of the deepest known prefix of `path` (a missing element is reported at its parent). */
export function locate(locations: Map<string, Location>, path: readonly (string | number)[]): Location | undefined {
  for (let n = path.length; n >= 0; n--) {
    const hit = locations.get(pathKey(path.slice(0, n)));
    if (hit) return hit;
  }
  return undefined;
}
