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

const SCRIPT_JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Makes JSON text safe inside a `<script type="application/json">` block. JSON cannot hold a raw
 * `<`, `>` or `&` outside of strings, so escaping them as \u sequences cannot change the value, and
 * it makes `</script>` or `<!--` inside a string unable to end the block. U+2028/2029 are escaped
 * too, so the text is also safe if someone ever pastes it into JavaScript. Works on any slice of a
 * JSON document (the data block is written in chunks), since it only rewrites those characters.
 */
export function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_JSON_ESCAPES[c] ?? c);
}

/** Serializes data for a `<script type="application/json">` block (see escapeJsonForScript). */
export function jsonForScriptBlock(value: unknown): string {
  return escapeJsonForScript(JSON.stringify(value));
}
