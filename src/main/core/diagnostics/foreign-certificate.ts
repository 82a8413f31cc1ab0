/** A throwaway self-signed P-256 client certificate from no CA of ours, for stage 7. Never stored. */
import { keySpec } from '../pki/key-types.ts';
import { exportPkcs8, generateKeyPair } from '../pki/keys.ts';
import { toPem } from '../pki/pem.ts';
import { randomSerialHex } from '../pki/serial.ts';
import type { Crypto } from '../pki/webcrypto.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';

export const FOREIGN_SUBJECT = 'CN=certdesk diagnostics foreign client, O=not a CA you run';

export async function makeForeignCertificate(now: number, crypto: Crypto = defaultCrypto): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeyPair('ec-p256', crypto);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialHex(crypto),
      name: FOREIGN_SUBJECT,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 86_400_000),
      keys,
      signingAlgorithm: keySpec('ec-p256').sign,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ],
    },
    crypto,
  );
  return { certPem: `${cert.toString('pem')}\n`, keyPem: toPem(await exportPkcs8(keys.privateKey, crypto), 'PRIVATE KEY') };
}
