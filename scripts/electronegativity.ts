/**
 * Part of `npm run lint`: Electronegativity (Doyensec's Electron security scanner) over the sources
 * (src/: main, preload, renderer) and, when they are built, the bundles electron-builder packs
 * (out/main, out/preload, out/renderer/index.html; the minified renderer bundle is left out: its
 * parser cannot read it, and src/renderer is its source). A finding fails lint unless
 * docs/electronegativity-allowlist.json gives the reason it is not a vulnerability.
 *
 * Lint sends no network request: Electronegativity fetches translations and Electron's release
 * list at run time, so its HTTP client is replaced by one that answers "unavailable" without
 * connecting, and the release check (AvailableSecurityFixesGlobalCheck) is off: keeping Electron
 * current is the lockfile's job, and a lint result must not change with the day it runs.
 *
 * Usage: node scripts/electronegativity.ts [DIR...]   (DIRs instead of the default targets)
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Finding, judgeFindings, readAllowlist } from './electronegativity-allowlist.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALLOWLIST = join(root, 'docs/electronegativity-allowlist.json');
const toRepo = (path: string) => relative(root, path).split(sep).join('/');

interface Issue {
  id: string;
  file: string;
  location: { line: number };
  sample?: string;
  description: string;
  severity: { name: string };
  confidence: { name: string };
}
type Run = (
  options: { input: string; isRelative: boolean; electronVersionOverride: string; excludeFromScan: string[] },
  forCli: boolean,
) => Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

const enRequire = createRequire(join(root, 'node_modules/@doyensec/electronegativity/package.json'));
const gotPath = enRequire.resolve('got');
const unavailable = Object.assign(async () => ({ statusCode: 503, body: '' }), { head: async () => ({ statusCode: 503, headers: {} }) });
enRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: unavailable } as unknown as NodeJS.Module;
const run = enRequire('./dist/runner.js') as Run;
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

/** One scan of `input`; `as` is the repository folder its files are reported under. */
async function scan(input: string, as: string): Promise<{ findings: Finding[]; unreadable: string[] }> {
  const result = await run(
    { input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] },
    false,
  );
  const findings = result.issues.map((issue) => ({
    id: issue.id,
    // A bundled chunk's name carries a content hash (chunks/remote-parts-TuPcnDUY.js): the allowlist names it without.
    file: issue.file === 'N/A' ? as : `${as}/${issue.file.split(sep).join('/')}`.replace(/(\/chunks\/[\w.-]+?)-[\w-]{8}(\.m?js)$/, '$1$2'),
    line: issue.location.line,
    sample: (issue.sample ?? '').trim(),
    description: `${issue.description} (${issue.severity.name}, ${issue.confidence.name})`,
  }));
  const unreadable = result.errors.filter((e) => !e.tolerable).map((e) => `${as}/${e.file}: ${e.message}`);
  return { findings, unreadable };
}

/** The packed bundles, staged in one folder so the global checks see main, preload and page together. */
function stageBuilt(): string | null {
  const files = ['out/main', 'out/preload', 'out/renderer/index.html'];
  if (!files.every((file) => existsSync(join(root, file)))) return null;
  const stage = mkdtempSync(join(tmpdir(), 'certdesk-electronegativity-'));
  for (const file of files) {
    const to = join(stage, relative('out', file));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(root, file), to, { recursive: true });
  }
  return stage;
}

const explicit = process.argv.slice(2).map((dir) => resolve(dir));
const targets: { input: string; as: string }[] = explicit.length
  ? explicit.map((dir) => ({ input: dir, as: toRepo(dir) }))
  : [{ input: join(root, 'src'), as: 'src' }];
const staged = explicit.length ? null : stageBuilt();
if (staged) targets.push({ input: staged, as: 'out' });

try {
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  for (const target of targets) {
    const result = await scan(target.input, target.as);
    findings.push(...result.findings);
    unreadable.push(...result.unreadable);
  }
  const { unexpected, stale } = judgeFindings(
    findings,
    readAllowlist(ALLOWLIST),
    targets.map((t) => t.as),
  );
  for (const f of unexpected) console.error(`${f.file}:${f.line} ${f.id}: ${f.description}\n    ${f.sample.split('\n')[0]}`);
  for (const e of stale)
    console.error(`docs/electronegativity-allowlist.json: no finding matches ${e.id} in ${e.file} ("${e.sample}"); remove the entry.`);
  for (const u of unreadable) console.error(`Electronegativity could not read ${u}`);
  if (unexpected.length || stale.length || unreadable.length) {
    if (unexpected.length)
      console.error(
        `Electronegativity: ${unexpected.length} finding(s) above. Fix each, or, if it is not a vulnerability here, add it to docs/electronegativity-allowlist.json with the reason.`,
      );
    process.exitCode = 1;
  }
} finally {
  if (staged) rmSync(staged, { recursive: true, force: true });
}
