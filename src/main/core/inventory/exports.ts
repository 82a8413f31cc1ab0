import type { ExportInput, ExportResult } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { writeChosenFile } from '../files/chosen-file.ts';
import type { SaveDialogPort } from '../files/save-dialog-port.ts';
import { buildPkcs12 } from '../pki/pkcs12.ts';
import { certificateToPem, decodePemOrBase64 } from '../pki/pem.ts';
import { assertExportPassphrase, encryptPkcs8Pem } from '../pki/private-key-formats.ts';
import type { Inventory } from './inventory.ts';

/**
 * Exports a certificate. A format with the key (PKCS#12, encrypted PKCS#8) is always
 * passphrase-protected. No caller ever names where it goes: with a save dialog (the desktop app)
 * main asks the operator and writes the file where they chose; without one (web mode, the CLI) the
 * bytes come back like every other format, for a browser download or the operator's `--out`.
 */
export async function exportCertificate(
  ctx: CoreContext,
  inventory: Inventory,
  input: ExportInput,
  saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>,
): Promise<ExportResult> {
  // Refused before anything is read: a caller that could name the path could plant a key anywhere main can write.
  if (input.path !== undefined)
    throw new CertdeskError(
      'FORBIDDEN',
      'certs:export takes no path: certdesk asks where to save a key in its own save dialog (desktop app), or hands the file to your browser as a download (web mode). Remove path; nothing was written.',
      { field: 'path' },
    );
  const row = inventory.resolve(input.cert);
  const base = safeFileName(row.commonName ?? row.serialHex);
  const chain = inventory.chainPems(row.authorityId);
  const leafPem = certificateToPem(row.certDer);
  const content = (text: string | Uint8Array, filename: string): ExportResult => {
    ctx.audit.append('cert.export', row.id, { format: input.format, serial: row.serialHex });
    return { filename, contentBase64: Buffer.from(text).toString('base64'), containsKey: false };
  };

  switch (input.format) {
    case 'pem':
      return content(leafPem, `${base}.pem`);
    case 'der':
      return content(row.certDer, `${base}.der`);
    case 'chain':
      return content([leafPem, ...chain].join(''), `${base}.chain.pem`);
    case 'p12':
    case 'key': {
      if (row.keyStorage !== 'sealed' || !row.keyId) {
        throw new CertdeskError(
          'NO_PRIVATE_KEY',
          row.keyStorage === 'csr-only'
            ? 'certdesk never had this private key: it stayed with the client that made the CSR.'
            : 'certdesk holds no private key for this imported certificate.',
          { field: 'format' },
        );
      }
      if (input.passphrase === undefined)
        throw new CertdeskError(
          'PASSPHRASE_TOO_SHORT',
          'An export that contains the private key needs a passphrase (at least 12 characters).',
          { field: 'passphrase' },
        );
      assertExportPassphrase(input.passphrase);
      const sealed = ctx.keys.get(row.keyId);
      if (!sealed)
        throw new CertdeskError('KEY_UNSEAL_FAILED', 'The sealed private key of this certificate is missing from the database.', {
          field: 'cert',
        });
      const pkcs8 = await ctx.vault.openKey(row.keyId, sealed.sealed);
      let bytes: Uint8Array;
      let filename: string;
      try {
        if (input.format === 'p12') {
          bytes = await buildPkcs12({
            certificate: row.certDer,
            chain: chain.map((pem) => decodePemOrBase64(pem, ['CERTIFICATE'], 'chain')),
            pkcs8,
            passphrase: input.passphrase,
            friendlyName: row.commonName ?? row.serialHex,
            crypto: ctx.crypto,
          });
          filename = `${base}.p12`;
        } else {
          bytes = Buffer.from(encryptPkcs8Pem(pkcs8, input.passphrase));
          filename = `${base}.key.pem`;
        }
      } finally {
        pkcs8.fill(0);
      }
      if (!saveDialog) {
        ctx.audit.append('cert.export', row.id, { format: input.format, delivery: 'download', serial: row.serialHex });
        return { filename, contentBase64: Buffer.from(bytes).toString('base64'), containsKey: true };
      }
      const chosen = await saveDialog.chooseSavePath({ title: 'Save the exported key', suggestedName: filename });
      if (chosen === null)
        throw new CertdeskError('VALIDATION', 'Export cancelled in the save dialog; nothing was written.', { field: 'path' });
      // The dialog asked before replacing a file; the folder must already exist, and the file is 0600, written atomically.
      const target = writeChosenFile(chosen, bytes, { field: 'path', replace: true, private: true });
      ctx.audit.append('cert.export', row.id, { format: input.format, path: target, serial: row.serialHex });
      return { filename, writtenTo: target, containsKey: true };
    }
  }
}

function safeFileName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'certificate'
  );
}
