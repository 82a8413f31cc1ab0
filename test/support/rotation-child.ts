/**
 * The rotation in a real certdesk child process, killed with SIGKILL at a chosen step's begin or end
 * (the CERTDESK_TEST_ROTATION_PAUSE seam), then resumed by new processes until the job is done.
 * With the edge's evidence a rotation waits at remove-old, and each run returns; a later step's
 * pause is then reached by `certdesk rotate --resume`, run again until it pauses there. `betweenRuns`
 * is the workload's side between two processes (the CSR-mode workload answers the inbox there).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { RotationJobView } from '../../src/shared/contract/index.ts';
import { runCertdesk } from './cli.ts';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

/** One run of `certdesk ARGS` with the pause set: 'killed' once it paused (and was killed), 'exited' when it ran through. */
function runUntilPause(args: string[], env: NodeJS.ProcessEnv, pause: string): Promise<{ outcome: 'killed' | 'exited'; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env, CERTDESK_TEST_ROTATION_PAUSE: pause },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let paused = false;
    child.once('error', reject);
    child.once('exit', (_code, signal) => resolve({ outcome: paused && signal === 'SIGKILL' ? 'killed' : 'exited', stderr }));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`;
      if (line.includes(`rotation paused at step ${pause.replace(':', ' ')}`)) {
        paused = true;
        child.kill('SIGKILL');
      }
    });
  });
}

/** Runs `certdesk ARGS` (any command that runs a rotation, e.g. `transfer approve`) and kills it with SIGKILL at `pause`. */
export async function runAndKillAt(args: string[], env: NodeJS.ProcessEnv, pause: string): Promise<void> {
  const run = await runUntilPause(args, env, pause);
  expect(run.outcome, `never paused at ${pause}:\n${run.stderr}`).toBe('killed');
}

/** Starts `certdesk rotate ARGS` and kills it with SIGKILL at `pause`, resuming (with the pause still set) until it gets there. */
export async function rotateAndKillAt(
  rotateArgs: string[],
  env: NodeJS.ProcessEnv,
  pause: string,
  options: { tries?: number; betweenRuns?: () => void } = {},
): Promise<void> {
  const tries = options.tries ?? 120;
  let run = await runUntilPause(['rotate', ...rotateArgs], env, pause);
  for (let i = 0; run.outcome === 'exited' && i < tries; i++) {
    options.betweenRuns?.();
    await sleep(250);
    run = await runUntilPause(['rotate', '--resume'], env, pause);
  }
  expect(run.outcome, `never paused at ${pause}:\n${run.stderr}`).toBe('killed');
}

/** `certdesk rotate --resume` in new processes until the job is done; the job as the last run saw it. */
export async function resumeUntilDone(
  env: NodeJS.ProcessEnv,
  options: { tries?: number; betweenRuns?: () => void } = {},
): Promise<RotationJobView> {
  const tries = options.tries ?? 240;
  for (let i = 0; i < tries; i++) {
    options.betweenRuns?.();
    const resumed = await runCertdesk(['--json', 'rotate', '--resume'], env);
    const jobs = resumed.json as RotationJobView[] | undefined;
    expect(jobs, resumed.stdout + resumed.stderr).toBeInstanceOf(Array);
    for (const job of jobs!) expect(job.state, job.message ?? '').toMatch(/^(running|waiting|done)$/);
    const done = jobs!.find((j) => j.state === 'done');
    if (done) return done;
    if (jobs!.length === 0) {
      // Nothing due: either the job finished in an earlier run, or its wait is not over.
      const listed = (await runCertdesk(['--json', 'rotations'], env)).json as RotationJobView[];
      if (listed.length === 1 && listed[0]!.state === 'done') return listed[0]!;
    }
    await sleep(250);
  }
  throw new Error(`the rotation did not finish after ${tries} resumes`);
}
