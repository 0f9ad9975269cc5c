/**
 * The HTML report's drill-down addresses (read by the page script's `route`, html-drilldown.ts):
 * every section links a control, rule or resource the same way. Parts are percent-encoded, so an
 * id with `/`, `#` or `%` in it still names one thing.
 */
export function controlHref(framework: string, controlId: string): string {
  return `#/control/${encodeURIComponent(framework)}/${encodeURIComponent(controlId)}`;
}

export function ruleHref(ruleId: string): string {
  return `#/rule/${encodeURIComponent(ruleId)}`;
}

export function resourceHref(index: number): string {
  return `#/resource/${index}`;
}
