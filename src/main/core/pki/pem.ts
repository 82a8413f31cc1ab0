import { x509 } from './x509.ts';

export function certificateToPem(der: Uint8Array): string {
  return `${x509.PemConverter.encode(toArrayBuffer(der), 'CERTIFICATE')}\n`;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
