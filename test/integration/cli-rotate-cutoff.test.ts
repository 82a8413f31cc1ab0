/**
 * `certdesk rotate CERT --quiet D`, `--extend D` and `--force-cutoff` through the real CLI, on the
 * rotation rig's data folder (no evidence source in the CLI yet: the overlap timer retires).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { ROTATION_STEP_COUNT, ROTATION_WAIT, rotationStep, type RotationJobView } from '../../src/shared/contract/index.ts';
import { credentialThumbprints, rotationRig } from '../support/rotation-rig.ts';

describe('certdesk rotate --quiet | --extend | --force-cutoff', () => {
  it('records the quiet period, refuses a bad one with nothing started, extends the deadline and forces the cut-off', async () => {
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
    const cert = r.rig.client.id;

    const bad = await run(['--json', 'rotate', cert, '--quiet', '2d']);
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('--quiet') } });
    expect(r.t.service.rotations.list()).toEqual([]);

    const started = await run(['--json', 'rotate', cert, '--overlap', '1h', '--quiet', '10m']);
    expect(started.code, started.stderr).toBe(0);
    const job = started.json as RotationJobView;
    expect(job).toMatchObject({ state: 'waiting', step: rotationStep('verify'), quietSeconds: 600, retireOn: 'overlap' });
    expect(job.message).toContain(ROTATION_WAIT.noEvidence);
    const human = await run(['rotations']);
    expect(human.stdout).toContain(`step ${rotationStep('verify')}/${ROTATION_STEP_COUNT}`);
    expect(human.stdout).toContain(`${rotationStep('deliver')}. deliver`);

    const extended = await run(['--json', 'rotate', cert, '--extend', '2h']);
    expect(extended.code, extended.stderr).toBe(0);
    expect(Date.parse((extended.json as RotationJobView).overlapUntil!) - Date.parse(job.overlapUntil!)).toBe(2 * 3600_000);
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);

    const both = await run(['--json', 'rotate', cert, '--force-cutoff', '--extend', '1h']);
    expect(both.json).toMatchObject({ error: { code: 'VALIDATION', field: 'extend' } });

    const forced = await run(['--json', 'rotate', job.id, '--force-cutoff']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT, forceCutoff: true });
    expect(await credentialThumbprints(r.rig)).toHaveLength(1);

    const again = await run(['--json', 'rotate', job.id, '--force-cutoff']);
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ error: { code: 'ROTATION_NOT_AT_CUTOFF', field: 'job' } });
  });
});
