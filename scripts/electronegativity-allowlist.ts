/**
 * How `npm run lint` judges Electronegativity's findings: each must match an entry of
 * docs/electronegativity-allowlist.json (same check, same file, and the flagged code containing the
 * entry's `sample`), and each entry must still match something in the folders scanned, so the list
 * never keeps a reason for code that is gone. No Electronegativity import: unit tests load this.
 */
import { readFileSync } from 'node:fs';

export interface Finding {
  id: string;
  /** Repository-relative, `/`-separated. */
  file: string;
  line: number;
  sample: string;
  description: string;
}

export interface AllowedFinding {
  id: string;
  file: string;
  /** A piece of the flagged code, so the entry follows the code when lines move; '' for a finding with no code. */
  sample: string;
  /** Why this finding is not a vulnerability in certdesk. */
  reason: string;
}

export function readAllowlist(path: string): AllowedFinding[] {
  const entries = JSON.parse(readFileSync(path, 'utf8')) as AllowedFinding[];
  for (const entry of entries) {
    if (!entry.id || !entry.file || typeof entry.sample !== 'string' || !entry.reason?.trim())
      throw new Error(`${path}: every entry needs an id, a file, a sample and a reason (${JSON.stringify(entry)}).`);
  }
  return entries;
}

const matches = (entry: AllowedFinding, finding: Finding) =>
  entry.id === finding.id && entry.file === finding.file && finding.sample.includes(entry.sample);

/**
 * @param scanned the repository-relative folders Electronegativity looked at: an entry for a file
 *   elsewhere (say out/, when nothing is built) is neither used nor stale.
 */
export function judgeFindings(
  findings: Finding[],
  allowlist: AllowedFinding[],
  scanned: string[],
): { unexpected: Finding[]; stale: AllowedFinding[] } {
  const unexpected = findings.filter((finding) => !allowlist.some((entry) => matches(entry, finding)));
  const inScope = (file: string) => scanned.some((dir) => file === dir || file.startsWith(`${dir}/`));
  const stale = allowlist.filter((entry) => inScope(entry.file) && !findings.some((finding) => matches(entry, finding)));
  return { unexpected, stale };
}
