/**
 * The resolver both hosts serve the renderer through (src/main/host/renderer-files.ts), replayed with
 * hostile paths against a real folder that has a secret beside it and symbolic links leading out.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appRequestPath } from '../../src/main/electron/trust.ts';
import { resolveRendererFile, type RendererFile } from '../../src/main/host/renderer-files.ts';
import { tempDir } from '../support/temp.ts';

/** out/renderer with index.html and an asset, a secret next to it, one link out per kind and one link that stays in. */
function layout() {
  const base = tempDir();
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(base, 'secret.txt'), 'root:x:0:0');
  mkdirSync(join(base, 'private'));
  writeFileSync(join(base, 'private', 'key.pem'), 'PRIVATE');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link-out.js'));
  symlinkSync(join(base, 'private'), join(root, 'private'));
  symlinkSync(join(root, 'assets', 'app.js'), join(root, 'assets', 'link-in.js'));
  return { base, root };
}

const within = (root: string, found: RendererFile) => {
  if (found.kind !== 'file') return true;
  const rel = relative(root, found.path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

describe('resolveRendererFile', () => {
  it('serves the files of the build, by their real path', async () => {
    const { root } = layout();
    const cases: Array<[string, string]> = [
      ['/', 'index.html'],
      ['/index.html', 'index.html'],
      ['/assets/app.js', 'assets/app.js'],
      ['/assets/./app.js', 'assets/app.js'],
      ['//assets//app.js', 'assets/app.js'],
      ['/assets/link-in.js', 'assets/app.js'],
      ['/assets/%61pp.js', 'assets/app.js'],
    ];
    for (const [path, file] of cases) expect(await resolveRendererFile(root, path), path).toEqual({ kind: 'file', path: join(root, file) });
  });

  it.each([
    ['..%2f..%2fsecret.txt', '/..%2f..%2fsecret.txt'],
    ['..%2F in a deeper segment', '/assets/..%2F..%2Fsecret.txt'],
    ['a raw .. segment', '/../secret.txt'],
    ['an encoded .. segment', '/%2e%2e/secret.txt'],
    ['an encoded NUL', '/index.html%00.png'],
    ['a lone encoded NUL', '/%00'],
    ['an encoded newline', '/assets/%0a'],
    ['an encoded backslash', '/..%5csecret.txt'],
    ['a raw backslash', '/..\\secret.txt'],
    ['a drive letter', '/C:/Windows/win.ini'],
    ['an encoded drive letter', '/C%3a%5cWindows%5cwin.ini'],
    ['a broken escape', '/%E0%A4%A'],
    ['a file link out of the folder', '/assets/link-out.js'],
    ['a folder link out of the folder', '/private/key.pem'],
  ])('refuses %s', async (_name, path) => {
    const { root } = layout();
    const found = await resolveRendererFile(root, path);
    expect(found.kind, JSON.stringify(found)).toBe('refused');
  });

  it('reads an absolute path as a path inside the folder, never as the file it names', async () => {
    const { base, root } = layout();
    for (const path of [`/${join(base, 'secret.txt')}`, '//etc/passwd', `/${encodeURIComponent(join(base, 'secret.txt'))}`]) {
      const found = await resolveRendererFile(root, path);
      expect(found.kind === 'missing' || found.kind === 'refused', `${path}: ${JSON.stringify(found)}`).toBe(true);
    }
  });

  it('says missing for what the build does not have, and for folders', async () => {
    const { base, root } = layout();
    expect(await resolveRendererFile(root, '/nope.js')).toEqual({ kind: 'missing' });
    expect(await resolveRendererFile(root, '/assets')).toEqual({ kind: 'missing' });
    expect(await resolveRendererFile(join(base, 'not-built'), '/index.html')).toEqual({ kind: 'missing' });
  });

  it('never names a file outside the folder, whatever the path (property)', async () => {
    const { root } = layout();
    const piece = fc.constantFrom(
      '/',
      '.',
      '..',
      '%2e',
      '%2f',
      '%2F',
      '%5c',
      '\\',
      '%00',
      'assets',
      'private',
      'key.pem',
      'secret.txt',
      'link-out.js',
      'app.js',
      '%',
      ':',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const path = `/${pieces.join('')}`;
        expect(within(root, await resolveRendererFile(root, path)), path).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('is reached only by app://certdesk URLs, which keep their escapes for it to judge', async () => {
    const { root } = layout();
    expect(appRequestPath('app://certdesk/assets/app.js')).toBe('/assets/app.js');
    expect(appRequestPath('app://certdesk/..%2f..%2fsecret.txt')).toBe('/..%2f..%2fsecret.txt');
    expect((await resolveRendererFile(root, appRequestPath('app://certdesk/..%2f..%2fsecret.txt')!)).kind).toBe('refused');
    // The URL parser folds literal dot segments before the resolver sees them: the path stays inside.
    expect(appRequestPath('app://certdesk/../../secret.txt')).toBe('/secret.txt');
    for (const url of [
      'app://evil/index.html',
      'app://user@certdesk/index.html',
      'https://certdesk/index.html',
      'file:///etc/passwd',
      'not a url',
    ])
      expect(appRequestPath(url), url).toBeNull();
  });
});
