import { spawn } from 'node:child_process';
import type { EdgeReloadRun } from '../../../shared/contract/index.ts';
import { displayArgv } from '../../../shared/contract/index.ts';

/** Enough for nginx's `-t` report and a few lines of error; more is cut, never buffered. */
export const RELOAD_OUTPUT_LIMIT = 4000;
export const RELOAD_TIMEOUT_MS = 60_000;

export interface RunReloadOptions {
  /** For the whole action: a step still running then is killed and the run counts as timed out. */
  timeoutMs?: number;
  /** A preset's program: an absolute path run in place of each step's argv[0], so PATH is never searched. */
  program?: string | null;
}

/**
 * Runs argv steps in order, each with execve semantics (no shell: `;`, `&&` or `$(…)` are plain
 * arguments), stopping at the first that fails. Asynchronous, so main keeps serving while nginx
 * checks its configuration; output is captured up to a bound and the rest dropped.
 */
export async function runReload(steps: readonly (readonly string[])[], options: RunReloadOptions = {}): Promise<EdgeReloadRun> {
  const timeoutMs = options.timeoutMs ?? RELOAD_TIMEOUT_MS;
  const started = performance.now();
  const deadline = started + timeoutMs;
  let output = '';
  const capture = (text: string) => {
    if (output.length < RELOAD_OUTPUT_LIMIT) output = (output + text).slice(0, RELOAD_OUTPUT_LIMIT);
  };
  let status = 0;
  let timedOut = false;
  for (const argv of steps) {
    const run = options.program ? [options.program, ...argv.slice(1)] : argv;
    const step = await runStep(run, Math.max(0, deadline - performance.now()), capture);
    status = step.status;
    timedOut = step.timedOut;
    if (status !== 0) break;
  }
  return {
    command: displayArgv(steps),
    argv: steps.map((argv) => [...argv]),
    ...(options.program ? { program: options.program } : {}),
    status,
    output,
    durationMs: Math.round(performance.now() - started),
    timedOut,
  };
}

function runStep(
  argv: readonly string[],
  timeoutMs: number,
  capture: (text: string) => void,
): Promise<{ status: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) return resolve({ status: -1, timedOut: false });
    let timedOut = false;
    const child = spawn(file, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', capture);
    child.stderr.setEncoding('utf8').on('data', capture);
    child.once('error', (error) => {
      // Not started (ENOENT, EACCES): `close` may never come.
      clearTimeout(timer);
      capture(`${file}: ${error.message}\n`);
      resolve({ status: -1, timedOut });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, timedOut });
    });
  });
}
