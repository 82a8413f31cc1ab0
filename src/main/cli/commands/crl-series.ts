/** `certdesk crl-series`: how long a publisher's pre-signed CRLs last, per CA held without its key. */
import type { Command } from 'commander';
import { CRL_SERIES_WARN_DAYS, type CrlSeriesStatus } from '../../core/offline/crl-store.ts';
import type { CliTools } from '../output.ts';

function human(status: CrlSeriesStatus[]): string {
  if (status.length === 0) return 'No CA is held here without its key: this workstation signs its own CRLs (certdesk crl).\n';
  return status
    .map((s) => {
      const now = s.current
        ? `CRL #${s.current.crlNumber} in effect until ${s.current.nextUpdate}${s.current.expired ? ' (EXPIRED)' : ''}`
        : 'no CRL in effect';
      const last = s.lastPresignedNextUpdate
        ? `last pre-signed CRL runs out ${s.lastPresignedNextUpdate} (${s.daysLeft} days)`
        : 'no CRL held';
      return `${s.warn ? 'WARN' : 'ok  '}  ${s.name}: ${now}; ${last}${s.warn ? ' — ask the signer for a new series' : ''}`;
    })
    .join('\n')
    .concat('\n');
}

export function registerCrlSeriesCommand(program: Command, tools: CliTools): void {
  program
    .command('crl-series')
    .description("how long each key-less CA's pre-signed CRLs last (a publisher's), warning before the last runs out")
    .option('--warn-days <days>', 'warn when the last CRL runs out within this many days', String(CRL_SERIES_WARN_DAYS))
    .action(async (o: { warnDays: string }) => {
      const days = Number(o.warnDays);
      if (!/^\d+$/.test(o.warnDays) || days > 365)
        tools.fail({
          code: 'VALIDATION',
          message: `--warn-days must be a whole number from 0 to 365; got "${o.warnDays}".`,
          field: 'warnDays',
        });
      const status = await tools.crlSeries(days);
      tools.print(status, () => human(status));
    });
}
