import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint fences between the processes', () => {
  it('src/main/core cannot import electron, UI code or the transports above it', async () => {
    expect(await restricted('src/main/core/ca/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('src/main/core/ca/x.ts', "import { useState } from 'react';\nexport const a = useState;\n")).toHaveLength(1);
    expect(
      await restricted('src/main/core/ca/x.ts', "import { dispatch } from '../../handlers.ts';\nexport const a = dispatch;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/main/core/ca/x.ts', "import { CertdeskError } from '../errors.ts';\nexport const a = CertdeskError;\n"),
    ).toHaveLength(0);
  });

  it('the renderer cannot import main, preload, Node built-ins or electron', async () => {
    expect(
      await restricted(
        'src/renderer/src/x.ts',
        "import { CertdeskService } from '../../main/core/service.ts';\nexport const a = CertdeskService;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restricted('src/renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/renderer/src/x.ts', "import { CHANNELS } from '../../shared/contract/index.ts';\nexport const a = CHANNELS;\n"),
    ).toHaveLength(0);
  });
});
