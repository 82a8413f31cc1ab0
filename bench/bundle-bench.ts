/**
 * The renderer's first page (issue 14): what the browser fetches before the first paint, minified and
 * gzipped, beside the whole renderer from the same build. Sizes, not times: the ratio is the share of
 * the renderer the first page carries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRenderer, FIRST_PAGE_GOAL, firstPageWeight, kB, wholeRendererWeight } from '../scripts/renderer-weight.ts';
import type { Row } from './report.ts';

export async function bundleBench(): Promise<Row[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'certdesk-bench-bundle-'));
  try {
    await buildRenderer(outDir);
    const first = firstPageWeight(outDir);
    const whole = wholeRendererWeight(outDir);
    console.log(
      `(renderer first page: ${kB(first.raw)} minified = JS ${kB(first.js)} + CSS ${kB(first.css)}, ${kB(first.gzip)} gzip; goal ${kB(FIRST_PAGE_GOAL)} minified)`,
    );
    const wholeRaw = 'renderer, every chunk and stylesheet, minified';
    const wholeGzip = 'renderer, every chunk and stylesheet, gzip';
    return [
      { name: wholeRaw, value: whole.raw / 1000, unit: 'kB' },
      {
        name: 'renderer first page (shell + Authorities), minified JS + CSS',
        value: first.raw / 1000,
        unit: 'kB',
        baseline: wholeRaw,
        ratio: first.raw / whole.raw,
      },
      { name: wholeGzip, value: whole.gzip / 1000, unit: 'kB' },
      {
        name: 'renderer first page (shell + Authorities), gzip',
        value: first.gzip / 1000,
        unit: 'kB',
        baseline: wholeGzip,
        ratio: first.gzip / whole.gzip,
      },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
