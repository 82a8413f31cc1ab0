/**
 * `certdesk rotate --all-due` and `--cancel-batch` from the command line, against the sandbox
 * behind real nginx (the rotation rig), each run a separate CLI invocation on the same data folder.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { rotationStep, type BulkRotationSummary, type RotationJobView } from '../../src/shared/contract/index.ts';
import { credentialThumbprints, rotationRig, tokenWith } from '../support/rotation-rig.ts';

describe('certdesk rotate --all-due | --cancel-batch', () => {
  it('rotates what falls due, verified with a real token, and cancels the batch from another invocation', async () => {
    const r = await rotationRig();
    const run = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(['--data-dir', r.t.dataDir, ...args], {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
        env: {},
        fetch: r.fetchFn,
        secretStore: r.t.secretStore,
      });
      return { code, stdout, stderr, json: args.includes('--json') ? (JSON.parse(stdout) as unknown) : undefined };
    };

    // The rig's certificate has 90 days: nothing is due today, but it falls due within 100 days.
    expect((await run(['--json', 'rotate', '--all-due'])).json).toMatchObject({ total: 0, done: 0 });
    const bulk = await run(['--json', 'rotate', '--all-due', '--within', '100', '--overlap', '1h', '--concurrency', '2']);
    expect(bulk.code, bulk.stderr).toBe(0);
    const summary = bulk.json as BulkRotationSummary;
    // The edge's server certificate falls due too, but its key lives on the edge (CSR mode): skipped, with why.
    expect(summary).toMatchObject({
      total: 2,
      waiting: 1,
      failed: 0,
      skipped: [{ subject: 'login.example.com', reason: expect.stringContaining('CSR mode') }],
    });
    const job = summary.jobs[0]!;
    expect(job.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end')?.detail).toMatch(/token bound to x5t#S256/);
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);

    // Another invocation cancels the batch while it waits out the overlap: both credentials stay, both certificates work.
    const cancelled = await run(['--json', 'rotate', '--cancel-batch', summary.batchId]);
    expect(cancelled.code).toBe(0);
    expect((cancelled.json as RotationJobView[]).map((j) => [j.id, j.state])).toEqual([[job.id, 'cancelled']]);
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);
    expect(await tokenWith(r.t.service, r.rig, r.fetchFn, r.rig.client.id)).toBe('pass');
    expect(await tokenWith(r.t.service, r.rig, r.fetchFn, job.successorId!)).toBe('pass');
    const human = await run(['rotate', '--resume']);
    expect(human.stdout).toBe('No rotation is due to resume.\n');

    // Bad input is named by its field.
    expect((await run(['--json', 'rotate', '--all-due', '--overlap', 'soon'])).json).toMatchObject({
      error: { code: 'VALIDATION', field: 'overlap' },
    });
    expect((await run(['--json', 'rotate', '--cancel-batch', 'no-such-batch'])).json).toMatchObject({ error: { field: 'batch' } });
  });
});
