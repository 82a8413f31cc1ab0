import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshEndpoint } from '../../src/main/core/delivery/ssh-connect.ts';
import { runRemoteReload } from '../../src/main/core/delivery/ssh-reload.ts';
import { RELOAD_OUTPUT_LIMIT } from '../../src/main/core/edge/run-reload.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { sshKeygen, startSshd, type RunningSshd } from '../support/sshd.ts';

let sshd: RunningSshd;
let work: string;
let endpoint: SshEndpoint;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-ssh-reload-'));
  sshd = await startSshd();
  sshd.authorize([sshKeygen(join(work, 'client'))]);
  endpoint = {
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    hostKey: sshd.hostKeyFingerprint,
    clientKey: readFileSync(join(work, 'client'), 'utf8'),
  };
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

const logins = () => sshd.log().match(/Accepted publickey/g)?.length ?? 0;

describe('the remote reload argv, over ssh exec', () => {
  it('reaches the host as the literal arguments, whatever shell syntax they hold', async () => {
    const dir = mkdtempSync(join(work, 'args-'));
    const hostile = ['a b;c', "it's", '$(touch pwned)', '`touch pwned2`', '*', '&& touch pwned3', '\\', '"x"', '-rf', '~'];
    const run = await runRemoteReload(endpoint, ['touch', ...hostile.map((name) => join(dir, name))]);
    expect(run.status, run.output).toBe(0);
    expect(run.timedOut).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([...hostile].sort());
    for (const stray of ['pwned', 'pwned2', 'pwned3', 'c', 'a'])
      expect(existsSync(join(dir, stray)) || existsSync(join(sshd.dir, stray)) || existsSync(stray)).toBe(false);
    expect(run.argv).toEqual([['touch', ...hostile.map((name) => join(dir, name))]]);
  });

  it('returns the exit status and bounded output', async () => {
    const failed = await runRemoteReload(endpoint, ['sh', '-c', 'echo checking; echo broken >&2; exit 7']);
    expect(failed.status).toBe(7);
    expect(failed.output).toContain('checking');
    expect(failed.output).toContain('broken');
    const noisy = await runRemoteReload(endpoint, ['head', '-c', '200000', '/dev/zero']);
    expect(noisy.status).toBe(0);
    expect(noisy.output.length).toBe(RELOAD_OUTPUT_LIMIT);
  });

  it('stops a command that outlives its timeout', async () => {
    const run = await runRemoteReload(endpoint, ['sleep', '30'], { timeoutMs: 1_000 });
    expect(run.timedOut).toBe(true);
    expect(run.status).toBe(-1);
  });

  it('refuses NUL, newlines and invisible format characters without connecting', async () => {
    const before = logins();
    for (const bad of ['a\u0000b', 'line\nrm -rf /', 'x\r', 'safe\u202Eexe.sh', 'zero\u200Bwidth']) {
      const error = await runRemoteReload(endpoint, ['touch', join(work, bad)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertdeskError);
      expect((error as CertdeskError).code).toBe('VALIDATION');
      expect((error as CertdeskError).field).toBe('reloadArgv');
    }
    expect(((await runRemoteReload(endpoint, []).catch((e: unknown) => e)) as CertdeskError).code).toBe('VALIDATION');
    expect(logins()).toBe(before);
    expect(readdirSync(work).filter((name) => name.startsWith('line') || name.startsWith('safe') || name.startsWith('zero'))).toEqual([]);
  });
});
