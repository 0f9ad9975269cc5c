/**
 * An organization snapshot: what `aigis collect --org` writes and `aigis scan --input` and
 * `aigis merge` read. JSON Lines, so that an organization of a thousand accounts is written and
 * read one account at a time, never held whole:
 *
 *   line 1    {"aigisOrganizationSnapshot":"1.0","organization":{...},"shard":{"index":0,"count":4}}
 *   then      one line per account, in account id order: the account's inventory (the ordinary
 *             inventory document, schemaVersion first) or {"notScanned":{"id":...,"reason":...}}
 *
 * `shard` is present when the snapshot holds one shard's slice of the accounts (`--shard`). Every
 * line is read with the limits of any input (size, nesting, duplicate keys, UTF-8), and an error
 * names the file, the line and the JSON path.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, formatZodIssues } from '../engine/errors.js';
import { MAX_INPUT_BYTES, parseJsonText } from './input-text.js';
import { parseInventory } from './load.js';
import { organizationSchema, type Organization, type OrganizationInput } from './organization-schema.js';
import type { Inventory, InventoryInput } from './schema.js';

export const ORGANIZATION_SNAPSHOT_VERSION = '1.0';
const MARKER = '{"aigisOrganizationSnapshot"';

/** Largest organization snapshot read: a thousand accounts of a few megabytes each fit well. */
export const MAX_ORGANIZATION_SNAPSHOT_BYTES = 64 * 1024 * 1024 * 1024;
/** Largest single line (one account's inventory), as for a snapshot file of one account. */
const MAX_LINE_BYTES = MAX_INPUT_BYTES;

const shardSchema = z.object({ index: z.number().int().min(0), count: z.number().int().min(1).max(10_000) }).refine((s) => s.index < s.count, {
  message: 'shard index must be below the shard count',
});
export type Shard = z.infer<typeof shardSchema>;

const headerSchema = z.object({
  aigisOrganizationSnapshot: z.literal(ORGANIZATION_SNAPSHOT_VERSION, { error: `unsupported organization snapshot version (this aigis reads "${ORGANIZATION_SNAPSHOT_VERSION}")` }),
  organization: organizationSchema,
  shard: shardSchema.optional(),
});
export type OrganizationSnapshotHeader = { organization: Organization; shard?: Shard };

const notScannedSchema = z.object({
  notScanned: z.object({ id: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits'), reason: z.string().max(2000) }),
});
export interface NotScannedEntry {
  id: string;
  reason: string;
}

export type OrganizationSnapshotEntry = { kind: 'account'; inventory: Inventory; line: number } | { kind: 'notScanned'; account: NotScannedEntry; line: number };

/** True when the file starts like an organization snapshot (the first bytes decide, nothing more is read). */
export async function isOrganizationSnapshot(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(MARKER.length);
    const { bytesRead } = await handle.read(buffer, 0, MARKER.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8') === MARKER;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** The file's lines, each at most MAX_LINE_BYTES, as UTF-8 text (invalid bytes refused). */
async function* lines(file: string, label: string): AsyncGenerator<{ text: string; line: number }> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new InputError(label, [], `cannot read input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (info.isDirectory()) throw new InputError(label, [], 'cannot read input (EISDIR): it is a directory');
  if (info.size > MAX_ORGANIZATION_SNAPSHOT_BYTES) throw new InputError(label, [], `is larger than ${MAX_ORGANIZATION_SNAPSHOT_BYTES / 1024 ** 3} GB`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  const finish = (parts: Buffer[]): string => {
    try {
      return decoder.decode(Buffer.concat(parts));
    } catch {
      throw new InputError(`${label} line ${line}`, [], 'is not valid UTF-8');
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, start)) {
      line++;
      pending.push(chunk.subarray(start, at));
      if (pendingBytes + (at - start) > MAX_LINE_BYTES) throw new InputError(`${label} line ${line}`, [], `is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
      const text = finish(pending);
      pending = [];
      pendingBytes = 0;
      start = at + 1;
      if (text.trim() !== '') yield { text, line };
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) throw new InputError(`${label} line ${line + 1}`, [], `is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
    }
  }
  if (pendingBytes > 0) {
    line++;
    const text = finish(pending);
    if (text.trim() !== '') yield { text, line };
  }
}

/**
 * Opens an organization snapshot: the header is read and checked at once; the accounts are read
 * one line at a time as `entries` is iterated (in account id order, each account once).
 */
export async function openOrganizationSnapshot(file: string, label = file): Promise<{ header: OrganizationSnapshotHeader; entries: AsyncGenerator<OrganizationSnapshotEntry> }> {
  const iterator = lines(file, label);
  const first = await iterator.next();
  if (first.done) throw new InputError(label, [], 'is empty');
  const header = parseHeader(first.value.text, `${label} line ${first.value.line}`);
  async function* entries(): AsyncGenerator<OrganizationSnapshotEntry> {
    let previous: string | undefined;
    for await (const { text, line } of iterator) {
      const where = `${label} line ${line}`;
      const data = parseJsonText(text, where);
      let id: string;
      let entry: OrganizationSnapshotEntry;
      if (typeof data === 'object' && data !== null && 'notScanned' in data) {
        const parsed = notScannedSchema.safeParse(data);
        if (!parsed.success) throw new InputError(where, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
        id = parsed.data.notScanned.id;
        entry = { kind: 'notScanned', account: parsed.data.notScanned, line };
      } else {
        const inventory = parseInventory(data, where);
        id = inventory.account.id;
        entry = { kind: 'account', inventory, line };
      }
      if (previous !== undefined && id <= previous) {
        throw new InputError(where, id === previous ? [] : ['account', 'id'], id === previous ? `account ${id} appears twice` : `account ${id} comes after ${previous}: accounts must be in id order`);
      }
      previous = id;
      yield entry;
    }
  }
  return { header, entries: entries() };
}

function parseHeader(text: string, where: string): OrganizationSnapshotHeader {
  const parsed = headerSchema.safeParse(parseJsonText(text, where));
  if (!parsed.success) throw new InputError(where, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return { organization: parsed.data.organization, ...(parsed.data.shard ? { shard: parsed.data.shard } : {}) };
}

/**
 * Writes an organization snapshot line by line into a temp file beside `file`, renamed when
 * complete: a failed collection never leaves a half-written snapshot.
 */
export class OrganizationSnapshotWriter {
  private constructor(
    private readonly file: string,
    private readonly temp: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async create(file: string, organization: OrganizationInput, shard?: Shard): Promise<OrganizationSnapshotWriter> {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'w');
    const writer = new OrganizationSnapshotWriter(file, temp, handle);
    await writer.line({ aigisOrganizationSnapshot: ORGANIZATION_SNAPSHOT_VERSION, organization, ...(shard ? { shard } : {}) });
    return writer;
  }

  async account(inventory: InventoryInput): Promise<void> {
    await this.line(inventory);
  }

  async notScanned(entry: NotScannedEntry): Promise<void> {
    await this.line({ notScanned: { id: entry.id, reason: entry.reason } });
  }

  async commit(): Promise<void> {
    await this.handle.close();
    await rename(this.temp, this.file);
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }

  private async line(value: unknown): Promise<void> {
    await this.handle.write(`${JSON.stringify(value)}\n`);
  }
}
