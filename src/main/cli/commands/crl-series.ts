/** `certdesk crl-series`: how long a publisher's pre-signed CRLs last, per CA held without its key. */
import type { Command } from 'commander';
import { CRL_SERIES_WARN_DAYS, crlSeriesRequestHint, type CrlSeriesState, type CrlSeriesStatus } from '../../../shared/contract/index.ts';
import type { CliTools } from '../output.ts';

/** The line's label: `missing` reads WARN as before (nothing held yet is a warning, not an outage). */
const LABEL: Record<CrlSeriesState, string> = { ok: 'ok', warn: 'WARN', missing: 'WARN', expired: 'EXPIRED' };

/** `--check`'s exit codes, as monitoring plugins read them: 0 all ok, 1 a series runs out soon, 2 one has run out. */
export const CHECK_EXIT = { warn: 1, expired: 2 } as const;

function human(status: CrlSeriesStatus[]): string {
  if (status.length === 0) return 'No CA is held here without its key: this workstation signs its own CRLs (certdesk crl).\n';
  const lines = status.map((s) => {
    const now = s.current
      ? `CRL #${s.current.crlNumber} in effect until ${s.current.nextUpdate}${s.current.expired ? ' (EXPIRED)' : ''}`
      : 'no CRL in effect';
    const last = s.lastPresignedNextUpdate
      ? `last pre-signed CRL ${s.state === 'expired' ? 'ran out' : 'runs out'} ${s.lastPresignedNextUpdate} (${s.daysLeft} days)`
      : 'no CRL held';
    return `${LABEL[s.state].padEnd(7)} ${s.name}: ${now}; ${last}${s.warn ? ' — ask the signer for a new series' : ''}`;
  });
  const first = status.find((s) => s.warn);
  return `${lines.join('\n')}\n${first ? `${crlSeriesRequestHint(first.name)}\n` : ''}`;
}

export function registerCrlSeriesCommand(program: Command, tools: CliTools): void {
  program
    .command('crl-series')
    .description("how long each key-less CA's pre-signed CRLs last (a publisher's), warning before the last runs out")
    .option('--warn-days <days>', 'warn when the last CRL runs out within this many days', String(CRL_SERIES_WARN_DAYS))
    .option(
      '--check',
      `exit ${CHECK_EXIT.warn} when a series runs out within --warn-days, ${CHECK_EXIT.expired} when one has run out or none is held`,
    )
    .action(async (o: { warnDays: string; check?: boolean }) => {
      const days = Number(o.warnDays);
      if (!/^\d+$/.test(o.warnDays) || days > 365)
        tools.fail({
          code: 'VALIDATION',
          message: `--warn-days must be a whole number from 0 to 365; got "${o.warnDays}".`,
          field: 'warnDays',
        });
      const status = await tools.crlSeries(days);
      tools.print(status, () => human(status));
      if (o.check) {
        const out = status.some((s) => s.state === 'expired' || s.state === 'missing');
        if (out) tools.setExitCode(CHECK_EXIT.expired);
        else if (status.some((s) => s.state === 'warn')) tools.setExitCode(CHECK_EXIT.warn);
      }
    });
}
