import { verify as verifyNow, type KeyObject } from 'node:crypto';
import type { KeyType, SanEntry } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { readPublicKey } from './key-types.ts';
import { decodePemOrBase64, toArrayBuffer } from './pem.ts';
import { checkRequestedSans } from './csr-names.ts';
import { csrSpkiDer, signedPartDer, spkiAlgorithm, spkiPublicKeyBits } from './der-fields.ts';
import { defaultCrypto, x509 } from './x509.ts';
import type { Crypto } from './webcrypto.ts';

export interface ParsedCsr {
  request: x509.Pkcs10CertificateRequest;
  keyType: KeyType;
  subject: x509.Name;
  sans: SanEntry[];
  /** The algorithm the requester signed with (`ecdsa-with-SHA256`), its signature already verified. */
  signatureAlgorithm: string;
  /**
   * The requested key's SubjectPublicKeyInfo as WebCrypto would export it: the request's own bytes where they
   * are already that form (canonicalEcSpki), or OpenSSL's reading of it where the two write the same bytes
   * (see sameAsWebCrypto); null otherwise (WebCrypto exports it then).
   */
  spki: Uint8Array | null;
}

/** The CSR field as the operator sees it: messages name this, never the internal `csr`. */
export const CSR_LABEL = 'The certificate request (CSR)';

/**
 * Parses and checks a PKCS#10 request: a valid signature (proof the requester holds the key), a
 * supported key of acceptable strength, and no request for CA powers.
 */
export async function parseCsr(input: string, crypto: Crypto = defaultCrypto): Promise<ParsedCsr> {
  const der = decodePemOrBase64(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], 'csr', CSR_LABEL);
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(toArrayBuffer(der));
  } catch (cause) {
    throw new CertdeskError(
      'CSR_INVALID',
      `${CSR_LABEL} is not a PKCS#10 certificate request (it could not be decoded). Create one with \`openssl req -new -key client.key -out client.csr\`.`,
      { field: 'csr', cause },
    );
  }
  // A P-256 or P-384 key's bytes as the request holds them, where they are the one DER form such a key has:
  // then they are the very bytes @peculiar's parse would encode again (and verify the signature with below),
  // and what WebCrypto writes. Any other key is read from @peculiar's parse, as the fallback check reads it.
  const spkiBytes = canonicalEcSpki(der);
  let keyType: KeyType;
  let publicKey: KeyObject | null;
  try {
    ({ keyType, keyObject: publicKey } = await readPublicKey(spkiBytes ?? request.publicKey, crypto));
  } catch (error) {
    if (error instanceof CertdeskError) {
      const weak = /RSA-(\d+)/.exec(error.message);
      if (weak && Number(weak[1]) < 2048)
        throw new CertdeskError(
          'KEY_TOO_WEAK',
          `The CSR's key is RSA-${weak[1]}; the minimum is RSA-2048 (or use ECDSA P-256). Generate a new key and CSR.`,
          { field: 'csr' },
        );
      throw new CertdeskError(error.code, `The CSR's key: ${error.message}`, { field: 'csr' });
    }
    throw new CertdeskError('CSR_INVALID', "The CSR's public key could not be read.", { field: 'csr', cause: error });
  }
  let valid: boolean;
  try {
    valid = await signatureVerifies(request, publicKey, crypto);
  } catch {
    valid = false;
  }
  if (!valid)
    throw new CertdeskError(
      'CSR_SIGNATURE_INVALID',
      "The CSR's signature does not verify: it was altered after signing, or signed with another key. Create the CSR again.",
      { field: 'csr' },
    );
  const basic = request.extensions.find((e): e is x509.BasicConstraintsExtension => e instanceof x509.BasicConstraintsExtension);
  if (basic?.ca)
    throw new CertdeskError(
      'CSR_REQUESTS_CA',
      'The CSR asks for CA:true (a CA certificate). Client certificates are never CAs; create the CSR without basicConstraints CA:true.',
      { field: 'csr' },
    );
  return {
    request,
    keyType,
    spki: spkiBytes ? Uint8Array.from(spkiBytes) : publicKey ? sameAsWebCrypto(publicKey) : null,
    subject: request.subjectName,
    signatureAlgorithm: signatureName(request.signatureAlgorithm as unknown as { name: string; hash?: { name?: string } }),
    sans: checkRequestedSans(
      request.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension) ?? null,
    ),
  };
}

/**
 * The CSR's own signature over its CertificationRequestInfo. ECDSA and RSASSA-PKCS1-v1_5 with SHA-2,
 * on a key of that kind, are verified by OpenSSL on this thread (a WebCrypto import and verify take
 * two trips through the thread pool). Anything else, and anything OpenSSL does not accept as it
 * stands (a CSR in BER, with bytes after it, or a signature not in strict DER), is verified the way
 * @peculiar/x509 always did: the fast path only ever saves time, it never refuses a CSR the other accepts.
 */
async function signatureVerifies(request: x509.Pkcs10CertificateRequest, key: KeyObject | null, crypto: Crypto): Promise<boolean> {
  const algorithm = request.signatureAlgorithm as unknown as { name: string; hash?: { name?: string } };
  const hash = algorithm.hash?.name ?? '';
  const keyKind = algorithm.name === 'ECDSA' ? 'ec' : algorithm.name === 'RSASSA-PKCS1-v1_5' ? 'rsa' : undefined;
  // The key must be of the algorithm's kind: node:crypto would otherwise verify by the key's own kind.
  if (key && keyKind !== undefined && key.asymmetricKeyType === keyKind && /^SHA-(256|384|512)$/.test(hash)) {
    let signed: Uint8Array | undefined;
    try {
      signed = signedPartDer(new Uint8Array(request.rawData));
    } catch {
      // Not plain DER: the general path reads it.
    }
    const signature = new Uint8Array(request.signature);
    if (signed && verifyNow(hash.replace('SHA-', 'sha'), signed, { key, dsaEncoding: 'der' }, signature)) return true;
  }
  return request.verify(crypto);
}

/**
 * OpenSSL's SPKI of a key where it is what WebCrypto writes: an rsaEncryption key, or an EC key on a named
 * curve with its point uncompressed. OpenSSL keeps a CSR's own encoding, and WebCrypto does not: a
 * compressed EC point (which Go and Java refuse in a certificate) is written uncompressed, and an
 * RSASSA-PSS key as rsaEncryption. Those, and anything else, are left to WebCrypto (null).
 */
function sameAsWebCrypto(key: KeyObject): Uint8Array | null {
  const spki = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
  if (key.asymmetricKeyType === 'rsa') return spki;
  if (key.asymmetricKeyType !== 'ec') return null;
  try {
    const point = spkiPublicKeyBits(spki);
    return spkiAlgorithm(spki).parameterTag === 0x06 && point[0] === 0x04 ? spki : null;
  } catch {
    return null;
  }
}

/**
 * The DER header of an uncompressed P-256 and P-384 SubjectPublicKeyInfo (the curves certdesk takes), up to
 * and including the point's 0x04; the header fixes the length, so the point that follows fills the rest exactly.
 */
const EC_SPKI_HEADERS = [
  '3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04',
  '3076301006072a8648ce3d020106052b81040022036200' + '04',
].map((hex) => Buffer.from(hex, 'hex'));

/**
 * The request's SubjectPublicKeyInfo where it is an uncompressed P-256 or P-384 key: a fixed header (algorithm,
 * curve, a BIT STRING with no unused bits) then the point, filling the rest. Null for any other key or bytes.
 */
function canonicalEcSpki(der: Uint8Array): Uint8Array | null {
  const spki = csrSpkiDer(der);
  return spki && EC_SPKI_HEADERS.some((header) => spki.length === 2 + header[1]! && header.equals(spki.subarray(0, header.length)))
    ? spki
    : null;
}

/** `ecdsa-with-SHA256`, `sha256WithRSAEncryption`: the names `openssl req -text` prints. */
function signatureName(algorithm: { name: string; hash?: { name?: string } }): string {
  const bits = (algorithm.hash?.name ?? '').replace('SHA-', '');
  if (algorithm.name === 'ECDSA') return `ecdsa-with-SHA${bits}`;
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return `sha${bits}WithRSAEncryption`;
  if (algorithm.name === 'RSA-PSS') return `RSASSA-PSS (SHA-${bits})`;
  return algorithm.name;
}
