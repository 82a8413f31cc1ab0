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
});
