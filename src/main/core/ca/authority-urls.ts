import type { AuthorityUrls } from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { CertdeskError } from '../errors.ts';
import type { AuthorityRecord, AuthorityRepository } from '../store/authority-repository.ts';
import type { Database } from '../store/database.ts';

export const NO_AUTHORITY_URLS: AuthorityUrls = { crlUrl: null, caIssuersUrl: null, ocspUrl: null };

const LABELS: Record<keyof AuthorityUrls, string> = {
  crlUrl: 'CRL distribution point URL',
  caIssuersUrl: 'CA issuers URL',
  ocspUrl: 'OCSP URL',
};
const MAX_URL = 1024;

/**
 * Why `value` cannot go into a certificate as a URI, or null. A GeneralName URI is an IA5String:
 * ASCII only, no spaces; relying parties fetch it over plain http(s), so nothing else is taken.
 */
export function authorityUrlProblem(field: keyof AuthorityUrls, value: string): string | null {
  const label = LABELS[field];
  if (value.length > MAX_URL) return `${label} (${field}) is longer than ${MAX_URL} characters.`;
  if (/[^\x21-\x7e]/.test(value)) return `${label} (${field}) must be plain ASCII without spaces (percent-encode anything else).`;
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value))
    return `${label} (${field}) must be an http:// or https:// URL, such as http://pki.example.com/issuing.crl; got "${value}".`;
  const url = new URL(value);
  if (url.username || url.password) return `${label} (${field}) must not carry a user name or password.`;
  return null;
}

/** Trims, turns "" into null, and refuses a bad URL naming its field: nothing is stored unless every URL passes. */
export function checkAuthorityUrls(input: Partial<Record<keyof AuthorityUrls, string | null | undefined>>): AuthorityUrls {
  const urls = { ...NO_AUTHORITY_URLS };
  for (const field of Object.keys(LABELS) as Array<keyof AuthorityUrls>) {
    const value = input[field]?.trim();
    if (!value) continue;
    const problem = authorityUrlProblem(field, value);
    if (problem) throw new CertdeskError('VALIDATION', problem, { field });
    urls[field] = value;
  }
  return urls;
}

/** Sets a CA's distribution URLs (audited as ca.urls); leaves issued from then on carry them. */
export function setAuthorityUrls(
  deps: { db: Database; repo: AuthorityRepository; audit: AuditLog | undefined },
  ca: AuthorityRecord,
  input: Partial<AuthorityUrls>,
): void {
  const urls = checkAuthorityUrls(input);
  deps.db
    .transaction(() => {
      if (!deps.repo.setUrls(ca.id, urls))
        throw new CertdeskError('NOT_FOUND', `"${ca.name}" was removed a moment ago; nothing was changed.`, { field: 'ca' });
      deps.audit?.append('ca.urls', ca.id, { name: ca.name, ...urls });
    })
    .immediate();
}
