/**
 * Text from scanned input (resource names, tags, messages, file names, collection errors, JSON
 * keys) made inert before aigis prints it to a terminal or a CI log. A pull request writes that
 * text, so it must not be able to:
 *
 * - drive the terminal: ESC/CSI/OSC sequences (set the title, clear the screen, hyperlinks), BEL,
 *   other C0 and C1 controls, DEL;
 * - forge or hide lines: CR, LF, VT, FF, NEL, U+2028/2029;
 * - disguise text: bidi overrides and isolates (U+202A-202E, U+2066-2069), zero-width and other
 *   invisible format characters (Unicode category Cf: U+200B-200F, U+FEFF, U+00AD, tag characters...);
 * - issue GitHub workflow commands: the runner reads `::command::` at the start of a line (after
 *   leading whitespace) and the legacy `##[command]` anywhere in a line.
 *
 * Every such character is replaced by a visible escape (`\x1b`, `\n`, `\u{202e}`), so a field
 * always prints as one line; a leading `::` becomes `\u{3a}:` and `##[` becomes `##\[`. Very long
 * values are cut with a visible count. Backslashes are not doubled (paths stay readable): the
 * result is for display, not for parsing back.
 */

/** Default bound for one console field (an ARN, a name, an error code). */
export const FIELD_MAX = 300;
/** Bound for a finding message or a one-line error (they embed several fields). */
export const MESSAGE_MAX = 1000;

/** Controls, format characters (bidi, zero-width, BOM, tags), line/paragraph separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** Same, but line feeds are kept (multi-line text checked line by line). */
const UNSAFE_BUT_LF = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Room for the last escape and the `…(+N chars)` note, so a cut text is not cut again. */
const SLACK = 32;

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp === 0x09) return '\\t';
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * Controls and invisible/bidi characters as visible escapes, bounded to about `max` characters
 * (`…(+N chars)` says how much was cut). No workflow-command guard: for sinks that are not logs
 * (Markdown, annotation bodies) or that add their own.
 */
export function escapeControls(text: string, max = Number.POSITIVE_INFINITY): string {
  // The bound is soft by a few characters so that escaping an escaped text changes nothing.
  const cut = text.length > max + SLACK;
  if (!cut && !UNSAFE.test(text)) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    if (cut && out.length >= max) break;
    out += UNSAFE.test(ch) ? escapeChar(ch) : ch;
    used += ch.length;
  }
  return used < text.length ? `${out}…(+${text.length - used} chars)` : out;
}

/** escapeControls without the bound, line feeds kept: for a body whose sink encodes line breaks itself (annotation messages). */
export function escapeControlsKeepingLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escapeChar);
}

/** `::` at the start of a line (after whitespace, as the runner trims it) and `##[` anywhere, neutralized. */
function guardCommands(line: string): string {
  return line.replace(/^(\s*):(?=:)/, '$1\\u{3a}').replace(/##\[/g, '##\\[');
}

/**
 * One console field from input data: a single line with no control, bidi or invisible character,
 * no workflow command, at most about `max` characters.
 */
export function inertText(value: string | number | undefined | null, max = FIELD_MAX): string {
  if (value === undefined || value === null) return '';
  return guardCommands(escapeControls(String(value), max));
}

/**
 * Multi-line text whose line breaks are aigis's own (a log chunk, a stack trace): every other
 * unsafe character escaped, and each line guarded against workflow commands. Idempotent on text
 * that is already inert.
 */
export function inertLines(text: string): string {
  return escapeControlsKeepingLines(text)
    .split('\n')
    .map(guardCommands)
    .join('\n');
}

/**
 * A user-facing error message on one line. Input errors embed file names, JSON keys and values;
 * the only line break aigis itself puts in one is the usage hint that closes a usage error.
 */
export function inertErrorMessage(message: string): string {
  const hint = /\n(Run `aigis[ \w-]*--help` for usage\.)$/.exec(message);
  const body = hint ? message.slice(0, hint.index) : message;
  return `${inertText(body, MESSAGE_MAX)}${hint ? `\n${hint[1]}` : ''}`;
}

