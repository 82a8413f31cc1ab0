/** `certdesk edge export --ca A --ca B`: the edge trusts a set of issuing CAs (a rollover), given by repeating --ca. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openssl } from '../support/openssl.ts';
import { inProcessCliStore } from '../support/cli-store.ts';
import { EDGE_SETTING_FLAGS } from '../support/edge-settings.ts';

const SETTINGS = EDGE_SETTING_FLAGS;

describe('certdesk edge export with a repeated --ca', () => {
  it('publishes every chain and CRL of the set, and refuses a CA given twice with nothing written', async () => {
    const { dir, run } = await inProcessCliStore();
    expect((await run('ca', 'create', '--name', 'CLI Next', '--parent', 'CLI Root')).code).toBe(0);
    const twice = join(dir, 'edge-twice');
    const refused = await run('edge', 'export', '--ca', 'CLI Issuing', '--ca', 'CLI Issuing', '--out', twice, ...SETTINGS);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'VALIDATION', field: 'ca', message: expect.stringContaining('listed once') } });
    expect(existsSync(twice)).toBe(false);
    expect((await run('edge', 'folder', 'show')).json).toMatchObject({ folder: null, settings: null });

    const folder = join(dir, 'edge');
    const published = await run('edge', 'export', '--ca', 'CLI Issuing', '--ca', 'CLI Next', '--out', folder, ...SETTINGS);
    expect(published.code, published.stderr).toBe(0);
    expect(published.json).toMatchObject({ authorities: ['CLI Issuing', 'CLI Root', 'CLI Next'] });
    const subjects = openssl(['crl2pkcs7', '-nocrl', '-certfile', join(folder, 'ca-bundle.pem')]).stdout;
    const listed = openssl(['pkcs7', '-print_certs', '-noout'], subjects).stdout;
    expect(listed.match(/^subject=.*CN ?= ?CLI (Issuing|Root|Next)$/gm)).toHaveLength(3);
    expect(readFileSync(join(folder, 'crl.pem'), 'utf8').match(/BEGIN X509 CRL/g)).toHaveLength(3);
    expect(readFileSync(join(folder, 'certdesk-edge.conf'), 'utf8')).toContain('ssl_verify_depth       2;');
  });

  it('approves a set with edge settings set --ca, shows it with its fingerprints, and an export approves its own set', async () => {
    const { dir, run, human } = await inProcessCliStore();
    expect((await run('ca', 'create', '--name', 'CLI Next', '--parent', 'CLI Root')).code).toBe(0);
    const folder = join(dir, 'edge');
    expect((await run('edge', 'folder', 'set', folder)).code).toBe(0);
    expect((await run('edge', 'folder', 'show')).json).toMatchObject({ approvedCas: null });
    const listed = (await run('ca', 'list')).json as Array<{ name: string; sha256Hex: string }>;
    const sha = (name: string) => listed.find((ca) => ca.name === name)!.sha256Hex;
    const [issuing, next] = [sha('CLI Issuing'), sha('CLI Next')];

    const approved = await run('edge', 'settings', 'set', ...SETTINGS, '--ca', 'CLI Issuing', '--ca', 'CLI Next');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json).toMatchObject({
      approved: true,
      approvedCas: {
        source: 'approved',
        approvedBy: 'cli',
        authorities: expect.arrayContaining([
          expect.objectContaining({ name: 'CLI Issuing', sha256: issuing }),
          expect.objectContaining({ name: 'CLI Next', sha256: next }),
        ]),
      },
    });
    const shown = await human('edge', 'settings', 'show');
    expect(shown.stdout).toMatch(/Approved issuing CAs \(by cli at \d{4}-/);
    expect(shown.stdout).toContain(`  CLI Next  SHA-256 ${next}`);

    // An unknown CA is refused by name and nothing is stored; without --ca the approved set stays.
    const unknown = await run('edge', 'settings', 'set', ...SETTINGS, '--ca', 'Nowhere');
    expect(unknown.code).toBe(1);
    expect(unknown.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await run('edge', 'settings', 'set', ...SETTINGS)).json).toEqual(approved.json);

    // The operator's publication approves exactly its set: here, a narrower one.
    const published = await run('edge', 'export', '--ca', 'CLI Issuing', '--out', folder, ...SETTINGS);
    expect(published.code, published.stderr).toBe(0);
    expect((await run('edge', 'folder', 'show')).json).toMatchObject({
      approvedCas: { source: 'approved', authorities: [{ name: 'CLI Issuing', sha256: issuing }] },
    });
  });
});
