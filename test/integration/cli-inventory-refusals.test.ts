// Issue 13 through the real CLI: what the operator typed is refused by name, never changed, and
// certificateHold is not a revocation certdesk makes.
import { describe, expect, it } from 'vitest';
import type { CertificateDetail, CertificatePage } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'cli test store passphrase';

async function store() {
  const dir = tempDir();
  const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
  const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
  await run('vault', 'init', '--protection', 'passphrase');
  await run('ca', 'create', '--name', 'CLI Root');
  await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
  return { run };
}

// Each CLI run is a process start: the tests keep to a few runs each, so they stay fast on a loaded machine.
describe('certdesk CLI: no silent changes', () => {
  it('refuses --days -1 and 1.5 and --c USA by name, issuing nothing', async () => {
    const { run } = await store();
    for (const days of ['-1', '1.5']) {
      const refused = await run('issue', '--ca', 'CLI Issuing', '--cn', `days${days}`, `--days=${days}`);
      expect(refused.code, days).toBe(1);
      expect(refused.json, days).toMatchObject({ error: { code: 'VALIDATION', field: 'days' } });
    }
    const usa = await run('issue', '--ca', 'CLI Issuing', '--cn', 'usa', '--c', 'USA');
    expect(usa.code).toBe(1);
    expect(usa.json).toMatchObject({ error: { code: 'VALIDATION', field: 'subject.country' } });
    expect(((await run('list')).json as CertificatePage).total).toBe(0);
  });

  it('refuses revoke --reason certificateHold with a named error, revoking nothing', async () => {
    const { run } = await store();
    const cert = (await run('issue', '--ca', 'CLI Issuing', '--cn', 'no-hold')).json as CertificateDetail;
    const hold = await run('revoke', cert.id, '--reason', 'certificateHold');
    expect(hold.code).toBe(1);
    expect(hold.json).toMatchObject({ error: { code: 'REVOCATION_REASON_UNSUPPORTED', field: 'reason' } });
    expect(((await run('show', cert.id)).json as CertificateDetail).status).toBe('active');
  });

  it('offers no hold in revoke --help, and names an unknown reason', async () => {
    const help = await runCertdesk(['revoke', '--help']);
    expect(help.stdout).toContain('keyCompromise');
    expect(help.stdout).not.toContain('certificateHold');
    const unknown = await runCertdesk(['--json', 'revoke', 'cert_x', '--reason', 'becauseISaidSo'], { CERTDESK_DATA_DIR: tempDir() });
    expect(unknown.code).toBe(1);
    expect(unknown.json).toMatchObject({ error: { code: 'VALIDATION', field: 'reason' } });
  });
});
