/**
 * Writing report files without ever leaving a half-written one: each file is written to a temp
 * file in the same directory and renamed into place only after every format rendered and wrote.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../engine/errors.js';

export interface PlannedFile {
  path: string;
  /** The text, or its chunks in order (large reports are never built as one string). */
  content: string | Iterable<string>;
}

/** Decides file names: one format + a path with an extension = that file; otherwise a directory. */
export async function planOutputs(
  output: string | undefined,
  formats: { format: string; extension: string }[],
  cwd: string,
  baseName = 'aigis-report',
): Promise<Map<string, string>> {
  const target = path.resolve(cwd, output ?? 'aigis-report');
  const plan = new Map<string, string>();
  let isDir = formats.length > 1 || path.extname(target) === '';
  try {
    if ((await stat(target)).isDirectory()) isDir = true;
  } catch {
    // does not exist yet: decided by the rule above
  }
  if (!isDir) {
    plan.set(formats[0]!.format, target);
    return plan;
  }
  for (const { format, extension } of formats) plan.set(format, path.join(target, `${baseName}.${extension}`));
  return plan;
}

export async function writeFilesAtomically(files: PlannedFile[]): Promise<void> {
  const temps: { temp: string; final: string }[] = [];
  try {
    for (const file of files) {
      const dir = path.dirname(file.path);
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw new InputError(file.path, [], `cannot create output directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      const temp = path.join(dir, `.${path.basename(file.path)}.${process.pid}.tmp`);
      try {
        await writeContent(temp, file.content);
      } catch (error) {
        // Chunked content renders while it is written: a renderer's own error is not an I/O error.
        if ((error as NodeJS.ErrnoException).code === undefined) throw error;
        throw new InputError(file.path, [], `cannot write output (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      temps.push({ temp, final: file.path });
    }
    // Renames happen only once every file is written, and only after checking that none of the
    // targets is a directory, so a run either replaces all of its reports or none of them.
    for (const { final } of temps) {
      const existing = await stat(final).catch(() => undefined);
      if (existing?.isDirectory()) throw new InputError(final, [], 'cannot write output (EISDIR: a directory is in the way)');
    }
    for (const { temp, final } of temps) {
      try {
        await rename(temp, final);
      } catch (error) {
        throw new InputError(final, [], `cannot write output (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
  } finally {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
  }
}

export interface ReportFile {
  path: string;
  /** Renders the report when called; the chunks are written as they come. */
  render: () => string | Iterable<string>;
}

export interface WriteOutcome {
  path: string;
  /** Absent when the file was written; otherwise why it was not (the old file, if any, is untouched). */
  error?: Error;
}

/**
 * Writes reports one after the other, each rendered straight into a temp file in its directory
 * and renamed into place as soon as it is complete. A report that fails to render or write leaves
 * no file behind (its temp file is removed) and does not stop the others: a crash in one format
 * must not cost the user the reports that would have been fine.
 */
export async function writeReports(files: ReportFile[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  for (const file of files) {
    try {
      await writeFilesAtomically([{ path: file.path, content: lazyContent(file.render) }]);
      outcomes.push({ path: file.path });
    } catch (error) {
      outcomes.push({ path: file.path, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return outcomes;
}

/** The renderer called only when the writer starts pulling chunks (after the temp file is open). */
function* lazyContent(render: () => string | Iterable<string>): Generator<string> {
  const content = render();
  if (typeof content === 'string') yield content;
  else yield* content;
}

/** Chunks are gathered into writes of about this many bytes. */
const WRITE_BATCH = 1 << 20;

/**
 * Chunks are encoded straight into one reused buffer and written a megabyte at a time: no joined
 * string per write (a megabyte string lives in the large-object space until a full GC) and no
 * second copy. The bytes are those of the chunks joined and encoded as one text: a chunk that ends
 * inside a surrogate pair keeps its high half for the next chunk, so the pair is encoded whole.
 */
async function writeContent(file: string, content: string | Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    if (typeof content === 'string') {
      await writeAll(handle, Buffer.from(content, 'utf8'));
      return;
    }
    const buffer = Buffer.allocUnsafe(WRITE_BATCH);
    let used = 0;
    let carry = '';
    for (let chunk of content) {
      if (carry) {
        chunk = carry + chunk;
        carry = '';
      }
      if (chunk.length === 0) continue;
      const last = chunk.charCodeAt(chunk.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        carry = chunk.slice(-1);
        chunk = chunk.slice(0, -1);
      }
      // At most 3 bytes per UTF-16 code unit: a chunk this short always fits once the buffer is flushed.
      if (used + chunk.length * 3 > buffer.length) {
        if (used > 0) await writeAll(handle, buffer.subarray(0, used));
        used = 0;
        if (chunk.length * 3 > buffer.length) {
          await writeAll(handle, Buffer.from(chunk, 'utf8'));
          continue;
        }
      }
      used += buffer.write(chunk, used, 'utf8');
    }
    if (carry) {
      if (used + 3 > buffer.length) {
        await writeAll(handle, buffer.subarray(0, used));
        used = 0;
      }
      used += buffer.write(carry, used, 'utf8');
    }
    if (used > 0) await writeAll(handle, buffer.subarray(0, used));
  } finally {
    await handle.close();
  }
}

/** A write may take fewer bytes than given: continue until all of them are written. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
