import { containsPrivateKey } from '../../../shared/validation.ts';
import { CertdeskError } from '../errors.ts';

export function certificateToPem(der: Uint8Array): string {
  return toPem(der, 'CERTIFICATE');
}

/**
 * RFC 7468's strict form, as @peculiar's PemConverter writes it for the upper-case labels certdesk
 * uses (base64 in lines of 64, `\n` line ends) plus a final newline. Node's own base64 instead of the
 * converter's: a detail carries a PEM of the leaf and of each CA above it, and the converter's encoder
 * cost more than the rest of the detail's view (issue 14).
 */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = bufferView(der).toString('base64');
  const lines: string[] = [`-----BEGIN ${label}-----`];
  for (let at = 0; at < base64.length; at += 64) lines.push(base64.slice(at, at + 64));
  lines.push(`-----END ${label}-----`, '');
  return lines.join('\n');
}

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const PAD = 0x3d; // '='
const NEWLINE = 0x0a;

/**
 * toPem's bytes, for a secret: written straight into memory of their own (Buffer.alloc is never cut from
 * Node's shared pool), with no string between. A string cannot be zeroed, and Buffer.from(string) copies
 * a small one into the pool, where nothing zeroes it either. The caller zeroes what this returns.
 */
export function toPemBytes(der: Uint8Array, label: string): Buffer {
  const begin = `-----BEGIN ${label}-----\n`;
  const end = `-----END ${label}-----\n`;
  const base64Length = 4 * Math.ceil(der.length / 3);
  const out = Buffer.alloc(begin.length + base64Length + Math.ceil(base64Length / 64) + end.length);
  let at = out.write(begin, 0, 'latin1');
  for (let i = 0; i < der.length; i += 3) {
    const left = der.length - i;
    const a = der[i]!;
    const b = left > 1 ? der[i + 1]! : 0;
    const c = left > 2 ? der[i + 2]! : 0;
    out[at++] = BASE64[a >> 2]!;
    out[at++] = BASE64[((a & 0x03) << 4) | (b >> 4)]!;
    out[at++] = left > 1 ? BASE64[((b & 0x0f) << 2) | (c >> 6)]! : PAD;
    out[at++] = left > 2 ? BASE64[c & 0x3f]! : PAD;
    // A line of 64 base64 characters is 48 bytes of DER.
    if ((i + 3) % 48 === 0 || i + 3 >= der.length) out[at++] = NEWLINE;
  }
  out.write(end, at, 'latin1');
  return out;
}

/**
 * A Buffer over `bytes`' own memory, not a copy. For secrets handed to node:crypto: Buffer.from(bytes) copies,
 * into Node's shared pool when small (every private key is), and nothing ever zeroes that copy.
 */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Reads one object from PEM (the first block whose label is in `labels`) or from base64 DER.
 * Anything else is PEM_INVALID naming the field and what was expected. `label` is the field as the
 * operator sees it ("The certificate request (CSR)"); `field` stays the machine name the UI maps.
 * A private key where none is expected is refused on its own, before anything is decoded or kept.
 */
export function decodePemOrBase64(input: string, labels: readonly string[], field: string, label = field): Uint8Array {
  const what = labels[0] ?? 'object';
  const text = input.trim();
  if (text.length === 0) throw new CertdeskError('PEM_INVALID', `${label} is empty; paste a PEM ${what} or drop its file.`, { field });
  if (!labels.some((name) => name.endsWith('PRIVATE KEY')) && containsPrivateKey(text)) throw privateKeyPasted(field, label, what);
  if (text.includes('-----BEGIN')) {
    const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
    let found = false;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      found = true;
      if (!labels.includes(m[1] ?? '')) continue;
      const body = (m[2] ?? '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
        throw new CertdeskError(
          'PEM_INVALID',
          `The ${what} PEM in ${lowerFirst(label)} is damaged (its base64 body is not valid). Copy it again, including the BEGIN and END lines.`,
          { field },
        );
      }
      return new Uint8Array(Buffer.from(body, 'base64'));
    }
    throw new CertdeskError(
      'PEM_INVALID',
      found
        ? `${label} holds PEM, but not a ${labels.join(' or ')}.`
        : `${label} has a BEGIN line but no matching END line: the PEM is truncated.`,
      { field },
    );
  }
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) return new Uint8Array(Buffer.from(compact, 'base64'));
  throw new CertdeskError('PEM_INVALID', `${label} is neither PEM (-----BEGIN ${what}-----) nor base64 DER.`, { field });
}

/** A private key pasted where a CSR or certificate belongs: said plainly, and nothing of it is kept. */
export function privateKeyPasted(field: string, label: string, what: string): CertdeskError {
  return new CertdeskError(
    'PRIVATE_KEY_PASTED',
    `This is a private key — do not share it. ${label} needs a ${what}, never the key; nothing was stored. If the key was sent to anyone, treat it as compromised and make a new one.`,
    { field },
  );
}

/** "The certificate request (CSR)" inside a sentence: "the certificate request (CSR)"; a bare field name stays as it is. */
function lowerFirst(label: string): string {
  return /^The /.test(label) ? `the${label.slice(3)}` : label;
}
