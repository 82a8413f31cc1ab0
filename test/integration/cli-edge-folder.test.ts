/**
 * `certdesk edge folder set|show` and `certdesk edge settings set|show`: the operator's edge folder
 * and approved settings, which web mode publishes with and nothing else; `edge publish` (alias of
 * `edge export`) writes to the configured folder when no --out is given.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { tempDir } from '../support/temp.ts';
import { EDGE_SETTING_FLAGS } from '../support/edge-settings.ts';

async function store() {
  const dir = tempDir();
  const io = { env: { CERTDESK_DATA_DIR: dir }, secretStore: new MemorySecretStore() };
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--json', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...io });
    return { code, stderr, json: JSON.parse(stdout || stderr || 'null') as unknown };
  };
  await run('ca', 'create', '--name', 'CLI Root');
  await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
  return { dir, run };
}

const SETTINGS = EDGE_SETTING_FLAGS;

describe('certdesk edge folder and edge settings', () => {
  it('sets the folder, approves the settings, publishes there without --out, and refuses a cleartext upstream with nothing changed', async () => {
    const { dir, run } = await store();
    const folder = join(dir, 'edge');
    expect((await run('edge', 'folder', 'show')).json).toMatchObject({ folder: null, settings: null, approved: true, canApprove: true });

    const set = await run('edge', 'folder', 'set', folder);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json).toMatchObject({ folder, folderSetBy: 'cli', approved: true });
    const approved = await run('edge', 'settings', 'set', ...SETTINGS);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json).toMatchObject({
      folder,
      settings: { upstream: 'https://tenant.example', upstreamHost: 'auth.example.test', verifyClient: 'on' },
      settingsApprovedBy: 'cli',
    });

    const refused = await run(
      'edge',
      'settings',
      'set',
      ...SETTINGS.slice(0, 2),
      '--upstream',
      'http://attacker.example',
      ...SETTINGS.slice(4),
    );
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'VALIDATION', field: 'upstream' } });
    expect((await run('edge', 'settings', 'show')).json).toEqual(approved.json);

    const published = await run('edge', 'publish', '--ca', 'CLI Issuing', ...SETTINGS);
    expect(published.code, published.stderr).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
    expect(readFileSync(join(folder, 'certdesk-edge.conf'), 'utf8')).toContain('proxy_pass https://tenant.example;');

    // --out names another folder: it becomes the edge folder, as the operator typed it.
    const other = join(dir, 'other');
    const moved = await run('edge', 'export', '--out', other, '--ca', 'CLI Issuing', ...SETTINGS);
    expect(moved.code, moved.stderr).toBe(0);
    expect(existsSync(join(other, 'certdesk-edge.conf'))).toBe(true);
    expect((await run('edge', 'folder', 'show')).json).toMatchObject({ folder: other });
  });
});
