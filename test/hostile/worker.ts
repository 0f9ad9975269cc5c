/**
 * A child process of the hostile-input harness (test/hostile/hostile.test.ts): it loads the
 * compiled CLI once (dist/src/cli.js, which is what bin/aigis.js runs) and then runs one case at a
 * time, the way bin/aigis.js would, from the case's working directory. The harness kills it when a
 * case runs past its time limit: a catastrophic regex or an alias expansion blocks the event loop,
 * so only another process can stop it.
 *
 * Protocol (IPC): the parent sends `{ id, argv, cwd }`; the worker answers
 * `{ id, code, stdout, stderr, ms }`, or `{ id, crash }` when main itself threw (it never should).
 * Output written straight to process.stdout / process.stderr while a case runs (by a library, or
 * by code that bypasses the injected Io) is captured into the case's output as well.
 */
import { main } from '../../src/cli.js';

export interface WorkerRequest {
  id: string;
  argv: string[];
  cwd: string;
}

export interface WorkerResponse {
  id: string;
  code?: number;
  stdout?: string;
  stderr?: string;
  ms?: number;
  crash?: string;
}

type Write = typeof process.stdout.write;

async function runOne(request: WorkerRequest): Promise<WorkerResponse> {
  let stdout = '';
  let stderr = '';
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as Write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as Write;
  const previousCwd = process.cwd();
  const start = performance.now();
  try {
    process.chdir(request.cwd);
    const code = await main(request.argv, {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      cwd: request.cwd,
      env: process.env,
      isTTY: false,
    });
    return { id: request.id, code, stdout, stderr, ms: Math.round(performance.now() - start) };
  } catch (error) {
    return { id: request.id, crash: error instanceof Error ? String(error.stack) : String(error), stdout, stderr, ms: Math.round(performance.now() - start) };
  } finally {
    process.stdout.write = realOut as Write;
    process.stderr.write = realErr as Write;
    process.chdir(previousCwd);
  }
}

process.on('message', (message: WorkerRequest) => {
  void runOne(message).then((response) => process.send?.(response));
});
process.send?.({ id: 'ready' } satisfies WorkerResponse);
