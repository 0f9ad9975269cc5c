/** Report formats by name: how `--format` values map to renderers and file extensions. */
import type { ScanResult } from '../engine/scan.js';
import { renderAsffChunks } from './asff.js';
import { renderCsvChunks } from './csv.js';
import { renderHtmlChunks } from './html.js';
import { renderJsonChunks } from './json.js';
import { renderJunitChunks } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderOcsfChunks } from './ocsf.js';
import { renderSarifChunks } from './sarif.js';

/** A rendered report: one string, or chunks in order (a report is never built as one large string). */
export type ReportContent = string | Iterable<string>;

export { DEFAULT_REPORT_OPTIONS, PASSED_MODES, type PassedMode, type ReportOptions } from './options.js';
import type { ReportOptions } from './options.js';

export interface ReportFormat {
  extension: string;
  render(result: ScanResult, options: ReportOptions): ReportContent;
}

export const FORMATS = {
  json: { extension: 'json', render: renderJsonChunks },
  sarif: { extension: 'sarif', render: renderSarifChunks },
  html: { extension: 'html', render: renderHtmlChunks },
  markdown: { extension: 'md', render: renderMarkdown },
  ocsf: { extension: 'ocsf.jsonl', render: renderOcsfChunks },
  csv: { extension: 'csv', render: renderCsvChunks },
  junit: { extension: 'junit.xml', render: renderJunitChunks },
  asff: { extension: 'asff.json', render: renderAsffChunks },
} satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof FORMATS;
