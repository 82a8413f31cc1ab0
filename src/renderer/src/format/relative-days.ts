const DAY_MS = 86_400_000;

export type DaysTone = 'past' | 'soon' | 'ok';

/** Leaf certificates are renewed weeks ahead, so "soon" is the last 30 days. */
export const SOON_DAYS = 30;

export const DAYS_COLOR: Record<DaysTone, string> = { past: 'red', soon: 'orange', ok: 'dimmed' };

/** "in 12 days", "today", "3 days ago": exact day counts, the unit a renewal schedule is planned in. */
export function relativeDays(iso: string, now = Date.now()): { text: string; tone: DaysTone } {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { text: '', tone: 'ok' };
  const diff = at - now;
  // Rounded, not floored: a CRL due in 6 days 23 hours reads "in 7 days".
  const days = Math.round(Math.abs(diff) / DAY_MS);
  if (diff <= 0) return { text: days === 0 ? 'earlier today' : `${days} day${days === 1 ? '' : 's'} ago`, tone: 'past' };
  if (days === 0) return { text: 'today', tone: 'soon' };
  return { text: `in ${days} day${days === 1 ? '' : 's'}`, tone: days < SOON_DAYS ? 'soon' : 'ok' };
}

/** "in 89 days" for a leaf, toned by its renewal window (renewAt from main), not by SOON_DAYS. */
export function leafExpiryDays(notAfter: string, renewAt: string, now = Date.now()): { text: string; tone: DaysTone } {
  const relative = relativeDays(notAfter, now);
  if (relative.tone === 'past') return relative;
  const renewal = Date.parse(renewAt);
  return { text: relative.text, tone: !Number.isNaN(renewal) && now >= renewal ? 'soon' : 'ok' };
}
