import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteRemoteArgv } from '../../src/main/core/delivery/ssh-reload.ts';
import { sshFingerprint } from '../../src/main/core/delivery/ssh-connect.ts';

/** What a POSIX shell makes of the quoted line: each argument on its own, NUL-separated. */
function shellSplit(line: string): string[] {
  const out = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.split('\0').slice(0, -1);
}

describe('quoting an argv for ssh exec', () => {
  it('gives the remote shell back exactly the arguments, whatever they hold', () => {
    const args = ["it's", 'a b;c', '$(id)', '`id`', '$HOME', '*', '"', "'", "''", '\\', '!', '&&', '|', '>x', '-e', 'ünïcödé', ' ', '%s'];
    expect(shellSplit(quoteRemoteArgv(args))).toEqual(args);
  });

  it('quotes an embedded single quote by closing, escaping and reopening', () => {
    expect(quoteRemoteArgv(['echo', "it's"])).toBe(`'echo' 'it'\\''s'`);
  });
});

describe('an ssh fingerprint', () => {
  it('is SHA-256 in unpadded base64, as ssh-keygen prints it', () => {
    const blob = Buffer.from('abc');
    expect(sshFingerprint(blob)).toBe('SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0');
  });
});
