// An encrypted private key names its own key-derivation cost, and OpenSSL runs whatever it names:
// a file that asks for 2^31 PBKDF2 rounds would hold the process for about ten minutes, and an
// scrypt N of 2^30 would ask for 128 GiB. The cost is read from the structure and checked here,
// before a single round runs.
import * as asn1js from 'asn1js';
import { CertdeskError } from '../errors.ts';

/** More rounds than any tool writes by default (OpenSSL 2048, certdesk 100 000, OWASP's SHA-256 floor 600 000). */
export const MAX_IMPORT_PBKDF2_ITERATIONS = 2_000_000;
/** scrypt's memory, 128 × N × r × p bytes: 256 MiB admits OpenSSL's `-scrypt` defaults and certdesk's own vault cost. */
export const MAX_IMPORT_SCRYPT_BYTES = 256 * 1024 * 1024;

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
/** PKCS#5 v1.5 (1.2.840.113549.1.5.x) and PKCS#12 (1.2.840.113549.1.12.1.x) schemes: PBEParameter { salt, iterationCount }. */
const PBE_PARAMETER_SCHEMES = /^1\.2\.840\.113549\.1\.(5\.(1|3|4|6|10|11)|12\.1\.[1-6])$/;

type Cost = { kdf: 'pbkdf2'; iterations: number } | { kdf: 'scrypt'; bytes: number };

function sequence(value: unknown): asn1js.AsnType[] | undefined {
  return value instanceof asn1js.Sequence ? value.valueBlock.value : undefined;
}
function oid(value: unknown): string | undefined {
  return value instanceof asn1js.ObjectIdentifier ? value.valueBlock.toString() : undefined;
}
function integer(value: unknown): number | undefined {
  if (!(value instanceof asn1js.Integer)) return undefined;
  const big = value.toBigInt();
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

/** The cost an EncryptedPrivateKeyInfo asks for, or undefined for a scheme this does not know (OpenSSL then decides). */
function costOf(der: Uint8Array): Cost | undefined {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) return undefined;
  const algorithm = sequence(sequence(parsed.result)?.[0]);
  const scheme = oid(algorithm?.[0]);
  if (scheme && PBE_PARAMETER_SCHEMES.test(scheme)) {
    const iterations = integer(sequence(algorithm?.[1])?.[1]);
    return iterations === undefined ? undefined : { kdf: 'pbkdf2', iterations };
  }
  if (scheme !== PBES2) return undefined;
  const kdf = sequence(sequence(algorithm?.[1])?.[0]);
  const params = sequence(kdf?.[1]);
  if (oid(kdf?.[0]) === PBKDF2) {
    const iterations = integer(params?.[1]);
    return iterations === undefined ? undefined : { kdf: 'pbkdf2', iterations };
  }
  if (oid(kdf?.[0]) === SCRYPT) {
    const [n, r, p] = [integer(params?.[1]), integer(params?.[2]), integer(params?.[3])];
    return n === undefined || r === undefined || p === undefined ? undefined : { kdf: 'scrypt', bytes: 128 * n * r * p };
  }
  return undefined;
}

/** Refuses an encrypted PKCS#8 key whose key derivation would cost more than any honest file asks for. */
export function assertKdfCost(encryptedPkcs8: Uint8Array): void {
  const cost = costOf(encryptedPkcs8);
  if (cost?.kdf === 'pbkdf2' && cost.iterations > MAX_IMPORT_PBKDF2_ITERATIONS) {
    throw new CertdeskError(
      'PEM_INVALID',
      `This key's encryption asks for ${cost.iterations.toLocaleString('en-US')} PBKDF2 rounds, more than the ${MAX_IMPORT_PBKDF2_ITERATIONS.toLocaleString('en-US')} certdesk runs; it was not decrypted. Re-encrypt it: \`openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000 -in key.pem -out key-new.pem\`.`,
      { field: 'key' },
    );
  }
  if (cost?.kdf === 'scrypt' && cost.bytes > MAX_IMPORT_SCRYPT_BYTES) {
    throw new CertdeskError(
      'PEM_INVALID',
      `This key's encryption asks scrypt for ${Math.round(cost.bytes / 1024 / 1024).toLocaleString('en-US')} MiB, more than the ${MAX_IMPORT_SCRYPT_BYTES / 1024 / 1024} MiB certdesk allows; it was not decrypted. Re-encrypt it: \`openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000 -in key.pem -out key-new.pem\`.`,
      { field: 'key' },
    );
  }
}
