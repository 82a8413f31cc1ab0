/**
 * The flight check as the app runs it: from a tenant, an application and a certificate in the
 * inventory to a DiagnosticsReport. The certificate's key is unsealed in main for the run and never
 * leaves it; the tenant's diagnostics settings say how to reach the edge.
 */
import { resolve } from 'node:path';
import type {
  DiagnoseInput,
  DiagnosticFilesInput,
  DiagnosticFilesResult,
  DiagnosticsReport,
  TenantDiagnostics,
  TenantView,
} from '../../../shared/contract/index.ts';
import type { Bindings } from '../auth0/bindings.ts';
import type { Tenants } from '../auth0/tenants.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { requireNetwork } from '../workstation/role-guard.ts';
import { writeChosenFolder } from '../files/chosen-folder.ts';
import type { SaveDialogPort } from '../files/save-dialog-port.ts';
import { sameDn } from '../pki/names.ts';
import type { Inventory } from '../inventory/inventory.ts';
import { certificateToPem, decodePemOrBase64, toPem } from '../pki/pem.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import type { DiagnosticsInput } from './diagnostics-input.ts';
import type { DiscoveryFallback } from './discovery-stage.ts';
import { DIAGNOSTIC_FILES } from './curl-commands.ts';
import { reproductionFiles, runDiagnostics } from './run-diagnostics.ts';
import { assertExportPassphrase, encryptPkcs8Pem } from '../pki/private-key-formats.ts';

export interface DiagnoseParts {
  ctx: CoreContext;
  inventory: Inventory;
  tenants: Tenants;
  bindings: Bindings;
  fetch: typeof fetch;
}

export function discoveryUrlFor(tenant: TenantView, settings: TenantDiagnostics): string {
  return settings.discoveryUrl ?? `https://${tenant.customDomain ?? tenant.domain}/.well-known/openid-configuration`;
}

/**
 * The canonical domain's document, for when the custom domain sits behind an mTLS edge that serves
 * only the token endpoints (certdesk's own nginx configuration does): never when the operator named
 * the discovery URL.
 */
export function discoveryFallbackFor(tenant: TenantView, settings: TenantDiagnostics): DiscoveryFallback | undefined {
  if (settings.discoveryUrl || !tenant.customDomain || tenant.customDomain === tenant.domain) return undefined;
  return { url: `https://${tenant.domain}/.well-known/openid-configuration`, customDomain: tenant.customDomain };
}

function parseEdgeAddress(address: string | undefined): { host: string; port: number } | undefined {
  if (!address) return undefined;
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535)
    throw new CertdeskError('VALIDATION', `edgeAddress must be host:port, such as 127.0.0.1:8443 (got "${address}").`, {
      field: 'edgeAddress',
    });
  return { host: match[1]!, port };
}

export class Diagnose {
  private readonly parts: DiagnoseParts;

  constructor(parts: DiagnoseParts) {
    this.parts = parts;
  }

  /** The certificate to test: the one named, else the newest one actively bound to the application. */
  private certificate(tenant: TenantView, clientId: string, ref: string | undefined): CertificateRow {
    if (ref) return this.parts.inventory.resolve(ref, 'cert');
    const bound = this.parts.bindings.repository.list(tenant.id).filter((b) => b.clientId === clientId && b.state === 'active');
    const newest = bound.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!newest)
      throw new CertdeskError('NOT_FOUND', `No certificate is bound to ${clientId} on "${tenant.name}"; name one with cert.`, {
        field: 'cert',
      });
    return this.parts.inventory.resolve(newest.certificateId, 'cert');
  }

  private async keyPem(row: CertificateRow): Promise<string> {
    if (row.keyStorage !== 'sealed' || !row.keyId) {
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        `certdesk does not hold the private key of ${row.subject} (${row.keyStorage === 'csr-only' ? 'it stayed with the client that made the CSR' : 'imported for tracking'}); run the curl commands on the client instead.`,
        { field: 'cert' },
      );
    }
    const sealed = this.parts.ctx.keys.get(row.keyId);
    if (!sealed)
      throw new CertdeskError('KEY_UNSEAL_FAILED', 'The sealed private key of this certificate is missing from the database.', {
        field: 'cert',
      });
    const pkcs8 = await this.parts.ctx.vault.openKey(row.keyId, sealed.sealed);
    try {
      return toPem(pkcs8, 'PRIVATE KEY');
    } finally {
      pkcs8.fill(0);
    }
  }

  /**
   * The DN Auth0 holds for this application: the credential that matches the certificate's DN if
   * there is one, else the first registered DN (so a mismatch is named). Null when it cannot be read
   * now; the check still runs.
   */
  private async registeredDn(tenant: TenantView, clientId: string, row: CertificateRow): Promise<string | null> {
    try {
      const plan = await this.parts.bindings.plan(tenant.id);
      const dns = (plan.clients.find((c) => c.clientId === clientId)?.credentials ?? [])
        .map((c) => c.subjectDn)
        .filter((dn): dn is string => dn !== null);
      return dns.find((dn) => sameDn(dn, row.subjectLines)) ?? dns[0] ?? null;
    } catch {
      return null;
    }
  }

  /**
   * The tenant's own default audience, read from its settings when nothing closer names an API. A
   * tenant that cannot be read now gives none: the refusal that follows names every way to give one.
   */
  private async defaultAudience(tenant: TenantView): Promise<{ audience?: string; problem: string }> {
    try {
      const audience = await this.parts.bindings.defaultAudience(tenant.id);
      return audience ? { audience, problem: '' } : { problem: `"${tenant.name}" has no default audience` };
    } catch (error) {
      return { problem: `the default audience of "${tenant.name}" could not be read (${(error as Error).message})` };
    }
  }

  /** Builds the flight check's input from the inventory and the tenant's settings. */
  async input(request: DiagnoseInput, options: { readRegisteredDn?: boolean } = {}): Promise<DiagnosticsInput> {
    const tenant = this.parts.tenants.get(request.tenant);
    const settings = tenant.diagnostics ?? {};
    const row = this.certificate(tenant, request.clientId, request.cert);
    const binding = this.parts.bindings.repository
      .list(tenant.id)
      .find((b) => b.clientId === request.clientId && b.certificateId === row.id && b.state !== 'removed');
    const named = request.audience ?? settings.audience ?? binding?.api ?? undefined;
    const tenantDefault = named ? undefined : await this.defaultAudience(tenant);
    const audience = named ?? tenantDefault?.audience;
    if (!audience)
      throw new CertdeskError(
        'VALIDATION',
        `Which API should the token be for? The binding names no API and ${tenantDefault?.problem ?? 'none was given'} (Auth0 tenant settings, default_audience). Give audience (an API identifier), set the tenant's default audience, or set it in the tenant's flight check settings.`,
        { field: 'audience' },
      );
    const chain = this.parts.inventory.chainPems(row.authorityId);
    const connectTo = parseEdgeAddress(settings.edgeAddress);
    const resourceUrl = request.resourceUrl ?? settings.resourceUrl;
    const fallback = discoveryFallbackFor(tenant, settings);
    return {
      discoveryUrl: discoveryUrlFor(tenant, settings),
      ...(fallback ? { discoveryFallback: fallback } : {}),
      clientId: request.clientId,
      audience,
      certificate: {
        certPem: certificateToPem(row.certDer),
        keyPem: await this.keyPem(row),
        chainPem: [certificateToPem(row.certDer), ...chain].join(''),
      },
      caBundlePem: chain.join(''),
      ...(settings.edgeCaPem ? { edgeTrustPem: settings.edgeCaPem } : {}),
      ...(connectTo ? { connectTo } : {}),
      ...(resourceUrl ? { resourceUrl } : {}),
      revoked: row.status === 'revoked',
      registeredSubjectDn: options.readRegisteredDn === false ? null : await this.registeredDn(tenant, request.clientId, row),
    };
  }

  /**
   * The files the stages' commands name, so an operator can run them by hand: the client's key
   * encrypted under `passphrase`. No caller names where they go: with a save dialog (the desktop
   * app) main asks for a folder and writes them there (keys 0600, never over an existing file);
   * without one (web mode, the CLI) they come back for a browser download or the operator's `--files`.
   */
  async writeFiles(request: DiagnosticFilesInput, saveDialog?: SaveDialogPort): Promise<DiagnosticFilesResult> {
    // Refused before anything is read: a caller that could name the folder could plant a key anywhere main can write.
    if (request.dir !== undefined)
      throw new CertdeskError(
        'FORBIDDEN',
        'diagnostics:files takes no dir: certdesk asks for the folder in its own folder dialog (desktop app), or hands the files to your browser as downloads (web mode). Remove dir; nothing was written.',
        { field: 'dir' },
      );
    assertExportPassphrase(request.passphrase);
    const input = await this.input(request, { readRegisteredDn: false });
    const files = await reproductionFiles(input, this.parts.ctx.clock.now().getTime());
    // Like every export of a key: encrypted under the operator's passphrase (curl's --pass reads it).
    const pkcs8 = decodePemOrBase64(input.certificate.keyPem, ['PRIVATE KEY'], 'cert');
    try {
      files[DIAGNOSTIC_FILES.clientKey] = encryptPkcs8Pem(pkcs8, request.passphrase);
    } finally {
      pkcs8.fill(0);
    }
    const entries = Object.entries(files).map(([name, body]) => ({ name, bytes: body, private: /key/.test(name) }));
    const audit = (details: Record<string, unknown>) =>
      this.parts.ctx.audit.append('diagnostics.files', request.clientId, { tenant: request.tenant, ...details, files: Object.keys(files) });
    if (!saveDialog) {
      audit({ delivery: 'download' });
      return {
        files: entries.map((f) => f.name),
        contents: entries.map((f) => ({ name: f.name, contentBase64: Buffer.from(f.bytes).toString('base64'), containsKey: f.private })),
      };
    }
    const chosen = await saveDialog.chooseFolder({ title: 'Choose a folder for the flight check files' });
    if (chosen === null) throw new CertdeskError('VALIDATION', 'Cancelled in the folder dialog; nothing was written.', { field: 'dir' });
    // The dialog only picks a folder: a file already in it is never replaced, and nothing is made on the way.
    const written = writeChosenFolder(chosen, entries, { field: 'dir' });
    const dir = resolve(chosen);
    audit({ dir });
    return { dir, files: written };
  }

  async run(request: DiagnoseInput): Promise<DiagnosticsReport> {
    requireNetwork(this.parts.ctx.db, 'the flight check');
    const input = await this.input(request);
    const { ctx } = this.parts;
    let index = 0;
    const report = await runDiagnostics(input, {
      fetch: this.parts.fetch,
      now: () => ctx.clock.now().getTime(),
      onStage: (stage) => {
        if (request.runId !== undefined) ctx.emit({ type: 'diagnostic-stage', runId: request.runId, index: index++, stage });
      },
    });
    ctx.audit.append('diagnostics.run', request.clientId, {
      tenant: request.tenant,
      clientId: request.clientId,
      thumbprintSha256: report.thumbprintSha256,
      ok: report.ok,
      stages: report.stages.map((s) => `${s.id}:${s.status}${s.code ? `:${s.code}` : ''}`),
    });
    return report;
  }
}
