/**
 * The README's pictures and docs/screenshots stay in step: every image the README shows is in the
 * repository, and every screenshot taken (`npm run screenshots`) is shown, so none goes stale unseen.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const folder = join(root, 'docs/screenshots');

/** Markdown images `![alt](path)` and HTML `<img src="path">`, local ones only. */
function referencedImages(markdown: string): string[] {
  const markdownImages = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  const htmlImages = [...markdown.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  return [...markdownImages, ...htmlImages].filter((path) => !/^[a-z]+:/i.test(path));
}

describe('README screenshots', () => {
  const images = referencedImages(readme);

  it('shows images, each of them in the repository', () => {
    expect(images.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('shows every PNG in docs/screenshots, and nothing else lives there', () => {
    const files = readdirSync(folder);
    expect(files.filter((file) => !file.endsWith('.png'))).toEqual([]);
    const shown = new Set(images.map((path) => path.replace(/^\.\//, '')));
    expect(files.filter((file) => !shown.has(`docs/screenshots/${file}`))).toEqual([]);
  });

  it('keeps the pictures small: under 1.5 MB together', () => {
    const total = readdirSync(folder).reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(1.5 * 1024 * 1024);
  });
});
