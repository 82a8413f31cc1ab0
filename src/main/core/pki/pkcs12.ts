// PKCS#12 (.p12/.pfx) bundles of a leaf key, its certificate and the chain, in the modern shape
// OpenSSL 3 writes by default, so `openssl pkcs12` reads them without `-legacy`:
//   AuthenticatedSafe = [ EncryptedData(PBES2){ CertBag leaf, CertBag CA... },
//                         Data{ PKCS8ShroudedKeyBag(PBES2) } ]
//   PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC; MAC = HMAC-SHA256 keyed by the PKCS#12 KDF (SHA-256).
// No RC2, 3DES or SHA-1 PBE anywhere. The certificates are encrypted too (as OpenSSL does) so the
// file does not disclose the holder's names to someone without the passphrase.
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertdeskError } from '../errors.ts';
import { bufferView, toArrayBuffer } from './pem.ts';
import { assertExportPassphrase, EXPORT_KDF_ITERATIONS } from './private-key-formats.ts';
import { defaultCrypto, x509 } from './x509.ts';
import type { Crypto } from './webcrypto.ts';

/** Lowest accepted: OpenSSL's own default; anything lower only makes guessing the passphrase cheaper. */
export const MIN_PKCS12_ITERATIONS = 2048;
/** Highest accepted: well under what readers allow (Java's keystore refuses counts above 5 000 000). */
export const MAX_PKCS12_ITERATIONS = 1_000_000;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

export interface BuildPkcs12Params {
  /** The leaf certificate, DER. */
  certificate: Uint8Array;
  /** Issuing CA(s) then the root, DER. */
  chain: Uint8Array[];
  /** The leaf's private key, PKCS#8 DER. */
  pkcs8: Uint8Array;
  passphrase: string;
  /** Label importers show (Windows, macOS, browsers); defaults to the leaf's CN. */
  friendlyName?: string;
  /** PBKDF2 and MAC KDF iterations; defaults to EXPORT_KDF_ITERATIONS (100 000). */
  iterations?: number;
  crypto?: Crypto;
}

/** Builds a PFX holding the key, the leaf and its chain, readable by OpenSSL 3 without `-legacy`. */
export async function buildPkcs12(params: BuildPkcs12Params): Promise<Uint8Array> {
  assertExportPassphrase(params.passphrase);
  const iterations = params.iterations ?? EXPORT_KDF_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PKCS12_ITERATIONS || iterations > MAX_PKCS12_ITERATIONS) {
    throw new CertdeskError('VALIDATION', `Iterations must be a whole number from ${MIN_PKCS12_ITERATIONS} to ${MAX_PKCS12_ITERATIONS}.`, {
      field: 'iterations',
    });
  }
  const leaf = readCertificate(params.certificate, 'certificate');
  params.chain.forEach((der, i) => readCertificate(der, `chain[${i}]`));
  const key = readKey(params.pkcs8);
  if (!leaf.checkPrivateKey(key)) {
    throw new CertdeskError(
      'VALIDATION',
      'The private key does not belong to this certificate; choose the key the certificate was issued for.',
      { field: 'key' },
    );
  }

  // A local engine, not pkijs.setEngine: the process-wide engine is shared state other modules may set.
  const engine = new pkijs.CryptoEngine({
    name: 'certdesk',
    crypto: (params.crypto ?? defaultCrypto) as unknown as pkijs.CryptoEngineParameters['crypto'],
  });
  // PBES2 uses the passphrase's UTF-8 bytes; pkijs turns them into the BMPString the PKCS#12 MAC KDF wants.
  const encoded = new TextEncoder().encode(params.passphrase);
  const password = toArrayBuffer(encoded);
  encoded.fill(0);
  try {
    const pbes2: Pbes2Params = {
      password,
      contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
      hmacHashAlgorithm: 'SHA-256',
      iterationCount: iterations,
    };

    // localKeyId pairs the key with its certificate (OpenSSL uses a SHA-1 of the certificate; any value works).
    const localKeyId = new pkijs.Attribute({
      type: OID.localKeyId,
      values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(params.certificate).digest() })],
    });
    const name = params.friendlyName ?? commonNameOf(params.certificate);
    const leafAttributes = derSetOrder(name ? [friendlyName(name), localKeyId] : [localKeyId]);

    const keyBag = new pkijs.SafeBag({
      bagId: OID.pkcs8ShroudedKeyBag,
      bagValue: await shroudKey(params.pkcs8, pbes2, engine),
      bagAttributes: leafAttributes,
    });
    const certBags = [certBag(params.certificate, leafAttributes), ...params.chain.map((der) => certBag(der))];

    // Built from parts rather than with AuthenticatedSafe.makeInternalValues, which writes the ciphertext
    // as an indefinite-length BER string that DER-only readers (Go's encoding/asn1, for one) reject.
    const certsSafe = new pkijs.SafeContents({ safeBags: certBags }).toSchema().toBER(false);
    const certs = await pbes2Encrypt(new Uint8Array(certsSafe), pbes2, engine);
    const encryptedCerts = new pkijs.EncryptedData({
      encryptedContentInfo: new pkijs.EncryptedContentInfo({
        contentType: OID.data,
        contentEncryptionAlgorithm: certs.algorithm,
        encryptedContent: certs.ciphertext,
        disableSplit: true,
      }),
    });
    const keySafe = new pkijs.SafeContents({ safeBags: [keyBag] }).toSchema().toBER(false);
    const authenticatedSafe = new pkijs.AuthenticatedSafe({
      safeContents: [
        new pkijs.ContentInfo({ contentType: OID.encryptedData, content: encryptedCerts.toSchema() }),
        // Plain Data, as OpenSSL lays it out: the key bag inside is encrypted itself.
        new pkijs.ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: keySafe }) }),
      ],
    });

    const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } }); // 0: password MAC
    // The MAC's KDF is as costly as the encryption's: an attacker would otherwise test guesses against the MAC.
    await pfx.makeInternalValues({ password, iterations, pbkdf2HashAlgorithm: { name: 'SHA-256' }, hmacHashAlgorithm: 'SHA-256' }, engine);
    return new Uint8Array(pfx.toSchema().toBER(false));
  } finally {
    // The passphrase's bytes; pkijs's own copies of them (its BMPString for the MAC's KDF) are out of reach.
    new Uint8Array(password).fill(0);
  }
}

type Pbes2Params = Omit<pkijs.CryptoEngineEncryptParams, 'contentToEncrypt' | 'contentType'>;

/** PBES2-encrypts `content`: the AlgorithmIdentifier, and the ciphertext as one primitive (DER) OCTET STRING. */
async function pbes2Encrypt(
  content: Uint8Array,
  pbes2: Pbes2Params,
  engine: pkijs.ICryptoEngine,
): Promise<{ algorithm: pkijs.AlgorithmIdentifier; ciphertext: asn1js.OctetString }> {
  // pkijs wants an ArrayBuffer of its own: this copy is the key itself when `content` is one, so it is zeroed after.
  const plain = toArrayBuffer(content);
  let info: pkijs.EncryptedContentInfo;
  try {
    info = await engine.encryptEncryptedContentInfo({ ...pbes2, contentToEncrypt: plain, contentType: OID.data });
  } finally {
    new Uint8Array(plain).fill(0);
  }
  return { algorithm: info.contentEncryptionAlgorithm, ciphertext: new asn1js.OctetString({ valueHex: info.getEncryptedContent() }) };
}

/** Encrypts the PKCS#8 bytes as given: PKCS8ShroudedKeyBag.makeInternalValues would re-encode them through pkijs first. */
async function shroudKey(pkcs8: Uint8Array, pbes2: Pbes2Params, engine: pkijs.ICryptoEngine): Promise<pkijs.PKCS8ShroudedKeyBag> {
  const { algorithm, ciphertext } = await pbes2Encrypt(pkcs8, pbes2, engine);
  return new pkijs.PKCS8ShroudedKeyBag({ encryptionAlgorithm: algorithm, encryptedData: ciphertext });
}

/** A CertBag carrying the DER exactly as given (a pkijs Certificate would be re-encoded). */
function certBag(der: Uint8Array, attributes?: pkijs.Attribute[]): pkijs.SafeBag {
  const bag = new pkijs.CertBag({ certId: OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: toArrayBuffer(der) }) });
  return new pkijs.SafeBag({ bagId: OID.certBag, bagValue: bag, ...(attributes ? { bagAttributes: attributes } : {}) });
}

/** DER sorts the members of a SET OF by their encodings; bagAttributes is one. */
function derSetOrder(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attributes.map((attribute) => ({ attribute, der: Buffer.from(attribute.toSchema().toBER(false)) }));
  return encoded.sort((a, b) => Buffer.compare(a.der, b.der)).map((e) => e.attribute);
}

function friendlyName(name: string): pkijs.Attribute {
  return new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: name })] });
}

function commonNameOf(der: Uint8Array): string | undefined {
  return new x509.X509Certificate(toArrayBuffer(der)).subjectName.getField('CN')[0];
}

function readCertificate(der: Uint8Array, field: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CertdeskError(
      'PEM_INVALID',
      `The ${field === 'certificate' ? 'certificate' : `chain certificate ${field}`} is not a valid DER certificate.`,
      { field: field === 'certificate' ? 'certificate' : 'chain', cause },
    );
  }
}

function readKey(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new CertdeskError('PEM_INVALID', 'The private key is not a valid unencrypted PKCS#8 key.', { field: 'key', cause });
  }
}
