/**
 * Progress on stderr: one self-rewriting line on a TTY, plain lines (one per finished
 * service/region) otherwise, so CI logs stay readable. Nothing is written to stdout.
 */
import { MESSAGE_MAX, inertText } from '../report/inert.js';
import type { CollectStats, ProgressEvent } from './runtime.js';

export interface ProgressReporter {
  onProgress: (event: ProgressEvent) => void;
  /** Clears the TTY line (call before printing anything else). */
  done: () => void;
}

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function createProgressReporter(stream: Stream = process.stderr, options: { quiet?: boolean } = {}): ProgressReporter {
  if (options.quiet) return { onProgress: () => undefined, done: () => undefined };
  if (stream.isTTY) {
    let last = 0;
    let shown = false;
    return {
      onProgress(event) {
        const now = Date.now();
        // Redraw at most ten times a second (and on every finished unit).
        if (event.kind === 'call' && now - last < 100) return;
        last = now;
        shown = true;
        const errors = event.errors ? `, ${event.errors} error${event.errors === 1 ? '' : 's'}` : '';
        stream.write(`\r\x1b[2Kaigis: collecting ${event.unitsDone}/${event.unitsTotal} service-regions, ${event.calls} API calls${errors}`);
      },
      done() {
        if (shown) stream.write('\r\x1b[2K');
      },
    };
  }
  return {
    onProgress(event) {
      if (event.kind !== 'unit' || !event.unit) return;
      const u = event.unit;
      const errors = u.errors ? `, ${u.errors} error${u.errors === 1 ? '' : 's'}` : '';
      stream.write(`aigis: collected ${inertText(u.service)} (${inertText(u.region)}) in ${u.ms} ms [${event.unitsDone}/${event.unitsTotal}]${errors}\n`);
    },
    done: () => undefined,
  };
}

/** The `--stats` table: calls per operation, then wall time per service. */
export function formatStats(stats: CollectStats): string {
  const lines: string[] = [];
  lines.push(`API calls: ${stats.calls} in ${stats.wallMs} ms (median call ${stats.medianCallMs} ms), ${stats.errors} collection error${stats.errors === 1 ? '' : 's'}`);
  const width = Math.max(10, ...Object.keys(stats.callsByOperation).map((k) => k.length));
  for (const [operation, count] of Object.entries(stats.callsByOperation)) lines.push(`  ${operation.padEnd(width)}  ${String(count).padStart(7)}`);
  lines.push('Wall time per service:');
  for (const [service, s] of Object.entries(stats.services)) {
    lines.push(
      `  ${service.padEnd(16)} ${String(s.wallMs).padStart(7)} ms  ${String(s.calls).padStart(7)} calls  ${String(s.errors).padStart(4)} errors  (concurrency ${stats.concurrency[service] ?? '-'})`,
    );
  }
  for (const note of stats.notes) lines.push(`note: ${inertText(note, MESSAGE_MAX)}`);
  return `${lines.join('\n')}\n`;
}
