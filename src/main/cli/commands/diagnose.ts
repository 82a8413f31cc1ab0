/** `certdesk diagnose`: the RFC 8705 token flight check, stage by stage, with the curl commands. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FAILURE, type ChannelInput, type DiagnosticsReport, type TenantDiagnostics } from '../../../shared/contract/index.ts';
import { checkChosenFolder, writeChosenFolder, type ChosenFolderOptions } from '../../core/files/chosen-folder.ts';
import { DIAGNOSTIC_FILES } from '../../core/diagnostics/curl-commands.ts';
import type { CliTools } from '../output.ts';
import { diagnosticsHeadline } from '../../../shared/diagnostics-headline.ts';

const MARK = { pass: '✔ pass', fail: '✖ FAIL', skip: '– skip' } as const;

/** What a skipped stage left unchecked, so a pass with skips is not read as a full pass. */
function skippedNote(r: DiagnosticsReport): string {
  const skipped = r.stages.filter((s) => s.status === 'skip');
  return skipped.length === 0 ? '' : ` Not checked (skipped): ${skipped.map((s) => s.title).join('; ')}.`;
}

export function describeReport(r: DiagnosticsReport): string {
  const lines = [
    `Token flight check for ${r.clientId} → ${r.audience}`,
    `  token endpoint  ${r.tokenEndpoint ?? '(not found)'}`,
    `  certificate     x5t#S256 ${r.thumbprintSha256}`,
    '',
  ];
  r.stages.forEach((s, i) => {
    lines.push(`${i + 1}. ${MARK[s.status]}  ${s.title}  (${s.ms} ms)${s.code ? `  [${s.code}]` : ''}`);
    for (const e of s.evidence) lines.push(`     ${e.label}: ${e.value}`);
    if (s.cause) lines.push(`     cause: ${s.cause}`);
    if (s.fix) lines.push(`     fix:   ${s.fix}`);
    if (s.curl) lines.push(`     try:   ${s.curl.replaceAll('\n', '\n            ')}`);
  });
  lines.push(
    '',
    r.ok
      ? `${diagnosticsHeadline(r)}: the binding works and the edge refuses what it must.${skippedNote(r)}`
      : `${diagnosticsHeadline(r)}; see the cause and fix above.`,
    '',
  );
  return lines.join('\n');
}

export function registerDiagnoseCommand(program: Command, tools: CliTools): void {
  program
    .command('diagnose')
    .description(
      'run the token flight check against a tenant through its edge (discovery, handshake, token, signature, cnf binding, rejections)',
    )
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .requiredOption('--client <id>', "the Auth0 application's client id")
    .option('--cert <cert>', 'the certificate to test with (default: the newest one bound to the application)')
    .option('--audience <aud>', 'the API identifier to request the token for')
    .option('--resource-url <url>', 'an API URL that must refuse the token without the certificate')
    .option('--discovery <url>', "the tenant's OpenID configuration URL (saved with --save)")
    .option('--edge <host:port>', 'connect to the edge here, keeping the endpoint name (like curl --connect-to; saved with --save)')
    .option('--edge-ca <file>', "CA certificate(s) of the edge's TLS server certificate (saved with --save)")
    .option(
      '--files <dir>',
      "also write the files the commands use into DIR, made if missing in an existing folder (the client's key encrypted under CERTDESK_EXPORT_PASSPHRASE; curl reads it from CLIENT_KEY_PASSPHRASE)",
    )
    .option('--force', 'replace the files of an earlier check in --files DIR')
    .option('--save', "store --discovery, --edge, --edge-ca, --audience and --resource-url as the tenant's diagnostics settings")
    .action(
      async (o: {
        tenant: string;
        client: string;
        cert?: string;
        audience?: string;
        resourceUrl?: string;
        discovery?: string;
        edge?: string;
        edgeCa?: string;
        save?: boolean;
        files?: string;
        force?: boolean;
      }) => {
        // The operator names --files, so it stays; but only its last folder may be new, and old files go only with --force.
        const target: ChosenFolderOptions = { field: 'files', makeFolder: true, replace: o.force === true, replaceHint: 'pass --force' };
        if (o.files !== undefined) checkChosenFolder(o.files, Object.values(DIAGNOSTIC_FILES), target);
        const settings: TenantDiagnostics = {};
        if (o.discovery !== undefined) settings.discoveryUrl = o.discovery;
        if (o.edge !== undefined) settings.edgeAddress = o.edge;
        if (o.edgeCa !== undefined) {
          try {
            settings.edgeCaPem = readFileSync(o.edgeCa, 'utf8');
          } catch (error) {
            tools.fail({
              code: 'NOT_FOUND',
              message: `Cannot read ${o.edgeCa}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
              field: 'edgeCa',
            });
          }
        }
        if (o.save) {
          if (o.audience !== undefined) settings.audience = o.audience;
          if (o.resourceUrl !== undefined) settings.resourceUrl = o.resourceUrl;
        }
        if (Object.keys(settings).length > 0) {
          if (!o.save)
            tools.fail({
              code: 'VALIDATION',
              message:
                '--discovery, --edge and --edge-ca are tenant settings: add --save to store them (they are then used by every later run).',
              field: 'save',
            });
          const current = (await tools.call('tenants:list', {})).find(
            (t) => t.id === o.tenant || t.name.toLowerCase() === o.tenant.toLowerCase(),
          );
          await tools.call('tenants:diagnostics', { tenant: o.tenant, settings: { ...(current?.diagnostics ?? {}), ...settings } });
        }
        const input: ChannelInput<'diagnostics:run'> = { tenant: o.tenant, clientId: o.client };
        if (o.cert !== undefined) input.cert = o.cert;
        if (o.audience !== undefined) input.audience = o.audience;
        if (o.resourceUrl !== undefined) input.resourceUrl = o.resourceUrl;
        const report = await tools.call('diagnostics:run', input);
        let files: { dir: string; files: string[] } | null = null;
        if (o.files !== undefined) {
          const passphrase = tools.env.CERTDESK_EXPORT_PASSPHRASE;
          if (!passphrase)
            tools.fail({
              code: 'PASSPHRASE_TOO_SHORT',
              message: 'Set CERTDESK_EXPORT_PASSPHRASE (at least 12 characters): the client key is written encrypted under it.',
              field: 'passphrase',
            });
          const result = await tools.call('diagnostics:files', { ...input, passphrase });
          const contents = (result.contents ?? []).map((f) => ({
            name: f.name,
            bytes: Buffer.from(f.contentBase64, 'base64'),
            private: f.containsKey,
          }));
          files = { dir: resolve(o.files), files: writeChosenFolder(o.files, contents, target) };
        }
        tools.print(
          files ? { ...report, files } : report,
          () =>
            `${describeReport(report)}${files ? `The commands' files are in ${files.dir}: run them from there with CLIENT_KEY_PASSPHRASE set to the passphrase.\n` : ''}`,
        );
        // A failed stage is a finding about the setup (its codes are the flight check's own, not error codes): someone must fix it.
        if (!report.ok) tools.setExitCode(EXIT_FAILURE);
      },
    );
}
