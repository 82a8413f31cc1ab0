/**
 * Run by `npm run build` after the renderer is built: fails the build when the first page (the shell
 * and the Authorities page, minified JS + CSS) grows past its ceiling, and says what it weighs.
 */
import { fileURLToPath } from 'node:url';
import { FIRST_PAGE_CEILING, FIRST_PAGE_GOAL, firstPageWeight, kB } from './renderer-weight.ts';

const outDir = process.argv[2] ?? fileURLToPath(new URL('../out/renderer', import.meta.url));
const weight = firstPageWeight(outDir);
const line = `first page: ${kB(weight.raw)} minified (JS ${kB(weight.js)} + CSS ${kB(weight.css)}), ${kB(weight.gzip)} gzip; ceiling ${kB(FIRST_PAGE_CEILING)}, goal ${kB(FIRST_PAGE_GOAL)}`;
if (weight.raw > FIRST_PAGE_CEILING) {
  console.error(`${line}: over the ceiling. Move what the first paint does not need behind an import().`);
  process.exit(1);
}
console.log(line);
