/**
 * certdesk stands on its own: a user's clone has nothing beside it. No tracked source, test, script,
 * config or document may name a path outside the repository, whether by climbing out with `../` from
 * where the file sits, or by naming the development workspace the repository was cloned into.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Binary files and byte-for-byte upstream copies: they name no paths of ours. */
const NOT_TEXT = /\.(png|ico|icns|jpg|jpeg|gif|woff2?|ttf|der|p12|pfx)$/i;
const UPSTREAM = /^test\/fixtures\/auth0\/.*\.json$|^package-lock\.json$/;
/**
 * Files whose `../` strings are relative to some other file, never to themselves. Each is named
 * with the reason; the file's other lines are still read by every other test that runs it.
 */
const RELATIVE_TO_ANOTHER_FILE: Record<string, string> = {
  'test/unit/fences.test.ts': 'import specifiers as written in probe files under src/, linted with lintText and never opened',
};

/** A run of `../` that starts a path (not one inside a URL path such as `/../../etc/passwd`, an attack probe). */
const CLIMB = /(?:^|[^A-Za-z0-9_.\-/])((?:\.\.\/)+)([A-Za-z0-9_@.-]*)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function inside(target: string): boolean {
  return target === root || target.startsWith(root + sep);
}

/** Every place in `text` (a file at `file`, relative to the root) that names a path outside the repository. */
export function pathsOutside(file: string, text: string, workspace = dirname(root)): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(CLIMB)) {
      const target = normalize(join(root, dirname(file), match[1]!, match[2]!));
      if (!inside(target)) found.push(`${file}:${index + 1}: ${match[1]}${match[2]}`);
    }
    for (const match of line.matchAll(new RegExp(`${escapeRegExp(workspace)}/[A-Za-z0-9_@./-]*`, 'g'))) {
      if (!inside(normalize(match[0]))) found.push(`${file}:${index + 1}: ${match[0]}`);
    }
  });
  return found;
}

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  return listed.filter((file) => !NOT_TEXT.test(file) && !UPSTREAM.test(file) && !(file in RELATIVE_TO_ANOTHER_FILE));
}

describe('the repository stands on its own', () => {
  it('the detector sees a climb out of the repo and the workspace path, and lets paths inside pass', () => {
    const up = '..' + '/';
    // From test/unit, two levels up is the root: inside. Three levels up is beside the repo: outside.
    expect(pathsOutside('test/unit/x.ts', `new URL('${up}${up}src/main', import.meta.url)`)).toEqual([]);
    expect(pathsOutside('test/unit/x.ts', `new URL('${up}${up}${up}shared/reference/', import.meta.url)`)).toHaveLength(1);
    expect(pathsOutside('README.md', `See [the design](${up}shared/design/).`)).toHaveLength(1);
    expect(pathsOutside('src/main/core/ca/x.ts', `import type { A } from '${up}${up}${up}shared/contract.ts';`)).toEqual([]);
    expect(pathsOutside('src/main/core/ca/x.ts', `import type { A } from '${up}${up}${up}${up}${up}shared/contract.ts';`)).toHaveLength(1);
    // A URL path that tries to climb (a traversal probe sent to the web host) is not a file path of ours.
    expect(pathsOutside('test/integration/x.ts', `send({ path: '/${up}${up}etc/passwd' })`)).toEqual([]);
    expect(pathsOutside('scripts/x.ts', `readFileSync('/ws/shared/design/a.md')`, '/ws')).toHaveLength(1);
    expect(pathsOutside('scripts/x.ts', `readFileSync('${root}/README.md')`, dirname(root))).toEqual([]);
  });

  it('no tracked source, test, script, config or document names a path outside the repo', () => {
    const files = trackedTextFiles();
    expect(files.length).toBeGreaterThan(100);
    const outside = files.flatMap((file) => pathsOutside(file, readFileSync(join(root, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  it("Auth0's contracts are in the repo, unchanged from the copies PROVENANCE.md records", () => {
    const provenance = readFileSync(join(root, 'test/fixtures/auth0/PROVENANCE.md'), 'utf8');
    const rows = [...provenance.matchAll(/\| `([^`]+\.oas\.json)` \|[^\n]*\| `([0-9a-f]{64})` \|/g)];
    expect(rows.map((row) => row[1]).sort()).toEqual([
      'auth0-authentication-api-token.oas.json',
      'auth0-management-api-mtls-subset.oas.json',
    ]);
    for (const [, file, sha256] of rows) {
      const bytes = readFileSync(join(root, 'test/fixtures/auth0', file!));
      expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(sha256);
    }
  });
});
