/**
 * Audit metadata in the human-readable reports: the account alias and the scan's scope (Regions,
 * services, config digest; src/engine/scan-scope.ts). The machine formats (JSON, SARIF, OCSF,
 * ASFF, JUnit, CSV) carry the same values in their own places.
 *
 * The alias comes from the scanned account (or a snapshot under review): it is escaped like any
 * other inventory string by each format's own escaper.
 */
import type { ScanResult } from '../engine/scan.js';
import { escapeHtml } from './html-escape.js';

/** The alias of the finding's account: its own in a scan of several accounts, else the scan's. */
export function aliasOfAccount(result: Pick<ScanResult, 'account' | 'accounts'>, accountId: string | undefined): string | undefined {
  if (accountId !== undefined && result.accounts) return result.accounts.find((a) => a.id === accountId)?.alias;
  return result.account.alias;
}

/** A list for one line of a header: the values joined, or "none". */
function listText(values: readonly string[]): string {
  return values.length ? values.join(', ') : 'none';
}

/** The HTML header's alias entry (inside its `<dl>`, after the account): a single-account scan with a known alias. */
export function accountAliasHtml(result: ScanResult): string[] {
  return !result.accounts && result.account.alias !== undefined ? [`<div><dt>Account alias</dt><dd>${escapeHtml(result.account.alias)}</dd></div>`] : [];
}

/** The HTML header's scope entries (inside its `<dl>`): Regions, services, config digest. */
export function scanScopeHtml(result: ScanResult): string[] {
  const scope = result.scanScope;
  if (!scope) return [];
  return [
    `<div><dt>Regions</dt><dd>${escapeHtml(listText(scope.regions))}</dd></div>`,
    `<div><dt>Services</dt><dd>${escapeHtml(listText(scope.services))}</dd></div>`,
    `<div><dt>Config digest</dt><dd><code>${escapeHtml(scope.configDigest)}</code></dd></div>`,
  ];
}

/** Lines of the markdown report under its heading, with `e` the markdown escaper. */
export function auditMetadataMarkdown(result: ScanResult, e: (text: string) => string): string[] {
  const scope = result.scanScope;
  if (!scope) return [];
  return [`Regions: ${e(listText(scope.regions))} · services: ${e(listText(scope.services))} · config digest ${e(scope.configDigest)}`, ''];
}

/** `alias` shown after an account id in a one-line header: ` "alias"`, or nothing. */
export function aliasSuffix(alias: string | undefined, escape: (text: string) => string): string {
  return alias !== undefined ? ` "${escape(alias)}"` : '';
}
