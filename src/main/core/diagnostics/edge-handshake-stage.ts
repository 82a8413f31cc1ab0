/**
 * Stage 2: the edge is there, we trust its server certificate for the endpoint's name, it asks for
 * a client certificate, and its list of acceptable client CAs holds our chain.
 */
import { PROBE_CIPHER_SUITES, TLS_1_2 } from './client-hello.ts';
import { sameDn } from '../pki/names.ts';
import { describeName, type BundleAuthority } from './client-certificate.ts';
import { connectAddress, edgeHandshake, type EdgeTarget } from './edge-connection.ts';
import { ALERT_NAMES, type CertificateRequestInfo } from './server-flight.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';
import { probeServerFlight } from './tls-probe.ts';
import type { DiagnosticEvidence } from '../../../shared/contract/index.ts';

export interface EdgeHandshakeFacts {
  /** Whether the edge's CertificateRequest lists every CA of our bundle; null when it could not be read. */
  listsOurCas: boolean | null;
}

function hex16(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

/** Compares the CertificateRequest's CA names with our bundle by name matching, so a re-encoded name still counts. */
function compareCaList(request: CertificateRequestInfo, bundle: BundleAuthority[], items: DiagnosticEvidence[]): BundleAuthority[] {
  const listed = request.authorities.map((der) => ({ der, name: describeName(der) }));
  if (listed.length === 0) {
    items.push(evidence('Edge accepts client CAs', '(an empty list: the edge names no CA, so our chain cannot be compared)'));
    return [];
  }
  listed.forEach((ca, i) => items.push(evidence(`Edge accepts client CA ${i + 1}`, ca.name)));
  const missing: BundleAuthority[] = [];
  for (const ours of bundle) {
    const found = listed.some((ca) => sameDn(ca.der, ours.subjectDer));
    items.push(evidence(`Our CA ${ours.subject}`, found ? 'listed by the edge' : 'NOT listed by the edge'));
    if (!found) missing.push(ours);
  }
  return missing;
}

export async function edgeHandshakeStage(
  target: EdgeTarget,
  bundle: BundleAuthority[],
): Promise<{ outcome: StageOutcome; value: EdgeHandshakeFacts }> {
  const address = connectAddress(target);
  const items = [evidence('Connected to', `${address.host}:${address.port} (SNI ${target.url.hostname})`)];
  const unknown = { listsOurCas: null };
  const handshake = await edgeHandshake(target);
  if (handshake.kind === 'unreachable') {
    items.push(evidence('Error', `${handshake.code}: ${handshake.message}`));
    return {
      outcome: fail(
        'EDGE_UNREACHABLE',
        `Nothing answered TLS at ${address.host}:${address.port}.`,
        `Check that the edge listens there${target.connectTo ? '' : ` and that ${target.url.hostname} resolves to it`} (or give the edge's address with connectTo).`,
        items,
      ),
      value: unknown,
    };
  }
  if (handshake.kind === 'server-untrusted') {
    items.push(evidence('Error', `${handshake.code}: ${handshake.message}`));
    return {
      outcome: fail(
        'EDGE_SERVER_UNTRUSTED',
        `The edge's server certificate is not trusted for ${target.url.hostname} (${handshake.code}).`,
        `Trust the CA that signs the edge's server certificate (edge-ca.pem), and make sure that certificate names ${target.url.hostname}.`,
        items,
      ),
      value: unknown,
    };
  }
  if (handshake.kind === 'ok') {
    items.push(
      evidence('TLS', `${handshake.protocol}, ${handshake.cipher}`),
      evidence('Edge server certificate', `${handshake.serverSubject} (issued by ${handshake.serverIssuer})`),
    );
  } else {
    items.push(evidence('TLS without a client certificate', `the edge ended the handshake (${handshake.code})`));
  }

  const probe = await probeServerFlight({
    host: address.host,
    port: address.port,
    serverName: target.url.hostname,
    timeoutMs: target.timeoutMs,
  });
  if (probe.kind !== 'flight') {
    const what = probe.kind === 'closed' ? `the edge closed the connection after ${probe.received} bytes` : probe.message;
    items.push(evidence('Client CA list', `not read: ${what}`));
    return { outcome: pass(items), value: unknown };
  }
  const flight = probe.flight;
  if (flight.kind === 'alert') {
    const name = ALERT_NAMES[flight.description] ?? `alert ${flight.description}`;
    const note =
      flight.description === 70
        ? 'the edge speaks TLS 1.3 only, where the CertificateRequest is encrypted'
        : `the edge refused a TLS 1.2 ClientHello (${name})`;
    items.push(evidence('Client CA list', `not read: ${note}`));
    return { outcome: pass(items), value: unknown };
  }
  const version = flight.version === TLS_1_2 ? 'TLS 1.2' : hex16(flight.version);
  items.push(
    evidence(
      'TLS 1.2 probe',
      `ServerHello ${version}, ${PROBE_CIPHER_SUITES.get(flight.cipherSuite) ?? `cipher suite ${hex16(flight.cipherSuite)}`}`,
    ),
  );
  if (!flight.certificateRequest) {
    items.push(evidence('Client certificate requested', 'no'));
    return {
      outcome: fail(
        'EDGE_NO_CLIENT_CERT_REQUEST',
        'The edge does not ask for a client certificate, so it cannot forward one to Auth0.',
        'Turn on client certificates at the edge: ssl_client_certificate <ca-bundle.pem> and ssl_verify_client on (nginx), or the equivalent at your CDN.',
        items,
      ),
      value: unknown,
    };
  }
  items.push(evidence('Client certificate requested', 'yes'));
  const missing = compareCaList(flight.certificateRequest, bundle, items);
  if (missing.length > 0) {
    return {
      outcome: fail(
        'EDGE_CA_LIST_MISMATCH',
        `The edge does not list ${missing.map((m) => m.subject).join(' and ')} among the CAs it accepts client certificates from.`,
        'Publish the edge bundle for this CA (ca-bundle.pem, crl.pem) to the edge and reload it.',
        items,
      ),
      value: { listsOurCas: false },
    };
  }
  return { outcome: pass(items), value: { listsOurCas: flight.certificateRequest.authorities.length > 0 ? true : null } };
}
