/**
 * The renderer's size budget, read from a fresh build's manifest: the shell (the entry chunk and
 * what it imports statically) plus the first page's own chunks. A size check, not a timing one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRenderer,
  closure,
  entryKey,
  FIRST_PAGE,
  FIRST_PAGE_CEILING,
  firstPageWeight,
  readManifest,
  type Manifest,
} from '../../scripts/renderer-weight.ts';

/**
 * Issue 14: the first page ≤ 400 kB. Gzip as served it was 343 kB as one chunk, 245 kB split by page.
 * Minified it was 1,278 kB as one chunk, 851 kB split, 675 kB with the other pages' styles, the first
 * page's dialogs and the unlock dialog apart: the ceiling (scripts/renderer-weight.ts, also checked by `npm run build`) keeps it there.
 */
const FIRST_PAGE_GZIP_BUDGET = 400_000;

let outDir: string;
let manifest: Manifest;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'certdesk-bundle-'));
  await buildRenderer(outDir);
  manifest = readManifest(outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('renderer bundle', () => {
  it('splits every page into a chunk of its own, loaded on demand', () => {
    const shell = closure(manifest, entryKey(manifest));
    const pages = Object.keys(manifest).filter((key) => /^src\/pages\/[^/]+\/[A-Za-z]+Page\.tsx$/.test(key));
    expect(pages).toContain(FIRST_PAGE);
    expect(pages.length).toBeGreaterThanOrEqual(9);
    for (const page of pages) {
      expect(manifest[page]!.isDynamicEntry, page).toBe(true);
      expect(shell.has(page), `${page} is in the shell`).toBe(false);
    }
  });

  it('keeps the shell and the first page within the budget', () => {
    const { raw, gzip } = firstPageWeight(outDir);
    expect(gzip).toBeLessThanOrEqual(FIRST_PAGE_GZIP_BUDGET);
    expect(raw).toBeLessThanOrEqual(FIRST_PAGE_CEILING);
  });
});
