/**
 * Comparing subject DNs the way an operator means them. Auth0 shows a credential's DN in its
 * newline form (certificate order, `C=US\nO=YourOrg\nCN=app`); people paste RFC 4514
 * (`CN=app,O=YourOrg,C=US`) or certificate order with commas. All three name the same subject.
 */
import { toRfc4514 } from '../pki/names.ts';

/** Splits on separators that are not escaped with a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] ?? '');
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function normalizeRdn(rdn: string): string {
  return splitUnescaped(rdn, '+')
    .map((ava) => {
      const eq = ava.indexOf('=');
      if (eq < 0) return ava.trim();
      return `${ava.slice(0, eq).trim().toUpperCase()}=${ava.slice(eq + 1).trim()}`;
    })
    .join('+');
}

/** The RDNs of a DN in RFC 4514 order (most specific first), attribute types upper-cased, spaces around separators dropped. */
export function normalizeDn(dn: string): string[] {
  const text = dn.trim();
  const rfc4514 = text.includes('\n') ? toRfc4514(text) : text;
  return splitUnescaped(rfc4514, ',')
    .map(normalizeRdn)
    .filter((rdn) => rdn.length > 0);
}

/** Whether two DNs name the same subject; certificate order written with commas counts too. */
export function sameDn(a: string, b: string): boolean {
  const left = normalizeDn(a);
  const right = normalizeDn(b);
  const equal = (x: string[], y: string[]) => x.length === y.length && x.every((rdn, i) => rdn === y[i]);
  return equal(left, right) || equal(left, [...right].reverse());
}

/** Auth0's newline form written on one line, as its docs print it (`C=US\nO=YourOrg\nCN=app`). */
export function auth0DnForm(lines: string): string {
  return lines.split('\n').filter(Boolean).join('\\n');
}
