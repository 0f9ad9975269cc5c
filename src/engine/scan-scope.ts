/**
 * Audit metadata: what a scan covered (`ScanResult.scanScope`), stated in every report so that a
 * reader of the evidence knows its scope, and so that two reports say whether they were produced
 * with the same settings (docs/json-report.md, "scanScope").
 *
 * - `regions`: the inventory's Regions (a live scan: the Regions scanned; a snapshot: those it
 *   records; an organization or multi-account scan: the union), sorted, without duplicates.
 * - `services`: the services of the rules that ran (each rule's `service`), sorted: what was
 *   judged, whatever the input (a live scan, a snapshot, templates).
 * - `inputs`: the files the inventory came from (`ScanResult.inputs`), empty for a live scan.
 * - `configDigest`: `sha256:` and the hex SHA-256 of the canonical JSON (object keys sorted at
 *   every level, no whitespace, undefined left out) of the effective settings (configDigestInput).
 *
 * Deterministic: no clock, no environment, no path that depends on the machine.
 */
import { createHash } from 'node:crypto';
import type { RuleSettings, Severity } from './types.js';

export interface ScanScopeMetadata {
  regions: string[];
  services: string[];
  inputs: string[];
  configDigest: string;
}

/** What the config digest covers: the settings that decide which findings a report holds and how they read. */
export interface ConfigDigestInput {
  /** Ids of the rules that ran (after --rules, --skip-rules and the config's rules). */
  rules: readonly string[];
  /** Ids of the frameworks reported (after --framework and the config's frameworks). */
  frameworks: readonly string[];
  /** Severity overrides of the config, by rule id (rules that ran only). */
  severityOverrides: Readonly<Record<string, Severity>>;
  /** The rule settings with aigis's defaults applied (approved models, AI workload resources, assumptions, approved AI Regions). */
  settings: RuleSettings;
  /** The config's suppressions, as written (in order). */
  suppressions: readonly unknown[];
  /** `--scope`: all or ai. */
  scope: string;
}

/** The canonical object hashed: key names are part of the digest's definition (docs/json-report.md). */
export function configDigestDocument(input: ConfigDigestInput): Record<string, unknown> {
  return {
    frameworks: [...input.frameworks].sort(),
    rules: [...input.rules].sort(),
    scope: input.scope,
    settings: input.settings,
    severityOverrides: input.severityOverrides,
    suppressions: input.suppressions,
  };
}

export function configDigest(input: ConfigDigestInput): string {
  return `sha256:${createHash('sha256').update(canonicalJson(configDigestDocument(input))).digest('hex')}`;
}

/** JSON with object keys sorted at every level (UTF-16 order), no whitespace; undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Sorted, without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function scanScopeOf(regions: Iterable<string>, services: Iterable<string>, inputs: readonly string[], digest: string): ScanScopeMetadata {
  return { regions: sortedUnique(regions), services: sortedUnique(services), inputs: [...inputs], configDigest: digest };
}

/**
 * Several accounts scanned with one configuration: the Regions of all, the services of the rules
 * that ran, the combined inputs, and the configuration's digest.
 */
export function combineScanScopes(scopes: readonly (ScanScopeMetadata | undefined)[], services: Iterable<string>, inputs: readonly string[], digest: string): ScanScopeMetadata {
  return scanScopeOf(
    scopes.flatMap((s) => s?.regions ?? []),
    services,
    inputs,
    digest,
  );
}
