/** `certdesk edge export` (the customer-edge bundle) and `certdesk schedule` (the rotation schedule). */
import { existsSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CLIENT_IP_HEADERS, type ChannelInput, type ClientIpHeader } from '../../../shared/contract/index.ts';
import { parseReloadPreset, registerEdgeReloadCommands, reloadChoice, type ReloadPresetName } from './edge-reload.ts';
import { registerEdgeConfigCommands, settingsFrom, settingsOptions, type SettingsOptions } from './edge-config.ts';
import { LIMITS } from '../../api/limits.ts';
import { CertdeskError } from '../../core/errors.ts';
import { checkChosenFile, writeChosenFile } from '../../core/files/chosen-file.ts';
import { wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';

export function registerScheduleCommand(program: Command, tools: CliTools): void {
  program
    .command('schedule')
    .description('what is due for renewal, most urgent first (certificates and CAs)')
    .option(
      '--within <days>',
      'only what falls due within DAYS (overdue and expired always show)',
      wholeNumber('within', LIMITS.scheduleWithinDays),
    )
    .option('--ics <file>', 'also write the schedule as an iCalendar file, in an existing folder')
    .option('--force', 'replace --ics if it already exists')
    .action(async (o: { within?: number; ics?: string; force?: boolean }) => {
      const query: ChannelInput<'schedule:list'> = {};
      if (o.within !== undefined) query.withinDays = o.within;
      const target = { field: 'ics', replace: o.force === true, replaceHint: 'pass --force' };
      if (o.ics) checkChosenFile(o.ics, target);
      const items = await tools.call('schedule:list', query);
      if (o.ics) writeChosenFile(o.ics, (await tools.call('schedule:ics', query)).content, { ...target, private: false });
      tools.print(items, () => {
        if (!items.length) return 'Nothing is due.\n';
        const rows = items.map(
          (i) =>
            `${i.state.toUpperCase().padEnd(8)} ${i.renewAt.slice(0, 10)}  expires ${i.notAfter.slice(0, 10)} (${i.daysUntilExpiry} d)  ${i.kind === 'ca' ? 'CA ' : ''}${i.name}${i.warnings.map((w) => `\n         ! ${w}`).join('')}`,
        );
        return `${rows.join('\n')}\n${o.ics ? `Calendar written to ${o.ics}\n` : ''}`;
      });
    });
}

export function registerEdgeCommands(program: Command, tools: CliTools): void {
  const edge = program.command('edge').description('the customer edge (nginx) in front of Auth0: CA bundle, CRLs and configuration');
  edge
    .command('key')
    .description("create and verify the tenant's custom domain (self-managed certificates) and write its cname-api-key include for nginx")
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .option('--custom-domain <domain>', "the custom domain (default: the tenant's)")
    .requiredOption('--out <file>', 'the nginx include to write (proxy_set_header cname-api-key "…";), mode 0600, in an existing folder')
    .option('--force', 'replace --out if it already exists')
    .option('--confirm <name>', "the tenant's name, typed again (required for production)")
    .addOption(new Option('--client-ip-header <header>', 'the header the edge puts the client IP in').choices([...CLIENT_IP_HEADERS]))
    .action(
      async (o: {
        tenant: string;
        customDomain?: string;
        out: string;
        force?: boolean;
        confirm?: string;
        clientIpHeader?: ClientIpHeader;
      }) => {
        // The operator names --out, so it stays; checked before Auth0 is asked, as the key it returns comes only once.
        const target = { field: 'out', replace: o.force === true, replaceHint: 'pass --force' };
        const out = checkChosenFile(o.out, target);
        const input: ChannelInput<'auth0:custom-domain'> = { tenant: o.tenant };
        if (o.customDomain !== undefined) input.domain = o.customDomain;
        if (o.clientIpHeader !== undefined) input.clientIpHeader = o.clientIpHeader;
        if (o.confirm !== undefined) input.confirm = o.confirm;
        const { keyInclude, ...setup } = await tools.call('auth0:custom-domain', input);
        let keyFile: string | null = null;
        if (keyInclude) {
          try {
            keyFile = writeChosenFile(out, keyInclude.content, { ...target, private: true });
          } catch (error) {
            // Someone made the file since the check: the key is never printed instead, so say how to get a new one.
            tools.fail({
              code: error instanceof CertdeskError ? error.code : 'VALIDATION',
              message: `${(error as Error).message} Auth0 has verified ${setup.domain} and will not return its cname-api-key again: delete the custom domain in Auth0 and run this again to get a new key.`,
              field: 'out',
            });
          }
        } else if (setup.status === 'ready' && !existsSync(out))
          tools.fail({
            code: 'CONFLICT',
            message: `${setup.domain} is verified already, and Auth0 returns its cname-api-key only once, at verification. Use the key file written then, or delete the custom domain in Auth0 and run this again to get a new key.`,
            field: 'out',
          });
        else if (setup.status === 'ready') keyFile = out;
        const steps =
          keyFile && keyInclude ? [...setup.steps.slice(0, -1), `wrote the cname-api-key include to ${keyFile} (mode 0600)`] : setup.steps;
        // The key goes to its file only, never also to the terminal.
        const shown = { ...setup, keyFile, keyWritten: keyInclude !== undefined, steps };
        tools.print(
          shown,
          () =>
            `${steps.map((s) => `- ${s}`).join('\n')}\nCustom domain ${setup.domain}: ${setup.status}${setup.originDomainName ? `; the edge forwards to ${setup.originDomainName}` : ''}\n${keyFile ? `Use --cname-api-key-file ${keyFile} with certdesk edge export.\n` : ''}`,
        );
      },
    );
  registerEdgeReloadCommands(edge, tools);
  registerEdgeConfigCommands(edge, tools);
  const exportCommand = edge
    .command('export')
    .alias('publish')
    .description('write the edge bundle to the edge folder, optionally run a reload preset, and record the publication')
    .addOption(new Option('--format <format>', 'edge kind').choices(['nginx']).default('nginx'))
    .option('--out <dir>', 'folder to write the bundle to; it becomes the edge folder (default: the one set with certdesk edge folder set)')
    .option('--dir <dir>', 'the same as --out')
    .requiredOption(
      '--ca <ca>',
      'issuing CA whose chain the edge trusts; repeat it to trust several (old and new during a rollover). The set becomes the approved one',
      (value: string, previous: string[] = []) => [...previous, value],
    );
  settingsOptions(exportCommand, '--out')
    .option(
      '--reload <preset>',
      'run after writing, without a shell: none, nginx (nginx -t, then nginx -s reload), systemctl, docker (with --reload-container), or custom (the argv set with certdesk edge reload set)',
      parseReloadPreset,
    )
    .option('--reload-container <name>', 'the container for --reload docker')
    .action(
      async (o: SettingsOptions & { out?: string; dir?: string; ca: string[]; reload?: ReloadPresetName; reloadContainer?: string }) => {
        if (o.out !== undefined && o.dir !== undefined && resolve(o.out) !== resolve(o.dir))
          tools.fail({ code: 'VALIDATION', message: 'Give the folder once: --out or --dir.', field: 'dir' });
        const named = o.out ?? o.dir;
        const folder = named !== undefined ? resolve(named) : (await tools.call('edge:config-show', {})).folder;
        if (!folder)
          tools.fail({
            code: 'EDGE_FOLDER_NOT_SET',
            message: 'No edge folder: give --out DIR, or set it once with certdesk edge folder set DIR.',
            field: 'dir',
          });
        const input: ChannelInput<'edge:publish'> = {
          // One --ca is sent as before; the server refuses a CA given twice, by name.
          ca: o.ca.length === 1 ? o.ca[0]! : o.ca,
          settings: settingsFrom(o, folder),
          dir: folder,
          ...(o.reload ? { reload: reloadChoice(o.reload, o.reloadContainer) } : {}),
        };
        const result = await tools.call('edge:publish', input);
        if (result.reload && result.reload.status !== 0) {
          tools.fail({
            code: 'VALIDATION',
            message: `The bundle was written to ${folder}, but the reload command failed (exit ${result.reload.status}${result.reload.timedOut ? ', timed out' : ''}): ${result.reload.output.trim().split('\n').slice(-3).join(' ')}`,
            field: 'reload',
          });
        }
        const hint = await readSourceHint(o.accessLog, tools);
        tools.print(
          hint ? { ...result, usageSourceHint: hint } : result,
          () =>
            `Edge bundle for ${o.serverName} written to ${folder}:\n${result.files.map((f) => `  ${f}`).join('\n')}\nCRLs: ${Object.entries(
              result.crlNumbers,
            )
              .map(([ca, n]) => `${ca} #${n}`)
              .join(
                ', ',
              )}\n${result.reload ? `Reload: ${result.reload.command} → exit ${result.reload.status} in ${result.reload.durationMs} ms${result.reload.timedOut ? ' (timed out)' : ''}\n${result.reload.program ? `  ran ${result.reload.program} (found when the preset was chosen; rotations run exactly this path)\n` : ''}` : ''}${hint ? `The access log's folder is on this machine. To read it as evidence of use: ${hint}\n` : ''}`,
        );
      },
    );
}

/**
 * When the edge's access log could be on this machine (its folder exists here) and no log is read
 * yet, the command that would read it: offered, never set silently, as the folder may only look alike.
 */
async function readSourceHint(accessLog: string | undefined, tools: CliTools): Promise<string | null> {
  if (accessLog === undefined || !accessLog.startsWith('/')) return null;
  const path = posix.normalize(accessLog);
  let folder: boolean;
  try {
    folder = statSync(posix.dirname(path)).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder || (await tools.usageSourceNow()) !== null) return null;
  return `certdesk usage --source ${path}`;
}
