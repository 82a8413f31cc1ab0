/**
 * The renderer imports Mantine's styles per component (src/renderer/src/mantine-styles.ts). A
 * component whose styles are missing renders unstyled without any error, so this walks what the
 * renderer imports from `@mantine/core` through Mantine's own module graph to every CSS module it
 * uses, and asks that each has its import, in the order Mantine's full styles.css has them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MANTINE = 'node_modules/@mantine/core';
const STYLES_FILE = 'src/renderer/src/mantine-styles.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every name the renderer imports from '@mantine/core' (types included: harmless, they resolve to nothing). */
function importedNames(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles('src/renderer/src')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'@mantine\/core'/g))
      for (const part of match[1]!.split(',')) {
        const name = part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!;
        if (name) names.add(name);
      }
  }
  return names;
}

/** The CSS modules a set of Mantine components reaches through their imports. */
function cssModules(names: Iterable<string>): Set<string> {
  const esm = join(MANTINE, 'esm');
  const roots = [...names]
    .map((name) => [`components/${name}/${name}.mjs`, `core/${name}/${name}.mjs`, `utils/${name}/${name}.mjs`].map((p) => join(esm, p)))
    .map((candidates) => candidates.find((path) => existsSync(path)))
    .filter((path): path is string => path !== undefined);
  const seen = new Set<string>();
  const modules = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.module.mjs')) modules.add(basename(file, '.module.mjs'));
    for (const match of readFileSync(file, 'utf8').matchAll(/from "(\.[^"]+)"/g)) stack.push(join(dirname(file), match[1]!));
  }
  return new Set([...modules].filter((name) => existsSync(join(MANTINE, 'styles', `${name}.css`))));
}

describe('Mantine styles per component', () => {
  const imported = [...readFileSync(STYLES_FILE, 'utf8').matchAll(/^import '@mantine\/core\/styles\/([A-Za-z-]+)\.css';$/gm)].map(
    (m) => m[1]!,
  );

  it('imports the styles of every component the renderer uses, and of the parts they are built on', () => {
    const names = importedNames();
    // A sanity check on the scan itself: the shell's own components must be found.
    expect(names).toContain('AppShell');
    expect(names).toContain('MantineProvider');
    const needed = cssModules([...names, 'Notification']);
    expect(needed.size).toBeGreaterThan(20);
    expect([...needed].filter((name) => !imported.includes(name)).sort()).toEqual([]);
  });

  it('imports the global styles first and the components in styles.css order', () => {
    expect(imported.slice(0, 3)).toEqual(['baseline', 'default-css-variables', 'global']);
    const full = readFileSync(join(MANTINE, 'styles.css'), 'utf8');
    const positions = imported.slice(3).map((name) => {
      const head = readFileSync(join(MANTINE, 'styles', `${name}.css`), 'utf8')
        .trim()
        .slice(0, 300);
      const at = full.indexOf(head);
      expect(at, `${name}.css is not part of styles.css`).toBeGreaterThanOrEqual(0);
      return at;
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
