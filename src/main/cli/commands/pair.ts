/** `certdesk pair show|export|import`: the one-time exchange of public transfer keys between a signer and its publisher. */
import type { Command } from 'commander';
import type { CliTools } from '../output.ts';

export function registerPairCommands(program: Command, tools: CliTools): void {
  const pair = program.command('pair').description("pair this folder with its peer (a signer's publisher, a publisher's signer)");
  pair
    .command('show')
    .description("this folder's role, its transfer key's fingerprint, and the paired peer")
    .action(async () => {
      const view = await (await tools.transfer()).showPairing();
      tools.print(view, () =>
        [
          `Role: ${view.role}`,
          `This folder's transfer key: ${view.fingerprint}`,
          view.peer
            ? `Paired with the ${view.peer.role} ${view.peer.fingerprint} (${view.peer.actor}), since ${view.peer.pairedAt} by ${view.peer.pairedBy}`
            : 'Not paired: certdesk pair export --out FILE here, certdesk pair import FILE --confirm FINGERPRINT on the peer, and the same the other way.',
          '',
        ].join('\n'),
      );
    });
  pair
    .command('export')
    .description("write this folder's pairing file (its role and public transfer key) for the peer")
    .requiredOption('--out <file>', 'where to write it (its folder must exist)')
    .option('--force', 'replace an existing file')
    .action(async (opts: { out: string; force?: boolean }) => {
      const { path, file } = await (await tools.transfer()).exportPairing(opts.out, opts.force === true);
      tools.print({ path, role: file.role, fingerprint: file.fingerprint, actor: file.actor, createdAt: file.createdAt }, () =>
        [
          `Wrote ${path}: the ${file.role}'s public transfer key.`,
          `Fingerprint: ${file.fingerprint}`,
          'Carry it to the peer; the operator there compares this fingerprint before pairing.',
          '',
        ].join('\n'),
      );
    });
  pair
    .command('import')
    .description('pair with the peer in a pairing file, once its fingerprint is confirmed')
    .argument('<file>', "the peer's pairing file")
    .option('--confirm <fingerprint>', "the peer's fingerprint as the peer's own screen shows it (certdesk pair show there)")
    .option('--replace', 'end the current pairing and pair with this peer instead')
    .action(async (file: string, opts: { confirm?: string; replace?: boolean }) => {
      const result = await (await tools.transfer()).importPairing(file, { confirm: opts.confirm, replace: opts.replace === true });
      tools.print(result, () =>
        [
          `Paired with the ${result.peer.role} ${result.peer.fingerprint} (${result.peer.actor}).`,
          `This folder's transfer key: ${result.ownFingerprint}`,
          ...(result.replaced ? [`The pairing with ${result.replaced} has ended.`] : []),
          '',
        ].join('\n'),
      );
    });
}
