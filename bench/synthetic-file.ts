/** Synthetic inventories written to a file, for the benchmarks that run aigis as a user would. */
import { open } from 'node:fs/promises';
import { buildSyntheticInventory, countResources } from './synthetic.js';

/**
 * The synthetic inventory written as JSON.stringify would write it, but in pieces: at 1M
 * resources the document (about 600 MB) is longer than the longest string V8 can hold.
 */
export async function writeSyntheticInventory(file: string, size: number): Promise<{ bytes: number; resources: number }> {
  const built = buildSyntheticInventory(size);
  const resources = countResources(built);
  const handle = await open(file, 'w');
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    const buffer = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingLength = 0;
    bytes += buffer.length;
    await handle.write(buffer);
  };
  try {
    for (const piece of jsonPieces(built)) {
      pending.push(piece);
      pendingLength += piece.length;
      if (pendingLength >= 1 << 22) await flush();
    }
    await flush();
  } finally {
    await handle.close();
  }
  return { bytes, resources };
}

function* jsonPieces(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield JSON.stringify(value[i]) ?? 'null';
    }
    yield ']';
    return;
  }
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonPieces(item);
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value);
}
