import type { ScheduleItem } from '../../../shared/contract/index.ts';

/** RFC 5545 text: escape backslash, semicolon, comma and newlines. */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets, continuing with CRLF + space (RFC 5545 §3.1), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  for (const ch of line) {
    if (Buffer.byteLength(current + ch) > (out.length ? 74 : 75)) {
      out.push(current);
      current = ch;
    } else current += ch;
  }
  out.push(current);
  return out.join('\r\n ');
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const day = (iso: string) => iso.slice(0, 10).replace(/-/g, '');

/**
 * The schedule as an iCalendar file: an all-day "renew" event and an "expires" event per item, and
 * an event for each Auth0 credential's `expires_at` (the timeline shows it too).
 */
export function scheduleToIcs(items: readonly ScheduleItem[], now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//certdesk//rotation schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:certdesk rotation schedule',
  ];
  for (const item of items) {
    const what = item.kind === 'ca' ? `CA ${item.name}` : item.name;
    const details = `${item.kind === 'ca' ? 'Certificate authority' : 'Client certificate'} ${item.name}, issued by ${item.issuerName}. Valid until ${item.notAfter}.${item.warnings.length ? ` ${item.warnings.join(' ')}` : ''}`;
    const events: Array<readonly [string, string, string, string]> = [
      ['renew', item.renewAt, `Renew ${what}`, details],
      ['expiry', item.notAfter, `${what} expires`, details],
    ];
    for (const c of item.credentials ?? []) {
      if (!c.expiresAt) continue;
      events.push([
        `credential-${c.credentialId ?? c.clientId}`,
        c.expiresAt,
        `Auth0 credential of ${what} expires (${c.tenantName}, ${c.clientId})`,
        `The certificate credential ${c.credentialId ?? ''} on application ${c.clientId} of tenant "${c.tenantName}" expires at Auth0 on ${c.expiresAt}; the certificate is valid until ${item.notAfter}.`,
      ]);
    }
    for (const [suffix, date, summary, description] of events) {
      lines.push(
        'BEGIN:VEVENT',
        `UID:${item.id}-${suffix}@certdesk`,
        `DTSTAMP:${stamp(now.toISOString())}`,
        `DTSTART;VALUE=DATE:${day(date)}`,
        `SUMMARY:${text(summary)}`,
        `DESCRIPTION:${text(description)}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
