/**
 * CloudWatch Logs filter patterns, read well enough to tell whether a metric filter matches a given
 * CloudTrail event: a bounded tokenizer and recursive-descent parser (no RegExp built from the
 * pattern), and a three-valued evaluation against an event of which only some fields are known.
 *
 * Understood: the empty pattern (every event); term patterns (`ERROR`, `"a phrase"`, all terms
 * required, or `?a ?b` any of them, `-term` excluded); JSON patterns `{ ... }` with `&&`, `||`,
 * parentheses, `$.a.b` selectors, `=` and `!=` with quoted or bare values (with `*` wildcards),
 * `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `IN [..]` / `NOT IN [..]`, and numeric comparisons.
 * Not understood (the caller says unknown): space-delimited `[...]` patterns, `%regex%` values,
 * anything longer than MAX_PATTERN_LENGTH or nested deeper than MAX_DEPTH.
 */

export const MAX_PATTERN_LENGTH = 4096;
const MAX_DEPTH = 32;
const MAX_TOKENS = 2048;

/** true, false, or undefined: depends on what the event model does not know. */
export type Tri = boolean | undefined;

export type JsonExpr =
  | { kind: 'and' | 'or'; items: JsonExpr[] }
  | { kind: 'compare'; selector: string; op: '=' | '!=' | '<' | '>' | '<=' | '>='; value: string; quoted: boolean }
  | { kind: 'in'; selector: string; negated: boolean; values: string[] }
  | { kind: 'test'; selector: string; test: 'IS NULL' | 'NOT EXISTS' | 'IS TRUE' | 'IS FALSE' };

export type FilterPattern =
  | { kind: 'all' }
  | { kind: 'terms'; any: boolean; include: string[]; exclude: string[] }
  | { kind: 'json'; expr: JsonExpr }
  | { kind: 'unsupported'; reason: string };

/** A field value of the modelled event: a string or boolean; `null` = known absent. A selector not in the map is unknown. */
export type EventValue = string | boolean | null;

export interface ModelledEvent {
  fields: ReadonlyMap<string, EventValue>;
}

export function parseFilterPattern(pattern: string): FilterPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) return { kind: 'unsupported', reason: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  const text = pattern.trim();
  if (text === '' || text === '""') return { kind: 'all' };
  if (text.startsWith('[')) return { kind: 'unsupported', reason: 'space-delimited patterns ([...]) are not evaluated' };
  if (text.startsWith('{')) {
    const tokens = tokenizeJson(text);
    if (typeof tokens === 'string') return { kind: 'unsupported', reason: tokens };
    const parser = new JsonParser(tokens);
    const result = parser.parsePattern();
    return typeof result === 'string' ? { kind: 'unsupported', reason: result } : { kind: 'json', expr: result };
  }
  return parseTerms(text);
}

// ---------------------------------------------------------------- term patterns
function parseTerms(text: string): FilterPattern {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (words.length > MAX_TOKENS) return { kind: 'unsupported', reason: 'too many terms' };
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    let prefix = '';
    if ((c === '?' || c === '-') && i + 1 < text.length) {
      prefix = c;
      i++;
    }
    if (text[i] === '"') {
      const end = readQuoted(text, i);
      if (!end) return { kind: 'unsupported', reason: 'an unterminated quoted term' };
      words.push(prefix + end.value);
      i = end.next;
    } else {
      let j = i;
      while (j < text.length && !' \t\n\r'.includes(text[j]!)) j++;
      words.push(prefix + text.slice(i, j));
      i = j;
    }
  }
  const anyWords = words.filter((w) => w.startsWith('?'));
  if (anyWords.length && anyWords.length !== words.length) return { kind: 'unsupported', reason: 'a pattern that mixes ?terms with other terms' };
  if (anyWords.length) return { kind: 'terms', any: true, include: anyWords.map((w) => w.slice(1)).filter(Boolean), exclude: [] };
  for (const w of words) if (w.includes('%')) return { kind: 'unsupported', reason: 'regular expression terms are not evaluated' };
  return {
    kind: 'terms',
    any: false,
    include: words.filter((w) => !w.startsWith('-')),
    exclude: words.filter((w) => w.startsWith('-')).map((w) => w.slice(1)),
  };
}

function readQuoted(text: string, start: number): { value: string; next: number } | undefined {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    if (c === '"') return { value, next: i + 1 };
    value += c;
  }
  return undefined;
}

// ---------------------------------------------------------------- JSON patterns
type Token =
  | { t: 'punct'; v: '{' | '}' | '(' | ')' | '[' | ']' | ',' | '&&' | '||' }
  | { t: 'op'; v: '=' | '!=' | '<' | '>' | '<=' | '>=' }
  | { t: 'selector'; v: string }
  | { t: 'word'; v: string }
  | { t: 'string'; v: string };

function tokenizeJson(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (tokens.length > MAX_TOKENS) return 'too many tokens';
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (two === '&&' || two === '||') {
      tokens.push({ t: 'punct', v: two });
      i += 2;
    } else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ t: 'op', v: two });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>') {
      tokens.push({ t: 'op', v: c });
      i++;
    } else if ('{}()[],'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '{' });
      i++;
    } else if (c === '"') {
      const quoted = readQuoted(text, i);
      if (!quoted) return 'an unterminated quoted value';
      tokens.push({ t: 'string', v: quoted.value });
      i = quoted.next;
    } else if (c === '%') {
      return 'regular expression values (%...%) are not evaluated';
    } else {
      let j = i;
      while (j < text.length && !' \t\n\r{}()[],=!<>&|"'.includes(text[j]!)) j++;
      if (j === i) return `an unexpected character "${c}"`;
      const word = text.slice(i, j);
      tokens.push(word.startsWith('$') ? { t: 'selector', v: word } : { t: 'word', v: word });
      i = j;
    }
  }
  return tokens;
}

class JsonParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parsePattern(): JsonExpr | string {
    if (!this.eat('punct', '{')) return 'a JSON pattern must start with {';
    const expr = this.parseOr(0);
    if (typeof expr === 'string') return expr;
    if (!this.eat('punct', '}')) return 'a JSON pattern must end with }';
    if (this.pos !== this.tokens.length) return 'text after the closing }';
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private eat(t: Token['t'], v?: string): Token | undefined {
    const token = this.tokens[this.pos];
    if (token && token.t === t && (v === undefined || token.v === v)) {
      this.pos++;
      return token;
    }
    return undefined;
  }

  private parseOr(depth: number): JsonExpr | string {
    const items: JsonExpr[] = [];
    for (;;) {
      const item = this.parseAnd(depth);
      if (typeof item === 'string') return item;
      items.push(item);
      if (!this.eat('punct', '||')) break;
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private parseAnd(depth: number): JsonExpr | string {
    const items: JsonExpr[] = [];
    for (;;) {
      const item = this.parseUnary(depth);
      if (typeof item === 'string') return item;
      items.push(item);
      if (!this.eat('punct', '&&')) break;
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private parseUnary(depth: number): JsonExpr | string {
    if (depth > MAX_DEPTH) return `parentheses nested deeper than ${MAX_DEPTH}`;
    if (this.eat('punct', '(')) {
      const inner = this.parseOr(depth + 1);
      if (typeof inner === 'string') return inner;
      if (!this.eat('punct', ')')) return 'a missing )';
      return inner;
    }
    const selector = this.eat('selector');
    if (!selector) return 'a condition that does not start with a $. selector';
    if (!/^\$(\.[A-Za-z0-9_@-]+|\[[0-9]+\])*$/.test(selector.v)) return `a selector aigis does not read (${selector.v.slice(0, 60)})`;
    const op = this.eat('op');
    if (op) {
      const value = this.eat('string') ?? this.eat('word');
      if (!value) return `a comparison on ${selector.v} without a value`;
      return { kind: 'compare', selector: selector.v, op: op.v as '=', value: value.v, quoted: value.t === 'string' };
    }
    const word = this.eat('word');
    const upper = word?.v.toUpperCase();
    if (upper === 'IS') {
      const next = this.eat('word')?.v.toUpperCase();
      if (next === 'NULL' || next === 'TRUE' || next === 'FALSE') return { kind: 'test', selector: selector.v, test: `IS ${next}` };
      return `an IS test aigis does not read on ${selector.v}`;
    }
    if (upper === 'NOT') {
      const next = this.eat('word')?.v.toUpperCase();
      if (next === 'EXISTS') return { kind: 'test', selector: selector.v, test: 'NOT EXISTS' };
      if (next === 'IN') return this.parseList(selector.v, true);
      return `a NOT test aigis does not read on ${selector.v}`;
    }
    if (upper === 'IN') return this.parseList(selector.v, false);
    return `a condition on ${selector.v} aigis does not read`;
  }

  private parseList(selector: string, negated: boolean): JsonExpr | string {
    if (!this.eat('punct', '[')) return `an IN list on ${selector} without [`;
    const values: string[] = [];
    for (;;) {
      const value = this.eat('string') ?? this.eat('word');
      if (!value) return `an IN list on ${selector} with a missing value`;
      values.push(value.v);
      if (this.eat('punct', ']')) break;
      if (!this.eat('punct', ',')) return `an IN list on ${selector} without ]`;
    }
    return { kind: 'in', selector, negated, values };
  }
}

// ---------------------------------------------------------------- evaluation
/** `*` matches any run of characters; everything else literally (no RegExp). */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

const and3 = (values: Tri[]): Tri => (values.includes(false) ? false : values.includes(undefined) ? undefined : true);
const or3 = (values: Tri[]): Tri => (values.includes(true) ? true : values.includes(undefined) ? undefined : false);

function evalJson(expr: JsonExpr, event: ModelledEvent): Tri {
  switch (expr.kind) {
    case 'and':
      return and3(expr.items.map((e) => evalJson(e, event)));
    case 'or':
      return or3(expr.items.map((e) => evalJson(e, event)));
    case 'test': {
      if (!event.fields.has(expr.selector)) return undefined;
      const value = event.fields.get(expr.selector)!;
      if (expr.test === 'NOT EXISTS') return value === null;
      // null in the model is an absent field; IS NULL matches only an explicit JSON null.
      if (expr.test === 'IS NULL') return false;
      return expr.test === 'IS TRUE' ? value === true : value === false;
    }
    case 'in': {
      if (!event.fields.has(expr.selector)) return undefined;
      const value = event.fields.get(expr.selector)!;
      if (typeof value !== 'string') return value === null && !expr.negated ? false : undefined;
      const found = expr.values.some((v) => globMatch(v, value));
      return expr.negated ? !found : found;
    }
    case 'compare': {
      if (!event.fields.has(expr.selector)) return undefined;
      const value = event.fields.get(expr.selector)!;
      if (expr.op !== '=' && expr.op !== '!=') return undefined;
      if (value === null) return expr.op === '=' ? false : undefined;
      if (typeof value !== 'string') return undefined;
      const match = globMatch(expr.value, value);
      return expr.op === '=' ? match : !match;
    }
  }
}

/**
 * Whether the pattern matches the event: true, false, or undefined when it depends on fields the
 * model does not know. A term must be one of the event's known values (or a whole word of one) to
 * count as present; part of a word leaves the answer open; a term that names another CamelCase API
 * action is taken as absent (events name other actions only inside free-text fields), any other
 * unknown term leaves the answer open.
 */
export function matchesEvent(pattern: FilterPattern, event: ModelledEvent): Tri {
  switch (pattern.kind) {
    case 'all':
      return true;
    case 'unsupported':
      return undefined;
    case 'json':
      return evalJson(pattern.expr, event);
    case 'terms': {
      const values = [...event.fields.values()].filter((v): v is string => typeof v === 'string');
      const present = (term: string): Tri => {
        // A whole value or a whole word of one is there; a part of a word may or may not count as
        // a term match, so it decides nothing.
        if (values.some((v) => v === term || v.split(/[^A-Za-z0-9_]+/).includes(term))) return true;
        if (values.some((v) => v.includes(term))) return undefined;
        return /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$/.test(term) ? false : undefined;
      };
      if (pattern.any) return or3(pattern.include.map(present));
      const excluded = pattern.exclude.map((t) => {
        const p = present(t);
        return p === undefined ? undefined : !p;
      });
      return and3([...pattern.include.map(present), ...excluded]);
    }
  }
}

/** The selectors a JSON pattern tests that the event model does not know (sorted), for messages. */
export function unknownSelectors(pattern: FilterPattern, event: ModelledEvent): string[] {
  if (pattern.kind !== 'json') return [];
  const out = new Set<string>();
  const walk = (expr: JsonExpr): void => {
    if ('items' in expr) expr.items.forEach(walk);
    else if (!event.fields.has(expr.selector)) out.add(expr.selector);
  };
  walk(pattern.expr);
  return [...out].sort();
}
