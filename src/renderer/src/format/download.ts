/** Saves text through the browser's download path: works the same under file:// (Electron) and the web host. */
export function downloadText(fileName: string, text: string, type = 'application/x-pem-file'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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

/** Keeps a CA name usable as a file name on every OS. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned || 'certificate';
}
