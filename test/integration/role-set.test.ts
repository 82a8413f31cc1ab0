/**
 * Setting a data folder's role (the operator's command, never a channel) and what a publisher is
 * refused: every use of a CA private key, with nothing signed, stored or unsealed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/main/core/store/database.ts';
import { AuthorityRepository } from '../../src/main/core/store/authority-repository.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { CHANNELS, type Channel, type ChannelInput } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

function rows(db: Database): Record<string, number> {
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return Object.fromEntries(['authorities', 'keys', 'certificates', 'crls', 'workstation', 'audit_log'].map((t) => [t, count(t)]));
}

function roleEntries(db: Database): unknown[] {
  return (db.prepare("SELECT details FROM audit_log WHERE action = 'role.set' ORDER BY seq").all() as { details: string }[]).map((r) =>
    JSON.parse(r.details),
  );
}

describe('certdesk role set (core)', () => {
  it('a folder is standalone until the operator sets a role, typed twice, and each change is audited with from and to', async () => {
    const t = openTestService();
    expect(t.service.role()).toEqual({ role: 'standalone', setAt: null, setBy: null });
    expect(t.service.info().role).toBe('standalone');

    await expect(t.service.setRole('signer', undefined)).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED', field: 'confirm' });
    await expect(t.service.setRole('signer', 'publisher')).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    await expect(t.service.setRole('offline', 'offline')).rejects.toMatchObject({ code: 'VALIDATION', field: 'role' });
    expect(t.service.role().role).toBe('standalone');
    expect(roleEntries(t.service.db)).toEqual([]);

    const change = await t.service.setRole('signer', 'signer');
    expect(change).toMatchObject({ role: 'signer', from: 'standalone', changed: true, setBy: expect.stringContaining('@') });
    expect(t.service.info().role).toBe('signer');
    const again = await t.service.setRole('signer', 'signer');
    expect(again).toMatchObject({ role: 'signer', changed: false });
    await t.service.setRole('standalone', 'standalone');
    expect(roleEntries(t.service.db)).toEqual([
      { from: 'standalone', to: 'signer' },
      { from: 'signer', to: 'standalone' },
    ]);
    expect(await t.service.verifyAudit()).toMatchObject({ ok: true });
  });

  it('refuses signer for a folder with a tenant or an edge folder, naming each and the fix; nothing changes', async () => {
    const t = openTestService();
    await t.service.addTenant({ name: 'Acme', environment: 'development', domain: 'acme.test', clientId: 'cid', clientSecret: 'secret' });
    await t.service.setEdgeFolder(join(tempDir(), 'edge'), 'cli');
    const before = rows(t.service.db);
    const error = await t.service.setRole('signer', 'signer').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROLE_SIGNER_NOT_EMPTY', field: 'role' });
    expect((error as Error).message).toContain('1 tenant(s) (certdesk tenant remove NAME)');
    expect((error as Error).message).toContain('an edge folder or edge settings');
    expect((error as Error).message).toContain('fresh data folder');
    expect(rows(t.service.db)).toEqual(before);
    expect(t.service.role().role).toBe('standalone');
  });

  it('refuses publisher for a folder that holds a CA private key, naming the CAs; nothing changes', async () => {
    const t = await withIssuingCa();
    const before = rows(t.service.db);
    const error = await t.service.setRole('publisher', 'publisher').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROLE_PUBLISHER_HOLDS_CA_KEY', field: 'role' });
    expect((error as Error).message).toContain('"Test Issuing", "Test Root"');
    expect(rows(t.service.db)).toEqual(before);
    expect(t.service.role().role).toBe('standalone');
  });

  it('the role is read-only to every channel: no channel sets it', () => {
    const setters = (CHANNELS as readonly string[]).filter((c) => /role/.test(c));
    expect(setters).toEqual([]);
  });
});

describe('a publisher uses no CA private key', () => {
  it('refuses to create a CA in a fresh publisher folder, with no key made', async () => {
    const t = openTestService();
    await t.service.setRole('publisher', 'publisher');
    const before = rows(t.service.db);
    const result = await dispatch(createHandlers(t.service), 'ca:create', { name: 'Root' }, () => {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ROLE_NO_CA_KEY', field: 'role' } });
    expect(!result.ok && result.error.message).toMatch(/^This data folder is a publisher: creating a CA needs a CA private key/);
    expect(rows(t.service.db)).toEqual(before);
  });

  it('refuses issue, renew, CRL signing and a CA under an existing one, even with a CA key left in the folder; nothing is signed', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'publisher-client' }, source: { kind: 'generated' } });
    // As if restored from a signer's backup: `role set publisher` itself refuses a folder with CA keys.
    writeRole(t.service.db, 'publisher', new Date().toISOString(), 'test@host');
    const handlers = createHandlers(t.service);
    const before = rows(t.service.db);

    const calls: [Channel, unknown][] = [
      ['ca:create', { name: 'Second Issuing', parent: 'Test Root' }],
      ['certs:issue', { ca: 'Test Issuing', subject: { commonName: 'another' }, source: { kind: 'generated' } }],
      ['certs:renew', { cert: cert.id }],
      ['crl:generate', { ca: 'Test Issuing' }],
    ];
    for (const [channel, input] of calls) {
      const result = await dispatch(handlers, channel, input as ChannelInput<typeof channel>, () => {});
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'ROLE_NO_CA_KEY', field: 'role' } });
    }
    // The one place a CA key is unsealed refuses a caller that skips the use cases.
    const issuing = new AuthorityRepository(t.service.db).find('Test Issuing')!;
    await expect(t.service.authorities.issuerMaterial(issuing)).rejects.toMatchObject({ code: 'ROLE_NO_CA_KEY' });
    expect(rows(t.service.db)).toEqual(before);
  });
});
