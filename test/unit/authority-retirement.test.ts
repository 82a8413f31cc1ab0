import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/main/core/clock.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const NOW = Date.UTC(2026, 11, 5, 10, 0, 0);

async function refusal(work: Promise<unknown>): Promise<CertdeskError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertdeskError);
  return error as CertdeskError;
}

const count = (t: ReturnType<typeof openTestService>, table: string) =>
  (t.service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('retiring and revoking a CA', () => {
  it('a retired issuing CA refuses new issuance by name, with nothing written, and can be put back in service', async () => {
    const t = openTestService({ clock: fixedClock(NOW) });
    const root = await t.service.createAuthority({ name: 'Retire Root' });
    const issuing = await t.service.createAuthority({ name: 'Retire Issuing', parent: root.id });
    await t.service.issue({ ca: issuing.id, subject: { commonName: 'before' }, days: 30, source: { kind: 'generated' } });

    const retired = await t.service.retireAuthority({ ca: issuing.id, retired: true });
    expect(retired.retiredAt).toBe(new Date(NOW).toISOString());
    expect(t.service.listAuthorities().find((a) => a.id === issuing.id)?.retiredAt).toBe(retired.retiredAt);

    const before = { certificates: count(t, 'certificates'), keys: count(t, 'keys') };
    const error = await refusal(
      t.service.issue({ ca: issuing.id, subject: { commonName: 'after' }, days: 30, source: { kind: 'generated' } }),
    );
    expect(error.code).toBe('CA_RETIRED');
    expect(error.field).toBe('ca');
    expect(error.message).toContain('"Retire Issuing" was retired');
    expect({ certificates: count(t, 'certificates'), keys: count(t, 'keys') }).toEqual(before);

    // A retired root signs no new issuing CA either.
    await t.service.retireAuthority({ ca: root.id, retired: true });
    const child = await refusal(t.service.createAuthority({ name: 'Under Retired', parent: root.id }));
    expect(child.code).toBe('CA_RETIRED');
    expect(child.field).toBe('parent');
    expect(count(t, 'authorities')).toBe(2);

    // Twice is refused by name; back in service it issues again.
    expect((await refusal(t.service.retireAuthority({ ca: issuing.id, retired: true }))).code).toBe('CONFLICT');
    await t.service.retireAuthority({ ca: issuing.id, retired: false });
    await t.service.issue({ ca: issuing.id, subject: { commonName: 'again' }, days: 30, source: { kind: 'generated' } });
    const actions = (
      t.service.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'ca.%' ORDER BY seq").all() as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual(['ca.create', 'ca.create', 'ca.retire', 'ca.retire', 'ca.reinstate']);
  });

  it('revoking an issuing CA lists it on the root CRL (openssl reads it) and stops its issuance; a root cannot be revoked', async () => {
    const t = openTestService({ clock: fixedClock(NOW) });
    const root = await t.service.createAuthority({ name: 'Revoke Root' });
    const issuing = await t.service.createAuthority({ name: 'Revoke Issuing', parent: root.id });

    const rootRefused = await refusal(t.service.revokeAuthority({ ca: root.id }));
    expect(rootRefused.code).toBe('VALIDATION');
    expect(count(t, 'crls')).toBe(0);

    const revoked = await t.service.revokeAuthority({ ca: issuing.id, reason: 'cessationOfOperation' });
    expect(revoked).toMatchObject({ revokedAt: new Date(NOW).toISOString(), revocationReason: 'cessationOfOperation' });
    expect(revoked.retiredAt).toBe(revoked.revokedAt);
    const listedRoot = t.service.listAuthorities().find((a) => a.id === root.id)!;
    expect(listedRoot.crl?.crlNumber).toBe(1);

    const crl = await t.service.generateCrl({ ca: root.id });
    expect(crl.revokedCount).toBe(1);
    const dir = tempDir();
    writeFileSync(join(dir, 'root.crl.pem'), crl.pem);
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'issuing.pem'), issuing.pem);
    const text = openssl(['crl', '-in', join(dir, 'root.crl.pem'), '-noout', '-text']).output;
    expect(text.toUpperCase()).toContain(issuing.serialHex.toUpperCase().replace(/^0+/, ''));
    expect(text).toContain('Cessation Of Operation');
    const verify = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      join(dir, 'root.pem'),
      '-CRLfile',
      join(dir, 'root.crl.pem'),
      join(dir, 'issuing.pem'),
    ]);
    expect(verify.status).not.toBe(0);
    expect(verify.output).toMatch(/certificate revoked/);

    const issue = await refusal(t.service.issue({ ca: issuing.id, subject: { commonName: 'x' }, days: 30, source: { kind: 'generated' } }));
    expect(issue.code).toBe('CA_REVOKED');
    expect((await refusal(t.service.revokeAuthority({ ca: issuing.id }))).code).toBe('ALREADY_REVOKED');
    expect((await refusal(t.service.retireAuthority({ ca: issuing.id, retired: false }))).code).toBe('CA_REVOKED');
  });

  it('a locked passphrase vault refuses a CA revocation with nothing changed', async () => {
    const t = openTestService({ clock: fixedClock(NOW) });
    await t.service.initVault({ protection: 'passphrase', passphrase: 'a long enough passphrase' });
    const root = await t.service.createAuthority({ name: 'Locked Root' });
    const issuing = await t.service.createAuthority({ name: 'Locked Issuing', parent: root.id });
    await t.service.lockVault({});
    const error = await refusal(t.service.revokeAuthority({ ca: issuing.id }));
    expect(error.code).toBe('VAULT_LOCKED');
    expect(t.service.listAuthorities().find((a) => a.id === issuing.id)).toMatchObject({ revokedAt: null, retiredAt: null });
    expect(count(t, 'crls')).toBe(0);
  });
});
