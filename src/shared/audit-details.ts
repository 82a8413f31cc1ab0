/**
 * An audit entry's details as `key: value` lines for people (the Audit page, `certdesk audit list`):
 * nested objects flatten to dotted keys, lists join with commas, nothing is cut short.
 */
export function auditDetailLines(details: Record<string, unknown>): Array<{ key: string; value: string }> {
  const lines: Array<{ key: string; value: string }> = [];
  const walk = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) lines.push({ key: prefix, value: '—' });
      for (const [key, inner] of entries) walk(prefix ? `${prefix}.${key}` : key, inner);
      return;
    }
    lines.push({ key: prefix, value: scalarText(value) });
  };
  walk('', details);
  return lines.filter((line) => line.key !== '');
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
