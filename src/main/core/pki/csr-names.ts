import type { SanEntry, SubjectFields } from '../../../shared/contract/index.ts';
import { hasControlCharacters, sanProblem } from '../../../shared/validation.ts';
import { CertdeskError } from '../errors.ts';
import type { x509 } from './x509.ts';

const KINDS: Partial<Record<string, SanEntry['type']>> = { dns: 'dns', url: 'uri', email: 'email' };

const fixCsr = 'Create the CSR again without it (openssl req -new … -addext "subjectAltName=DNS:client.example.com").';

/**
 * The SANs a CSR asks for, held to the rule typed SANs follow: a name the issue form would refuse
 * (a wildcard, an IP address, a directory name, junk bytes) refuses the whole CSR instead of being
 * dropped or copied, so what the operator sees is exactly what could be signed.
 */
export function checkRequestedSans(ext: x509.SubjectAlternativeNameExtension | null): SanEntry[] {
  if (!ext) return [];
  let names: readonly x509.GeneralName[];
  try {
    names = ext.names.items;
  } catch (cause) {
    throw new CertdeskError('CSR_SAN_INVALID', `The CSR's subjectAltName could not be read. ${fixCsr}`, { field: 'csr', cause });
  }
  return names.map((name, i) => {
    const type = KINDS[name.type];
    if (!type)
      throw new CertdeskError(
        'CSR_SAN_INVALID',
        `The CSR asks for a SAN of kind ${name.type.toUpperCase()} (number ${i + 1}); certdesk issues only DNS, URI and email SANs. ${fixCsr}`,
        { field: 'csr' },
      );
    const problem = sanProblem(type, name.value);
    if (problem)
      throw new CertdeskError(
        'CSR_SAN_INVALID',
        `The CSR asks for the SAN ${type}:${JSON.stringify(name.value)}, which certdesk does not issue: ${problem}. ${fixCsr}`,
        { field: 'csr' },
      );
    return { type, value: name.value } as SanEntry;
  });
}

/** @peculiar/x509 prints these four by their short names; the form has one field for each. */
const FIELDS: Record<string, keyof SubjectFields> = { CN: 'commonName', O: 'organization', OU: 'organizationalUnit', C: 'country' };

/** A CSR's CN, O, OU and C (the last of each, as the form has one field each), and the names of any other attributes. */
export function csrSubjectFields(name: x509.Name): { fields: SubjectFields; otherAttributes: string[] } {
  const fields: SubjectFields = {};
  const other = new Set<string>();
  for (const rdn of name.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      const field = FIELDS[type];
      for (const value of values) {
        // A `#hex` value is not a string type: nothing a text field could show faithfully.
        if (field && !value.startsWith('#')) fields[field] = value;
        else other.add(type);
      }
    }
  }
  return { fields, otherAttributes: [...other] };
}

/**
 * A CSR subject the operator confirmed goes into the certificate as it is; its values still follow
 * the typed fields' rule of printable text, at most 64 characters.
 */
export function checkConfirmedSubject(name: x509.Name): void {
  for (const rdn of name.toJSON())
    for (const [type, values] of Object.entries(rdn))
      for (const value of values)
        if (typeof value !== 'string' || hasControlCharacters(value) || value.length > 64)
          throw new CertdeskError(
            'VALIDATION',
            `The CSR's subject attribute ${type} is not printable text of at most 64 characters. Type the subject yourself (subject) instead of using the CSR's.`,
            { field: 'csr' },
          );
}

/** A Name in RFC 4514 (most specific first), for messages and the CSR preview; @peculiar/x509's JSON is in certificate order. */
export function nameText(name: x509.Name): string {
  const escape = (value: string) => value.replace(/[,+"\\<>;]/g, (ch) => `\\${ch}`);
  return name
    .toJSON()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((value) => `${type}=${escape(value)}`))
        .join('+'),
    )
    .reverse()
    .join(',');
}
