/** How lint judges Electronegativity's findings against docs/electronegativity-allowlist.json. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AllowedFinding, type Finding, judgeFindings, readAllowlist } from '../../scripts/electronegativity-allowlist.ts';

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src/main/electron/window.ts',
  line: 64,
  sample: 'if (isAllowedExternalUrl(url)) void shell.openExternal(url);',
  description: 'Review the use of openExternal',
  ...over,
});
const entry: AllowedFinding = {
  id: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src/main/electron/window.ts',
  sample: 'if (isAllowedExternalUrl(url))',
  reason: 'guarded by the allowlist',
};

describe('judgeFindings', () => {
  it('lets a listed finding through wherever its line moves', () => {
    expect(judgeFindings([finding(), finding({ line: 99 })], [entry], ['src'])).toEqual({ unexpected: [], stale: [] });
  });

  it('fails a finding in another file, of another check, or on other code', () => {
    const others = [
      finding({ file: 'src/main/electron/index.ts' }),
      finding({ id: 'NODE_INTEGRATION_JS_CHECK' }),
      finding({ sample: 'void shell.openExternal(url);' }),
    ];
    expect(judgeFindings(others, [entry], ['src']).unexpected).toEqual(others);
  });

  it('calls an entry stale when nothing it covers is found any more, but only where it looked', () => {
    expect(judgeFindings([], [entry], ['src']).stale).toEqual([entry]);
    expect(judgeFindings([], [{ ...entry, file: 'out/main/index.js' }], ['src']).stale).toEqual([]);
  });
});

describe('docs/electronegativity-allowlist.json', () => {
  it('gives every entry a reason', () => {
    const entries = readAllowlist(fileURLToPath(new URL('../../docs/electronegativity-allowlist.json', import.meta.url)));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.reason.length, `${e.id} ${e.file}`).toBeGreaterThan(40);
  });
});
