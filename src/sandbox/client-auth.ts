/**
 * Client authentication at the token endpoint. Certificate headers count only on a request that
 * arrives through a verified custom domain's edge (a known `cname-api-key`): `tls_client_auth`
 * needs a CA-verified certificate whose subject DN equals a bound cert_subject_dn credential's,
 * `self_signed_tls_client_auth` a certificate whose SHA-256 thumbprint equals a bound x509_cert
 * credential's. Other clients authenticate with their secret (post or basic).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readCertificate, type CertificateFacts } from './certificates.ts';
import { header, tokenError, type ApiReply, type ApiRequest } from './http.ts';
import type { SandboxStore, StoredClient, StoredCredential, StoredCustomDomain } from './state.ts';

/** The largest `client-certificate` header Auth0 accepts (the leaf only, URL-encoded). */
export const MAX_CLIENT_CERTIFICATE_HEADER = 4096;

export interface EdgeContext {
  customDomain: StoredCustomDomain;
  /** `client-certificate-ca-verified`: SUCCESS, FAILED[:reason] or NONE. */
  caVerified: string;
  certificate?: CertificateFacts;
  certificateProblem?: string;
}

export type Authenticated = { ok: true; certificate?: CertificateFacts; method: string } | { ok: false; reply: ApiReply };

/** Reads the edge's headers. A request without `cname-api-key` did not come through an edge: its certificate headers are ignored. */
export function readEdgeContext(req: ApiRequest, store: SandboxStore): { edge: EdgeContext | null } | { reply: ApiReply } {
  const key = header(req.headers, 'cname-api-key');
  if (key === undefined) return { edge: null };
  const customDomain = store.domainByCnameApiKey(key);
  if (!customDomain)
    return {
      reply: tokenError(
        401,
        'invalid_client',
        'The cname-api-key does not belong to a verified custom domain: the request did not come through a trusted edge.',
      ),
    };
  const edge: EdgeContext = { customDomain, caVerified: header(req.headers, 'client-certificate-ca-verified') ?? 'NONE' };
  const escaped = header(req.headers, 'client-certificate');
  if (escaped !== undefined && escaped.length > 0) {
    if (Buffer.byteLength(escaped) > MAX_CLIENT_CERTIFICATE_HEADER) {
      edge.certificateProblem = `The client-certificate header is over ${MAX_CLIENT_CERTIFICATE_HEADER} bytes: forward the leaf certificate only.`;
    } else {
      try {
        edge.certificate = readCertificate(decodeURIComponent(escaped));
      } catch (error) {
        edge.certificateProblem = `The client-certificate header does not hold one URL-encoded PEM certificate (${(error as Error).message}).`;
      }
    }
  }
  return { edge };
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function fail(description: string): Authenticated {
  return { ok: false, reply: tokenError(401, 'invalid_client', description) };
}

function usable(credential: StoredCredential, now: number): boolean {
  return credential.expires_at === undefined || Date.parse(credential.expires_at) > now;
}

function boundCredentials(
  store: SandboxStore,
  client: StoredClient,
  method: 'tls_client_auth' | 'self_signed_tls_client_auth',
): StoredCredential[] {
  const ids = new Set((client.client_authentication_methods?.[method]?.credentials ?? []).map((c) => c.id));
  return store.credentialsOf(client.client_id).filter((c) => ids.has(c.id));
}

function presentedCertificate(edge: EdgeContext | null): { certificate: CertificateFacts } | { problem: string } {
  if (!edge) return { problem: 'A client certificate is required: call the mTLS endpoint through the edge.' };
  if (edge.certificateProblem) return { problem: edge.certificateProblem };
  if (!edge.certificate) return { problem: 'The edge forwarded no client certificate.' };
  return { certificate: edge.certificate };
}

export function authenticateClient(
  store: SandboxStore,
  client: StoredClient,
  secret: string | undefined,
  edge: EdgeContext | null,
  now: number,
): Authenticated {
  const methods = client.client_authentication_methods;
  if (methods?.tls_client_auth) {
    const presented = presentedCertificate(edge);
    if ('problem' in presented) return fail(presented.problem);
    if (edge?.caVerified !== 'SUCCESS')
      return fail(
        `The edge did not verify the client certificate against the CA bundle (client-certificate-ca-verified: ${edge?.caVerified ?? 'NONE'}).`,
      );
    const dn = presented.certificate.subjectDn;
    const match = boundCredentials(store, client, 'tls_client_auth').find(
      (c) => c.credential_type === 'cert_subject_dn' && c.subject_dn === dn && usable(c, now),
    );
    if (!match)
      return fail(`No enabled cert_subject_dn credential of this client has the certificate's subject DN (${dn.replaceAll('\n', ', ')}).`);
    return { ok: true, certificate: presented.certificate, method: 'tls_client_auth' };
  }
  if (methods?.self_signed_tls_client_auth) {
    const presented = presentedCertificate(edge);
    if ('problem' in presented) return fail(presented.problem);
    const cert = presented.certificate;
    if (now < cert.notBefore.getTime() || now > cert.notAfter.getTime())
      return fail('The self-signed client certificate is outside its validity period.');
    const match = boundCredentials(store, client, 'self_signed_tls_client_auth').find(
      (c) => c.credential_type === 'x509_cert' && c.thumbprint_sha256 === cert.thumbprintSha256 && usable(c, now),
    );
    if (!match) return fail("No enabled x509_cert credential of this client has the certificate's SHA-256 thumbprint.");
    return { ok: true, certificate: cert, method: 'self_signed_tls_client_auth' };
  }
  if (methods?.private_key_jwt) return fail('private_key_jwt client authentication is not emulated by the sandbox.');
  if (client.token_endpoint_auth_method === 'none' || client.token_endpoint_auth_method === null) {
    return fail('This client has no token endpoint authentication method that the client_credentials grant can use.');
  }
  if (secret === undefined) return fail('Client authentication failed: client_secret is missing.');
  if (!sameSecret(secret, client.client_secret)) return fail('Client authentication failed: wrong client_secret.');
  // A secret client may still present a verified certificate, to which a bound token is tied.
  const certificate = edge?.caVerified === 'SUCCESS' ? edge.certificate : undefined;
  return certificate
    ? { ok: true, certificate, method: client.token_endpoint_auth_method }
    : { ok: true, method: client.token_endpoint_auth_method };
}
