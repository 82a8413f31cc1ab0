import { base64ToBytes } from './base64.ts';

const TYPES: Record<string, string> = {
  '.pem': 'application/x-pem-file',
  '.crt': 'application/x-pem-file',
  '.der': 'application/pkix-cert',
  '.cer': 'application/pkix-cert',
  '.p12': 'application/x-pkcs12',
};

/** Saves bytes through the browser's download path: works the same under file:// (Electron) and the web host. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; an immediate revoke can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(fileName: string, text: string, type = 'application/x-pem-file'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** A file main sent as base64 (certificates, chains, DER). */
export function downloadBase64(fileName: string, base64: string): void {
  const extension = /\.[^.]+$/.exec(fileName.toLowerCase())?.[0] ?? '';
  downloadBlob(fileName, new Blob([base64ToBytes(base64)], { type: TYPES[extension] ?? 'application/octet-stream' }));
}

/** Keeps a CA name usable as a file name on every OS. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned || 'certificate';
}
