/**
 * Where the plan JSON itself declares a resource, for findings on resources that no .tf file
 * locates (no .tf files beside the plan, or a module from a registry): the line and column of
 * the `"address"` member of the resource's entry.
 *
 * The entry chosen is the resource's `resource_changes` element: it is what a reviewer of the
 * plan approves (the action, `create`/`update`/`replace`, and `before` -> `after`, whose `after`
 * holds the values the rules judged), and it names every resource once in one flat list, modules
 * included. A resource with no change entry of its own (a deposed object only, or a plan that
 * lists none) is located at its `planned_values` element, where its values were read.
 *
 * The plan comes from a pull request and may be large: one linear pass over the text, that stops
 * once every position asked for is found, following only the JSON paths asked for (a trie), and
 * no regular expression is built from anything in the plan. The text is JSON that JSON.parse
 * accepted, so only strings, brackets, colons and commas need attention, and a string never holds
 * a raw line break.
 */
import type { JsonPath } from './json.js';

export interface PlanPosition {
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default column kind). */
  column: number;
}

interface TrieNode {
  children: Map<string | number, TrieNode>;
  /** Indexes (into the paths asked for) of the members whose key is at this node. */
  wanted?: number[];
}

interface Frame {
  /** The trie node of this container, when its path is a prefix of a path asked for. */
  node: TrieNode | undefined;
  isObject: boolean;
  /** Arrays: the index of the current element. */
  index: number;
  /** Objects: the trie node of the current member's key. */
  member: TrieNode | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Positions of object members, each given by its full JSON path (`['resource_changes', 3,
 * 'address']`): the position of the member's key. Paths that are not in the text are absent
 * from the result, which is keyed by the index of the path in `paths`.
 */
export function jsonMemberPositions(text: string, paths: readonly JsonPath[]): Map<number, PlanPosition> {
  const found = new Map<number, PlanPosition>();
  const root: TrieNode = { children: new Map() };
  let pending = 0;
  paths.forEach((path, index) => {
    if (!path.length) return;
    let node = root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    (node.wanted ??= []).push(index);
    pending++;
  });
  if (!pending) return found;

  // A byte order mark is not a column.
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const frames: Frame[] = [];
  let expectKey = false;
  let line = 1;
  let lineStart = start;
  const n = text.length;
  for (let i = start; i < n && pending > 0; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      lineStart = i + 1;
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (expectKey && top) {
        top.member = top.node?.children.size ? top.node.children.get(keyOf(text, i + 1, end)) : undefined;
        for (const index of top.member?.wanted ?? []) {
          if (!found.has(index)) {
            found.set(index, { line, column: i - lineStart + 1 });
            pending--;
          }
        }
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const top = frames[frames.length - 1];
      const node = !top ? root : top.isObject ? top.member : top.node?.children.get(top.index);
      const isObject = c === OPEN_BRACE;
      frames.push({ node, isObject, index: 0, member: undefined });
      expectKey = isObject;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      frames.pop();
      expectKey = false;
    } else if (c === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.isObject) expectKey = true;
      else if (top) top.index++;
    }
  }
  return found;
}

/** The key whose raw text is text[from, to): escapes decoded as JSON.parse did. */
function keyOf(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Index of the quote closing the string that opens at `start` (the text's length if none). */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    // Each backslash run is counted once: it ends at this quote, and the next search starts after it.
    let backslashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}
