/**
 * `certdesk bundle show|import|review|approve|refuse|export|send-ca`: signed bundles across the air
 * gap (docs/transfer-bundles.md). `certdesk transfer …` is the same command under its first name.
 */
import type { Command } from 'commander';
import type { DecisionResult } from '../../core/transfer/decisions.ts';
import type { BundlePreview } from '../../core/transfer/preview.ts';
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
        `  ${pending} pending: certdesk bundle approve ${v.id} --all (or --item ID…), or certdesk bundle refuse ${v.id} --item ID --reason TEXT`,
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

function previewText(p: BundlePreview): string {
  const out = [
    `Bundle ${p.file}: verified, signed by the paired ${p.creator.role} ${p.creator.keyFingerprint}; nothing was imported.`,
    `  made by ${p.creator.actor} at ${p.createdAt}, sequence ${p.sequence} ${p.direction} (last accepted: ${p.lastAccepted}), SHA-256 ${p.sha256}`,
  ];
  for (const item of p.items) {
    out.push(`  ${item.id}  ${item.kind}: ${item.effect}`);
    for (const [name, value] of Object.entries(item.details)) out.push(`      ${name}: ${value}`);
    if (item.problem) out.push(`      would be refused (${item.problem.code}): ${item.problem.reason}`);
  }
  out.push(`Import it with certdesk bundle import ${p.file} (add --approve all, or --approve ID…, to approve at once).`);
  return `${out.join('\n')}\n`;
}

/** `--approve all` or `--approve ID…`: "all" alone, or item ids. */
function approval(named: string[], tools: CliTools): 'all' | string[] {
  if (!named.includes('all')) return named;
  if (named.length > 1) tools.fail({ code: 'VALIDATION', message: 'Pass --approve all, or the item ids; not both.', field: 'approve' });
  return 'all';
}

export function registerTransferCommands(program: Command, tools: CliTools): void {
  // One command, two names: `bundle` as the docs and issue 12 name it, `transfer` as scripts already call it.
  const transfer = program
    .command('bundle')
    .alias('transfer')
    .description('signed transfer bundles between the offline signer and the publisher');
  registerSendCaCommand(transfer, tools);
  transfer
    .command('show')
    .description("verify a bundle from the paired peer and print its manifest and each item's effect; nothing is imported or changed")
    .argument('<file>', 'the .cdx bundle')
    .action(async (file: string) => {
      const preview = await (await tools.transfer()).previewBundle(file);
      tools.print(preview, () => previewText(preview));
    });
  transfer
    .command('import')
    .description('verify a bundle from the paired peer and stage its items for review; with --approve, also approve them')
    .argument('<file>', 'the .cdx bundle')
    .option('--approve <items...>', '"all", or the item ids to approve at once (put it after FILE)')
    .action(async (file: string, opts: { approve?: string[] }) => {
      const desk = await tools.transfer();
      if (opts.approve === undefined) {
        const view = await desk.importBundle(file);
        tools.print(view, () => reviewText([view]));
        return;
      }
      const result = await desk.importAndApprove(file, approval(opts.approve, tools));
      tools.print(result, () => decisionText(result));
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
    .option('--again', 'write the latest bundle again, byte for byte (its file was lost): nothing is sequenced anew')
    .action(async (opts: { out: string; force?: boolean; again?: boolean }) => {
      if (opts.again) {
        const { bytes: _bytes, ...again } = (await tools.transfer()).exportAgain({ path: opts.out, force: opts.force === true });
        tools.print(again, () => `Wrote ${again.path}: bundle ${again.sequence} ${again.direction} again, SHA-256 ${again.sha256}.\n`);
        return;
      }
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
