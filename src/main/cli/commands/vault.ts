/** `certdesk vault status|init|lock|change-passphrase|auto-lock`: how private keys are protected (the OS keychain, or a passphrase). */
import { Option, type Command } from 'commander';
import type { ChannelInput } from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import { wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';

/** A passphrase from the environment variable the operator named: never from the command line, where `ps` would show it. */
function passphraseFrom(tools: CliTools, variable: string, field: string): string {
  const value = tools.env[variable];
  if (value === undefined) tools.fail({ code: 'VALIDATION', message: `Set the ${field} in the environment variable ${variable}.`, field });
  return value;
}

export function registerVaultCommands(program: Command, tools: CliTools): void {
  const vault = program.command('vault').description('how private keys are protected (OS keychain or passphrase)');
  vault
    .command('status')
    .description('show the key protection of this data folder')
    .action(async () => {
      const info = await tools.call('app:info', {});
      tools.print(
        info.vault,
        () =>
          `Key protection: ${info.vault.protection ?? 'not set up'} (${info.vault.state})\n${info.vault.detail}\nData folder: ${info.dataDir}\n`,
      );
    });
  vault
    .command('init')
    .description('choose the key protection before the first key exists')
    .addOption(
      new Option('--protection <mode>', 'keychain, or passphrase for a workstation without one')
        .choices(['keychain', 'passphrase'])
        .makeOptionMandatory(),
    )
    .option('--passphrase-env <var>', 'environment variable holding the passphrase', 'CERTDESK_PASSPHRASE')
    .action(async (opts: { protection: 'keychain' | 'passphrase'; passphraseEnv: string }) => {
      const input: ChannelInput<'vault:init'> = { protection: opts.protection };
      if (opts.protection === 'passphrase') {
        const passphrase = tools.env[opts.passphraseEnv];
        if (passphrase === undefined)
          tools.fail({
            code: 'VALIDATION',
            message: `Set the passphrase in the environment variable ${opts.passphraseEnv}.`,
            field: 'passphrase',
          });
        input.passphrase = passphrase;
      }
      const status = await tools.call('vault:init', input);
      tools.print(status, () => `Key protection set: ${status.detail}\n`);
    });
  vault
    .command('lock')
    .description('drop the key from memory in this process (passphrase mode)')
    .action(async () => {
      const status = await tools.call('vault:lock', {});
      // Each CLI command unlocks for itself (CERTDESK_PASSPHRASE); a running app or web host keeps its own unlock.
      tools.print(
        status,
        () => `Keys locked in this process (${status.state}). A running certdesk app or web host locks from Settings → Key protection.\n`,
      );
    });
  vault
    .command('change-passphrase')
    .description('wrap the key under a new passphrase (passphrase mode); the sealed keys are not touched')
    .option('--current-env <var>', 'environment variable holding the current passphrase', 'CERTDESK_PASSPHRASE')
    .option('--new-env <var>', 'environment variable holding the new passphrase', 'CERTDESK_NEW_PASSPHRASE')
    .action(async (opts: { currentEnv: string; newEnv: string }) => {
      const input: ChannelInput<'vault:change-passphrase'> = {
        currentPassphrase: passphraseFrom(tools, opts.currentEnv, 'currentPassphrase'),
        newPassphrase: passphraseFrom(tools, opts.newEnv, 'newPassphrase'),
      };
      const status = await tools.call('vault:change-passphrase', input);
      tools.print(status, () => 'Passphrase changed: the old one no longer unlocks this store.\n');
    });
  vault
    .command('auto-lock')
    .description('lock the keys after MINUTES without use (passphrase mode; 0 = never)')
    .argument('<minutes>', `whole minutes, 0 to ${LIMITS.idleLockMinutes.max}`, wholeNumber('minutes', LIMITS.idleLockMinutes))
    .action(async (minutes: number) => {
      const status = await tools.call('vault:auto-lock', { idleLockMinutes: minutes });
      tools.print(status, () =>
        status.idleLockMinutes === 0 ? 'Auto-lock off.\n' : `Keys lock after ${status.idleLockMinutes} idle minutes.\n`,
      );
    });
}
