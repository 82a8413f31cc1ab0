/**
 * Reading what a tenant really has for the applications and APIs certdesk binds: the "look" half of
 * look-before-act. Only GETs; a 404 is recorded as data (the plan shows it as drift).
 */
import { CertdeskError } from '../errors.ts';
import type { ManagementGateway } from './management-gateway.ts';

export interface ActualCredential {
  id: string;
  name: string;
  credentialType: string;
  subjectDn: string | null;
  thumbprintSha256: string | null;
  expiresAt: string | null;
}

export interface ActualClient {
  clientId: string;
  exists: boolean;
  name: string | null;
  /** The single client authentication method key set on the client, if any. */
  authMethod: string | null;
  boundCredentialIds: string[];
  tokenEndpointAuthMethod: string | null;
  requirePop: boolean;
  credentials: ActualCredential[];
}

export interface ActualApi {
  ref: string;
  exists: boolean;
  id: string | null;
  popRequired: boolean;
}

export interface ActualTenant {
  clients: Map<string, ActualClient>;
  apis: Map<string, ActualApi>;
  endpointAliases: boolean | null;
}

export const CERTIFICATE_CREDENTIAL_TYPES = new Set(['cert_subject_dn', 'x509_cert']);

function notFound(error: unknown): boolean {
  return error instanceof CertdeskError && error.code === 'AUTH0_NOT_FOUND';
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export async function readClient(gateway: ManagementGateway, clientId: string): Promise<ActualClient> {
  let client: Record<string, unknown>;
  try {
    client = (await gateway.call(`read application ${clientId}`, (mc) => mc.clients.get(clientId))).value as unknown as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (notFound(error))
      return {
        clientId,
        exists: false,
        name: null,
        authMethod: null,
        boundCredentialIds: [],
        tokenEndpointAuthMethod: null,
        requirePop: false,
        credentials: [],
      };
    throw error;
  }
  const methods = (client.client_authentication_methods ?? {}) as Record<string, { credentials?: { id?: string }[] } | undefined>;
  const authMethod = Object.keys(methods).find((k) => methods[k] !== undefined && methods[k] !== null) ?? null;
  const boundCredentialIds = (authMethod ? (methods[authMethod]?.credentials ?? []) : []).map((c) => c.id ?? '').filter(Boolean);
  return {
    clientId,
    exists: true,
    name: str(client.name),
    authMethod,
    boundCredentialIds,
    tokenEndpointAuthMethod: str(client.token_endpoint_auth_method),
    requirePop: client.require_proof_of_possession === true,
    credentials: await listCredentials(gateway, clientId),
  };
}

export async function listCredentials(gateway: ManagementGateway, clientId: string): Promise<ActualCredential[]> {
  const list = (await gateway.call(`list the credentials of ${clientId}`, (mc) => mc.clients.credentials.list(clientId))).value;
  return list.map((c) => ({
    id: c.id ?? '',
    name: c.name ?? '',
    credentialType: String(c.credential_type ?? ''),
    subjectDn: c.subject_dn ?? null,
    thumbprintSha256: c.thumbprint_sha256 ?? null,
    expiresAt: c.expires_at ?? null,
  }));
}

export async function readApi(gateway: ManagementGateway, ref: string): Promise<ActualApi> {
  try {
    const rs = (await gateway.call(`read API ${ref}`, (mc) => mc.resourceServers.get(ref))).value;
    const pop = rs.proof_of_possession;
    return { ref, exists: true, id: rs.id ?? null, popRequired: pop?.mechanism === 'mtls' && pop.required === true };
  } catch (error) {
    if (notFound(error)) return { ref, exists: false, id: null, popRequired: false };
    throw error;
  }
}

export async function readEndpointAliases(gateway: ManagementGateway): Promise<boolean> {
  const settings = (await gateway.call('read the tenant settings', (mc) => mc.tenants.settings.get())).value;
  return settings.mtls?.enable_endpoint_aliases === true;
}

/** Reads everything a plan for these applications and APIs needs, one call at a time. */
export async function readTenant(
  gateway: ManagementGateway,
  want: { clientIds: string[]; apis: string[]; endpointAliases: boolean },
): Promise<ActualTenant> {
  const clients = new Map<string, ActualClient>();
  for (const id of want.clientIds) clients.set(id, await readClient(gateway, id));
  const apis = new Map<string, ActualApi>();
  for (const ref of want.apis) apis.set(ref, await readApi(gateway, ref));
  return { clients, apis, endpointAliases: want.endpointAliases ? await readEndpointAliases(gateway) : null };
}
