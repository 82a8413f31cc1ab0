/** `certdesk transfer import|review|approve|refuse|export`: signed bundles across the air gap (docs/transfer-bundles.md). */
import type { Command } from 'commander';
import type { DecisionResult } from '../../core/transfer/decisions.ts';
import type { ImportView } from '../../core/transfer/staging.ts';
import type { CliTools } from '../output.ts';
import { registerSendCaCommand } from './request.ts';

function reviewText(views: ImportView[]): string {
  if (views.length === 0) return 'Nothing waits for review.\n';
  const out: string[] = [];
  for (const v of views) {
    out.push(
      `Import ${v.id}: bundle ${v.sequence} ${v.direction} from the ${v.creator.role} ${v.creator.keyFingerprint} (${v.creator.actor}), made ${v.createdAt}`,
    );
    for (const item of v.items) {
      out.push(`  ${item.id}  ${item.decision.padEnd(8)} ${item.kind}: ${item.effect}`);
      for (const [name, value] of Object.entries(item.details)) out.push(`      ${name}: ${value}`);
      if (item.reason) out.push(`      refused (${item.code ?? 'refused'}): ${item.reason}`);
    }
    const pending = v.items.filter((i) => i.decision === 'pending').length;
    if (pending > 0)
      out.push(
        `  ${pending} pending: certdesk transfer approve ${v.id} --all (or --item ID…), or certdesk transfer refuse ${v.id} --item ID --reason TEXT`,
      );
  }
  return `${out.join('\n')}\n`;
}

function decisionText(result: DecisionResult): string {
  const lines = [
    ...(result.applied.length ? [`Applied: ${result.applied.join(', ')}`] : []),
    ...(result.refused.length ? [`Refused: ${result.refused.join(', ')}`] : []),
    ...(result.skipped.length ? [`Already decided, left as they were: ${result.skipped.join(', ')}`] : []),
  ];
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${reviewText([result.import])}`;
}

export function registerTransferCommands(program: Command, tools: CliTools): void {
  const transfer = program.command('transfer').description('signed transfer bundles between the offline signer and the publisher');
  registerSendCaCommand(transfer, tools);
  transfer
    .command('import')
    .description('verify a bundle from the paired peer and stage its items for review (nothing is applied)')
    .argument('<file>', 'the .cdx bundle')
    .action(async (file: string) => {
      const view = await (await tools.transfer()).importBundle(file);
      tools.print(view, () => reviewText([view]));
    });
  transfer
    .command('review')
    .description('what each staged item will do; without IMPORT, every import with items still pending')
    .argument('[import]', 'one import id')
    .action(async (importId: string | undefined) => {
      const views = (await tools.transfer()).review(importId);
      tools.print(views, () => reviewText(views));
    });
  transfer
    .command('approve')
    .description('apply staged items (each on its own; one that fails is refused with its reason)')
    .argument('<import>', 'the import id')
    .option('--item <id...>', 'the items to approve (several ids, or the option repeated)')
    .option('--all', 'every pending item of the import')
    .action(async (importId: string, opts: { item?: string[]; all?: boolean }) => {
      if ((opts.all === true) === (opts.item !== undefined))
        tools.fail({
          code: 'VALIDATION',
          message: 'Name the items to approve with --item ID…, or pass --all; not both.',
          field: 'item',
        });
      const result = await (await tools.transfer()).approve(importId, opts.all ? 'all' : opts.item!);
      tools.print(result, () => decisionText(result));
    });
  transfer
    .command('refuse')
    .description('refuse staged items with a reason; from a signer the refusal travels back in the next bundle')
    .argument('<import>', 'the import id')
    .requiredOption('--item <id...>', 'the items to refuse (several ids, or the option repeated)')
    .requiredOption('--reason <text>', 'why, for the peer')
    .action(async (importId: string, opts: { item: string[]; reason: string }) => {
      const result = (await tools.transfer()).refuse(importId, opts.item, opts.reason);
      tools.print(result, () => decisionText(result));
    });
  transfer
    .command('export')
    .description('write one bundle with everything queued for the peer, signed under the next sequence')
    .requiredOption('--out <file>', 'where to write the .cdx (its folder must exist)')
    .option('--force', 'replace an existing file')
    .action(async (opts: { out: string; force?: boolean }) => {
      const result = await (await tools.transfer()).exportBundle(opts.out, opts.force === true);
      tools.print(result, () =>
        [
          `Wrote ${result.path}: bundle ${result.sequence} ${result.direction}, ${result.items.length} item(s), SHA-256 ${result.sha256}.`,
          ...result.items.map((i) => `  ${i.id}  ${i.kind}`),
          ...(result.remaining > 0 ? [`${result.remaining} queued item(s) did not fit and wait for the next bundle.`] : []),
          '',
        ].join('\n'),
      );
    });
}
