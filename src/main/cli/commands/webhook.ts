/** `certdesk webhook`: the optional expiry webhook (issue 13, docs/webhook.md). */
import type { Command } from 'commander';
import type { WebhookResult, WebhookView } from '../../../shared/contract/index.ts';
import type { CliTools } from '../output.ts';

function result(r: WebhookResult): string {
  return r.ok
    ? `${r.at}  ${r.kind}: answered ${r.status} in ${r.ms} ms${r.kind === 'warning' ? ` (${r.items} item(s))` : ''}`
    : `${r.at}  ${r.kind}: ${r.error?.code ?? 'failed'}: ${r.error?.message ?? ''}`;
}

function view(v: WebhookView): string {
  const lines = [v.url ? `Webhook: ${v.url}` : 'No webhook is set. Set one with: certdesk webhook set URL'];
  if (!v.available) lines.push('This folder is an offline signer: it sends no webhook.');
  if (v.lastResult) lines.push(`Last result: ${result(v.lastResult)}`);
  return `${lines.join('\n')}\n`;
}

export function registerWebhookCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;
  const webhook = program.command('webhook').description('POST certificates entering the renewal window to a URL (see docs/webhook.md)');

  webhook
    .command('show', { isDefault: true })
    .description('show the URL and the last result')
    .action(async () => {
      const shown = await call('webhook:show', {});
      print(shown, () => view(shown));
    });

  webhook
    .command('set <url>')
    .description('set the URL: https://, or http:// only to this machine; no credentials in it')
    .action(async (url: string) => {
      const set = await call('webhook:set', { url });
      print(set, () => `${view(set)}Send a test with: certdesk webhook test\n`);
    });

  webhook
    .command('clear')
    .description('turn the webhook off')
    .action(async () => {
      const cleared = await call('webhook:set', { url: null });
      print(cleared, () => view(cleared));
    });

  webhook
    .command('test')
    .description('send a test payload now')
    .action(async () => {
      const sent = await call('webhook:test', {});
      print(sent, () => `${result(sent)}\n`);
    });
}
