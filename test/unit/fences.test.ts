import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** Lints a one-import probe as if it lived at `filePath`; returns the fence messages it drew. */
async function restricted(filePath: string, specifier: string): Promise<string[]> {
  const code = `import * as probe from '${specifier}';\nexport const a = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** [where the probe lives, what it imports, the words the refusal must contain] */
type Refused = [string, string, string];
/** [where the probe lives, what it imports] */
type Allowed = [string, string];

const fences: Array<{ fence: string; refused: Refused[]; allowed: Allowed[] }> = [
  {
    fence: 'src/main/core imports nothing above it',
    refused: [
      ['src/main/core/ca/x.ts', 'electron', 'Electron'],
      ['src/main/core/ca/x.ts', 'react', 'UI code'],
      ['src/main/core/ca/x.ts', '@mantine/core', 'UI code'],
      ['src/main/core/ca/x.ts', '../../api/index.ts', 'must not import api'],
      ['src/main/core/ca/x.ts', '../../host/dispatch.ts', 'must not import api'],
      ['src/main/core/ca/x.ts', '../../electron/window.ts', 'must not import api'],
      ['src/main/core/ca/x.ts', '../../web/host.ts', 'must not import api'],
      ['src/main/core/ca/x.ts', '../../cli/program.ts', 'must not import api'],
      ['src/main/core/x.ts', '../../preload/index.ts', 'renderer or preload'],
      ['src/main/core/x.ts', '../../renderer/src/app.tsx', 'renderer or preload'],
    ],
    allowed: [
      ['src/main/core/ca/x.ts', '../errors.ts'],
      ['src/main/core/ca/x.ts', '../pki/x509.ts'],
      ['src/main/core/x.ts', '../../shared/contract/index.ts'],
    ],
  },
  {
    fence: 'core/pki never imports core/ca (and keeps every core fence)',
    refused: [
      ['src/main/core/pki/x.ts', '../ca/authorities.ts', 'core/pki is below core/ca'],
      ['src/main/core/pki/x.ts', 'electron', 'Electron'],
      ['src/main/core/pki/x.ts', '../../host/dispatch.ts', 'must not import api'],
    ],
    allowed: [
      ['src/main/core/pki/x.ts', './x509.ts'],
      ['src/main/core/pki/x.ts', '../errors.ts'],
    ],
  },
  {
    fence: 'only src/main/electron imports electron',
    refused: [
      ['src/main/api/x.ts', 'electron', 'only src/main/electron imports it'],
      ['src/main/host/x.ts', 'electron', 'only src/main/electron imports it'],
      ['src/main/web/x.ts', 'electron', 'only src/main/electron imports it'],
      ['src/main/cli/commands/x.ts', 'electron', 'only src/main/electron imports it'],
      ['src/sandbox/x.ts', 'electron', 'only src/main/electron imports it'],
      ['src/renderer/src/x.ts', 'electron', 'no Electron'],
      ['src/shared/contract/x.ts', 'electron', 'no dependencies'],
    ],
    allowed: [['src/main/electron/x.ts', 'electron']],
  },
  {
    fence: 'api sits below the hosts',
    refused: [
      ['src/main/api/x.ts', '../host/dispatch.ts', 'must not import host'],
      ['src/main/api/x.ts', '../electron/ipc.ts', 'must not import host'],
      ['src/main/api/x.ts', '../web/host.ts', 'must not import host'],
      ['src/main/api/x.ts', '../cli/program.ts', 'must not import host'],
    ],
    allowed: [
      ['src/main/api/x.ts', '../core/service.ts'],
      ['src/main/api/x.ts', './fields.ts'],
    ],
  },
  {
    fence: 'host is shared by every host and depends on none of them',
    refused: [
      ['src/main/host/x.ts', '../electron/ipc.ts', 'every host shares this folder'],
      ['src/main/host/x.ts', '../web/host.ts', 'every host shares this folder'],
      ['src/main/host/x.ts', '../cli/program.ts', 'every host shares this folder'],
    ],
    allowed: [
      ['src/main/host/x.ts', '../api/index.ts'],
      ['src/main/host/x.ts', '../core/service.ts'],
    ],
  },
  {
    fence: 'the three hosts never import one another',
    refused: [
      ['src/main/web/x.ts', '../electron/window.ts', 'never share a process'],
      ['src/main/web/x.ts', '../cli/program.ts', 'never share a process'],
      ['src/main/cli/x.ts', '../electron/window.ts', 'never share a process'],
      ['src/main/cli/commands/x.ts', '../../web/host.ts', 'never share a process'],
      ['src/main/electron/x.ts', '../web/host.ts', 'never share a process'],
      ['src/main/electron/x.ts', '../cli/program.ts', 'never share a process'],
    ],
    allowed: [
      ['src/main/web/x.ts', '../host/dispatch.ts'],
      ['src/main/cli/commands/x.ts', '../output.ts'],
      ['src/main/electron/x.ts', '../host/dispatch.ts'],
    ],
  },
  {
    fence: 'the renderer never imports main, preload or Node built-ins',
    refused: [
      ['src/renderer/src/x.ts', '../../main/core/service.ts', 'only through window.certdesk'],
      ['src/renderer/src/x.ts', '../../preload/index.ts', 'only through window.certdesk'],
      ['src/renderer/src/x.ts', 'node:fs', 'no Node built-ins'],
      ['src/renderer/src/pages/x.tsx', 'crypto', 'no Node built-ins'],
    ],
    allowed: [['src/renderer/src/x.ts', '../../shared/contract/index.ts']],
  },
  {
    fence: 'the sandbox never imports certdesk',
    refused: [
      ['src/sandbox/x.ts', '../main/core/service.ts', 'never imports certdesk'],
      ['src/sandbox/x.ts', '../renderer/src/api.ts', 'never imports certdesk'],
      ['src/sandbox/x.ts', '../preload/index.ts', 'never imports certdesk'],
    ],
    allowed: [['src/sandbox/x.ts', './server.ts']],
  },
  {
    fence: 'certdesk reaches the sandbox only through src/sandbox/index.ts',
    refused: [
      ['src/main/host/x.ts', '../../sandbox/server.ts', 'only through src/sandbox/index.ts'],
      ['src/main/cli/commands/x.ts', '../../../sandbox/cli.ts', 'only through src/sandbox/index.ts'],
      ['src/main/core/auth0/x.ts', '../../../sandbox/fetch.ts', 'only through src/sandbox/index.ts'],
      ['scripts/x.ts', '../src/sandbox/main.ts', 'only through src/sandbox/index.ts'],
      ['bin/x.js', '../src/sandbox/server.ts', 'only through src/sandbox/index.ts'],
      ['bench/x.ts', '../src/sandbox/fetch.ts', 'only through src/sandbox/index.ts'],
    ],
    allowed: [
      ['src/main/host/x.ts', '../../sandbox/index.ts'],
      ['scripts/x.ts', '../src/sandbox/index.ts'],
      // The CLI's own sandbox command group is not the emulator.
      ['src/main/cli/x.ts', './commands/sandbox.ts'],
    ],
  },
  {
    fence: 'src/shared holds only the contract',
    refused: [
      ['src/shared/contract/x.ts', 'zod', 'no dependencies'],
      ['src/shared/contract/x.ts', '../../main/core/errors.ts', 'no dependencies'],
    ],
    allowed: [['src/shared/contract/x.ts', './errors.ts']],
  },
];

describe('lint fences between the folders', () => {
  for (const { fence, refused, allowed } of fences) {
    describe(fence, () => {
      it.each(refused)('%s may not import %s', async (filePath, specifier, words) => {
        const messages = await restricted(filePath, specifier);
        expect(messages.length).toBeGreaterThan(0);
        expect(messages.join('\n')).toContain(words);
      });
      it.each(allowed)('%s may import %s', async (filePath, specifier) => {
        expect(await restricted(filePath, specifier)).toEqual([]);
      });
    });
  }
});
