/**
 * A small pool of worker processes (test/hostile/worker.ts) that run CLI cases with a hard time
 * limit: a case still running when its limit passes gets its worker killed (SIGKILL) and is
 * reported as timed out; the next case gets a fresh worker. Worker start-up (loading the CLI and
 * the AWS SDK) is not counted against any case.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { WorkerRequest, WorkerResponse } from './worker.js';

export interface PoolRun {
  code?: number;
  stdout: string;
  stderr: string;
  /** Time the case took (main's own duration; the limit when it timed out). */
  ms: number;
  timedOut: boolean;
  /** main threw, or the worker died (out of memory, a native crash): what it said. */
  crash?: string;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  /** Output the worker process wrote outside a case (start-up, a fatal error). */
  stray: string;
  busy?: { id: string; resolve: (run: PoolRun) => void; timer: NodeJS.Timeout; started: number };
  dead: boolean;
}

export interface PoolOptions {
  workerFile: string;
  size: number;
  /** Per-case limit in ms. */
  limitMs: number;
  env: NodeJS.ProcessEnv;
  /** Flags for the worker's node (e.g. a heap cap so a runaway case cannot take the machine). */
  execArgv?: string[];
}

export class WorkerPool {
  private readonly slots: (Slot | undefined)[];
  private readonly waiting: (() => void)[] = [];
  private sequence = 0;

  constructor(private readonly options: PoolOptions) {
    this.slots = new Array<Slot | undefined>(options.size).fill(undefined);
  }

  /** Runs one case on the first free worker (waiting for one when all are busy). */
  async run(argv: string[], cwd: string): Promise<PoolRun> {
    const index = await this.acquire();
    try {
      let slot = this.slots[index];
      if (!slot || slot.dead) slot = this.slots[index] = this.spawn();
      await slot.ready;
      return await this.dispatch(slot, { id: `case-${++this.sequence}`, argv, cwd });
    } finally {
      this.release(index);
    }
  }

  close(): void {
    for (const slot of this.slots) {
      if (slot && !slot.dead) {
        slot.dead = true;
        slot.child.kill('SIGKILL');
      }
    }
  }

  private readonly taken = new Set<number>();

  private acquire(): Promise<number> {
    const free = () => this.slots.findIndex((_, i) => !this.taken.has(i));
    const i = free();
    if (i >= 0) {
      this.taken.add(i);
      return Promise.resolve(i);
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        const j = free();
        this.taken.add(j);
        resolve(j);
      });
    });
  }

  private release(index: number): void {
    this.taken.delete(index);
    this.waiting.shift()?.();
  }

  private spawn(): Slot {
    const child = fork(this.options.workerFile, [], {
      env: this.options.env,
      execArgv: this.options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, stray: '', dead: false, ready: Promise.resolve() };
    const keep = (chunk: Buffer) => {
      slot.stray = (slot.stray + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerResponse) => {
        if (message.id === 'ready') {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) => {
        reject(new Error(`hostile worker exited during start-up (code ${code}, signal ${signal}): ${slot.stray}`));
      });
    });
    child.on('message', (message: WorkerResponse) => {
      const busy = slot.busy;
      if (!busy || message.id !== busy.id) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      busy.resolve({
        ...(message.code !== undefined ? { code: message.code } : {}),
        stdout: message.stdout ?? '',
        stderr: message.stderr ?? '',
        ms: message.ms ?? Math.round(performance.now() - busy.started),
        timedOut: false,
        ...(message.crash !== undefined ? { crash: message.crash } : {}),
      });
    });
    child.on('exit', (code, signal) => {
      const wasDead = slot.dead;
      slot.dead = true;
      const busy = slot.busy;
      if (!busy || wasDead) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      busy.resolve({
        stdout: '',
        stderr: '',
        ms: Math.round(performance.now() - busy.started),
        timedOut: false,
        crash: `worker process died (exit code ${code}, signal ${signal}): ${slot.stray.trim().split('\n').slice(-3).join(' | ')}`,
      });
    });
    return slot;
  }

  private dispatch(slot: Slot, request: WorkerRequest): Promise<PoolRun> {
    return new Promise<PoolRun>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        // A blocked event loop cannot be interrupted from inside: the process goes.
        slot.busy = undefined;
        slot.dead = true;
        slot.child.kill('SIGKILL');
        resolve({ stdout: '', stderr: '', ms: this.options.limitMs, timedOut: true });
      }, this.options.limitMs);
      slot.busy = { id: request.id, resolve, timer, started };
      slot.child.send(request);
    });
  }
}
