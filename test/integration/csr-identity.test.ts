/**
 * Issue 10, finding 6: a CSR could borrow another client's identity. Auth0's cert_subject_dn
 * credentials match by DN, so a certificate carrying a bound application's DN logs in as it. Each
 * test replays the attack and proves it refused with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import type { Result } from '../../src/shared/contract/index.ts';
import { bindingsRig } from '../support/bindings-rig.ts';
import { openssl } from '../support/openssl.ts';
import { files, KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import type { TestService } from '../support/service.ts';

/** Rows a refused issuance must leave untouched; the serial of every certificate is in `certificates`. */
function counts(t: TestService) {
  return t.service.db
    .prepare(
      'SELECT (SELECT count(*) FROM certificates) c, (SELECT count(*) FROM keys) k, (SELECT count(*) FROM audit_log) a, (SELECT group_concat(serial_hex) FROM certificates) serials',
    )
    .get();
}

/** Each stored certificate's subject as openssl reads it from the DER certdesk kept. */
function storedSubjects(t: TestService): string[] {
  const rows = t.service.db.prepare('SELECT cert_der FROM certificates ORDER BY created_at').all() as Array<{ cert_der: Buffer }>;
  return rows.map((r) => openssl(['x509', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'RFC2253'], r.cert_der).stdout.trim());
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

function subjectOf(pem: string): string {
  return openssl(['x509', '-in', files({ 'c.pem': pem })['c.pem']!, '-noout', '-subject', '-nameopt', 'RFC2253']).stdout.trim();
}

describe('a CSR cannot borrow another client identity', () => {
  it('refuses a CSR carrying the DN of a certificate bound to an application, whichever way the DN arrives', async () => {
    const rig = await bindingsRig();
    const { t } = rig;
    const a = await rig.issue('payments-client');
    await t.service.bind({ cert: a.id, tenant: rig.tenant, clientId: rig.appId });
    const before = counts(t);
    const subjectsBefore = storedSubjects(t);
    rig.mark();

    // The attacker's CSR names A's subject exactly, and the operator is tempted to take it as is.
    const attack = opensslCsr([...KEY_ARGS['ec-p256']], '/C=US/O=YourOrg/CN=payments-client');
    const confirmed = t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: attack.csr, useCsrSubject: true } });
    await expect(confirmed).rejects.toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'csr' });
    const error = await rejection(confirmed);
    expect(error.message).toContain(rig.appId);
    expect(error.message).toContain(`lineage ${a.id}`);
    expect(error.message).toContain(`certdesk renew ${a.id}`);

    // Typed by the operator, in another case and spacing: the same DN under sameDn, so the same refusal.
    await expect(
      t.service.issue({
        ca: 'Test Issuing',
        subject: { commonName: 'PAYMENTS-Client', organization: 'yourorg ', country: 'US' },
        source: { kind: 'csr', csr: attack.csr },
      }),
    ).rejects.toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'subject.commonName' });

    // Managed-key issuance follows the same rule, and refuses before a key is generated.
    await expect(
      t.service.issue({
        ca: 'Test Issuing',
        subject: { commonName: 'payments-client', organization: 'YourOrg', country: 'US' },
        source: { kind: 'generated' },
      }),
    ).rejects.toMatchObject({ code: 'SUBJECT_DN_CONFLICT' });

    // Nothing was written: no certificate row, no key, no audit entry, no serial; openssl finds only A.
    expect(counts(t)).toEqual(before);
    expect(storedSubjects(t)).toEqual(subjectsBefore);
    expect(storedSubjects(t).filter((s) => s === 'subject=CN=payments-client,O=YourOrg,C=US')).toHaveLength(1);
    // Nor did a request reach the tenant.
    expect(rig.managementCalls()).toEqual([]);

    // A successor in the same lineage keeps its DN: renewal is allowed.
    const renewed = await t.service.renew({ cert: a.id });
    expect(renewed.replacesId).toBe(a.id);
    expect(subjectOf(renewed.pem)).toBe('subject=CN=payments-client,O=YourOrg,C=US');
  });

  it('refuses the DN of another lineage active under the same root, until that certificate is revoked', async () => {
    const t = await withIssuingCa();
    const other = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'billing-client' }, source: { kind: 'generated' } });
    const before = counts(t);
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=billing-client');
    const refused = t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr, useCsrSubject: true } });
    await expect(refused).rejects.toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'csr' });
    expect((await rejection(refused)).message).toContain(`active certificate ${other.id}`);
    expect(counts(t)).toEqual(before);

    // Revoked, it identifies nobody any more: the DN is free for a new lineage.
    await t.service.revoke({ cert: other.id, reason: 'cessationOfOperation' });
    const fresh = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr, useCsrSubject: true } });
    expect(fresh.replacesId).toBeNull();
    expect(subjectOf(fresh.pem)).toBe('subject=CN=billing-client');
  });

  it('lets only one of two racing issuances of one DN through', async () => {
    const t = await withIssuingCa();
    const issue = () => t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'racer' }, source: { kind: 'generated' } });
    const results = await Promise.allSettled([issue(), issue()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ code: 'SUBJECT_DN_CONFLICT' });
    expect(t.service.db.prepare("SELECT count(*) AS n FROM certificates WHERE common_name = 'racer'").get()).toEqual({ n: 1 });
  });

  it('checks the DN again at the commit when another process wrote since the early check, and only then', async () => {
    const t = await withIssuingCa();
    const input = { ca: 'Test Issuing', subject: { commonName: 'cross-process' }, source: { kind: 'generated' } } as const;
    const signed = await t.service.issuance.prepareIssue(input);
    // Another certdesk (the CLI beside the app) issues the same DN between this one's check and its commit.
    const other = CertdeskService.open({ dataDir: t.dataDir, secretStore: t.secretStore, mode: 'cli' });
    try {
      await other.issue(input);
    } finally {
      other.close();
      await other.audit.settle();
    }
    expect(() => t.service.issuance.commit([signed])).toThrow(expect.objectContaining({ code: 'SUBJECT_DN_CONFLICT' }));
    const named = (cn: string) => t.service.db.prepare('SELECT count(*) AS n FROM certificates WHERE common_name = ?').get(cn);
    expect(named('cross-process')).toEqual({ n: 1 });
    // With nothing written since its check, a prepared issuance commits (the check is not run again).
    const free = await t.service.issuance.prepareIssue({ ...input, subject: { commonName: 'nobody-else' } });
    t.service.issuance.commit([free]);
    expect(named('nobody-else')).toEqual({ n: 1 });
  });

  it('uses the operator subject and ignores the CSR subject unless confirmed', async () => {
    const t = await withIssuingCa();
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/O=Someone Else/CN=claimed-by-csr');
    const before = counts(t);
    await expect(t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr } })).rejects.toMatchObject({
      code: 'SUBJECT_MISSING',
      field: 'subject.commonName',
    });
    await expect(
      t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'x' }, source: { kind: 'csr', csr, useCsrSubject: true } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'subject' });
    expect(counts(t)).toEqual(before);

    const cert = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'operator-chosen', organization: 'YourOrg' },
      source: { kind: 'csr', csr },
    });
    expect(subjectOf(cert.pem)).toBe('subject=CN=operator-chosen,O=YourOrg');

    // What the operator reads before deciding: the CSR's claim, and its fields ready to copy.
    const view = await t.service.inspectCsr({ csr });
    expect(view).toMatchObject({
      subject: 'CN=claimed-by-csr,O=Someone Else',
      subjectFields: { commonName: 'claimed-by-csr', organization: 'Someone Else' },
      otherAttributes: [],
      sans: [],
      keyType: 'ec-p256',
    });
  });

  it('holds CSR SANs to the rule typed SANs follow, through the contract, changing nothing', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const before = counts(t);
    const hostile = [
      ['DNS:*.example.com', /DNS SAN must be a host name/],
      ['DNS:bad_name.example.com', /DNS SAN must be a host name/],
      ['IP:10.0.0.1', /SAN of kind IP/],
      ['URI:nocolon', /URI SAN must be an absolute URI/],
      ['email:no-at-sign', /email SAN must be an address/],
    ] as const;
    for (const [san, message] of hostile) {
      const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=hostile-san', ['-addext', `subjectAltName=DNS:ok.example.com,${san}`]);
      for (const [channel, input] of [
        ['certs:issue', { ca: 'Test Issuing', subject: { commonName: 'fine' }, source: { kind: 'csr', csr } }],
        ['certs:issue', { ca: 'Test Issuing', source: { kind: 'csr', csr, useCsrSubject: true } }],
        ['certs:inspect-csr', { csr }],
      ] as const) {
        const result = (await dispatch(handlers, channel, input, () => {})) as Result<unknown>;
        expect(result.ok, `${channel} ${san}`).toBe(false);
        if (result.ok) continue;
        expect(result.error, `${channel} ${san}`).toMatchObject({ code: 'CSR_SAN_INVALID', field: 'csr' });
        expect(result.error.message).toMatch(message);
      }
      // The typed form of the same SAN is refused by the same rule.
      if (!san.startsWith('IP:')) {
        const [type, value] = [san.slice(0, san.indexOf(':')).toLowerCase(), san.slice(san.indexOf(':') + 1)];
        const typed = (await dispatch(
          handlers,
          'certs:issue',
          { ca: 'Test Issuing', subject: { commonName: 'fine' }, sans: [{ type, value }], source: { kind: 'generated' } },
          () => {},
        )) as Result<unknown>;
        expect(typed.ok, `typed ${san}`).toBe(false);
        if (!typed.ok) expect(typed.error.message).toMatch(message);
      }
    }
    expect(counts(t)).toEqual(before);
  });
});
