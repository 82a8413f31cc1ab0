import { DIAGNOSTIC_STAGE_TITLES, type DiagnosticStage, type DiagnosticStageId } from '../../../../shared/contract/index.ts';

export type StageStatus = DiagnosticStage['status'];
export type SlotStatus = StageStatus | 'running' | 'waiting';

export const STATUS_LABEL: Record<SlotStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  skip: 'Skipped',
  running: 'Running',
  waiting: 'Waiting',
};

/** Pass green, fail red, skip gray; a running stage blue. */
export const STATUS_COLOR: Record<SlotStatus, string> = {
  pass: 'teal',
  fail: 'red',
  skip: 'gray',
  running: 'blue',
  waiting: 'gray',
};

/** What each stage checks, in a sentence: shown before a run, and under the title after it. */
export const STAGE_PURPOSE: Record<DiagnosticStageId, string> = {
  discovery: 'Reads the tenant’s OpenID configuration: the token endpoint (its mTLS alias when published), the issuer and the JWKS.',
  'edge-handshake':
    'Connects to the edge with TLS: its server certificate must verify, and it must ask for a client certificate from our CAs.',
  token: 'Requests a token with client_credentials, authenticated by the client certificate alone (tls_client_auth).',
  signature: 'Verifies the access token’s signature against the tenant’s JWKS, and its issuer, audience and lifetime.',
  binding: 'Checks that the token is bound to the certificate: cnf.x5t#S256 equals the certificate’s SHA-256 thumbprint (RFC 8705 §3.1).',
  'reject-no-cert': 'Sends the same request without a certificate: the edge itself must refuse it.',
  'reject-foreign-cert': 'Sends it with a certificate from a CA the edge does not trust: the edge must refuse it.',
  'resource-server': 'Calls the API with the token but without the certificate: a resource server that enforces binding refuses it.',
};

/** The files the commands name, and where to get each. */
export const COMMAND_FILES: { name: string; what: string }[] = [
  { name: 'client.pem', what: 'the client certificate and its chain (Inventory → the certificate → Export → chain)' },
  {
    name: 'client-key.pem',
    what: 'its private key, unencrypted (export it as "key", then openssl pkey -in <exported file> -out client-key.pem)',
  },
  { name: 'edge-ca.pem', what: 'the edge CA PEM from the edge settings above' },
  {
    name: 'foreign.pem, foreign-key.pem',
    what: 'any certificate our CAs did not issue, e.g. openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=foreign -days 1 -keyout foreign-key.pem -out foreign.pem',
  },
];

/** Each stage's title until its result names it (main sends the same titles with the result). */
export const STAGE_TITLE = DIAGNOSTIC_STAGE_TITLES;
