/**
 * Per-account results of a multi-account scan, waiting on disk until the accounts are combined
 * (src/commands/pipeline.ts AccountScans): one JSON line per account in a private temp directory,
 * read back in the order written. The directory is removed when read, and at exit if the scan
 * stopped before.
 *
 * A line keeps what the result shares in memory shared when read back. `JSON.parse` makes a new
 * object for every occurrence, while an account's findings share their resource (every rule that
 * judges a bucket names the same one) and each rule's findings share its control list: read back
 * as copies, a thousand accounts' findings took about twice the memory of the report they are
 * written into. So a line lists each resource and each control list once, and findings and
 * passing lists point into those by index; titles, services and control lists read back once per
 * distinct value across accounts.
 */
import { createReadStream, rmSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { PassedGroup, ScanResult } from '../engine/scan.js';
import type { ControlRef, Finding, ResourceRef } from '../engine/types.js';

type SpilledFinding = Omit<Finding, 'resource' | 'controls'> & { resource: number; controls: number };
interface SpilledPassed {
  ruleId: string;
  pass: number[];
  notApplicable: number[];
}
/** The result's own keys in their order (reports serialize it), then the shared values. */
type SpilledScan = Omit<ScanResult, 'findings' | 'passed'> & {
  findings: SpilledFinding[];
  passed?: SpilledPassed[];
  shared: { resources: ResourceRef[]; controls: ControlRef[][] };
};

export class ScanSpill {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly cleanup: () => void,
  ) {}

  static async create(): Promise<ScanSpill> {
    const dir = await mkdtemp(path.join(tmpdir(), 'aigis-accounts-'));
    const file = path.join(dir, 'scans.jsonl');
    const handle = await open(file, 'w', 0o600);
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', cleanup);
    return new ScanSpill(dir, file, handle, cleanup);
  }

  async append(scan: ScanResult): Promise<void> {
    await this.handle.write(`${JSON.stringify(spilled(scan))}\n`);
  }

  /** The results as appended: each reads back as the result it was (results are JSON by contract). */
  async readAll(): Promise<ScanResult[]> {
    await this.handle.close();
    const scans: ScanResult[] = [];
    const shared = new SharedValues();
    const lines = createInterface({ input: createReadStream(this.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) if (line) scans.push(readBack(JSON.parse(line) as SpilledScan, shared));
    return scans;
  }

  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    process.removeListener('exit', this.cleanup);
  }
}

/** The result with its resources and control lists listed once (by object identity). */
function spilled(scan: ScanResult): SpilledScan {
  const { findings, passed } = scan;
  const resources = new IdentityIndex<ResourceRef>();
  const controls = new IdentityIndex<ControlRef[]>();
  const resourceAt = (resource: ResourceRef) => resources.at(resource);
  const spilledFindings = findings.map((f): SpilledFinding => ({ ...f, resource: resourceAt(f.resource), controls: controls.at(f.controls) }));
  const spilledPassed = passed?.map((g): SpilledPassed => ({ ruleId: g.ruleId, pass: g.pass.map(resourceAt), notApplicable: g.notApplicable.map(resourceAt) }));
  // Replaced in place: findings and passed keep their places among the result's keys.
  const line = { ...scan, findings: spilledFindings, shared: { resources: resources.values, controls: controls.values } } as Omit<SpilledScan, 'passed'> & { passed?: unknown };
  if (spilledPassed) line.passed = spilledPassed;
  return line as SpilledScan;
}

/** Each distinct object (by identity) once, with its index. */
class IdentityIndex<T extends object> {
  readonly values: T[] = [];
  private readonly indexes = new Map<T, number>();

  at(value: T): number {
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.values.push(value) - 1;
      this.indexes.set(value, index);
    }
    return index;
  }
}

/** Values many accounts repeat, kept once across the lines read back. */
class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly controlLists = new Map<string, ControlRef[]>();

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  controls(list: ControlRef[]): ControlRef[] {
    const key = JSON.stringify(list);
    const known = this.controlLists.get(key);
    if (known) return known;
    this.controlLists.set(key, list);
    return list;
  }
}

function readBack(line: SpilledScan, shared: SharedValues): ScanResult {
  const { shared: values, ...result } = line;
  const controls = values.controls.map((list) => shared.controls(list));
  const resourceAt = (index: number): ResourceRef => {
    const resource = values.resources[index];
    if (!resource) throw new Error(`account results on disk: resource ${index} is missing`);
    return resource;
  };
  const findings = line.findings.map((f): Finding => {
    const list = controls[f.controls];
    if (!list) throw new Error(`account results on disk: control list ${f.controls} is missing`);
    return { ...f, title: shared.string(f.title), service: shared.string(f.service), resource: resourceAt(f.resource), controls: list };
  });
  const passed = line.passed?.map((g): PassedGroup => ({ ruleId: g.ruleId, pass: g.pass.map(resourceAt), notApplicable: g.notApplicable.map(resourceAt) }));
  const back = { ...result, findings } as Omit<ScanResult, 'passed'> & { passed?: unknown };
  if (passed) back.passed = passed;
  return back as ScanResult;
}
