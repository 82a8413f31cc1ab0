// @peculiar/x509 reads decorator metadata at import time: reflect-metadata must be loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Crypto } from './webcrypto.ts';

x509.cryptoProvider.set(webcrypto as Crypto);

export { x509 };
export const defaultCrypto = webcrypto as Crypto;
