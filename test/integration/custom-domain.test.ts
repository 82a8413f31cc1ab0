import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { bindingsRig } from '../support/bindings-rig.ts';
import { tempDir } from '../support/temp.ts';

function databaseBytes(dataDir: string): Buffer {
  const base = join(dataDir, DATABASE_FILE);
  return Buffer.concat([base, `${base}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('custom domain and the edge key', () => {
  it('creates and verifies the custom domain, writes the cname-api-key only into a 0600 include the dialog chose, and explains a lost key', async () => {
    const rig = await bindingsRig();
    const keyFile = join(tempDir(), 'cname-api-key.conf');
    const asked: string[] = [];
    const dialog = {
      chooseSavePath: ({ suggestedName }: { suggestedName: string }) => {
        asked.push(suggestedName);
        return Promise.resolve(keyFile);
      },
    };
    const setup = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, domain: 'Login.Example.com' }, dialog);
    expect(setup).toMatchObject({
      domain: 'login.example.com',
      status: 'ready',
      keyWritten: true,
      keyFile,
      originDomainName: expect.stringMatching(/\.edge\./),
    });
    expect(setup.keyInclude).toBeUndefined();
    expect(asked).toEqual(['cname-api-key.conf']);
    expect(setup.steps).toEqual([
      'created login.example.com (self-managed certificates)',
      'verified login.example.com',
      `wrote the cname-api-key include to ${keyFile} (mode 0600)`,
    ]);

    const key = rig.sb.sandbox.state().custom_domains[0]!.cname_api_key!;
    expect(readFileSync(keyFile, 'utf8')).toBe(`proxy_set_header cname-api-key "${key}";\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(databaseBytes(rig.t.dataDir).includes(Buffer.from(key)), 'the key is not in SQLite').toBe(false);
    expect(JSON.stringify(rig.t.service.audit.list(0, 100))).not.toContain(key);
    expect(JSON.stringify(setup)).not.toContain(key);

    // Verified already: Auth0 will not hand the key out again, so no dialog, nothing written, and the step says why.
    const again = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, domain: 'login.example.com' }, dialog);
    expect(again).toMatchObject({ status: 'ready', keyWritten: false, keyFile: null });
    expect(again.steps.join('\n')).toContain('returns its cname-api-key only once');
    expect(asked).toHaveLength(1);
    const noDomain = await rig.t.service.bindings.customDomain({ tenant: rig.tenant }).catch((e: unknown) => e);
    expect(noDomain).toMatchObject({ code: 'VALIDATION', field: 'domain' });
  });

  it('desktop: a cancelled save dialog verifies nothing, so the one-time key is not lost', async () => {
    const rig = await bindingsRig();
    rig.mark();
    const cancelled = await rig.t.service.bindings
      .customDomain({ tenant: rig.tenant, domain: 'login.example.com' }, { chooseSavePath: () => Promise.resolve(null) })
      .catch((e: unknown) => e);
    expect(cancelled).toMatchObject({ code: 'VALIDATION', field: 'keyFile' });
    expect(rig.managementCalls().some((c) => c.path.endsWith('/verify'))).toBe(false);
    expect(rig.sb.sandbox.state().custom_domains.map((d) => d.status)).not.toContain('ready');
  });

  it('web mode: the include comes back once, for a download, and nothing is written on the host', async () => {
    const rig = await bindingsRig();
    const before = readdirSync(rig.t.dataDir).sort();
    const setup = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, domain: 'login.example.com' });
    const key = rig.sb.sandbox.state().custom_domains[0]!.cname_api_key!;
    expect(setup).toMatchObject({
      status: 'ready',
      keyFile: null,
      keyWritten: false,
      keyInclude: { filename: 'cname-api-key.conf', content: `proxy_set_header cname-api-key "${key}";\n` },
    });
    expect(readdirSync(rig.t.dataDir).sort()).toEqual(before);
    expect(databaseBytes(rig.t.dataDir).includes(Buffer.from(key)), 'the key is not in SQLite').toBe(false);
    expect(JSON.stringify(rig.t.service.audit.list(0, 100))).not.toContain(key);
  });

  it('certdesk edge key --out: no parent made, no file replaced without --force, checked before Auth0 is asked', async () => {
    const rig = await bindingsRig();
    const root = tempDir();
    const run = async (...args: string[]) => {
      let stdout = '';
      const code = await runCli(['--data-dir', rig.t.dataDir, '--json', 'edge', 'key', '--tenant', 'Sandbox', ...args], {
        stdout: (x) => (stdout += x),
        stderr: () => {},
        env: {},
        fetch: rig.sb.fetch,
        secretStore: rig.t.secretStore,
      });
      return { code, stdout, json: JSON.parse(stdout) as Record<string, unknown> };
    };
    const domain = ['--custom-domain', 'login.example.com'];
    const audited = () => rig.t.service.audit.list(0, 1000).total;
    const before = audited();
    rig.mark();

    const missing = await run(...domain, '--out', join(root, 'evil', 'dir', 'cname.conf'));
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'out' } });
    const existing = join(root, 'cname.conf');
    writeFileSync(existing, 'the original\n', { mode: 0o644 });
    const refused = await run(...domain, '--out', existing);
    expect(refused.json).toMatchObject({ error: { code: 'CONFLICT', field: 'out', message: expect.stringContaining('--force') } });
    expect(readFileSync(existing, 'utf8')).toBe('the original\n');
    expect(readdirSync(root)).toEqual(['cname.conf']);
    expect(rig.managementCalls()).toEqual([]);
    expect(rig.sb.sandbox.state().custom_domains).toEqual([]);
    expect(audited()).toBe(before);

    const forced = await run(...domain, '--out', existing, '--force');
    expect(forced.code, forced.stdout).toBe(0);
    const key = rig.sb.sandbox.state().custom_domains[0]!.cname_api_key!;
    expect(forced.json).toMatchObject({ status: 'ready', keyWritten: true, keyFile: existing });
    expect(forced.stdout).not.toContain(key);
    expect(readFileSync(existing, 'utf8')).toBe(`proxy_set_header cname-api-key "${key}";\n`);
    expect(statSync(existing).mode & 0o777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['cname.conf']);

    // Verified already: the file written then stays; a missing one is a lost key, named.
    const again = await run(...domain, '--out', existing, '--force');
    expect(again.json).toMatchObject({ status: 'ready', keyWritten: false, keyFile: existing });
    expect(readFileSync(existing, 'utf8')).toBe(`proxy_set_header cname-api-key "${key}";\n`);
    const lost = await run(...domain, '--out', join(root, 'missing.conf'));
    expect(lost.json).toMatchObject({
      error: { code: 'CONFLICT', field: 'out', message: expect.stringContaining('returns its cname-api-key only once') },
    });
  });
});
