import { CertdeskError } from '../errors.ts';
import { x509 } from './x509.ts';

export function certificateToPem(der: Uint8Array): string {
  return `${x509.PemConverter.encode(toArrayBuffer(der), 'CERTIFICATE')}\n`;
}

export function toPem(der: Uint8Array, label: string): string {
  return `${x509.PemConverter.encode(toArrayBuffer(der), label)}\n`;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Reads one object from PEM (the first block whose label is in `labels`) or from base64 DER.
 * Anything else is PEM_INVALID naming the field and what was expected.
 */
export function decodePemOrBase64(input: string, labels: readonly string[], field: string): Uint8Array {
  const what = labels[0] ?? 'object';
  const text = input.trim();
  if (text.length === 0) throw new CertdeskError('PEM_INVALID', `${field} is empty; paste a PEM ${what} or drop its file.`, { field });
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
          `The ${what} PEM in ${field} is damaged (its base64 body is not valid). Copy it again, including the BEGIN and END lines.`,
          { field },
        );
      }
      return new Uint8Array(Buffer.from(body, 'base64'));
    }
    throw new CertdeskError(
      'PEM_INVALID',
      found
        ? `${field} holds PEM, but not a ${labels.join(' or ')}.`
        : `${field} has a BEGIN line but no matching END line: the PEM is truncated.`,
      { field },
    );
  }
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) return new Uint8Array(Buffer.from(compact, 'base64'));
  throw new CertdeskError('PEM_INVALID', `${field} is neither PEM (-----BEGIN ${what}-----) nor base64 DER.`, { field });
}
