import { X509Certificate } from 'node:crypto';
import { x509 } from './x509.ts';

export interface SubjectInput {
  commonName: string;
  organization?: string | undefined;
  organizationalUnit?: string | undefined;
  country?: string | undefined;
}

/**
 * Builds a Name in certificate order (C, O, OU, CN) from structured parts, so no escaping of
 * commas, plus signs or quotes in a value can change the meaning of the DN.
 */
export function buildName(subject: SubjectInput): x509.Name {
  // Typed values: a plain string starting with '#' would be read as hex by @peculiar/x509.
  const utf8 = (value: string) => ({ utf8String: value });
  const rdns: Array<Record<string, Array<Record<string, string>>>> = [];
  if (subject.country) rdns.push({ C: [{ printableString: subject.country }] });
  if (subject.organization) rdns.push({ O: [utf8(subject.organization)] });
  if (subject.organizationalUnit) rdns.push({ OU: [utf8(subject.organizationalUnit)] });
  if (subject.commonName) rdns.push({ CN: [utf8(subject.commonName)] });
  return new x509.Name(rdns as unknown as x509.JsonName);
}

/** Both forms operators meet: RFC 4514 (`CN=a,O=b`) and Auth0's newline form in certificate order. */
export function subjectForms(der: Uint8Array): { rfc4514: string; lines: string; issuerRfc4514: string } {
  const cert = new X509Certificate(der);
  return {
    rfc4514: toRfc4514(cert.subject),
    lines: cert.subject,
    issuerRfc4514: toRfc4514(cert.issuer),
  };
}

/**
 * Node prints `C=US\nO=Acme\nCN=x`: certificate order, values already escaped per RFC 2253.
 * RFC 4514 is the same attributes, most specific first, comma-separated.
 */
export function toRfc4514(lines: string): string {
  return lines
    .split('\n')
    .filter((line) => line.length > 0)
    .reverse()
    .join(',');
}
