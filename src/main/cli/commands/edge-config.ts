/**
 * `certdesk edge folder set|show` and `certdesk edge settings set|show`: the operator's edge folder and
 * the approved settings (what reaches nginx). Typing the command is the approval; the web mode's Edge
 * page can then publish, but only there and only with these settings.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { EdgeConfigView, EdgeSettings } from '../../../shared/contract/index.ts';
import type { EdgeOperator } from '../../core/edge/edge-operator.ts';
import type { CliTools } from '../output.ts';

/** The command the operator typed is their answer: a folder or settings it names are theirs. */
export const CLI_EDGE_OPERATOR: EdgeOperator = {
  via: 'cli',
  typesFolder: true,
  chooseFolder: () => Promise.resolve(null),
  confirmSettings: () => Promise.resolve(true),
  confirmCas: () => Promise.resolve(true),
};

export interface SettingsOptions {
  serverName: string;
  upstream: string;
  serverCert: string;
  serverKey: string;
  cnameApiKeyFile: string;
  listen: string;
  bundleDir?: string;
  upstreamHost?: string;
  clientIpHeader: string;
  verifyClient?: 'on' | 'optional';
  accessLog?: string;
}

/** The settings flags `edge export` and `edge settings set` share. */
export function settingsOptions(command: Command, bundleDirDefault: string): Command {
  return command
    .requiredOption('--server-name <host>', "the tenant's custom domain, e.g. auth.example.com")
    .requiredOption(
      '--upstream <origin>',
      "the custom domain's origin at Auth0, e.g. https://tenant.edge.tenants.auth0.com (http:// only to 127.0.0.1 or [::1])",
    )
    .requiredOption('--server-cert <path>', "path of the edge's TLS certificate on the edge machine")
    .requiredOption('--server-key <path>', "path of the edge's TLS key on the edge machine")
    .requiredOption('--cname-api-key-file <path>', 'the .conf file (outside the bundle) holding: proxy_set_header cname-api-key "<key>";')
    .option('--listen <listen>', 'nginx listen argument', '443')
    .option('--bundle-dir <path>', `where the bundle lives on the edge machine (default: ${bundleDirDefault})`)
    .option('--upstream-host <host>', 'Host header for the upstream (default: --server-name)')
    .option('--client-ip-header <name>', "the custom domain's custom_client_ip_header", 'X-Forwarded-For')
    .option('--access-log <path>', 'absolute path on the edge machine where nginx writes the JSON-lines access log certdesk reads')
    .addOption(
      new Option('--verify-client <mode>', 'on in production; optional only to rehearse the failure the flight check catches').choices([
        'on',
        'optional',
      ]),
    );
}

export function settingsFrom(o: SettingsOptions, bundleDir: string): EdgeSettings {
  return {
    serverName: o.serverName,
    listen: o.listen,
    serverCertificatePath: resolve(o.serverCert),
    serverKeyPath: resolve(o.serverKey),
    upstream: o.upstream,
    cnameApiKeyInclude: resolve(o.cnameApiKeyFile),
    clientIpHeader: o.clientIpHeader,
    bundleDir: resolve(o.bundleDir ?? bundleDir),
    ...(o.upstreamHost ? { upstreamHost: o.upstreamHost } : {}),
    ...(o.verifyClient ? { verifyClient: o.verifyClient } : {}),
    // A path on the edge machine, taken as typed: resolving it here would make it a path of this one.
    ...(o.accessLog !== undefined ? { accessLog: o.accessLog } : {}),
  };
}

function describeConfig(config: EdgeConfigView): string {
  const lines = [
    config.folder
      ? `Edge folder: ${config.folder} (set by ${config.folderSetBy} at ${config.folderSetAt})`
      : 'No edge folder is set: certdesk edge folder set DIR',
  ];
  if (config.settings) {
    lines.push(`Approved settings (by ${config.settingsApprovedBy} at ${config.settingsApprovedAt}):`);
    for (const [field, value] of Object.entries(config.settings)) lines.push(`  ${field}: ${String(value)}`);
  } else lines.push('No edge settings are approved: certdesk edge settings set …');
  lines.push(...describeCas(config));
  if (!config.approved) lines.push(`NOT APPROVED: ${config.problem}. Set the folder and the settings again.`);
  return `${lines.join('\n')}\n`;
}

function describeCas({ approvedCas }: EdgeConfigView): string[] {
  if (!approvedCas) return ['No issuing CAs are approved: certdesk edge settings set … --ca NAME'];
  const head =
    approvedCas.source === 'approved'
      ? `Approved issuing CAs (by ${approvedCas.approvedBy} at ${approvedCas.approvedAt}):`
      : 'Issuing CAs of the last publication (none approved yet; certdesk edge settings set … --ca NAME seals a set):';
  return [head, ...approvedCas.authorities.map((ca) => `  ${ca.name ?? '(no longer in certdesk)'}  SHA-256 ${ca.sha256}`)];
}

export function registerEdgeConfigCommands(edge: Command, tools: CliTools): void {
  const folder = edge.command('folder').description('the folder edge bundles are written to (the Edge page publishes only there)');
  folder
    .command('set')
    .description('set the edge folder; it must be inside an existing folder (certdesk never creates parents)')
    .argument('<dir>', 'the folder')
    .action(async (dir: string) => {
      const config = await tools.call('edge:folder-set', { dir: resolve(dir) });
      tools.print(config, () => describeConfig(config));
    });
  folder
    .command('show')
    .description('the edge folder and the approved settings')
    .action(async () => {
      const config = await tools.call('edge:config-show', {});
      tools.print(config, () => describeConfig(config));
    });
  const settings = edge.command('settings').description('the edge settings that reach nginx, approved by the operator');
  settingsOptions(
    settings.command('set').description('approve these edge settings (the Edge page and rotations publish only approved ones)'),
    'the edge folder',
  )
    .option(
      '--ca <ca>',
      'approve this set of issuing CAs too (repeat for each CA the edge trusts); without it the approved set is unchanged',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (o: SettingsOptions & { ca?: string[] }) => {
      const current = await tools.call('edge:config-show', {});
      const fallback = o.bundleDir ?? current.folder;
      if (!fallback)
        tools.fail({
          code: 'VALIDATION',
          message: 'Give --bundle-dir, or set the edge folder first: certdesk edge folder set DIR',
          field: 'bundleDir',
        });
      const ca = o.ca === undefined ? {} : { ca: o.ca.length === 1 ? o.ca[0]! : o.ca };
      const config = await tools.call('edge:settings-approve', { settings: settingsFrom(o, fallback), ...ca });
      tools.print(config, () => describeConfig(config));
    });
  settings
    .command('show')
    .description('the edge folder and the approved settings')
    .action(async () => {
      const config = await tools.call('edge:config-show', {});
      tools.print(config, () => describeConfig(config));
    });
}
