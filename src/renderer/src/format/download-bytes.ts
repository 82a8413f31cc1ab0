import { base64ToBytes } from './base64.ts';

const TYPES: Record<string, string> = {
  '.pem': 'application/x-pem-file',
  '.crt': 'application/x-pem-file',
  '.der': 'application/pkix-cert',
  '.cer': 'application/pkix-cert',
};

/** Saves a file main sent as base64 (certificates, chains, DER) through the browser's download path. */
export function downloadBase64(fileName: string, base64: string): void {
  const extension = /\.[^.]+$/.exec(fileName.toLowerCase())?.[0] ?? '';
  const url = URL.createObjectURL(new Blob([base64ToBytes(base64)], { type: TYPES[extension] ?? 'application/octet-stream' }));
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
