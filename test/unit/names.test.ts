import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameStrings, plainNameLines } from '../../src/main/core/pki/der-fields.ts';
import { asn1NameRdns, buildName, derNameRdns, nameDer, subjectForms, toRfc4514 } from '../../src/main/core/pki/names.ts';
import { defaultCrypto, x509 } from '../../src/main/core/pki/x509.ts';

async function selfSigned(name: x509.Name): Promise<X509Certificate> {
  const keys = await defaultCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: new Date(Date.UTC(2027, 0, 1)),
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}

describe('names', () => {
  it('are printed as Node prints them, from the DER for plain names and by OpenSSL for the rest', async () => {
    const plain = 'abcXYZ0189 ._@:/()-';
    // Every character OpenSSL escapes or treats apart, and some past ASCII.
    const odd = plain + ',+"\\<>;#=\'*?é€\u0001\t';
    const text = (alphabet: string) =>
      Array.from({ length: 1 + Math.floor(Math.random() * 12) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
    let fromDer = 0;
    let byOpenssl = 0;
    for (let k = 0; k < 200; k++) {
      const alphabet = k % 3 === 0 ? odd : plain;
      const subject = buildName({
        commonName: text(alphabet),
        ...(k % 2 ? { organization: text(alphabet) } : {}),
        ...(k % 4 === 1 ? { organizationalUnit: text(alphabet), country: 'DE' } : {}),
      });
      const node = await selfSigned(subject);
      const der = new Uint8Array(node.raw);
      expect(subjectForms(der)).toEqual({ rfc4514: toRfc4514(node.subject), lines: node.subject, issuerRfc4514: toRfc4514(node.issuer) });
      const walked = plainNameLines(new Uint8Array(subject.toArrayBuffer()));
      if (walked === null) byOpenssl++;
      else {
        expect(walked).toBe(node.subject);
        fromDer++;
      }
    }
    // Names past 127 bytes, whose lengths take the long form: printed from the DER, as Node prints them.
    for (const length of [40, 64]) {
      const long = (c: string) => c.repeat(length);
      const subject = buildName({ commonName: long('c'), organization: long('o'), organizationalUnit: long('u'), country: 'DE' });
      const der = new Uint8Array(subject.toArrayBuffer());
      expect(der[1]).toBeGreaterThan(0x80);
      const node = await selfSigned(subject);
      expect(plainNameLines(der)).toBe(node.subject);
      expect(subjectForms(new Uint8Array(node.raw)).lines).toBe(node.subject);
    }
    expect(fromDer).toBeGreaterThan(60);
    expect(byOpenssl).toBeGreaterThan(20);
    // Other attributes and several values in one RDN are OpenSSL's to print.
    expect(plainNameLines(new Uint8Array(new x509.Name('CN=a+O=b').toArrayBuffer()))).toBeNull();
    expect(plainNameLines(new Uint8Array(new x509.Name('L=Berlin, CN=a').toArrayBuffer()))).toBeNull();
  });

  it('are read from their bytes as asn1js reads them, for common strings, and by asn1js otherwise', () => {
    const chars = 'aZ09 ,+"\\#=é€😀\u0001';
    const text = () =>
      Array.from({ length: 1 + Math.floor(Math.random() * 8) }, () => [...chars][Math.floor(Math.random() * [...chars].length)]).join('');
    const ascii = () => text().replace(/[^\x20-\x7e]/g, 'x');
    const kinds = [
      () => ({ utf8String: text() }),
      () => ({ printableString: ascii().replace(/[^A-Za-z0-9 '()+,./:=?-]/g, 'p') }),
      () => ({ ia5String: ascii() }),
      () => ({ bmpString: text().replace(/😀/g, 'b') }),
    ];
    const types = ['CN', 'O', 'OU', 'L', '2.5.4.97', '0.9.2342.19200300.100.1.25'];
    let read = 0;
    for (let k = 0; k < 300; k++) {
      const rdns = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () =>
        Object.fromEntries(
          Array.from({ length: 1 + Math.floor(Math.random() * 2) }, () => [
            types[Math.floor(Math.random() * types.length)]!,
            [kinds[Math.floor(Math.random() * (k % 4 === 0 ? 4 : 3))]!()],
          ]),
        ),
      );
      const der = new Uint8Array(new x509.Name(rdns as unknown as x509.JsonName).toArrayBuffer());
      expect(derNameRdns(der)).toEqual(asn1NameRdns(der));
      if (nameStrings(der) !== null) read++;
    }
    // Both readings were taken: from the bytes, and through asn1js (a BMPString, or an invalid PrintableString).
    expect(read).toBeGreaterThan(150);
    expect(read).toBeLessThan(300);

    // A Name past asn1js's node limit keeps the key asn1js gives it (none here): the walker leaves it alone.
    const many = (n: number) => new Uint8Array(new x509.Name(Array.from({ length: n }, (_, i) => ({ CN: [`a${i}`] }))).toArrayBuffer());
    const huge = many(2_600);
    expect(asn1NameRdns(huge)).toBeNull();
    expect(nameStrings(huge)).toBeNull();
    // A Name at the walker's own limit is read from the bytes, as asn1js reads it; one more is not.
    const large = many(1_000);
    expect(nameStrings(large)).toHaveLength(1_000);
    expect(derNameRdns(large)).toEqual(asn1NameRdns(large));
    expect(nameStrings(many(1_001))).toBeNull();
  });

  it('hand-made Names outside the common forms are declined by both walkers, and left to asn1js and OpenSSL', () => {
    const tlv = (tag: number, ...parts: Array<Uint8Array | number[]>): number[] => {
      const body = parts.flatMap((p) => [...p]);
      const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
      return [tag, ...length, ...body];
    };
    const CN = [0x06, 0x03, 0x55, 0x04, 0x03];
    const name = (...values: number[][]) => new Uint8Array(tlv(0x30, ...values.map((v) => tlv(0x31, tlv(0x30, CN, v)))));
    const ascii = (text: string) => [...Buffer.from(text, 'latin1')];
    const cases: Record<string, Uint8Array> = {
      'a UTF8String with a byte-order mark': name(tlv(0x0c, [0xef, 0xbb, 0xbf], ascii('bom'))),
      'a UTF8String that is not UTF-8': name(tlv(0x0c, [0xc3, 0x28])),
      'an empty SET': new Uint8Array(tlv(0x30, tlv(0x31))),
      'a constructed UTF8String': name(tlv(0x2c, tlv(0x0c, ascii('part')))),
      'a PrintableString past ASCII': name(tlv(0x13, [0x61, 0xe9])),
      'a BMPString': name(tlv(0x1e, [0x00, 0x61])),
      'an OID with a padded arc': new Uint8Array(
        tlv(0x30, tlv(0x31, tlv(0x30, [0x06, 0x04, 0x55, 0x80, 0x04, 0x03], tlv(0x0c, ascii('x'))))),
      ),
      'a value that is not a string': name(tlv(0x02, [0x01])),
      'a length in a longer form than needed': new Uint8Array([0x30, 0x81, 0x0d, ...tlv(0x31, tlv(0x30, CN, tlv(0x0c, ascii('long'))))]),
      'bytes after the Name': new Uint8Array([...name(tlv(0x0c, ascii('x'))), 0x00]),
    };
    for (const [what, der] of Object.entries(cases)) {
      // The printer takes only plain names in strict DER; these it leaves to OpenSSL.
      expect(plainNameLines(der), what).toBeNull();
    }
    // The walker declines every one (a length in a longer form too: DER has one length form), and reads the plain control.
    expect(Object.entries(cases).filter(([, der]) => nameStrings(der) !== null)).toEqual([]);
    expect(nameStrings(name(tlv(0x0c, ascii('plain'))))).toEqual([[{ oid: '2.5.4.3', text: 'plain' }]]);
  });

  it('are written in the DER @peculiar/x509 encodes for the same subject', () => {
    const chars = [...'aZ09 ,+"\\#=é€😀\u0001'];
    const text = (n: number) => Array.from({ length: n }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
    for (let k = 0; k < 300; k++) {
      const name = buildName({
        commonName: k % 7 === 0 ? '' : text(1 + (k % 70)),
        ...(k % 2 ? { organization: text(1 + (k % 5)) } : {}),
        ...(k % 3 ? { organizationalUnit: text(1 + (k % 200)) } : {}),
        ...(k % 5 ? { country: 'DE' } : {}),
      });
      expect(Buffer.from(nameDer(name)).toString('hex')).toBe(Buffer.from(name.toArrayBuffer()).toString('hex'));
    }
    // A lone surrogate has no UTF-8 form: refused by name, where @peculiar/x509 threw a bare URIError.
    expect(() => buildName({ commonName: 'a', organizationalUnit: 'x\ud800' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'subject.organizationalUnit' }),
    );
  });

  it('orders C, O, OU, CN in the certificate and prints both forms', async () => {
    const cert = await selfSigned(
      buildName({ commonName: 'app-client-prod', organization: 'YourOrg', organizationalUnit: 'Payments', country: 'US' }),
    );
    expect(cert.subject).toBe('C=US\nO=YourOrg\nOU=Payments\nCN=app-client-prod');
    expect(toRfc4514(cert.subject)).toBe('CN=app-client-prod,OU=Payments,O=YourOrg,C=US');
  });

  it('keeps special characters as data, never as DN syntax', async () => {
    const cert = await selfSigned(buildName({ commonName: '#a, b+c "q" <x>;', organization: 'Acme, Inc.' }));
    // One O and one CN: the comma and plus inside the values did not split them.
    expect(cert.subject.split('\n')).toHaveLength(2);
    expect(toRfc4514(cert.subject)).toBe('CN=\\#a\\, b\\+c \\"q\\" \\<x\\>\\;,O=Acme\\, Inc.');
  });

  it('encodes the country as PrintableString and other values as UTF8String', async () => {
    const cert = await selfSigned(buildName({ commonName: 'Zürich Client', country: 'CH' }));
    const parsed = new x509.X509Certificate(cert.raw);
    expect(parsed.subjectName.getField('CN')).toEqual(['Zürich Client']);
    const der = Buffer.from(cert.raw);
    // PrintableString tag 0x13 followed by length 2 and "CH".
    expect(der.includes(Buffer.from([0x13, 0x02, 0x43, 0x48]))).toBe(true);
    expect(der.includes(Buffer.concat([Buffer.from([0x0c, Buffer.byteLength('Zürich Client')]), Buffer.from('Zürich Client')]))).toBe(true);
  });
});
