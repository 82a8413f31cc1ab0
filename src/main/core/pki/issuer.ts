import type { KeyObject } from 'node:crypto';
import type { CaKeyType } from '../../../shared/contract/index.ts';
import type { CryptoKey } from './webcrypto.ts';
import type { x509 } from './x509.ts';

/** What signs: a CA's certificate and its unsealed private key. The CA code unseals it; pki only signs with it. */
export interface IssuerMaterial {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  /** The same key for node:crypto, which signs leaves on the service's thread (LeafTemplate.sign). */
  keyObject: KeyObject;
  keyType: CaKeyType;
}
