/** The TLS 1.2 pieces of the edge probe, on fixed bytes: the ClientHello we send and the server flight we read. */
import { describe, expect, it } from 'vitest';
import { buildClientHello } from '../../src/main/core/diagnostics/client-hello.ts';
import { describeName } from '../../src/main/core/diagnostics/client-certificate.ts';
import { readServerFlight, TlsParseError } from '../../src/main/core/diagnostics/server-flight.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+|#[^\n]*/g, ''), 'hex'));

/** A server's handshake messages up to ServerHelloDone, as a TLS 1.2 server with ssl_verify_client sends them. */
const FLIGHT = hex(`
  02 000026 0303 ${'11'.repeat(32)} 00 c02b 00          # ServerHello: TLS 1.2, no session id, ECDHE-ECDSA-AES128-GCM-SHA256, no compression
  0b 000003 000000                                      # Certificate: empty list (enough for the parser)
  0d 00002b                                             # CertificateRequest
     02 01 40                                           #   certificate_types: rsa_sign, ecdsa_sign
     0004 0403 0804                                     #   signature algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
     0020                                               #   certificate_authorities, 32 bytes:
       000e 300c310a30080603550403130141                #     CN=A (PrintableString)
       000e 300c310a300806035504030c0142                #     CN=B (UTF8String)
  0e 000000                                             # ServerHelloDone
`);

function records(stream: Uint8Array, sizes: number[]): Uint8Array {
  const out: number[] = [];
  let offset = 0;
  for (const size of sizes) {
    const fragment = stream.subarray(offset, offset + size);
    out.push(0x16, 0x03, 0x03, fragment.length >> 8, fragment.length & 0xff, ...fragment);
    offset += size;
  }
  return Uint8Array.from(out);
}

describe('reading the server flight', () => {
  it('finds the CertificateRequest CA names when messages are split across records', () => {
    expect(FLIGHT.length).toBe(100);
    const bytes = records(FLIGHT, [60, 40]);
    const read = readServerFlight(bytes);
    if (!read.complete || read.flight.kind !== 'hello-done') throw new Error(JSON.stringify(read));
    expect(read.flight.version).toBe(0x0303);
    expect(read.flight.cipherSuite).toBe(0xc02b);
    expect(read.flight.serverCertificates).toEqual([]);
    expect(read.flight.certificateRequest?.certificateTypes).toEqual([1, 64]);
    expect(read.flight.certificateRequest?.signatureAlgorithms).toEqual([0x0403, 0x0804]);
    expect(read.flight.certificateRequest?.authorities.map(describeName)).toEqual(['CN=A', 'CN=B']);
  });

  it('waits for more bytes until ServerHelloDone has arrived, whatever the cut', () => {
    const bytes = records(FLIGHT, [1, 45, 50, 4]);
    for (let n = 0; n < bytes.length; n++) expect(readServerFlight(bytes.subarray(0, n)).complete, `prefix ${n}`).toBe(false);
    expect(readServerFlight(bytes).complete).toBe(true);
  });

  it('reports a flight without CertificateRequest as such', () => {
    const withoutRequest = Uint8Array.from([...FLIGHT.subarray(0, 49), ...FLIGHT.subarray(96)]);
    const read = readServerFlight(records(withoutRequest, [withoutRequest.length]));
    expect(read.complete && read.flight.kind === 'hello-done' && read.flight.certificateRequest).toBeNull();
  });

  it('returns an alert (protocol_version from a TLS 1.3-only server)', () => {
    expect(readServerFlight(hex('15 0303 0002 02 46'))).toEqual({ complete: true, flight: { kind: 'alert', level: 2, description: 70 } });
  });

  it('refuses bytes that are not TLS, and a truncated CertificateRequest', () => {
    expect(() => readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toThrow(TlsParseError);
    const broken = Uint8Array.from(FLIGHT);
    broken[49 + 4 + 9] = 0x00;
    broken[49 + 4 + 10] = 0x40; // certificate_authorities claims 64 bytes, 32 follow
    expect(() => readServerFlight(records(broken, [broken.length]))).toThrow(/CertificateRequest is truncated/);
  });
});

describe('the ClientHello', () => {
  const random = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('is one TLS 1.2 handshake record with our random and the server name', () => {
    const hello = Buffer.from(buildClientHello({ serverName: 'mtls.login.example.com', random }));
    expect([...hello.subarray(0, 3)]).toEqual([0x16, 0x03, 0x01]);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(0x01);
    expect(hello.readUIntBE(6, 3)).toBe(hello.length - 9);
    expect(hello.readUInt16BE(9)).toBe(0x0303);
    expect([...hello.subarray(11, 43)]).toEqual([...random]);
    expect(hello.indexOf(Buffer.concat([Buffer.from([0x00, 0x00, 0x16]), Buffer.from('mtls.login.example.com')]))).toBeGreaterThan(43);
  });

  it('sends no SNI for an IP address, and wants 32 random bytes', () => {
    expect(Buffer.from(buildClientHello({ serverName: '127.0.0.1', random })).includes(Buffer.from('127.0.0.1'))).toBe(false);
    expect(() => buildClientHello({ serverName: 'x', random: new Uint8Array(8) })).toThrow(/32 bytes/);
  });
});
