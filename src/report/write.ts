/**
 * Writing report files without ever leaving a half-written one: each file is written to a temp
 * file in the same directory and renamed into place only after every format rendered and wrote.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../engine/errors.js';

export interface PlannedFile {
  path: string;
  content: string;
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
        await writeFile(temp, file.content, 'utf8');
      } catch (error) {
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
