/**
 * Inline suppressions in Terraform, next to the resource they excuse:
 *
 *   # aigis:suppress s3-sse-kms-cmk reason="Public reference data, no personal data (RISK-142)" expires=2026-12-31
 *   resource "aws_s3_bucket" "reference" {
 *     // aigis:suppress s3-access-logging reason="Logged at the CDN"
 *     bucket = "acme-reference-data"
 *   }
 *
 * A directive is a whole-line `#` or `//` comment, directly above a `resource "TYPE" "NAME" {` line
 * (other comment lines may sit between them, blank lines may not) or anywhere inside the block.
 * It applies to the findings located in that block: its own resource (every instance of it, in
 * every module call that uses the file), or a setting it declares for another resource (a split
 * `aws_s3_bucket_*` resource, where SARIF points). Same rules as config suppressions: `reason` is
 * required, `expires=YYYY-MM-DD` is optional, the rule may be a glob.
 *
 * The .tf files come from pull requests. They are the files of the module directories where the
 * plan's resources were located (src/importers/terraform/locate.ts, the same files SARIF points
 * at), read with the locator's limits (file size, files per directory) plus a total byte budget;
 * each line is scanned once, by hand: no RegExp is built from the file, and the only patterns run
 * on its lines are the locator's anchored, linear ones. A malformed directive is an input error
 * naming the file and line (exit 2), as a malformed Metadata suppression is.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import { isValidIsoDate, type SuppressionSpec } from '../../engine/suppressions.js';
import { relativeToCwd } from '../paths.js';
import { MAX_TF_FILE_BYTES, RESOURCE_START, tfFileNames } from './locate.js';

/** The word after the comment marker that makes a comment a directive. */
const DIRECTIVE = 'aigis:suppress';
/** A directive longer than this is not one a person wrote. */
export const MAX_DIRECTIVE_CHARS = 2000;
/** Directives per file; a file past this is rejected rather than half read. */
export const MAX_DIRECTIVES_PER_FILE = 1000;
/** .tf files read for directives in one scan, and their total size. */
export const MAX_TF_SUPPRESSION_FILES = 5000;
export const MAX_TF_SUPPRESSION_BYTES = 256 * 1024 * 1024;

export interface TfSuppressionRead {
  specs: SuppressionSpec[];
  /** One-line notes (files left unread past the limits). */
  warnings: string[];
}

/**
 * Directives of the .tf files beside the located ones. `locatedFiles`: the `.tf` files that
 * resources' sources name, as shown in reports (relative to `cwd`); specs name files the same way,
 * so that their scopes match the findings' locations.
 */
export function tfInlineSuppressions(locatedFiles: readonly string[], cwd: string): TfSuppressionRead {
  const directories = [...new Set(locatedFiles.map((f) => path.dirname(path.resolve(cwd, f))))].sort();
  const specs: SuppressionSpec[] = [];
  const warnings: string[] = [];
  let files = 0;
  let bytes = 0;
  let skipped = 0;
  for (const directory of directories) {
    const entries = tfFileNames(directory);
    if (!entries) continue;
    for (const entry of entries) {
      const absolute = path.join(directory, entry);
      let size: number;
      try {
        const info = statSync(absolute);
        if (!info.isFile() || info.size > MAX_TF_FILE_BYTES) continue;
        size = info.size;
      } catch {
        continue;
      }
      if (files >= MAX_TF_SUPPRESSION_FILES || bytes + size > MAX_TF_SUPPRESSION_BYTES) {
        skipped++;
        continue;
      }
      files++;
      bytes += size;
      let text: string;
      try {
        text = readFileSync(absolute, 'utf8');
      } catch {
        continue;
      }
      // Most files have none: skip the line scan.
      if (!text.includes('aigis:')) continue;
      specs.push(...suppressionsInTf(text, relativeToCwd(absolute, cwd)));
    }
  }
  if (skipped) {
    warnings.push(`${skipped} .tf file${skipped > 1 ? 's' : ''} not read for aigis:suppress comments (over ${MAX_TF_SUPPRESSION_FILES} files or ${MAX_TF_SUPPRESSION_BYTES / 1024 / 1024} MiB in one scan)`);
  }
  return { specs, warnings };
}

interface Block {
  address: string;
  startLine: number;
  endLine: number;
}

interface Directive {
  line: number;
  rule: string;
  reason: string;
  expires?: string;
}

/** The directives of one .tf file as suppressions scoped to their resource blocks. `file`: as shown in reports. */
export function suppressionsInTf(text: string, file: string): SuppressionSpec[] {
  const fail = (line: number, detail: string) => new InputError(`${file}:${line}`, [], detail);
  const out: { directive: Directive; block: Block }[] = [];
  /** Directives in the comment run above the current line (depth 0), waiting for a resource line. */
  let pending: Directive[] = [];
  let current: Block | undefined;
  /** Inside a top-level block that is not a resource (module, data, locals...). */
  let otherBlock = false;
  let depth = 0;
  let heredoc: string | undefined;
  let inBlockComment = false;
  let count = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const comment = inBlockComment ? undefined : commentText(line);
    if (comment !== undefined) {
      const directive = parseDirective(comment, lineNo, fail);
      if (directive) {
        if (++count > MAX_DIRECTIVES_PER_FILE) throw fail(lineNo, `more than ${MAX_DIRECTIVES_PER_FILE} aigis:suppress comments in one file`);
        if (depth === 0) pending.push(directive);
        else if (current) out.push({ directive, block: current });
        else throw fail(lineNo, `aigis:suppress must be inside or directly above a resource "TYPE" "NAME" block${otherBlock ? ' (this block is not a resource)' : ''}`);
      }
      // A comment line keeps the run above a resource going.
      continue;
    }
    if (depth === 0 && !inBlockComment) {
      const resource = RESOURCE_START.exec(line);
      if (resource) {
        current = { address: `${resource[2]}.${resource[3]}`, startLine: lineNo, endLine: lineNo };
        for (const directive of pending) out.push({ directive, block: current });
        pending = [];
      } else if (pending.length) {
        throw fail(pending[0]!.line, 'aigis:suppress must be inside or directly above a resource "TYPE" "NAME" block (nothing but comment lines between it and the resource line)');
      } else if (line.trim() !== '') {
        otherBlock = true;
      }
    }
    // Count braces outside strings and comments (as the locator does).
    let inString = false;
    for (let c = 0; c < line.length; c++) {
      const ch = line.charCodeAt(c);
      const next = line.charCodeAt(c + 1);
      if (inBlockComment) {
        if (ch === 42 /* * */ && next === 47 /* / */) {
          inBlockComment = false;
          c++;
        }
        continue;
      }
      if (inString) {
        if (ch === 92 /* \ */) c++;
        else if (ch === 34 /* " */) inString = false;
        continue;
      }
      if (ch === 34) inString = true;
      else if (ch === 35 /* # */ || (ch === 47 && next === 47)) {
        // A directive after code on the line would be easy to miss and is never read: say so.
        if (line.includes(DIRECTIVE, c)) throw fail(lineNo, 'aigis:suppress must be a comment line of its own (not after code on the same line)');
        break;
      }
      else if (ch === 47 && next === 42) {
        inBlockComment = true;
        c++;
      } else if (ch === 60 /* < */ && next === 60) {
        const name = heredocName(line, c + 2);
        if (name) {
          heredoc = name;
          break;
        }
      } else if (ch === 123 /* { */) depth++;
      else if (ch === 125 /* } */) {
        depth = Math.max(0, depth - 1);
        if (depth === 0) {
          if (current) current.endLine = lineNo;
          current = undefined;
          otherBlock = false;
        }
      }
    }
    if (current) current.endLine = lineNo;
  }
  if (pending.length) throw fail(pending[0]!.line, 'aigis:suppress must be inside or directly above a resource "TYPE" "NAME" block (no resource follows it)');
  return out.map(({ directive, block }) => ({
    rule: directive.rule,
    resource: '*',
    reason: directive.reason,
    ...(directive.expires !== undefined ? { expires: directive.expires } : {}),
    source: `${file}:${directive.line}`,
    block: { file, startLine: block.startLine, endLine: block.endLine, address: block.address },
    origin: { file: `${file}:${directive.line}`, path: [] },
  }));
}

/** The text after a whole-line `#` or `//` comment marker; undefined for any other line. */
function commentText(line: string): string | undefined {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (line.charCodeAt(i) === 35) return line.slice(i + 1);
  if (line.charCodeAt(i) === 47 && line.charCodeAt(i + 1) === 47) return line.slice(i + 2);
  return undefined;
}

/** `<<EOF` / `<<-EOF` at `at` (just after `<<`): the terminator, or undefined. */
function heredocName(line: string, at: number): string | undefined {
  let i = at;
  if (line.charCodeAt(i) === 45 /* - */) i++;
  const first = i;
  while (i < line.length && isWordChar(line.charCodeAt(i), i === first)) i++;
  return i > first ? line.slice(first, i) : undefined;
}

function isWordChar(code: number, first: boolean): boolean {
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return letter || (!first && code >= 48 && code <= 57);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * `aigis:suppress RULE reason="..." expires=YYYY-MM-DD` (after the comment marker). A comment that
 * does not start with `aigis:` is no directive; one that names another `aigis:` word is a typo, and an
 * error rather than a suppression silently ignored.
 */
function parseDirective(comment: string, line: number, fail: (line: number, detail: string) => InputError): Directive | undefined {
  let i = 0;
  while (i < comment.length && isSpace(comment.charCodeAt(i))) i++;
  if (!comment.startsWith('aigis:', i)) return undefined;
  if (comment.length - i > MAX_DIRECTIVE_CHARS) throw fail(line, `aigis:suppress comment longer than ${MAX_DIRECTIVE_CHARS} characters`);
  const word = readBare(comment, i);
  if (word.value !== DIRECTIVE) throw fail(line, `unknown directive "${word.value}" (expected aigis:suppress RULE reason="..." [expires=YYYY-MM-DD])`);
  i = skipSpaces(comment, word.end);
  const rule = readBare(comment, i);
  if (rule.value === '' || rule.value.includes('=') || rule.value.includes('"')) {
    throw fail(line, 'aigis:suppress needs a rule id (or a glob over rule ids) first: aigis:suppress RULE reason="..." [expires=YYYY-MM-DD]');
  }
  i = rule.end;
  let reason: string | undefined;
  let expires: string | undefined;
  for (;;) {
    i = skipSpaces(comment, i);
    if (i >= comment.length) break;
    const eq = keyEnd(comment, i);
    const key = comment.slice(i, eq);
    if (comment.charCodeAt(eq) !== 61 /* = */ || key === '') throw fail(line, `aigis:suppress: expected key=value after the rule, got "${preview(comment.slice(i))}"`);
    if (key !== 'reason' && key !== 'expires') throw fail(line, `aigis:suppress: unknown key "${key}" (expected reason and expires)`);
    if ((key === 'reason' ? reason : expires) !== undefined) throw fail(line, `aigis:suppress: ${key} is given twice`);
    const value = comment.charCodeAt(eq + 1) === 34 ? readQuoted(comment, eq + 1, line, fail) : readBare(comment, eq + 1);
    if (key === 'reason') reason = value.value;
    else expires = value.value;
    i = value.end;
    if (i < comment.length && !isSpace(comment.charCodeAt(i))) throw fail(line, `aigis:suppress: expected a space after ${key}=…, got "${preview(comment.slice(i))}"`);
  }
  if (reason === undefined || reason.trim() === '') throw fail(line, 'aigis:suppress needs reason="..." (why the risk is accepted)');
  if (expires !== undefined && !isValidIsoDate(expires)) throw fail(line, `aigis:suppress: expires must be a real calendar date written YYYY-MM-DD, got "${preview(expires)}"`);
  return { line, rule: rule.value, reason: reason.trim(), ...(expires !== undefined ? { expires } : {}) };
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** A run of characters up to the next space. */
function readBare(text: string, from: number): { value: string; end: number } {
  let i = from;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return { value: text.slice(from, i), end: i };
}

/** Letters of a key, up to `=`, a space or the end. */
function keyEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) break;
    i++;
  }
  return i;
}

/** `"..."` at `from` with `\"` and `\\` escapes; the value without quotes. */
function readQuoted(text: string, from: number, line: number, fail: (line: number, detail: string) => InputError): { value: string; end: number } {
  let value = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && i + 1 < text.length) {
      value += text[i + 1];
      i++;
    } else if (c === 34) {
      return { value, end: i + 1 };
    } else {
      value += text[i];
    }
  }
  throw fail(line, 'aigis:suppress: a quoted value has no closing quote');
}

/** The start of a value for a message, kept short. */
function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
