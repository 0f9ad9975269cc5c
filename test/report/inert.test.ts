/**
 * src/report/inert.ts: input text made safe for terminals and GitHub workflow-command parsing.
 * The per-channel tests (console, errors, warnings, Action, Markdown) are in test/gate/injection.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { formatAnnotation } from '../../src/action/github.js';
import { FIELD_MAX, escapeControls, inertErrorMessage, inertLines, inertText } from '../../src/report/inert.js';
import { escapeMarkdown } from '../../src/report/markdown.js';

/** Anything a terminal or a bidi-aware viewer would act on. */
const RAW_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('inertText', () => {
  it.each([
    ['plain arn:aws:s3:::bucket', 'plain arn:aws:s3:::bucket'],
    ['title\x1b]0;pwned\x07', 'title\\x1b]0;pwned\\x07'],
    ['clear\x1b[2J\x1b[H', 'clear\\x1b[2J\\x1b[H'],
    ['over\rwrite', 'over\\rwrite'],
    ['two\nlines', 'two\\nlines'],
    ['tab\there', 'tab\\there'],
    ['nul\x00 del\x7f csi\x9b nel\x85', 'nul\\x00 del\\x7f csi\\x9b nel\\x85'],
    ['abc\u202egnp.exe', 'abc\\u{202e}gnp.exe'],
    ['\u2066iso\u2069 \u200bzw\u200d \ufeffbom \u2028ls \u00adshy', '\\u{2066}iso\\u{2069} \\u{200b}zw\\u{200d} \\u{feff}bom \\u{2028}ls \\xadshy'],
    ['lone \ud800 surrogate', 'lone \\u{d800} surrogate'],
    ['::error file=x::forged', '\\u{3a}:error file=x::forged'],
    ['  \u00a0::add-mask::secret', '  \u00a0\\u{3a}:add-mask::secret'],
    ['a ##[error]legacy ###[warning]x', 'a ##\\[error]legacy ###\\[warning]x'],
    ['x\n::error::forged', 'x\\n::error::forged'],
    ['ünïcödé 日本 🙂', 'ünïcödé 日本 🙂'],
  ])('%j -> %j', (input, expected) => {
    expect(inertText(input)).toBe(expected);
  });

  it('is a single line without control, bidi or invisible characters whatever the input', () => {
    let all = '';
    for (let cp = 0; cp < 0x3000; cp++) all += String.fromCodePoint(cp);
    all += '\ufeff\ufff9\u{e0041}\u{1d173}';
    const out = inertText(all, Number.POSITIVE_INFINITY);
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out.split('\n')).toHaveLength(1);
  });

  it('bounds a field and says how much was cut; a cut field is not cut again', () => {
    const long = 'a'.repeat(10_000);
    const out = inertText(long);
    expect(out).toBe(`${'a'.repeat(FIELD_MAX)}…(+${10_000 - FIELD_MAX} chars)`);
    expect(inertText(out)).toBe(out);
    expect(inertText('b'.repeat(FIELD_MAX))).toBe('b'.repeat(FIELD_MAX));
    // Escapes count toward the bound, and are never split.
    const escaped = inertText('\x1b'.repeat(1000), 40);
    expect(escaped).toMatch(/^(\\x1b){10}…\(\+990 chars\)$/);
  });

  it('prints undefined and null as nothing, numbers as themselves', () => {
    expect(inertText(undefined)).toBe('');
    expect(inertText(null)).toBe('');
    expect(inertText(42)).toBe('42');
  });
});

describe('inertLines', () => {
  it('keeps line feeds, escapes everything else, and guards each line', () => {
    const out = inertLines('aigis: ok\r\n::error file=a::x\n  ::add-mask::y\nsee ##[warning]z\x1b[2J\n');
    expect(out).toBe('aigis: ok\\r\n\\u{3a}:error file=a::x\n  \\u{3a}:add-mask::y\nsee ##\\[warning]z\\x1b[2J\n');
    expect(inertLines(out)).toBe(out);
  });
});

describe('inertErrorMessage', () => {
  it('puts an input error on one line', () => {
    expect(inertErrorMessage('t.json at $.tags["\u202e"]: bad\n::error::x')).toBe('t.json at $.tags["\\u{202e}"]: bad\\n::error::x');
  });

  it("keeps aigis's own usage hint as the second line", () => {
    expect(inertErrorMessage('Unknown argument: \x1b[2J\nRun `aigis --help` for usage.')).toBe('Unknown argument: \\x1b[2J\nRun `aigis --help` for usage.');
    expect(inertErrorMessage('x\nRun `aigis --help` for usage.\n::error::y')).toBe('x\\nRun `aigis --help` for usage.\\n::error::y');
  });
});

describe('escapeControls', () => {
  it('escapes without touching workflow-command text (for sinks with their own framing)', () => {
    expect(escapeControls('::error::\x07')).toBe('::error::\\x07');
    expect(escapeControls('plain')).toBe('plain');
  });
});

describe('annotations', () => {
  it('escape ESC, BEL, C1 and bidi characters in the message and properties, and keep the protocol escapes', () => {
    const line = formatAnnotation({
      level: 'error',
      title: 'aigis rule\x1b]0;t\x07',
      file: 'infra/e\x1b[2J,v:l\n.yaml',
      line: 4,
      message: 'bad \x1b]0;pwned\x07 \u202eRLO \x9b1m 50%\nResource: x\r\n::add-mask::y',
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(line).toBe(
      '::error file=infra/e\\x1b[2J%2Cv%3Al\\n.yaml,line=4,title=aigis rule\\x1b]0;t\\x07::' +
        'bad \\x1b]0;pwned\\x07 \\u{202e}RLO \\x9b1m 50%25%0AResource: x\\r%0A::add-mask::y\n',
    );
  });
});

describe('escapeMarkdown', () => {
  it('shows control and bidi characters as escapes, bounded', () => {
    expect(escapeMarkdown('a\x1b]0;x\x07b \u202ec')).toBe('a\\\\x1b\\]0;x\\\\x07b \\\\u{202e}c');
    expect(escapeMarkdown('z'.repeat(5000))).toMatch(/^z{1000}…\(\+4000 chars\)$/);
  });

  it('breaks mentions and autolinks, and legacy workflow commands', () => {
    expect(escapeMarkdown('see https://evil.example/x www.evil.example a@b.example')).toBe(
      'see https:&#8203;//evil.example/x www&#8203;.evil.example a@&#8203;b.example',
    );
    expect(escapeMarkdown('##[error]x')).not.toContain('##[');
  });
});
