/** Report formats by name: how `--format` values map to renderers and file extensions. */
import type { ScanResult } from '../engine/scan.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

export interface ReportFormat {
  extension: string;
  render(result: ScanResult): string;
}

export const FORMATS = {
  json: { extension: 'json', render: renderJson },
  sarif: { extension: 'sarif', render: renderSarif },
  html: { extension: 'html', render: renderHtml },
  markdown: { extension: 'md', render: renderMarkdown },
} satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof FORMATS;
