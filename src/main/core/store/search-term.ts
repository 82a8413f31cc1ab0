/**
 * The inventory search term for what an operator typed or pasted. Fingerprints and serials are shown
 * and copied in colon form (`AB:CD:…`, as browsers and `openssl x509 -fingerprint` print them), sometimes
 * with openssl's `SHA256 Fingerprint=` or `serial=` prefix; the search text holds them
 * as plain lower-case hex. x5t#S256 is base64url and is matched case-insensitively: 43 characters of it
 * collide with nothing else.
 */
const OPENSSL_PREFIX = /^(?:sha-?(?:1|256)\s+fingerprint\s*=|serial\s*=|x5t#s256\s*[:=])\s*/i;
// Colons only: a hyphen or a space belongs to host names and words (`app-01`), not to fingerprints.
const SEPARATED_HEX = /^[0-9a-f]{1,2}(?::[0-9a-f]{1,2})+$/i;

export function certificateSearchTerm(typed: string): string {
  const text = typed.trim().replace(OPENSSL_PREFIX, '').trim();
  if (SEPARATED_HEX.test(text)) return text.replaceAll(':', '').toLowerCase();
  return text.toLowerCase();
}
