/**
 * WAFv2 web ACLs of REGIONAL scope (the ones API Gateway stages, load balancers and AppSync use),
 * per region: ListWebACLs, then GetWebACL for each, its rules reduced to what the rate limiting
 * check reads (rate-based statements, managed and customer rule group references). CloudFront
 * ACLs are not read.
 */
import { GetWebACLCommand, ListWebACLsCommand, type Rule, type WebACLSummary } from '@aws-sdk/client-wafv2';
import { actionName, wafStatementFacts } from '../inventory/api-gateway.js';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import type { WebAclInput } from './shapes.js';

const MAX_PAGES = 20;

export async function collectWafRegion(rt: CollectRuntime, region: string): Promise<WebAclInput[] | undefined> {
  const summaries: WebACLSummary[] = [];
  let pages = 0;
  const listed = await paginate(
    (NextMarker) => rt.call('wafv2', region, 'ListWebACLs', (c) => c.send(new ListWebACLsCommand({ Scope: 'REGIONAL', Limit: 100, ...(NextMarker ? { NextMarker } : {}) }))),
    // WAF returns a NextMarker with its last page too: an empty page ends the listing.
    (page) => (++pages < MAX_PAGES && page.WebACLs?.length ? page.NextMarker : undefined),
    (page) => summaries.push(...(page.WebACLs ?? [])),
  );
  if (listed === 'failed') return undefined;
  const out: WebAclInput[] = [];
  await forEachBounded(summaries, rt.concurrencyFor('wafv2'), async (summary) => {
    if (!summary.ARN || !summary.Name) return;
    const entry: WebAclInput = { arn: summary.ARN, region, name: summary.Name, scope: 'REGIONAL', ...(summary.Id ? { id: summary.Id } : {}) };
    if (summary.Id) {
      const outcome = await rt.call('wafv2', region, 'GetWebACL', (c) => c.send(new GetWebACLCommand({ Name: summary.Name, Id: summary.Id, Scope: 'REGIONAL' })), { resource: summary.ARN });
      if (outcome.status === 'ok' && outcome.value.WebACL) {
        const acl = outcome.value.WebACL;
        const action = actionName(acl.DefaultAction);
        if (action) entry.defaultAction = action;
        entry.rules = webAclRules(acl.Rules ?? []);
      }
    }
    out.push(entry);
  });
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** Rules in priority order (then name), each reduced to its statement facts and action. */
export function webAclRules(rules: readonly Rule[]): NonNullable<WebAclInput['rules']> {
  return rules
    .flatMap((rule) => {
      if (!rule.Name) return [];
      const action = actionName(rule.Action) ?? actionName(rule.OverrideAction);
      return [{ name: rule.Name, ...(rule.Priority !== undefined ? { priority: rule.Priority } : {}), ...(action ? { action } : {}), ...wafStatementFacts(rule.Statement) }];
    })
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
