/**
 * Evidence and references as a reader wants them: evidence as a small key/value table (nested
 * values as nested tables, a few levels deep) rather than a raw JSON block, and a rule's
 * references as links when, and only when, they are plain https URLs. The page script draws the
 * same table for the rows it renders (REPORT_JS `evidenceTable`); both cap what they print, since
 * evidence holds policy documents copied from the account.
 */
import { escapeHtml as e } from './html-escape.js';

/** Nesting shown as tables; deeper values are printed as compact JSON. */
export const EVIDENCE_DEPTH = 3;
/** Keys or items shown per level; the rest are counted. */
export const EVIDENCE_ROWS = 40;
/** Characters of one printed value. */
export const EVIDENCE_TEXT = 2000;

function clip(text: string): string {
  return text.length > EVIDENCE_TEXT ? `${text.slice(0, EVIDENCE_TEXT)}… (${text.length - EVIDENCE_TEXT} more characters)` : text;
}

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function valueHtml(value: unknown, depth: number): string {
  const plain = scalar(value);
  if (plain !== undefined) return `<span class="ev-v">${e(clip(plain))}</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="muted">none</span>';
    if (value.every((item) => scalar(item) !== undefined)) {
      const shown = value.slice(0, EVIDENCE_ROWS).map((item) => `<li>${e(clip(scalar(item)!))}</li>`);
      return `<ul class="ev-list">${shown.join('')}${more(value.length)}</ul>`;
    }
  }
  if (depth >= EVIDENCE_DEPTH) return `<code>${e(clip(JSON.stringify(value) ?? ''))}</code>`;
  return evidenceTableHtml(value, depth + 1);
}

function more(total: number): string {
  return total > EVIDENCE_ROWS ? `<li class="muted">and ${e(total - EVIDENCE_ROWS)} more</li>` : '';
}

/** An object (or array) as a two-column table: key (or position) and value. */
export function evidenceTableHtml(value: unknown, depth = 0): string {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`#${i + 1}`, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [['value', value]];
  const rows = entries.slice(0, EVIDENCE_ROWS).map(([key, item]) => `<tr><th scope="row">${e(key)}</th><td>${valueHtml(item, depth)}</td></tr>`);
  if (entries.length > EVIDENCE_ROWS) rows.push(`<tr><td colspan="2" class="muted">and ${e(entries.length - EVIDENCE_ROWS)} more</td></tr>`);
  return `<table class="evidence">${rows.join('')}</table>`;
}

/**
 * The URL to link to when `text` is an absolute https URL with no credentials; undefined for
 * anything else (javascript:, data:, http:, relative text), which stays plain text.
 */
export function safeHttpsUrl(text: string): string | undefined {
  if (text.length > 2048 || !text.startsWith('https://')) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return url.href;
}

/** A reference: a link (no referrer sent) when it is a safe https URL, else text. */
export function referenceHtml(text: string): string {
  const href = safeHttpsUrl(text);
  return href ? `<a href="${e(href)}" rel="noreferrer">${e(text)}</a>` : e(text);
}
