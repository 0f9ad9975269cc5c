/**
 * Escaping for the HTML report. Everything printed comes from the scanned account (tag values,
 * resource names, policy text) or from templates under review, so it is all attacker-controlled.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Serializes data for a `<script type="application/json">` block. JSON cannot hold a raw `<`, `>`
 * or `&` outside of strings, so escaping them as \u sequences cannot change the value, and it makes
 * `</script>` or `<!--` inside a string unable to end the block. U+2028/2029 are escaped too, so
 * the text is also safe if someone ever pastes it into JavaScript.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
