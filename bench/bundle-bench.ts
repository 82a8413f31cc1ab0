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
    return [...sizeRows('minified JS + CSS', first.raw, whole.raw), ...sizeRows('gzip', first.gzip, whole.gzip)];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The whole renderer as the baseline, and the first page as its share, in one measure. */
function sizeRows(measure: string, firstBytes: number, wholeBytes: number): Row[] {
  const whole = `renderer, every chunk and stylesheet, ${measure}`;
  return [
    { name: whole, value: wholeBytes / 1000, unit: 'kB' },
    {
      name: `renderer first page (shell + Authorities), ${measure}`,
      value: firstBytes / 1000,
      unit: 'kB',
      baseline: whole,
      ratio: firstBytes / wholeBytes,
    },
  ];
}
