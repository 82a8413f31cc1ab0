import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { Result } from '../../src/shared/contract/index.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';

/** Rows in every table that a failed operation must leave untouched. */
function snapshot(t: Awaited<ReturnType<typeof withIssuingCa>>) {
  return t.service.db
    .prepare(
      'SELECT (SELECT count(*) FROM certificates) c, (SELECT count(*) FROM keys) k, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM crls) r, (SELECT count(*) FROM authorities) ca',
    )
    .get();
}

function tamperSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

/**
 * The certificate with its serial padded by a zero octet (`02 02 00 23` for 0x23): not DER, so OpenSSL
 * refuses it, while @peculiar/x509 reads it. Its signature no longer verifies, which an import for
 * tracking does not check.
 */
function paddedSerial(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const headerLength = (at: number) => (der[at + 1]! & 0x80 ? 2 + (der[at + 1]! & 0x7f) : 2);
  const tbsAt = headerLength(0);
  const serialAt = tbsAt + headerLength(tbsAt) + 5; // after the [0] version
  expect(der[serialAt]).toBe(0x02);
  const padded = Buffer.concat([der.subarray(0, serialAt), Buffer.from([0x02, der[serialAt + 1]! + 1, 0x00]), der.subarray(serialAt + 2)]);
  // The certificate's and the TBSCertificate's lengths (both in the long form) grow by one.
  for (const at of [0, tbsAt]) {
    const octets = padded[at + 1]! & 0x7f;
    expect(octets).toBeGreaterThan(0);
    const length = padded.readUIntBE(at + 2, octets) + 1;
    expect(length).toBeLessThan(256 ** octets);
    padded.writeUIntBE(length, at + 2, octets);
  }
  return `-----BEGIN CERTIFICATE-----\n${padded.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

describe('every bad input gets a named error, and nothing is written', () => {
  it('through the contract boundary, for issue, sign, renew, revoke, export and CRL', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const issued = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'existing' }, source: { kind: 'generated' } });
    await t.service.revoke({ cert: issued.id });
    const csrOnly = await t.service.issue({
      ca: 'Test Issuing',
      source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS['ec-p256']], '/CN=csr-only').csr, useCsrSubject: true },
    });
    const good = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=fine').csr;
    const before = snapshot(t);

    const cases: Array<[string, unknown, string, string?]> = [
      [
        'certs:issue',
        { ca: 'Test Issuing', subject: { commonName: 'x' }, source: { kind: 'generated', keyType: 'rsa-1024' } },
        'VALIDATION',
        'source.keyType',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS['rsa-1024']], '/CN=weak').csr, useCsrSubject: true } },
        'KEY_TOO_WEAK',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS['ec-p521']], '/CN=p521').csr, useCsrSubject: true } },
        'KEY_TYPE_UNSUPPORTED',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS.ed25519], '/CN=ed').csr, useCsrSubject: true } },
        'KEY_TYPE_UNSUPPORTED',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: tamperSignature(good), useCsrSubject: true } },
        'CSR_SIGNATURE_INVALID',
        'csr',
      ],
      [
        'certs:issue',
        {
          ca: 'Test Issuing',
          source: {
            kind: 'csr',
            csr: opensslCsr([...KEY_ARGS['ec-p256']], '/CN=wants-ca', ['-addext', 'basicConstraints=critical,CA:TRUE']).csr,
          },
        },
        'CSR_REQUESTS_CA',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS['ec-p256']], '/O=NoName').csr, useCsrSubject: true } },
        'SUBJECT_MISSING',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: 'this is not a CSR at all', useCsrSubject: true } },
        'PEM_INVALID',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: good.slice(0, good.length / 2), useCsrSubject: true } },
        'PEM_INVALID',
        'csr',
      ],
      [
        'certs:issue',
        {
          ca: 'Test Issuing',
          source: {
            kind: 'csr',
            csr: `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from('garbage bytes that are not DER').toString('base64')}\n-----END CERTIFICATE REQUEST-----`,
          },
        },
        'CSR_INVALID',
        'csr',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', source: { kind: 'csr', csr: 'A'.repeat(10 * 1024 * 1024), useCsrSubject: true } },
        'INPUT_TOO_LARGE',
        'source.csr',
      ],
      ['certs:issue', { ca: 'No Such CA', subject: { commonName: 'x' }, source: { kind: 'generated' } }, 'NOT_FOUND', 'ca'],
      ['certs:issue', { ca: 'Test Issuing', subject: { commonName: 'x' }, days: 0, source: { kind: 'generated' } }, 'VALIDATION', 'days'],
      ['certs:issue', { ca: 'Test Issuing', subject: { commonName: 'x' }, days: -5, source: { kind: 'generated' } }, 'VALIDATION', 'days'],
      [
        'certs:issue',
        { ca: 'Test Issuing', subject: { commonName: 'x' }, days: 398, source: { kind: 'generated' } },
        'VALIDITY_OUT_OF_RANGE',
        'days',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', subject: { commonName: 'x'.repeat(65) }, source: { kind: 'generated' } },
        'VALIDATION',
        'subject.commonName',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', subject: { commonName: 'x' }, sans: [{ type: 'dns', value: 'not a host!' }], source: { kind: 'generated' } },
        'VALIDATION',
        'sans.0.value',
      ],
      [
        'certs:issue',
        { ca: 'Test Issuing', subject: { commonName: 'x' }, profile: 'nope', source: { kind: 'generated' } },
        'PROFILE_UNKNOWN',
        'profile',
      ],
      ['certs:issue', { ca: 'Test Issuing', source: { kind: 'generated' } }, 'SUBJECT_MISSING', 'subject.commonName'],
      ['certs:renew', { cert: 'cert_unknown' }, 'NOT_FOUND', 'cert'],
      ['certs:renew', { cert: issued.id }, 'CERT_REVOKED', 'cert'],
      ['certs:revoke', { cert: issued.id }, 'ALREADY_REVOKED', 'cert'],
      ['certs:revoke', { cert: 'ffff' }, 'NOT_FOUND', 'cert'],
      ['certs:revoke', { cert: csrOnly.id, reason: 'because' }, 'VALIDATION', 'reason'],
      ['certs:export', { cert: csrOnly.id, format: 'p12', passphrase: 'long enough passphrase' }, 'NO_PRIVATE_KEY', 'format'],
      ['certs:export', { cert: issued.id, format: 'p12', passphrase: 'short' }, 'PASSPHRASE_TOO_SHORT', 'passphrase'],
      ['certs:export', { cert: issued.id, format: 'key' }, 'PASSPHRASE_TOO_SHORT', 'passphrase'],
      ['certs:export', { cert: issued.id, format: 'zip' }, 'VALIDATION', 'format'],
      ['crl:generate', { ca: 'ca_missing' }, 'NOT_FOUND', 'ca'],
      ['certs:lint', { pem: '-----BEGIN CERTIFICATE-----\nAAAA' }, 'PEM_INVALID', 'pem'],
      ['certs:import', { pem: 'garbage' }, 'PEM_INVALID', 'pem'],
      // Read by @peculiar/x509, refused by OpenSSL, which reads stored certificates elsewhere (diagnostics, PKCS#12).
      ['certs:import', { pem: paddedSerial(issued.pem) }, 'PEM_INVALID', 'pem'],
      ['ca:import', { certPem: paddedSerial(t.service.authorities.list()[0]!.pem), keyPem: 'x', name: 'Padded' }, 'PEM_INVALID', 'certPem'],
    ];
    for (const [channel, input, code, field] of cases) {
      const result = (await dispatch(handlers, channel, input, () => {})) as Result<unknown>;
      const label = `${channel} ${JSON.stringify(input).slice(0, 120)}`;
      expect(result.ok, label).toBe(false);
      if (result.ok) continue;
      expect(result.error.code, `${label}: ${result.error.message}`).toBe(code);
      if (field) expect(result.error.field, label).toBe(field);
      expect(result.error.message.length, label).toBeGreaterThan(15);
      expect(snapshot(t), label).toEqual(before);
    }
  });
});
