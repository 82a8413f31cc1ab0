/**
 * `certdesk ca retire|reinstate|revoke` over the ca:retire / ca:revoke calls: nothing happens
 * unless --confirm repeats the CA's name, and a refusal changes nothing (no CA state, no audit entry).
 */
import { describe, expect, it } from 'vitest';
import type { AuditRow, AuthorityView, CrlView } from '../../src/shared/contract/index.ts';
import { inProcessCliStore } from '../support/cli-store.ts';

describe('certdesk ca retire / reinstate / revoke', () => {
  it('asks for the name, then retires, reinstates and revokes, each audited', async () => {
    const { run, human } = await inProcessCliStore('Retire');
    const cas = async () => (await run('ca', 'list')).json as AuthorityView[];
    const auditCount = async () => ((await run('audit', 'list')).json as AuditRow[]).filter((r) => r.action.startsWith('ca.')).length;
    const before = { cas: await cas(), entries: await auditCount() };

    for (const args of [
      ['ca', 'retire', 'Retire Issuing'],
      ['ca', 'retire', 'Retire Issuing', '--confirm', 'Retire Root'],
      ['ca', 'revoke', 'Retire Issuing'],
      ['ca', 'revoke', 'Retire Issuing', '--confirm', 'retire issuing'],
    ]) {
      const refused = await run(...args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.json).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });
    }
    expect((await run('ca', 'retire', 'No Such CA', '--confirm', 'No Such CA')).json).toMatchObject({
      error: { code: 'NOT_FOUND', field: 'ca' },
    });
    expect(await cas()).toEqual(before.cas);
    expect(await auditCount()).toBe(before.entries);

    const retired = await run('ca', 'retire', 'Retire Issuing', '--confirm', 'Retire Issuing');
    expect(retired.code, retired.stdout).toBe(0);
    expect((retired.json as AuthorityView).retiredAt).not.toBeNull();
    expect((await run('issue', '--ca', 'Retire Issuing', '--cn', 'after-retire')).json).toMatchObject({ error: { code: 'CA_RETIRED' } });
    expect((await human('ca', 'reinstate', 'Retire Issuing')).stdout).toContain('back in service');

    const revoked = await run('ca', 'revoke', 'Retire Issuing', '--confirm', 'Retire Issuing', '--reason', 'superseded');
    expect(revoked.code, revoked.stdout).toBe(0);
    expect(revoked.json).toMatchObject({ revocationReason: 'superseded' });
    expect((revoked.json as AuthorityView).revokedAt).not.toBeNull();
    // The root's CRL was signed again at once, and lists the issuing CA.
    const root = (await cas()).find((a) => a.name === 'Retire Root')!;
    expect(root.crl).not.toBeNull();
    expect((await run('crl', '--ca', 'Retire Root')).json as CrlView).toMatchObject({ revokedCount: 1 });
    expect((await run('ca', 'revoke', 'Retire Issuing', '--confirm', 'Retire Issuing')).json).toMatchObject({
      error: { code: 'ALREADY_REVOKED' },
    });
    expect((await run('ca', 'revoke', 'Retire Root', '--confirm', 'Retire Root')).json).toMatchObject({
      error: { code: 'VALIDATION', field: 'ca' },
    });
    const actions = ((await run('audit', 'list', '--kind', 'ca')).json as AuditRow[]).map((r) => r.action);
    expect(actions.slice(0, 3)).toEqual(['ca.revoke', 'ca.reinstate', 'ca.retire']);
  });
});
