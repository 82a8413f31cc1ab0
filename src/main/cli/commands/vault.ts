/** `certdesk vault status|init`: how private keys are protected (the OS keychain, or a passphrase). */
import { Option, type Command } from 'commander';
import type { ChannelInput } from '../../../shared/contract/index.ts';
import type { CliTools } from '../output.ts';

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
}
