/**
 * The GitHub Actions runner protocol, without @actions/core: inputs arrive as INPUT_* environment
 * variables, outputs and the job summary are appended to the files named by GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, annotations are `::error ...::` lines on stdout.
 * https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { escapeControls, escapeControlsKeepingLines } from '../report/inert.js';

/**
 * The runner turns an input name into INPUT_<NAME>: upper case, spaces to underscores, hyphens
 * kept (`fail-on` -> `INPUT_FAIL-ON`). Composite actions pass inputs through `env:`, where a
 * hyphen is awkward, so the underscore spelling is accepted too. Empty means "not given".
 */
export function getInput(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const upper = name.replace(/ /g, '_').toUpperCase();
  for (const key of [`INPUT_${upper}`, `INPUT_${upper.replace(/-/g, '_')}`]) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Multi-value inputs: one per line or comma-separated; blanks dropped. */
export function getListInput(env: NodeJS.ProcessEnv, name: string): string[] {
  const value = getInput(env, name);
  if (value === undefined) return [];
  return value
    .split(/\r?\n|,/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Lines only: for values that may contain commas (CloudFormation `Key=a,b` list parameters). */
export function getLineInput(env: NodeJS.ProcessEnv, name: string): string[] {
  const value = getInput(env, name);
  if (value === undefined) return [];
  return value
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export function getBooleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = getInput(env, name);
  if (value === undefined) return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new Error(`input ${name}: expected true or false, got "${value}"`);
}

/**
 * `name=value`, or for a value with line breaks the heredoc form with a delimiter that cannot
 * occur in the value (a fixed delimiter would let a crafted value inject extra outputs).
 */
export function formatOutput(name: string, value: string, delimiter: () => string = () => `ghadelimiter_${randomUUID()}`): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  let marker = delimiter();
  while (value.includes(marker)) marker = delimiter();
  return `${name}<<${marker}\n${value}\n${marker}\n`;
}

export async function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  await appendFile(file, Object.entries(outputs).map(([k, v]) => formatOutput(k, v)).join(''), 'utf8');
}

export async function appendSummary(env: NodeJS.ProcessEnv, markdown: string): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}

/** Message part of a workflow command. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (file, title...) additionally escape `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * One `::level props::message` line. Besides the protocol escapes, control, bidi and invisible
 * characters (ESC, BEL, C1, U+202E...) become visible escapes: the runner would pass them through
 * to the annotation and the log. Line breaks in the message stay (as %0A); a property is one line;
 * `##[` becomes `##\[`.
 */
export function formatAnnotation(a: Annotation): string {
  // `##[` is the legacy command marker, honoured anywhere in a line.
  const legacy = (value: string) => value.replace(/##\[/g, '##\\[');
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(legacy(escapeControls(a.file)))}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.column !== undefined) props.push(`col=${a.column}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(legacy(escapeControls(a.title)))}`);
  return `::${a.level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(legacy(escapeControlsKeepingLines(a.message)))}\n`;
}
