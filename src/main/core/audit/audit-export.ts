import type { AuditExportFormat, AuditExportResult, AuditFilter, AuditRow } from '../../../shared/contract/index.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { writeChosenFile } from '../files/chosen-file.ts';
import type { SaveDialogPort } from '../files/save-dialog-port.ts';
import type { AuditQuery } from './audit-query.ts';

/** Far above any filtered view an operator reads; a larger export is a backup, which is the database file itself. */
export const AUDIT_EXPORT_MAX_ROWS = 200_000;

const CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'subject_kind', 'subject', 'subject_id', 'details', 'hash'] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet
 * would read as a formula (= + - @, or a leading tab or CR) gets a `'` first, so a value an attacker
 * put in a certificate's CN cannot run in the operator's spreadsheet.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: AuditRow): string {
  const cells = [
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.subject?.kind ?? null,
    row.subject?.label ?? null,
    row.subjectId,
    JSON.stringify(row.details),
    row.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The filtered rows as one file's text, newest first, built row by row from the query's cursor. */
export function auditFileText(query: AuditQuery, filter: AuditFilter, format: AuditExportFormat): { text: string; rows: number } {
  const count = query.count(filter);
  if (count > AUDIT_EXPORT_MAX_ROWS)
    throw new CertdeskError(
      'INPUT_TOO_LARGE',
      `The filter matches ${count} entries; an export holds at most ${AUDIT_EXPORT_MAX_ROWS}. Narrow it by kind, subject or dates (since/until).`,
      { field: 'since' },
    );
  const parts: string[] = [format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '[\n'];
  let rows = 0;
  for (const row of query.each(filter)) {
    if (rows >= count) break;
    parts.push(format === 'csv' ? csvLine(row) : `${rows > 0 ? ',\n' : ''}${JSON.stringify(row)}`);
    rows++;
  }
  if (format === 'json') parts.push(rows > 0 ? '\n]\n' : ']\n');
  return { text: parts.join(''), rows };
}

/**
 * Exports the filtered log. As for certificates, no caller names a path: the desktop app's main asks
 * in its save dialog; web mode and the CLI get the bytes back (a browser download, stdout).
 */
export async function exportAudit(
  deps: { query: AuditQuery; clock: Clock },
  input: AuditFilter & { format: AuditExportFormat },
  saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>,
): Promise<AuditExportResult> {
  const { format, ...filter } = input;
  const { text, rows } = auditFileText(deps.query, filter, format);
  const filename = `certdesk-audit-${deps.clock.now().toISOString().slice(0, 10)}.${format}`;
  if (!saveDialog) return { filename, rows, contentBase64: Buffer.from(text).toString('base64') };
  const chosen = await saveDialog.chooseSavePath({ title: 'Save the audit log export', suggestedName: filename });
  if (chosen === null)
    throw new CertdeskError('VALIDATION', 'Export cancelled in the save dialog; nothing was written.', { field: 'path' });
  const target = writeChosenFile(chosen, text, { field: 'path', replace: true, private: false });
  return { filename, rows, writtenTo: target };
}
