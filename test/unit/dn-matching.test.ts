import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameDer, parseDn, sameDn, toRfc4514 } from '../../src/main/core/pki/names.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { openssl } from '../support/openssl.ts';

// Typed values (as buildName writes them); @peculiar/x509's JsonName type admits plain strings only.
type TypedJsonName = Array<Record<string, Array<Record<string, string>>>>;
const der = (json: TypedJsonName) => nameDer(new x509.Name(json as unknown as x509.JsonName));

describe('one DN rule: RFC 5280 §7.1 name matching', () => {
  it('keeps RDN order significant and never tries the reverse (the old diagnostics rule did)', () => {
    // Same RDNs, other order: a different name for X.509, and for Auth0, which matches the DN it reads from the certificate.
    expect(sameDn('C=US\nO=YourOrg\nCN=app', 'CN=app\nO=YourOrg\nC=US')).toBe(false);
    expect(sameDn('CN=app,O=YourOrg,C=US', 'C=US,O=YourOrg,CN=app')).toBe(false);
    expect(sameDn('O=A\nOU=B', 'OU=B\nO=A')).toBe(false);
  });

  it('reads the order from the form: lines (and Auth0\'s one-line "\\n") in certificate order, commas as RFC 4514', () => {
    expect(sameDn('C=US\nO=YourOrg\nCN=app', 'CN=app,O=YourOrg,C=US')).toBe(true);
    expect(sameDn('C=US\r\nO=YourOrg\r\nCN=app\r\n', 'CN=app, O=YourOrg, C=US')).toBe(true);
    expect(sameDn('C=US\\nO=YourOrg\\nCN=app', 'CN=app,O=YourOrg,C=US')).toBe(true);
    // An escaped backslash followed by "n" is data, not Auth0's line break.
    expect(parseDn('CN=a\\\\nb')).toEqual([[{ type: '2.5.4.3', value: 'a\\nb' }]]);
  });

  it('compares DirectoryString and PrintableString values case-insensitively after space folding (the old diagnostics rule did not)', () => {
    expect(sameDn('CN=App-Client-Prod,O=YourOrg,C=us', 'C=US\nO=yourorg\nCN=app-client-prod')).toBe(true);
    expect(sameDn('CN=  app   client ,O=Your\u00a0Org', 'CN=app client,O=Your Org')).toBe(true);
    expect(sameDn('CN=Straße', 'CN=STRASSE')).toBe(true);
    expect(sameDn('CN=app client', 'CN=appclient')).toBe(false);
    expect(sameDn('CN=app', 'CN=app2')).toBe(false);
  });

  it('compares attribute types by OID and leaves unknown attributes and #hex values exact', () => {
    expect(sameDn('cn=app,o=x', '2.5.4.3=app,OID.2.5.4.10=x')).toBe(true);
    expect(sameDn('emailAddress=Ops@Example.com', 'E=ops@example.com')).toBe(true);
    expect(sameDn('1.2.3.4=Value', '1.2.3.4=value')).toBe(false);
    expect(sameDn('1.2.3.4=#0C0161', '1.2.3.4=#0c0161')).toBe(true);
    // Type matters, not only the text: O=app is not CN=app.
    expect(sameDn('CN=app', 'O=app')).toBe(false);
  });

  it('treats a multi-valued RDN as a set, but keeps it one RDN', () => {
    expect(sameDn('C=US\nOU=Ops + O=Acme\nCN=a', 'CN=a,O=Acme+OU=Ops,C=US')).toBe(true);
    expect(sameDn('OU=Ops+O=Acme', 'OU=Ops,O=Acme')).toBe(false);
  });

  it('unescapes RFC 4514 values (\\, and \\2C alike, hex pairs as UTF-8)', () => {
    expect(sameDn('CN=Acme\\, Inc', 'CN=Acme\\2C Inc')).toBe(true);
    expect(sameDn('CN=Z\\C3\\BCrich', 'CN=Zürich')).toBe(true);
    expect(sameDn('CN=a\\+b', 'CN=a+O=b')).toBe(false);
  });

  it('refuses what is not a DN: it matches only the identical text', () => {
    expect(parseDn('not a dn')).toBeNull();
    expect(parseDn('CN=app,,=x')).toBeNull();
    expect(sameDn('not a dn', 'not a dn')).toBe(true);
    expect(sameDn('not a dn', 'NOT A DN')).toBe(false);
  });

  it('compares DER names by value, so a PrintableString and a UTF8String of the same name match', () => {
    const printable = der([{ C: [{ printableString: 'US' }] }, { CN: [{ printableString: 'App' }] }]);
    const utf8 = der([{ C: [{ utf8String: 'us' }] }, { CN: [{ utf8String: 'app' }] }]);
    expect(Buffer.from(printable).equals(Buffer.from(utf8))).toBe(false);
    expect(sameDn(printable, utf8)).toBe(true);
    expect(sameDn(printable, 'CN=app,C=US')).toBe(true);
    expect(sameDn(printable, der([{ CN: [{ utf8String: 'app' }] }, { C: [{ utf8String: 'us' }] }]))).toBe(false);
  });

  it("agrees with openssl's RFC 2253 printing, Node's lines and the DER of a real certificate", () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-dn-'));
    try {
      const cert = join(dir, 'c.pem');
      const made = openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        cert,
        '-days',
        '1',
        '-multivalue-rdn',
        '-subj',
        '/C=US/O=Acme\\, Inc+OU=Ops/CN=app  client/emailAddress=ops@example.com',
      ]);
      expect(made.status, made.output).toBe(0);
      const rfc2253 = openssl(['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253'])
        .stdout.trim()
        .replace(/^subject=/, '');
      const node = new X509Certificate(readFileSync(cert));
      const subjectDer = nameDer(new x509.X509Certificate(node.raw).subjectName);
      expect(sameDn(rfc2253, node.subject)).toBe(true);
      expect(sameDn(toRfc4514(node.subject), subjectDer)).toBe(true);
      expect(sameDn(node.subject, subjectDer)).toBe(true);
      expect(sameDn(rfc2253, 'CN=app client,O=Acme\\, Inc+OU=Ops,C=US')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
