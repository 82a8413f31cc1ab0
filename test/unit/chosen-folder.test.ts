import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeChosenFolder, type FolderFile } from '../../src/main/core/files/chosen-folder.ts';
import { tempDir } from '../support/temp.ts';

const FILES: FolderFile[] = [
  { name: 'client.pem', bytes: 'certificate\n', private: false },
  { name: 'client-key.pem', bytes: 'key\n', private: true },
];

const refusal = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('writeChosenFolder', () => {
  it('writes every file, the private ones 0600, into an existing folder', () => {
    const dir = tempDir();
    const written = writeChosenFolder(dir, FILES, { field: 'dir' });
    expect(written).toEqual([join(dir, 'client.pem'), join(dir, 'client-key.pem')]);
    expect(statSync(join(dir, 'client-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('checks every file before writing the first: one file already there refuses them all, by field', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'client-key.pem'), 'the original\n');
    expect(refusal(() => writeChosenFolder(dir, FILES, { field: 'files', replaceHint: 'pass --force' }))).toMatchObject({
      code: 'CONFLICT',
      field: 'files',
      message: expect.stringContaining('--force'),
    });
    expect(readdirSync(dir)).toEqual(['client-key.pem']);
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).toBe('the original\n');
    // With the operator's word, the old file is replaced, atomically and 0600.
    writeChosenFolder(dir, FILES, { field: 'files', replace: true });
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).toBe('key\n');
    expect(statSync(join(dir, 'client-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('never writes through a symlink, even with replace', () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'target');
    writeFileSync(elsewhere, 'elsewhere\n');
    symlinkSync(elsewhere, join(dir, 'client-key.pem'));
    expect(refusal(() => writeChosenFolder(dir, FILES, { field: 'dir', replace: true }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(readFileSync(elsewhere, 'utf8')).toBe('elsewhere\n');
    expect(readdirSync(dir)).toEqual(['client-key.pem']);
  });

  it('makes the named folder only when asked, and never its parents', () => {
    const root = tempDir();
    expect(refusal(() => writeChosenFolder(join(root, 'new'), FILES, { field: 'dir' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(() => writeChosenFolder(join(root, 'a', 'b'), FILES, { field: 'files', makeFolder: true }))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'files',
    });
    expect(readdirSync(root)).toEqual([]);
    writeChosenFolder(join(root, 'new'), FILES, { field: 'files', makeFolder: true });
    expect(statSync(join(root, 'new')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(root, 'new')).sort()).toEqual(['client-key.pem', 'client.pem']);
  });

  it('refuses a name that would leave the folder, before writing anything', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const escape: FolderFile[] = [...FILES, { name: '../escaped.pem', bytes: 'x', private: false }];
    expect(refusal(() => writeChosenFolder(join(dir, 'sub'), escape, { field: 'dir' }))).toMatchObject({ code: 'VALIDATION' });
    expect(readdirSync(dir)).toEqual(['sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });
});
