/** Report formats by name: how `--format` values map to renderers and file extensions. */
import type { ScanResult } from '../engine/scan.js';
import { renderHtml } from './html.js';
import { renderJsonChunks } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarifChunks } from './sarif.js';

/** A rendered report: one string, or chunks in order (the large machine-readable formats). */
export type ReportContent = string | Iterable<string>;

export interface ReportFormat {
  extension: string;
  render(result: ScanResult): ReportContent;
}

export const FORMATS = {
  json: { extension: 'json', render: renderJsonChunks },
  sarif: { extension: 'sarif', render: renderSarifChunks },
  html: { extension: 'html', render: renderHtml },
  markdown: { extension: 'md', render: renderMarkdown },
} satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof FORMATS;
