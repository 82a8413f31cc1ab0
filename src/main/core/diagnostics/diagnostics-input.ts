/** What the flight check is given (named parameters, validated at the boundary) and what it runs with (ports). */
import type { DiagnosticStage } from '../../../shared/contract/index.ts';
import { readClientCertificate } from './client-certificate.ts';
import { DIAGNOSTIC_FILES } from './curl-commands.ts';
import type { DiscoveryFallback } from './discovery-stage.ts';
import { makeForeignCertificate } from './foreign-certificate.ts';

export interface DiagnosticsInput {
  /** e.g. `https://login.example.com/.well-known/openid-configuration` (the custom domain the edge serves). */
  discoveryUrl: string;
  /** Where to read discovery when `discoveryUrl` (the custom domain, behind the mTLS edge) will not serve it. */
  discoveryFallback?: DiscoveryFallback;
  clientId: string;
  /** The API identifier to request the token for. */
  audience: string;
  /** The client certificate to test with; `chainPem` may repeat the leaf (certdesk's chain export does). */
  certificate: { certPem: string; keyPem: string; chainPem?: string };
  /** Our CA chain, which the edge should trust (the edge bundle's ca-bundle.pem). */
  caBundlePem: string;
  /** CA(s) for the edge's TLS server certificate; the system roots when absent. */
  edgeTrustPem?: string;
  /** Like `curl --connect-to`: connect here for the token endpoint, keeping its name in SNI and Host. */
  connectTo?: { host: string; port: number };
  /** Stage 8: an API URL that must refuse the bound token without the certificate. */
  resourceUrl?: string;
  /** Stage 7's certificate from another CA; a throwaway self-signed one is made when absent. */
  foreign?: { certPem: string; keyPem: string };
  /** From the inventory: the certificate is revoked (so an edge refusal is the CRL at work). */
  revoked?: boolean;
  /** From the inventory: the subject DN Auth0 holds on the bound credential, when known (either DN form). */
  registeredSubjectDn?: string | null;
}

export interface DiagnosticsDeps {
  /** For discovery, the JWKS and the resource server (plain HTTPS, no client certificate). */
  fetch: typeof fetch;
  /** Milliseconds since the epoch: timings, expiry and token validation. */
  now: () => number;
  /** Hears each stage as it ends, in order. */
  onStage?: (stage: DiagnosticStage) => void;
  /** Per-connection ceiling for the edge connections (default 10–15 s). */
  timeoutMs?: number;
}

/**
 * The files the stages' commands name, with their contents, for a host to write to a folder the
 * user chose: they include the client's private key. Without `foreign`, a throwaway foreign
 * certificate is made, so every command has its files. `edge-ca.pem` only with `edgeTrustPem`.
 */
export async function reproductionFiles(
  input: Pick<DiagnosticsInput, 'certificate' | 'caBundlePem' | 'edgeTrustPem' | 'foreign'>,
  now: number,
): Promise<Record<string, string>> {
  const foreign = input.foreign ?? (await makeForeignCertificate(now));
  const files: Record<string, string> = {
    [DIAGNOSTIC_FILES.client]: readClientCertificate(input.certificate).sendPem,
    [DIAGNOSTIC_FILES.clientKey]: input.certificate.keyPem,
    [DIAGNOSTIC_FILES.caBundle]: input.caBundlePem,
    [DIAGNOSTIC_FILES.foreign]: foreign.certPem,
    [DIAGNOSTIC_FILES.foreignKey]: foreign.keyPem,
  };
  if (input.edgeTrustPem) files[DIAGNOSTIC_FILES.edgeCa] = input.edgeTrustPem;
  return files;
}
