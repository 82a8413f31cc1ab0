/**
 * The bench's rows, printed as a table and, with `--json FILE`, written as JSON so runs can be
 * compared (issue 14). One helper for every bench file: each row names its baseline (another row
 * of the same run) and carries the ratio to it.
 */
import { writeFileSync } from 'node:fs';

export interface Row {
  name: string;
  value: number;
  /** `ops/s` (higher is better), `ms` or `kB` (lower is better). */
  unit: string;
  /** The name of the row measured in the same run that this one is compared with; absent on a baseline. */
  baseline?: string;
  /** value ÷ the baseline's value. */
  ratio?: number;
}

/** The file `--json FILE` names, or undefined; a `--json` without a file is refused before any bench runs. */
export function jsonTarget(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--json');
  if (at === -1) return undefined;
  const file = argv[at + 1];
  if (!file || file.startsWith('--')) throw new Error('bench: --json needs a file name, e.g. `npm run bench -- --json bench.json`.');
  return file;
}

/** A throughput row, compared with `baseline` when given. */
export function opsRow(name: string, opsPerSec: number, baseline?: { name: string; value: number }): Row {
  return { name, value: opsPerSec, unit: 'ops/s', ...(baseline ? { baseline: baseline.name, ratio: opsPerSec / baseline.value } : {}) };
}

export function printRows(rows: readonly Row[]): void {
  console.table(
    rows.map((r) => ({
      benchmark: r.name,
      value: `${Math.round(r.value * 10) / 10} ${r.unit}`,
      'vs baseline': r.baseline ? `${r.ratio === undefined ? 'n/a' : r.ratio.toFixed(3)} × ${r.baseline}` : '(baseline)',
    })),
  );
}

export function writeRowsJson(file: string, rows: readonly Row[], extra: Record<string, unknown> = {}): void {
  const out = rows.map((r) => ({ name: r.name, value: r.value, unit: r.unit, baseline: r.baseline ?? null, ratio: r.ratio ?? null }));
  writeFileSync(file, `${JSON.stringify({ node: process.version, at: new Date().toISOString(), ...extra, rows: out }, null, 2)}\n`);
}

/** The bench's sections, in the order they run; `--only` names some of them. */
export const SECTIONS = [
  'crypto',
  'issuance',
  'bulk',
  'keygen',
  'stall',
  'delivery',
  'ingest',
  'rotation',
  'bundle',
  'browser',
  'memory',
] as const;
export type Section = (typeof SECTIONS)[number];

/** Which sections run: all of them, or those `--only a,b` names (an unknown name is refused before any bench runs). */
export function benchSections(argv: readonly string[]): (section: Section) => boolean {
  const at = argv.indexOf('--only');
  if (at === -1) return () => true;
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(
      `bench: --only takes a comma-separated list of ${SECTIONS.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}.`,
    );
  return (section) => names.includes(section);
}
