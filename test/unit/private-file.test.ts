import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivateFileError, writePrivateFile } from '../../src/main/core/files/private-file.ts';

const MODULE = resolve('src/main/core/files/private-file.ts');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-private-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

/** Runs writePrivateFile in a child node process (its own umask, limits and timing); prints ok or the error code. */
function childScript(path: string, content: string): string {
  return `import { writePrivateFile } from ${JSON.stringify(MODULE)};
try { writePrivateFile(${JSON.stringify(path)}, ${JSON.stringify(content)}); console.log('ok'); }
catch (e) { console.log(e.code ?? e.message); }`;
}

describe('writePrivateFile', () => {
  it('writes mode 0600 whatever the umask, and leaves no temp file', () => {
    const previous = process.umask(0o277);
    try {
      writePrivateFile(join(dir, 'a.key'), 'secret-a');
    } finally {
      process.umask(previous);
    }
    process.umask(0);
    try {
      writePrivateFile(join(dir, 'b.key'), Buffer.from('secret-b'));
    } finally {
      process.umask(previous);
    }
    expect(mode(join(dir, 'a.key'))).toBe(0o600);
    expect(mode(join(dir, 'b.key'))).toBe(0o600);
    expect(readFileSync(join(dir, 'a.key'), 'utf8')).toBe('secret-a');
    expect(readdirSync(dir).sort()).toEqual(['a.key', 'b.key']);
  });

  it('refuses an existing file and leaves it unchanged, unless replace swaps it atomically', () => {
    const target = join(dir, 'k.pem');
    writeFileSync(target, 'old', { mode: 0o644 });
    const error = refusal(() => writePrivateFile(target, 'new'));
    expect(error).toBeInstanceOf(PrivateFileError);
    expect((error as PrivateFileError).code).toBe('EEXIST');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(mode(target)).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['k.pem']);

    writePrivateFile(target, 'new', { replace: true });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(mode(target)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['k.pem']);
  });

  it('refuses a symlink at the target, with or without replace, and never touches what it points to', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    const link = join(dir, 'k.pem');
    symlinkSync(victim, link);
    expect((refusal(() => writePrivateFile(link, 'key')) as PrivateFileError).code).toBe('EEXIST');
    expect((refusal(() => writePrivateFile(link, 'key', { replace: true })) as PrivateFileError).code).toBe('ELOOP');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(mode(victim)).toBe(0o644);
    expect(readdirSync(dir).sort()).toEqual(['k.pem', 'victim']);
  });

  it('refuses a dangling symlink, so nothing is created where it points', () => {
    const link = join(dir, 'k.pem');
    const wouldBe = join(dir, 'created-through-link');
    symlinkSync(wouldBe, link);
    expect((refusal(() => writePrivateFile(link, 'key')) as PrivateFileError).code).toBe('EEXIST');
    expect((refusal(() => writePrivateFile(link, 'key', { replace: true })) as PrivateFileError).code).toBe('ELOOP');
    expect(readdirSync(dir)).toEqual(['k.pem']);
  });

  it('refuses to replace a folder', () => {
    const folder = mkdtempSync(join(dir, 'sub-'));
    expect((refusal(() => writePrivateFile(folder, 'key', { replace: true })) as PrivateFileError).code).toBe('EISDIR');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('leaves nothing behind when writing fails half way (a file size limit makes write(2) fail)', () => {
    const target = join(dir, 'big.key');
    // RLIMIT_FSIZE of 1 KiB: the temp file is created, then the 64 KiB write fails with EFBIG.
    const run = spawnSync(
      'prlimit',
      ['--fsize=1024', process.execPath, '--input-type=module', '-e', childScript(target, 'x'.repeat(65536))],
      { encoding: 'utf8' },
    );
    expect(run.stdout.trim(), run.stderr).toBe('EFBIG');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets exactly one of several concurrent writers create the file', async () => {
    const target = join(dir, 'race.key');
    const writers = Array.from({ length: 8 }, (_, i) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(target, `writer-${i}`)]);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return new Promise<string>((done) => child.on('close', () => done(out.trim())));
    });
    const results = await Promise.all(writers);
    const winners = results.flatMap((r, i) => (r === 'ok' ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 'EEXIST')).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(`writer-${winners[0]}`);
    expect(mode(target)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['race.key']);
  });
});
