/**
 * The tenant's signing key and the access tokens it signs: RS256 with `jose`. The key is generated
 * once and kept in `<dir>/signing-key.json`, so tokens and the JWKS survive a restart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { writeFileAtomic } from './state.ts';

const KEY_FILE = 'signing-key.json';
const ALG = 'RS256';

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

export interface AccessTokenInput {
  issuer: string;
  audience: string;
  subject: string;
  azp: string;
  scope: string;
  expiresInSeconds: number;
  /** RFC 8705 §3.1 confirmation: base64url(SHA-256(DER of the client certificate)). */
  x5tS256?: string;
  now: number;
}

export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyLike;
  private readonly publicKey: KeyLike;
  private readonly publicJwk: JWK;

  private constructor(kid: string, privateKey: KeyLike, publicKey: KeyLike, publicJwk: JWK) {
    this.kid = kid;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.publicJwk = publicJwk;
  }

  /** Loads the key from `dir`, generating and persisting it the first time. */
  static async open(dir: string): Promise<TokenSigner> {
    const file = join(dir, KEY_FILE);
    let privateJwk: JWK;
    if (existsSync(file)) {
      privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } else {
      const pair = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
      privateJwk = await exportJWK(pair.privateKey);
      privateJwk.kid = await calculateJwkThumbprint(privateJwk);
      writeFileAtomic(file, `${JSON.stringify(privateJwk)}\n`);
    }
    const publicJwk: JWK = { kty: 'RSA', n: privateJwk.n, e: privateJwk.e, kid: privateJwk.kid, alg: ALG, use: 'sig' };
    const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
    return new TokenSigner(kid, await importJWK(privateJwk, ALG), await importJWK(publicJwk, ALG), publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  async signAccessToken(input: AccessTokenInput): Promise<string> {
    const iat = Math.floor(input.now / 1000);
    const claims: JWTPayload & Record<string, unknown> = { scope: input.scope, gty: 'client-credentials', azp: input.azp };
    if (input.x5tS256) claims.cnf = { 'x5t#S256': input.x5tS256 };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: this.kid })
      .setIssuer(input.issuer)
      .setSubject(input.subject)
      .setAudience(input.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + input.expiresInSeconds)
      .sign(this.privateKey);
  }

  /** Verifies signature, issuer, audience and expiry; throws jose's errors otherwise. */
  async verify(token: string, expected: { issuer: string | string[]; audience: string; now: number }): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms: [ALG],
      currentDate: new Date(expected.now),
    });
    return payload;
  }
}
