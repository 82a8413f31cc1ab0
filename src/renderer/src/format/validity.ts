const DAY_MS = 86_400_000;

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

export type ExpiryTone = 'expired' | 'soon' | 'ok' | 'not-yet';

export interface Expiry {
  text: string;
  tone: ExpiryTone;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** A CA that expires pulls every certificate under it along, so "soon" starts at 90 days. */
export function describeExpiry(notBefore: string, notAfter: string, now = Date.now()): Expiry {
  const start = Date.parse(notBefore);
  const end = Date.parse(notAfter);
  if (Number.isNaN(end)) return { text: '', tone: 'ok' };
  if (!Number.isNaN(start) && start > now) return { text: `valid from ${formatDate(notBefore)}`, tone: 'not-yet' };
  const days = Math.floor((end - now) / DAY_MS);
  if (end <= now) return { text: `expired ${plural(Math.max(1, -days), 'day')} ago`, tone: 'expired' };
  if (days < 1) return { text: 'expires today', tone: 'soon' };
  if (days < 730) return { text: `expires in ${plural(days, 'day')}`, tone: days < 90 ? 'soon' : 'ok' };
  return { text: `expires in ${plural(Math.floor(days / 365.25), 'year')}`, tone: 'ok' };
}

/**
 * A leaf certificate's expiry, coloured by its profile's renewal window rather than a fixed count of
 * days: a fresh 90-day certificate is not a warning; one past its renewal time is, whatever is left.
 */
export function describeLeafExpiry(notAfter: string, renewAt: string, now = Date.now()): Expiry {
  const expiry = describeExpiry('', notAfter, now);
  if (expiry.tone === 'expired') return expiry;
  const renewal = Date.parse(renewAt);
  return { text: expiry.text, tone: !Number.isNaN(renewal) && now >= renewal ? 'soon' : 'ok' };
}

export const EXPIRY_COLOR: Record<ExpiryTone, string> = {
  expired: 'red',
  soon: 'orange',
  ok: 'dimmed',
  'not-yet': 'yellow',
};
