/**
 * `/clients/{client_id}/credentials`: list, create, get, patch (expires_at only) and delete. A
 * credential made from a PEM certificate carries its subject DN, SHA-256 thumbprint and expiry; an
 * application holds at most two certificate credentials, so that rotation is add, switch, delete.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { readCertificate } from './certificates.ts';
import { ids } from './ids.ts';
import { managementError, type ApiReply } from './http.ts';
import type { ManagementContext, ManagementRoute } from './management-api.ts';
import { clientNotFound } from './management-clients.ts';
import type { StoredCredential } from './state.ts';
import { createCredentialSchema, parseBody, patchCredentialSchema } from './validation.ts';

/** Certificate credentials (cert_subject_dn and x509_cert together) per application. */
export const MAX_CERTIFICATE_CREDENTIALS = 2;
/** public_key credentials per application. */
export const MAX_PUBLIC_KEY_CREDENTIALS = 2;

const CERTIFICATE_TYPES = new Set(['cert_subject_dn', 'x509_cert']);

export function credentialView(c: StoredCredential): Record<string, unknown> {
  const view: Record<string, unknown> = { id: c.id, name: c.name, credential_type: c.credential_type };
  if (c.kid !== undefined) view.kid = c.kid;
  if (c.alg !== undefined) view.alg = c.alg;
  if (c.subject_dn !== undefined) view.subject_dn = c.subject_dn;
  if (c.thumbprint_sha256 !== undefined) view.thumbprint_sha256 = c.thumbprint_sha256;
  view.created_at = c.created_at;
  view.updated_at = c.updated_at;
  if (c.expires_at !== undefined) view.expires_at = c.expires_at;
  return view;
}

function credentialNotFound(): ApiReply {
  return managementError(404, 'The credential does not exist', 'inexistent_credential');
}

function invalid(message: string): ApiReply {
  return managementError(400, message, 'invalid_body');
}

function list(ctx: ManagementContext): ApiReply {
  const clientId = ctx.params.client_id ?? '';
  if (!ctx.store.client(clientId)) return clientNotFound();
  return { status: 200, body: ctx.store.credentialsOf(clientId).map(credentialView) };
}

function create(ctx: ManagementContext): ApiReply {
  const clientId = ctx.params.client_id ?? '';
  const parsed = parseBody(createCredentialSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  if (!ctx.store.client(clientId)) return clientNotFound();
  const input = parsed.value;
  if (input.pem !== undefined && /PRIVATE KEY-----/.test(input.pem))
    return invalid('The pem must hold a certificate or a public key, never a private key.');

  const existing = ctx.store.credentialsOf(clientId);
  const isCertificate = CERTIFICATE_TYPES.has(input.credential_type);
  const sameKind = existing.filter((c) => CERTIFICATE_TYPES.has(c.credential_type) === isCertificate).length;
  const max = isCertificate ? MAX_CERTIFICATE_CREDENTIALS : MAX_PUBLIC_KEY_CREDENTIALS;
  if (sameKind >= max) {
    const kind = isCertificate ? 'certificate credentials (cert_subject_dn and x509_cert)' : 'public_key credentials';
    return managementError(
      400,
      `An application can have at most ${max} ${kind}. Delete one before adding another.`,
      'too_many_credentials',
    );
  }

  const now = new Date(ctx.req.now).toISOString();
  const credential: StoredCredential = {
    id: ids.credential(),
    client_id: clientId,
    name: input.name ?? '',
    credential_type: input.credential_type,
    created_at: now,
    updated_at: now,
  };

  if (input.credential_type === 'cert_subject_dn' || input.credential_type === 'x509_cert') {
    if (input.credential_type === 'x509_cert' && input.pem === undefined)
      return invalid('x509_cert credentials need pem: the self-signed certificate.');
    if (input.credential_type === 'x509_cert' && input.subject_dn !== undefined)
      return invalid('subject_dn applies to cert_subject_dn credentials only.');
    if (input.pem !== undefined && input.subject_dn !== undefined) return invalid('subject_dn and pem are mutually exclusive.');
    if (input.pem === undefined && input.subject_dn === undefined)
      return invalid('cert_subject_dn credentials need pem (recommended) or subject_dn.');
    if (input.pem !== undefined) {
      let facts;
      try {
        facts = readCertificate(input.pem);
      } catch (error) {
        return invalid(`The pem is not a valid X.509 certificate: ${(error as Error).message}`);
      }
      credential.subject_dn = facts.subjectDn;
      credential.thumbprint_sha256 = facts.thumbprintSha256;
      credential.expires_at = facts.notAfter.toISOString();
      credential.pem = input.pem;
    } else {
      credential.subject_dn = input.subject_dn;
      if (input.expires_at !== undefined) credential.expires_at = new Date(input.expires_at).toISOString();
    }
  } else {
    if (input.pem === undefined) return invalid('public_key credentials need pem.');
    if (input.subject_dn !== undefined) return invalid('subject_dn applies to cert_subject_dn credentials only.');
    try {
      const key = createPublicKey(input.pem);
      credential.kid =
        input.kid ??
        createHash('sha256')
          .update(key.export({ type: 'spki', format: 'der' }))
          .digest('base64url');
    } catch (error) {
      return invalid(`The pem is not a valid public key or certificate: ${(error as Error).message}`);
    }
    credential.alg = input.alg ?? 'RS256';
    credential.pem = input.pem;
    if (input.expires_at !== undefined) credential.expires_at = new Date(input.expires_at).toISOString();
    else if (input.parse_expiry_from_cert === true) {
      try {
        credential.expires_at = readCertificate(input.pem).notAfter.toISOString();
      } catch {
        return invalid('parse_expiry_from_cert needs pem to be an X.509 certificate.');
      }
    }
  }

  ctx.store.update((d) => d.credentials.push(credential));
  return { status: 201, body: credentialView(credential) };
}

function get(ctx: ManagementContext): ApiReply {
  if (!ctx.store.client(ctx.params.client_id ?? '')) return clientNotFound();
  const credential = ctx.store.credentialsOf(ctx.params.client_id ?? '').find((c) => c.id === ctx.params.credential_id);
  return credential ? { status: 200, body: credentialView(credential) } : credentialNotFound();
}

function patch(ctx: ManagementContext): ApiReply {
  const parsed = parseBody(patchCredentialSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  if (!ctx.store.client(ctx.params.client_id ?? '')) return clientNotFound();
  const credential = ctx.store.credentialsOf(ctx.params.client_id ?? '').find((c) => c.id === ctx.params.credential_id);
  if (!credential) return credentialNotFound();
  ctx.store.update(() => {
    const expires = parsed.value.expires_at;
    if (expires === null) delete credential.expires_at;
    else if (expires !== undefined) credential.expires_at = new Date(expires).toISOString();
    credential.updated_at = new Date(ctx.req.now).toISOString();
  });
  // The contract answers this PATCH with 201.
  return { status: 201, body: credentialView(credential) };
}

function remove(ctx: ManagementContext): ApiReply {
  const client = ctx.store.client(ctx.params.client_id ?? '');
  // The contract has no 404 for this operation: an unknown client is a bad request URI.
  if (!client) return managementError(400, 'Invalid request URI: the client does not exist.', 'invalid_uri');
  const id = ctx.params.credential_id ?? '';
  const bound = Object.entries(client.client_authentication_methods ?? {}).find(([, m]) => m.credentials.some((c) => c.id === id));
  if (bound) {
    return managementError(
      400,
      `The credential is enabled in client_authentication_methods.${bound[0]}: update the client to remove it first.`,
      'credential_in_use',
    );
  }
  // Deleting a credential that is already gone succeeds, as a repeated DELETE should.
  ctx.store.update((d) => {
    d.credentials = d.credentials.filter((c) => !(c.client_id === client.client_id && c.id === id));
  });
  return { status: 204 };
}

export const credentialRoutes: readonly ManagementRoute[] = [
  { method: 'GET', template: '/clients/{client_id}/credentials', handle: list },
  { method: 'POST', template: '/clients/{client_id}/credentials', handle: create },
  { method: 'GET', template: '/clients/{client_id}/credentials/{credential_id}', handle: get },
  { method: 'PATCH', template: '/clients/{client_id}/credentials/{credential_id}', handle: patch },
  { method: 'DELETE', template: '/clients/{client_id}/credentials/{credential_id}', handle: remove },
];
