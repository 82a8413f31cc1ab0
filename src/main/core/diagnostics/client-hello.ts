/**
 * A TLS 1.2 ClientHello, byte for byte (RFC 5246 §7.4.1.2), for the edge probe. Only TLS 1.2 shows
 * the server's CertificateRequest (and its list of acceptable client CAs) in plaintext, and Node
 * exposes neither, so the probe speaks the first flight itself.
 */
import { isIP } from 'node:net';

/** ECDHE with AES-GCM and ChaCha20 for ECDSA and RSA server keys, in preference order: what nginx and OpenSSL offer by default. */
const SUITES: ReadonlyArray<readonly [number, string]> = [
  [0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xc030, 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  [0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305'],
];

/** OpenSSL's names of the suites the probe offers. */
export const PROBE_CIPHER_SUITES: ReadonlyMap<number, string> = new Map(SUITES);

const SUPPORTED_GROUPS = [0x001d, 0x0017, 0x0018]; // x25519, secp256r1, secp384r1
const SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807];

export const TLS_1_2 = 0x0303;

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u24(n: number): number[] {
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function vector16(bytes: readonly number[]): number[] {
  return [...u16(bytes.length), ...bytes];
}

function extension(type: number, data: readonly number[]): number[] {
  return [...u16(type), ...vector16(data)];
}

function serverNameExtension(host: string): number[] {
  const name = [...Buffer.from(host, 'ascii')];
  return extension(0x0000, vector16([0x00, ...u16(name.length), ...name]));
}

/** The record (type 22, handshake) that carries a TLS 1.2 ClientHello. SNI is sent unless `serverName` is an IP address. */
export function buildClientHello(options: { serverName: string; random: Uint8Array }): Uint8Array {
  if (options.random.length !== 32) throw new Error('The ClientHello random must be 32 bytes.');
  const extensions = [
    ...(isIP(options.serverName) === 0 ? serverNameExtension(options.serverName) : []),
    ...extension(0x000a, vector16(SUPPORTED_GROUPS.flatMap(u16))),
    ...extension(0x000b, [0x01, 0x00]), // ec_point_formats: uncompressed
    ...extension(0x000d, vector16(SIGNATURE_ALGORITHMS.flatMap(u16))),
    ...extension(0x0017, []), // extended_master_secret
    ...extension(0xff01, [0x00]), // renegotiation_info: initial handshake
  ];
  const body = [
    ...u16(TLS_1_2),
    ...options.random,
    0x00, // no session id: nothing to resume
    ...vector16(SUITES.flatMap(([suite]) => u16(suite))),
    0x01,
    0x00, // compression: null only
    ...vector16(extensions),
  ];
  const handshake = [0x01, ...u24(body.length), ...body];
  // Record version 3.1 for the first flight, as OpenSSL does, so old middleboxes let it through.
  return Uint8Array.from([0x16, 0x03, 0x01, ...u16(handshake.length), ...handshake]);
}
