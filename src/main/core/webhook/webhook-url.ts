/**
 * Which URLs the expiry webhook may POST to: https anywhere, plain http only to this machine (a local
 * relay), never with credentials in the URL (they would sit in the database and the audit log).
 */
import { CertdeskError } from '../errors.ts';

export const MAX_WEBHOOK_URL = 2048;

function loopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function refuse(message: string): never {
  throw new CertdeskError('WEBHOOK_URL_INVALID', message, { field: 'url' });
}

/** The URL as certdesk stores it (normalized by the URL parser), or a WEBHOOK_URL_INVALID naming the fix. */
export function checkWebhookUrl(value: string): string {
  const text = value.trim();
  if (text.length === 0) refuse("url is empty: enter the receiver's address, such as https://hooks.example.com/certdesk.");
  if (text.length > MAX_WEBHOOK_URL) refuse(`url is longer than ${MAX_WEBHOOK_URL} characters.`);
  const url = URL.parse(text);
  if (!url) refuse('url is not a URL: enter an absolute address such as https://hooks.example.com/certdesk.');
  if (url.username || url.password)
    refuse('url must not contain a user name or password: put the secret in the path or have the receiver check the source.');
  if (url.protocol === 'http:' && !loopback(url.hostname))
    refuse('url must use https://; plain http:// is allowed only to this machine (localhost, 127.0.0.1 or [::1]).');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('url must be an https:// address.');
  if (url.hash) refuse('url must not have a #fragment: a receiver never sees it.');
  return url.href;
}
