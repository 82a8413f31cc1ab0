/** `certdesk edge reload set|show|clear`: the operator's own custom reload argv, typed here and nowhere else. */
import { InvalidArgumentError, type Command } from 'commander';
import { RELOAD_PRESETS, displayArgv, type EdgeReload, type EdgeReloadConfig } from '../../../shared/contract/index.ts';
import type { ReloadApprover } from '../../core/edge/reload-approver.ts';
import type { CliTools } from '../output.ts';

/** Typing `certdesk edge reload set -- ARGV…` is the operator's approval; no other CLI command sends an argv. */
export const CLI_RELOAD_APPROVER: ReloadApprover = { via: 'cli', confirm: () => Promise.resolve(true) };

export type ReloadPresetName = EdgeReload['preset'];

export function parseReloadPreset(value: string): ReloadPresetName {
  if ((RELOAD_PRESETS as readonly string[]).includes(value)) return value as ReloadPresetName;
  throw new InvalidArgumentError(
    `choose a preset: ${RELOAD_PRESETS.join(', ')}. A shell command is no longer run; set your own argv with certdesk edge reload set -- ARGV… and use --reload custom.`,
  );
}

export function reloadChoice(preset: ReloadPresetName, container: string | undefined): EdgeReload {
  return preset === 'docker' ? { preset, container: container ?? '' } : { preset };
}

function describe(config: EdgeReloadConfig): string {
  const custom = config.custom;
  if (!custom) return 'No custom reload command is set. Publications can use the presets: nginx, systemctl, docker, none.\n';
  const lines = [`Custom reload argv: ${JSON.stringify(custom.argv)}`, `  runs as: ${displayArgv([custom.argv])} (no shell)`];
  if (custom.approved) lines.push(`  approved by ${custom.approvedBy} at ${custom.approvedAt}`);
  else if (custom.legacyCommand !== null)
    lines.push(
      `  NOT APPROVED: converted from the shell command of an older certdesk (${custom.legacyCommand}).`,
      '  It will not run, by hand or by a rotation, until you approve an argv: certdesk edge reload set -- ARGV…',
    );
  else
    lines.push(
      `  NOT APPROVED: ${custom.reason ?? 'its stored argv is not the one approved (changed outside certdesk).'}`,
      '  Approve it again: certdesk edge reload set -- ARGV…',
    );
  return `${lines.join('\n')}\n`;
}

export function registerEdgeReloadCommands(edge: Command, tools: CliTools): void {
  const reload = edge.command('reload').description('the custom reload command publications may run (an argv, never a shell line)');
  reload
    .command('set')
    .description('approve ARGV as the custom reload command: certdesk edge reload set -- nginx -p /srv/edge -s reload')
    .argument('<argv...>', 'the program and its arguments, after --; run exactly so, without a shell')
    .action(async (argv: string[]) => {
      const config = await tools.call('edge:reload-set', { argv });
      tools.print(config, () => `${describe(config)}Publish with --reload custom (or choose it on the Edge page) to run it.\n`);
    });
  reload
    .command('show')
    .description('the custom reload command and whether it is approved')
    .action(async () => {
      const config = await tools.call('edge:reload-show', {});
      tools.print(config, () => describe(config));
    });
  reload
    .command('clear')
    .description('withdraw the custom reload command; publications that used it stop running it')
    .action(async () => {
      const config = await tools.call('edge:reload-clear', {});
      tools.print(config, () => 'The custom reload command was cleared.\n');
    });
}
