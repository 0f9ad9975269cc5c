/**
 * Where a template declares each resource and each of its properties (line and column), for
 * source locations in reports: indexed once from the parser's positions, by logical id and
 * property path (`BucketEncryption.ServerSideEncryptionConfiguration[0]`).
 */
import type { SourceLocation } from '../../inventory/schema.js';
import type { ParsedTemplate, Position } from '../iac/cfn-parse.js';
import { compact } from '../iac/draft.js';

/** Where the property paths of a resource are recorded: at most this many segments deep. */
const MAX_LOCATION_DEPTH = 6;

export class TemplateLocations {
  private readonly propertyLocations = new Map<string, Map<string, Position>>();
  private readonly resourceLocations = new Map<string, Position>();

  constructor(
    parsed: ParsedTemplate,
    private readonly file: string,
  ) {
    for (const [key, position] of parsed.locations) {
      const parts = key.split('\u0000');
      if (parts[0] !== 'Resources' || parts.length < 2) continue;
      const logicalId = parts[1]!;
      if (parts.length === 2) {
        this.resourceLocations.set(logicalId, position);
        continue;
      }
      if (parts[2] !== 'Properties' || parts.length < 4) continue;
      const rest = parts.slice(3);
      if (rest.length > MAX_LOCATION_DEPTH) continue;
      // Positions inside intrinsic functions (`Fn::If` branches) are not property paths.
      if (rest.some((p) => p === 'Ref' || p.startsWith('Fn::'))) continue;
      const formatted = rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      let out = '';
      for (const part of formatted) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
      const map = this.propertyLocations.get(logicalId) ?? new Map<string, Position>();
      map.set(out, position);
      this.propertyLocations.set(logicalId, map);
    }
  }

  sourceOf(logicalId: string): SourceLocation {
    const position = this.resourceLocations.get(logicalId);
    const properties = this.propertyLocations.get(logicalId);
    return compact({
      file: this.file,
      line: position?.line,
      column: position?.column,
      logicalId,
      properties: properties && properties.size ? Object.fromEntries([...properties.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) : undefined,
    });
  }

  /** Points a setting of one resource at the resource that declares it (BucketPolicy -> bucket). */
  linkLocation(target: { source?: SourceLocation }, key: string, fromLogicalId: string, fromProperty: string): void {
    const position = this.propertyLocations.get(fromLogicalId)?.get(fromProperty) ?? this.resourceLocations.get(fromLogicalId);
    if (!position || !target.source) return;
    target.source.properties = { ...(target.source.properties ?? {}), [key]: { line: position.line, column: position.column } };
  }
}
