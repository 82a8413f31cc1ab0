/** `certdesk audit verify|reanchor|list`: the hash-chained audit log. */
import type { Command } from 'commander';
import { auditVerifyFailure, type AuditFilter, type AuditRow } from '../../../shared/contract/index.ts';
import { auditDetailLines } from '../../../shared/audit-details.ts';
import type { CliTools } from '../output.ts';

const PAGE = 1000;

function describeRow(row: AuditRow): string {
  const subject = row.subject ? `  ${row.subject.label}${row.subject.label === row.subject.id ? '' : ` [${row.subject.id}]`}` : '';
  const details = auditDetailLines(row.details).map((line) => `    ${line.key}: ${line.value}`);
  return [`#${row.seq}  ${row.at}  ${row.action}${subject}  (${row.actor})`, ...details].join('\n');
}

export function registerAuditCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check that no audit entry was edited, deleted or cut off the end (chain, keyed MACs, checkpoints)')
    .action(async () => {
      const result = await call('audit:verify', {});
      if (!result.ok) tools.fail(auditVerifyFailure(result));
      const legacy =
        result.keyedFrom !== null && result.keyedFrom > 1 ? `, entries 1–${result.keyedFrom - 1} as the legacy unkeyed segment` : '';
      const checkpoints = `checkpoints: file at entry ${result.checkpoints.file.seq ?? '—'}, keychain at entry ${result.checkpoints.keychain.seq ?? '—'}`;
      print(result, () => `Audit log intact: ${result.checked} entries verified (links and keyed MACs${legacy}; ${checkpoints}).\n`);
    });
  audit
    .command('reanchor')
    .description("tie this data folder to the database's store id after a deliberate database replacement (recorded in the log)")
    .action(async () => {
      const moved = await tools.reanchorAudit();
      print(moved ?? { from: null, to: null }, () =>
        moved
          ? `This data folder now belongs to store ${moved.to} (was ${moved.from}); recorded as audit.reanchor. Run certdesk audit verify.\n`
          : "Nothing to do: this data folder's audit anchor already names the database's store.\n",
      );
    });
  audit
    .command('list')
    .description('the entries, newest first, subjects by name; filtered by kind, subject and UTC dates')
    .option('--kind <kind...>', 'an action (cert.issue) or a family (cert); repeat for several')
    .option('--subject <text>', "text in the subject's id or name (CA name, certificate CN or serial, tenant, binding client)")
    .option('--since <date>', 'from this UTC date (2026-12-05) or instant (2026-12-05T14:00:00Z)')
    .option('--until <date>', 'up to this UTC date, inclusive, or instant')
    .option('--csv', 'print the rows as CSV (spreadsheet formulas neutralised)')
    .action(async (o: { kind?: string[]; subject?: string; since?: string; until?: string; csv?: boolean }, cmd: Command) => {
      const filter: AuditFilter = {};
      if (o.kind) filter.kinds = o.kind;
      if (o.subject !== undefined) filter.subject = o.subject;
      if (o.since !== undefined) filter.since = o.since;
      if (o.until !== undefined) filter.until = o.until;
      if (o.csv) {
        if (cmd.optsWithGlobals<{ json?: boolean }>().json)
          tools.fail({
            code: 'VALIDATION',
            message: 'Give --csv or --json, not both: each prints the whole list its own way.',
            field: 'csv',
          });
        const file = await call('audit:export', { ...filter, format: 'csv' });
        return print(null, () => Buffer.from(file.contentBase64 ?? '', 'base64').toString('utf8'));
      }
      // Page by page, as the UI reads it: the core never holds the whole log for one answer.
      const rows: AuditRow[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await call('audit:list', { ...filter, offset, limit: PAGE });
        rows.push(...page.items);
        if (page.items.length < PAGE || rows.length >= page.total) break;
      }
      print(rows, () => (rows.length ? `${rows.map(describeRow).join('\n')}\n` : 'No audit entries match.\n'));
    });
}
