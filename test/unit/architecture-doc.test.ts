/**
 * docs/ARCHITECTURE.md matches the folders: every folder of the house is named in it, and every
 * repository path it names exists. A folder added or moved without the map changing fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');

function folders(dir: string, depth: number): string[] {
  if (depth === 0) return [];
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = relative(root, join(root, dir, entry.name));
      return [path, ...folders(path, depth - 1)];
    });
}

/** The folders a newcomer navigates by: src's processes, main's hosts and layers, core's parts, the renderer's kinds. */
const HOUSE = [
  ...folders('src', 1),
  ...folders('src/main', 1),
  ...folders('src/main/core', 1),
  ...folders('src/shared', 1),
  ...folders('src/renderer/src', 1),
  ...folders('test', 1).filter((path) => path !== 'test/fixtures'),
];

describe('docs/ARCHITECTURE.md', () => {
  it('names every folder of the house', () => {
    expect(HOUSE.length).toBeGreaterThan(20);
    const missing = HOUSE.filter((path) => {
      const name = path.split('/').at(-1)!;
      return !doc.includes(`${path}/`) && !doc.includes(`**${name}/**`) && !doc.includes(`\`${name}/\``);
    });
    expect(missing).toEqual([]);
  });

  it('names no path that does not exist', () => {
    const named = [...doc.matchAll(/`((?:src|test|scripts|resources|docs|bench|bin)\/[^`\s*…]*)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });
});
