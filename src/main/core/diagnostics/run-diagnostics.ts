/**
 * The RFC 8705 token flight check: eight named stages from discovery to the resource server, each
 * with its evidence, timing and, when it fails or is skipped, a stable code, the cause, the fix and
 * a command to repeat it by hand. Everything that can go wrong out there is reported, not thrown.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { X509Certificate } from 'node:crypto';
import type { DiagnosticsReport, DiagnosticStage } from '../../../shared/contract/index.ts';
import { toRfc4514 } from '../pki/names.ts';
import { bindingStage } from './binding-stage.ts';
import { readBundleAuthorities, readClientCertificate } from './client-certificate.ts';
import { curlGet, curlResource, curlTokenRequest, opensslHandshake, thumbprintCommand, type CommandContext } from './curl-commands.ts';
import type { DiagnosticsDeps, DiagnosticsInput } from './diagnostics-input.ts';
import { discoveryStage } from './discovery-stage.ts';
import type { TokenResponse } from './edge-answers.ts';
import type { EdgeTarget } from './edge-connection.ts';
import { edgeHandshakeStage } from './edge-handshake-stage.ts';
import { makeForeignCertificate } from './foreign-certificate.ts';
import { rejectForeignCertStage, rejectNoCertStage } from './rejection-stages.ts';
import { resourceServerStage } from './resource-server-stage.ts';
import { signatureStage } from './signature-stage.ts';
import { runStage, skippedStage } from './stage.ts';
import { tokenStage } from './token-stage.ts';

export type { DiagnosticsDeps, DiagnosticsInput } from './diagnostics-input.ts';
export { reproductionFiles } from './diagnostics-input.ts';
export { DIAGNOSTIC_FILES } from './curl-commands.ts';

const NO_TOKEN = [
  'NO_TOKEN',
  'Stage 3 (token) returned no token, so there is nothing to check here.',
  'Fix the token stage first.',
] as const;

function decodeToken(token: TokenResponse | null): DiagnosticsReport['token'] {
  if (!token) return null;
  try {
    return { header: { ...decodeProtectedHeader(token.accessToken) }, payload: { ...decodeJwt(token.accessToken) } };
  } catch {
    return null;
  }
}

/** Runs the flight check for one certificate, client and API. Stages run in `DIAGNOSTIC_STAGES` order; `onStage` hears each as it ends. */
export async function runDiagnostics(input: DiagnosticsInput, deps: DiagnosticsDeps): Promise<DiagnosticsReport> {
  const { now } = deps;
  const startedAt = new Date(now()).toISOString();
  const certificate = readClientCertificate(input.certificate);
  const bundle = readBundleAuthorities(input.caBundlePem);
  const stages: DiagnosticStage[] = [];
  const record = (stage: DiagnosticStage): void => {
    stages.push(stage);
    deps.onStage?.(stage);
  };
  const report = (tokenEndpoint: URL | null, token: TokenResponse | null): DiagnosticsReport => ({
    ok: stages.every((s) => s.status !== 'fail'),
    startedAt,
    tokenEndpoint: tokenEndpoint?.href ?? null,
    clientId: input.clientId,
    audience: input.audience,
    thumbprintSha256: certificate.x5tS256,
    stages,
    token: decodeToken(token),
  });

  const discovery = await runStage('discovery', now, curlGet(input.discoveryUrl), () =>
    discoveryStage(input.discoveryUrl, deps.fetch, input.discoveryFallback),
  );
  // The command repeats what was read: the canonical domain's document when the custom domain would not serve it.
  if (discovery.value?.readFrom) discovery.stage.curl = curlGet(discovery.value.readFrom);
  record(discovery.stage);
  const facts = discovery.value;
  if (!facts) {
    for (const id of ['edge-handshake', 'token', 'signature', 'binding', 'reject-no-cert', 'reject-foreign-cert'] as const) {
      record(skippedStage(id, 'NO_DISCOVERY', 'Discovery failed, so the token endpoint is unknown.', 'Fix the discovery stage first.'));
    }
    record(
      input.resourceUrl
        ? skippedStage('resource-server', ...NO_TOKEN)
        : skippedStage(
            'resource-server',
            'NO_RESOURCE_URL',
            'No resource URL was given.',
            'Give a resource URL of an API that should accept this token only with the certificate.',
          ),
    );
    return report(null, null);
  }

  const target: EdgeTarget = {
    url: facts.tokenEndpoint,
    connectTo: input.connectTo,
    trustPem: input.edgeTrustPem,
    timeoutMs: deps.timeoutMs,
  };
  const commands: CommandContext = { endpoint: facts.tokenEndpoint, connectTo: input.connectTo, edgeCa: input.edgeTrustPem !== undefined };
  const form = { grant_type: 'client_credentials', client_id: input.clientId, audience: input.audience };
  const identity = { certPem: certificate.sendPem, keyPem: input.certificate.keyPem };

  const handshake = await runStage('edge-handshake', now, opensslHandshake(commands), () => edgeHandshakeStage(target, bundle));
  record(handshake.stage);

  const token = await runStage('token', now, curlTokenRequest(commands, form, 'client'), async () => {
    const result = await tokenStage({
      target,
      form,
      identity,
      certificate,
      facts: {
        now: now(),
        revoked: input.revoked === true,
        registeredSubjectDn: input.registeredSubjectDn ?? null,
        edgeListsOurCas: handshake.value.listsOurCas,
      },
    });
    return { outcome: result.outcome, value: result.token };
  });
  record(token.stage);
  const accessToken = token.value;

  if (accessToken) {
    const jwks = curlGet(facts.jwksUri);
    record(
      (
        await runStage('signature', now, jwks, async () => ({
          outcome: await signatureStage(accessToken, facts, input.audience, deps.fetch, now()),
          value: null,
        }))
      ).stage,
    );
    record(
      (
        await runStage('binding', now, thumbprintCommand(), async () => ({
          outcome: bindingStage(accessToken, certificate.x5tS256),
          value: null,
        }))
      ).stage,
    );
  } else {
    record(skippedStage('signature', ...NO_TOKEN));
    record(skippedStage('binding', ...NO_TOKEN));
  }

  record(
    (
      await runStage('reject-no-cert', now, curlTokenRequest(commands, form, 'none'), async () => ({
        outcome: await rejectNoCertStage(target, form),
        value: null,
      }))
    ).stage,
  );

  const foreign = input.foreign ?? (await makeForeignCertificate(now()));
  const foreignSubject = toRfc4514(new X509Certificate(foreign.certPem).subject);
  record(
    (
      await runStage('reject-foreign-cert', now, curlTokenRequest(commands, form, 'foreign'), async () => ({
        outcome: await rejectForeignCertStage(target, form, { ...foreign, subject: foreignSubject }),
        value: null,
      }))
    ).stage,
  );

  const resourceUrl = input.resourceUrl;
  if (!resourceUrl) {
    record(
      skippedStage(
        'resource-server',
        'NO_RESOURCE_URL',
        'No resource URL was given.',
        'Give a resource URL of an API that should accept this token only with the certificate.',
      ),
    );
  } else if (!accessToken) {
    record(skippedStage('resource-server', ...NO_TOKEN, curlResource(resourceUrl, 'Bearer')));
  } else {
    const curl = curlResource(resourceUrl, accessToken.tokenType);
    record(
      (
        await runStage('resource-server', now, curl, async () => ({
          outcome: await resourceServerStage(resourceUrl, accessToken, deps.fetch),
          value: null,
        }))
      ).stage,
    );
  }
  return report(facts.tokenEndpoint, accessToken);
}
