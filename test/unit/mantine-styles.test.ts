/**
 * The renderer imports Mantine's styles per component (src/renderer/src/mantine-styles.ts for what the
 * shell and the first page render at once, mantine-styles-later.ts for the parts they load later, such as
 * dialogs, and mantine-styles-pages.ts for what only the other pages use). A component whose
 * styles are missing renders unstyled without any error, so this walks what the renderer imports from
 * `@mantine/core` through Mantine's own module graph to every CSS module it uses, and asks that each
 * has its import, in the order Mantine's full styles.css has them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MANTINE = 'node_modules/@mantine/core';
const STYLES_FILE = 'src/renderer/src/mantine-styles.ts';
const PAGES_STYLES_FILE = 'src/renderer/src/mantine-styles-pages.ts';
const LATER_STYLES_FILE = 'src/renderer/src/mantine-styles-later.ts';
/**
 * What runs without the other pages' stylesheet: the entry and the first page, through their static
 * imports and the parts they load themselves (the first page's dialogs, the unlock dialog); not the
 * other pages, whose chunks the registry loads with mantine-styles-pages.ts.
 */
const FIRST_PAGE_ROOTS = ['src/renderer/src/main.tsx', 'src/renderer/src/pages/authorities/AuthoritiesPage.tsx'];
const REGISTRY = 'src/renderer/src/pages/registry.tsx';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every file reachable from `roots` along `next` (each file read once). */
function reach(roots: string[], next: (file: string, text: string) => string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...next(file, readFileSync(file, 'utf8')));
  }
  return [...seen];
}

const staticImports = (file: string, text: string) =>
  [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.[^']+\.tsx?)'/gms)].map((m) => join(dirname(file), m[1]!));

/** The renderer's files `roots` reach through static imports and `import()`, the registry's pages left out. */
function firstPageClosure(roots: string[]): string[] {
  return reach(roots, (file, text) => [
    ...staticImports(file, text),
    ...(file === REGISTRY ? [] : [...text.matchAll(/\bimport\('(\.[^']+\.tsx?)'\)/g)].map((m) => join(dirname(file), m[1]!))),
  ]);
}

/** What `roots` reach through static imports alone: what renders before anything loaded later. */
function staticClosure(roots: string[]): string[] {
  return reach(roots, staticImports);
}

/** Every name the renderer imports from '@mantine/core' (types included: harmless, they resolve to nothing). */
function importedNames(files = sourceFiles('src/renderer/src')): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
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
  const modules = new Set<string>();
  for (const file of reach(roots, (file, text) => [...text.matchAll(/from "(\.[^"]+)"/g)].map((m) => join(dirname(file), m[1]!))))
    if (file.endsWith('.module.mjs')) modules.add(basename(file, '.module.mjs'));
  return new Set([...modules].filter((name) => existsSync(join(MANTINE, 'styles', `${name}.css`))));
}

describe('Mantine styles per component', () => {
  const stylesOf = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/^import '@mantine\/core\/styles\/([A-Za-z-]+)\.css';$/gm)].map((m) => m[1]!);
  const shellStyles = stylesOf(STYLES_FILE);
  const laterStyles = stylesOf(LATER_STYLES_FILE);
  const pagesStyles = stylesOf(PAGES_STYLES_FILE);
  const imported = [...shellStyles, ...laterStyles, ...pagesStyles];

  it('imports the styles of every component the renderer uses, and of the parts they are built on', () => {
    const names = importedNames();
    // A sanity check on the scan itself: the shell's own components must be found.
    expect(names).toContain('AppShell');
    expect(names).toContain('MantineProvider');
    const needed = cssModules([...names, 'Notification']);
    expect(needed.size).toBeGreaterThan(20);
    expect([...needed].filter((name) => !imported.includes(name)).sort()).toEqual([]);
  });

  it('loads what the shell and the first page render at once with the first paint, what they load later with their later parts', () => {
    const atOnce = staticClosure(FIRST_PAGE_ROOTS);
    // A sanity check on the walk: the shell's layout is reached, its lazily loaded dialogs are not.
    expect(atOnce).toContain('src/renderer/src/components/AppLayout.tsx');
    expect(atOnce).not.toContain('src/renderer/src/components/CommandPalette.tsx');
    expect(atOnce).not.toContain('src/renderer/src/pages/authorities/CreateAuthorityModal.tsx');
    const needed = cssModules(importedNames(atOnce));
    expect([...needed].filter((name) => !shellStyles.includes(name)).sort()).toEqual([]);
    // What the shell's stylesheet holds, the first paint uses: the rest waits for the later parts.
    expect(shellStyles.slice(3).filter((name) => !needed.has(name))).toEqual([]);
    expect(laterStyles.filter((name) => shellStyles.includes(name))).toEqual([]);
    expect(readFileSync(LATER_STYLES_FILE, 'utf8')).toContain("import '@mantine/notifications/styles.css';");
  });

  it("loads what the shell and the first page use without the other pages' stylesheet, each style once", () => {
    const files = firstPageClosure(FIRST_PAGE_ROOTS);
    // A sanity check on the walk: the shell's layout and the first page's dialog are reached, other pages are not.
    expect(files).toContain('src/renderer/src/components/AppLayout.tsx');
    expect(files).toContain('src/renderer/src/pages/authorities/CreateAuthorityModal.tsx');
    expect(files).toContain('src/renderer/src/components/UnlockDialog.tsx');
    // No other page's components: of the Inventory, only its plain query module (what the navigation asks for ahead).
    expect(files.filter((file) => file.includes('/pages/inventory/'))).toEqual(['src/renderer/src/pages/inventory/inventory-filters.ts']);
    const needed = cssModules([...importedNames(files), 'Notification']);
    expect([...needed].filter((name) => !shellStyles.includes(name) && !laterStyles.includes(name)).sort()).toEqual([]);
    expect(pagesStyles.filter((name) => shellStyles.includes(name) || laterStyles.includes(name))).toEqual([]);
  });

  it('imports the global styles first and the components in styles.css order', () => {
    expect(shellStyles.slice(0, 3)).toEqual(['baseline', 'default-css-variables', 'global']);
    const full = readFileSync(join(MANTINE, 'styles.css'), 'utf8');
    const positionsOf = (names: string[]) =>
      names.map((name) => {
        const head = readFileSync(join(MANTINE, 'styles', `${name}.css`), 'utf8')
          .trim()
          .slice(0, 300);
        const at = full.indexOf(head);
        expect(at, `${name}.css is not part of styles.css`).toBeGreaterThanOrEqual(0);
        return at;
      });
    // Each file in styles.css order; the later parts' file loads after the shell's, the pages' after both.
    for (const positions of [positionsOf(shellStyles.slice(3)), positionsOf(laterStyles), positionsOf(pagesStyles)])
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
