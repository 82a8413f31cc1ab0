/**
 * Reads a TLS 1.2 server's first flight (RFC 5246 §7.4): ServerHello, Certificate,
 * ServerKeyExchange, CertificateRequest, ServerHelloDone, all plaintext, possibly split across
 * records or packed several to a record. Pure: feed it everything received so far.
 */

export interface CertificateRequestInfo {
  /** ClientCertificateType values (1 rsa_sign, 64 ecdsa_sign…). */
  certificateTypes: number[];
  /** SignatureAndHashAlgorithm values (0x0403 ecdsa_secp256r1_sha256…). */
  signatureAlgorithms: number[];
  /** `certificate_authorities`: DER-encoded distinguished names, as the server sent them. */
  authorities: Uint8Array[];
}

export type ServerFlight =
  | {
      kind: 'hello-done';
      version: number;
      cipherSuite: number;
      serverCertificates: Uint8Array[];
      certificateRequest: CertificateRequestInfo | null;
    }
  | { kind: 'alert'; level: number; description: number };

export type FlightRead = { complete: false } | { complete: true; flight: ServerFlight };

export class TlsParseError extends Error {
  override readonly name = 'TlsParseError';
}

const RECORD_HANDSHAKE = 22;
const RECORD_ALERT = 21;
const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_CERTIFICATE_REQUEST = 13;
const HS_SERVER_HELLO_DONE = 14;

/** Alert descriptions (RFC 5246 §7.2, RFC 8446 §6) worth naming in evidence. */
export const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  40: 'handshake_failure',
  42: 'bad_certificate',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  112: 'unrecognized_name',
  116: 'certificate_required',
};

class Reader {
  private offset = 0;
  private readonly bytes: Uint8Array;
  private readonly what: string;

  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes;
    this.what = what;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) throw new TlsParseError(`The ${this.what} is truncated: ${n} bytes needed, ${this.remaining} left.`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  uint(size: 1 | 2 | 3): number {
    return this.take(size).reduce((n, b) => n * 256 + b, 0);
  }

  vector(lengthSize: 1 | 2 | 3): Reader {
    return new Reader(this.take(this.uint(lengthSize)), this.what);
  }
}

function parseServerHello(body: Uint8Array): { version: number; cipherSuite: number } {
  const r = new Reader(body, 'ServerHello');
  const version = r.uint(2);
  r.take(32);
  r.vector(1);
  return { version, cipherSuite: r.uint(2) };
}

function parseCertificate(body: Uint8Array): Uint8Array[] {
  const list = new Reader(body, 'Certificate message').vector(3);
  const certificates: Uint8Array[] = [];
  while (list.remaining > 0) certificates.push(list.take(list.uint(3)));
  return certificates;
}

/** TLS 1.2 CertificateRequest: types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>, certificate_authorities<0..2^16-1>. */
export function parseCertificateRequest(body: Uint8Array): CertificateRequestInfo {
  const r = new Reader(body, 'CertificateRequest');
  const types = r.vector(1);
  const certificateTypes = [...types.take(types.remaining)];
  const algs = r.vector(2);
  const signatureAlgorithms: number[] = [];
  while (algs.remaining > 0) signatureAlgorithms.push(algs.uint(2));
  const names = r.vector(2);
  const authorities: Uint8Array[] = [];
  while (names.remaining > 0) authorities.push(Uint8Array.from(names.take(names.uint(2))));
  return { certificateTypes, signatureAlgorithms, authorities };
}

/** Splits complete records; `rest` is an incomplete trailing record. */
function records(bytes: Uint8Array): { records: Array<{ type: number; fragment: Uint8Array }>; rest: number } {
  const out: Array<{ type: number; fragment: Uint8Array }> = [];
  let offset = 0;
  while (bytes.length - offset >= 5) {
    const type = bytes[offset] ?? 0;
    const length = ((bytes[offset + 3] ?? 0) << 8) | (bytes[offset + 4] ?? 0);
    if (type < 20 || type > 24)
      throw new TlsParseError(`The server did not answer with TLS (record type ${type}); is this port speaking TLS?`);
    if (bytes.length - offset - 5 < length) break;
    out.push({ type, fragment: bytes.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return { records: out, rest: bytes.length - offset };
}

/** Parses what the server has sent so far; `complete` once ServerHelloDone or an alert has arrived. */
export function readServerFlight(bytes: Uint8Array): FlightRead {
  const { records: recs } = records(bytes);
  const chunks: Uint8Array[] = [];
  for (const record of recs) {
    if (record.type === RECORD_ALERT) {
      if (record.fragment.length < 2) return { complete: false };
      return { complete: true, flight: { kind: 'alert', level: record.fragment[0] ?? 0, description: record.fragment[1] ?? 0 } };
    }
    if (record.type !== RECORD_HANDSHAKE) throw new TlsParseError(`Unexpected record type ${record.type} before ServerHelloDone.`);
    chunks.push(record.fragment);
  }
  const stream = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((offset, c) => (stream.set(c, offset), offset + c.length), 0);

  let hello: { version: number; cipherSuite: number } | undefined;
  let serverCertificates: Uint8Array[] = [];
  let certificateRequest: CertificateRequestInfo | null = null;
  let offset = 0;
  while (stream.length - offset >= 4) {
    const type = stream[offset] ?? 0;
    const length = ((stream[offset + 1] ?? 0) << 16) | ((stream[offset + 2] ?? 0) << 8) | (stream[offset + 3] ?? 0);
    if (stream.length - offset - 4 < length) break;
    const body = stream.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    if (type === HS_SERVER_HELLO) hello = parseServerHello(body);
    else if (type === HS_CERTIFICATE) serverCertificates = parseCertificate(body).map((c) => Uint8Array.from(c));
    else if (type === HS_CERTIFICATE_REQUEST) certificateRequest = parseCertificateRequest(body);
    else if (type === HS_SERVER_HELLO_DONE) {
      if (!hello) throw new TlsParseError('ServerHelloDone arrived without a ServerHello.');
      return { complete: true, flight: { kind: 'hello-done', ...hello, serverCertificates, certificateRequest } };
    }
  }
  return { complete: false };
}
