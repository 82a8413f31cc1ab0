import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { isCountryCode } from '../../../shared/validation.ts';
import { CertdeskError } from '../errors.ts';
import { memoByBytes } from './bytes-memo.ts';
import { tlv } from './der.ts';
import { certificateTbsFields, nameStrings, plainNameLines } from './der-fields.ts';
import { x509 } from './x509.ts';

export interface SubjectInput {
  commonName: string;
  organization?: string | undefined;
  organizationalUnit?: string | undefined;
  country?: string | undefined;
}

/** A UTF-16 surrogate not paired with another: under the `u` flag a pair reads as one code point, never as Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Builds a Name in certificate order (C, O, OU, CN) from structured parts, so no escaping of
 * commas, plus signs or quotes in a value can change the meaning of the DN.
 */
export function buildName(subject: SubjectInput): x509.Name {
  // Refused, never shortened: "USA" must not quietly become "US" (or anything else) in a signed DN.
  if (subject.country !== undefined && subject.country !== '' && !isCountryCode(subject.country))
    throw new CertdeskError(
      'VALIDATION',
      `country must be a two-letter ISO 3166 code in capitals, such as US or DE (got ${JSON.stringify(subject.country)}); nothing was signed.`,
      { field: 'subject.country' },
    );
  // Text that is not Unicode (a lone UTF-16 surrogate) has no UTF-8 form to sign.
  for (const [field, value] of [
    ['subject.commonName', subject.commonName],
    ['subject.organization', subject.organization],
    ['subject.organizationalUnit', subject.organizationalUnit],
  ] as const)
    if (value !== undefined && LONE_SURROGATE.test(value))
      throw new CertdeskError(
        'VALIDATION',
        `${field} holds a broken character (a lone UTF-16 surrogate), which has no UTF-8 form; type the value again. Nothing was signed.`,
        { field },
      );
  // Typed values: a plain string starting with '#' would be read as hex by @peculiar/x509.
  const utf8 = (value: string) => ({ utf8String: value });
  const rdns: Array<Record<string, Array<Record<string, string>>>> = [];
  if (subject.country) rdns.push({ C: [{ printableString: subject.country }] });
  if (subject.organization) rdns.push({ O: [utf8(subject.organization)] });
  if (subject.organizationalUnit) rdns.push({ OU: [utf8(subject.organizationalUnit)] });
  if (subject.commonName) rdns.push({ CN: [utf8(subject.commonName)] });
  const name = new x509.Name(rdns as unknown as x509.JsonName);
  // Its DER, written here as @peculiar/x509 would encode it (test/unit/names.test.ts holds them equal):
  // encoding through asn1-schema cost more than the rest of building the subject.
  nameDers.set(
    name,
    tlv(
      0x30,
      ...(subject.country ? [rdn(ATTRIBUTE_OIDS.C, 0x13, subject.country)] : []),
      ...(subject.organization ? [rdn(ATTRIBUTE_OIDS.O, 0x0c, subject.organization)] : []),
      ...(subject.organizationalUnit ? [rdn(ATTRIBUTE_OIDS.OU, 0x0c, subject.organizationalUnit)] : []),
      ...(subject.commonName ? [rdn(ATTRIBUTE_OIDS.CN, 0x0c, subject.commonName)] : []),
    ),
  );
  return name;
}

/** The OBJECT IDENTIFIER elements of the attributes buildName writes. */
const ATTRIBUTE_OIDS = {
  C: Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x06),
  O: Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x0a),
  OU: Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x0b),
  CN: Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x03),
};

/** An RDN of one attribute: SET { SEQUENCE { type, value } }, the value a string of `tag` (UTF8String, PrintableString). */
function rdn(type: Uint8Array, tag: number, value: string): Uint8Array {
  return tlv(0x31, tlv(0x30, type, tlv(tag, Buffer.from(value, 'utf8'))));
}

/**
 * Both forms operators meet: RFC 4514 (`CN=a,O=b`) and Auth0's newline form in certificate order, as
 * Node prints them. Names of plain C, O, OU and CN values (what certdesk's subjects and CAs mostly
 * are) are printed from their DER as OpenSSL would; any other makes OpenSSL decode the certificate.
 */
export function subjectForms(der: Uint8Array): { rfc4514: string; lines: string; issuerRfc4514: string } {
  let fields: { subject: Uint8Array; issuer: Uint8Array } | undefined;
  try {
    fields = certificateTbsFields(der);
  } catch {
    // Not walkable here: OpenSSL reads it below.
  }
  const lines = fields && plainNameLines(fields.subject);
  const issuerLines = fields && plainNameLines(fields.issuer);
  if (lines && issuerLines) return { rfc4514: toRfc4514(lines), lines, issuerRfc4514: toRfc4514(issuerLines) };
  const cert = new X509Certificate(der);
  return {
    rfc4514: toRfc4514(cert.subject),
    lines: cert.subject,
    issuerRfc4514: toRfc4514(cert.issuer),
  };
}

/**
 * Refuses a certificate from outside (an import) that OpenSSL cannot read. @peculiar/x509 is more lenient
 * (it takes an INTEGER padded with a zero octet, say), subjectForms no longer needs OpenSSL for most names,
 * and Node's OpenSSL still reads stored certificates elsewhere (diagnostics, PKCS#12, release bundles):
 * such a certificate would fail there, unnamed, long after its import.
 */
export function requireOpensslReadable(der: Uint8Array, label: string, field: string): void {
  try {
    new X509Certificate(der);
  } catch (cause) {
    throw new CertdeskError(
      'PEM_INVALID',
      `${label} is not in strict DER, so OpenSSL cannot read it; nothing was imported. Export it again from the CA that issued it.`,
      { field, cause },
    );
  }
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

/** Auth0's newline form written on one line, as its docs print it (`C=US\nO=YourOrg\nCN=app`). */
export function auth0DnForm(lines: string): string {
  return lines.split('\n').filter(Boolean).join('\\n');
}

/** Attribute type names as RFC 4514, OpenSSL, Node and @peculiar/x509 print them. */
const OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  TITLE: '2.5.4.12',
  BUSINESSCATEGORY: '2.5.4.15',
  POSTALCODE: '2.5.4.17',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  INITIALS: '2.5.4.43',
  GENERATIONQUALIFIER: '2.5.4.44',
  DNQUALIFIER: '2.5.4.46',
  PSEUDONYM: '2.5.4.65',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};
/** Every attribute above is matched with caseIgnoreMatch (or caseIgnoreIA5Match) in X.520, RFC 4519 and PKCS #9. */
const CASE_IGNORE = new Set(Object.values(OIDS));

/** One attribute of an RDN, ready to compare: its type's OID and its prepared value. */
export interface ComparableAva {
  type: string;
  value: string;
}

function oidOf(type: string): string {
  const t = type.trim().replace(/^oid\./i, '');
  return /^\d+(\.\d+)+$/.test(t) ? t : (OIDS[t.toUpperCase()] ?? t.toUpperCase());
}

/** RFC 4518 string preparation for caseIgnoreMatch, close enough for names people and CAs write. */
function prepareCaseIgnore(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]|\u034F|\p{Variation_Selector}/gu, '')
    .replace(/[\t\n\v\f\r\u0085]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/\p{Z}/gu, ' ')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .trim()
    .replace(/ +/g, ' ');
}

function comparable(type: string, value: string): ComparableAva {
  const oid = oidOf(type);
  if (value.startsWith('#')) return { type: oid, value: value.toLowerCase() };
  return { type: oid, value: CASE_IGNORE.has(oid) ? prepareCaseIgnore(value) : value };
}

/** Splits on an unescaped separator; escapes stay in place for {@link unescapeValue}. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] ?? '');
      i++;
    } else if (separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** RFC 4514 value unescaping (`\,` and `\2C` alike, hex pairs as UTF-8); unescaped outer spaces are layout. */
function unescapeValue(raw: string): string | null {
  const bytes: number[] = [];
  let start = 0;
  let end = raw.length;
  while (start < end && raw[start] === ' ') start++;
  while (end > start && raw[end - 1] === ' ' && raw[end - 2] !== '\\') end--;
  const text = raw.slice(start, end);
  if (text.startsWith('#')) return /^#([0-9a-fA-F]{2})+$/.test(text) ? text : null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const pair = text.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (i + 1 < text.length) {
      bytes.push(...Buffer.from(text[i + 1] ?? '', 'utf8'));
      i++;
    } else return null;
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseRdn(text: string): ComparableAva[] | null {
  const avas: ComparableAva[] = [];
  for (const ava of splitUnescaped(text, '+')) {
    const eq = ava.indexOf('=');
    const type = eq > 0 ? ava.slice(0, eq).trim() : '';
    const value = eq > 0 ? unescapeValue(ava.slice(eq + 1)) : null;
    if (!/^[A-Za-z][A-Za-z0-9-]*$|^(oid\.)?\d+(\.\d+)+$/i.test(type) || value === null) return null;
    avas.push(comparable(type, value));
  }
  return avas;
}

/** Whether the text is Auth0's form written on one line: a `\n` that is not part of an escaped backslash. */
function hasEscapedNewline(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text[i] === '\\') if (text[++i] === 'n') return true;
  return false;
}

/**
 * The RDNs of a textual DN in certificate order (most general first), each ready to compare, or
 * null when the text is not a DN. The form decides the order (see {@link sameDn}).
 */
export function parseDn(text: string): ComparableAva[][] | null {
  const trimmed = text.trim();
  let rdns: string[];
  if (/[\r\n]/.test(trimmed)) rdns = trimmed.split(/\r?\n/);
  else if (hasEscapedNewline(trimmed)) rdns = trimmed.split('\\n');
  else rdns = splitUnescaped(trimmed, ',').reverse();
  const parsed = rdns.filter((rdn) => rdn.trim().length > 0).map(parseRdn);
  return parsed.length > 0 && parsed.every((rdn) => rdn !== null) ? (parsed as ComparableAva[][]) : null;
}

const STRING_TYPES = [
  asn1js.Utf8String,
  asn1js.PrintableString,
  asn1js.IA5String,
  asn1js.TeletexString,
  asn1js.BmpString,
  asn1js.UniversalString,
];

/** The RDNs of a DER Name (certificate order): string values read as text, any other value as `#hex` of its BER. */
export function derNameRdns(der: Uint8Array): ComparableAva[][] | null {
  // The common strings are read from the bytes (as asn1js reads them); asn1js decodes any other name.
  const strings = nameStrings(der);
  return strings ? strings.map((rdn) => rdn.map((ava) => comparable(ava.oid, ava.text))) : asn1NameRdns(der);
}

/** derNameRdns through asn1js, for every Name (exported for the test that holds both readings equal). */
export function asn1NameRdns(der: Uint8Array): ComparableAva[][] | null {
  const { result, offset } = asn1js.fromBER(Buffer.from(der));
  if (offset === -1 || offset !== der.length || !(result instanceof asn1js.Sequence)) return null;
  const rdns: ComparableAva[][] = [];
  for (const set of result.valueBlock.value) {
    if (!(set instanceof asn1js.Set)) return null;
    const rdn: ComparableAva[] = [];
    for (const ava of set.valueBlock.value) {
      const [type, value] = ava instanceof asn1js.Sequence ? ava.valueBlock.value : [];
      if (!(type instanceof asn1js.ObjectIdentifier) || value === undefined) return null;
      const text = STRING_TYPES.some((t) => value instanceof t)
        ? (value as asn1js.Utf8String).valueBlock.value
        : `#${Buffer.from(value.toBER()).toString('hex')}`;
      rdn.push(comparable(type.valueBlock.toString(), text));
    }
    rdns.push(rdn);
  }
  return rdns;
}

const nameDers = new WeakMap<x509.Name, Uint8Array>();

/**
 * A Name's DER, to compare names of @peculiar/x509 objects with {@link sameDn}. Encoded once per Name
 * object (certdesk never changes a Name once made): an issuance needs its subject's bytes for both DN
 * checks and for the certificate. The bytes are shared, so they are read, never written.
 */
export function nameDer(name: x509.Name): Uint8Array {
  let der = nameDers.get(name);
  if (!der) nameDers.set(name, (der = new Uint8Array(name.toArrayBuffer())));
  return der;
}

/** A DN as text (either form) or as DER (a Name, e.g. `cert.subjectName.toArrayBuffer()`). */
export type DnInput = string | Uint8Array;

function key(rdns: ComparableAva[][]): string {
  return JSON.stringify(rdns.map((rdn) => rdn.map((ava) => `${ava.type}=${ava.value}`).sort()));
}

/**
 * A DER Name as one string, so that {@link sameDn} of two DER names is equality of their keys and an
 * index can find a DN: the compared form of the RDNs, or the bytes themselves when they do not parse
 * (such a name matches only itself, byte for byte, exactly as sameDn has it).
 */
export function dnKey(der: Uint8Array): string {
  let rdns: ComparableAva[][] | null;
  try {
    rdns = derNameRdns(der);
  } catch {
    rdns = null;
  }
  return rdns === null ? `der:${Buffer.from(der).toString('hex')}` : `dn:${key(rdns)}`;
}

/**
 * dnKey for bytes keyed lately: an issuance keys its subject for the DN check and again for its row,
 * and a CA's leaves all carry its name as their issuer.
 */
export const recentDnKey = memoByBytes(1024, dnKey);

/**
 * The one rule for "are these the same distinguished name?", used wherever certdesk compares DNs.
 *
 * What decides it is Auth0: a `cert_subject_dn` credential authenticates a client when its DN
 * "matches the DN extracted from the certificate" the edge forwards. Auth0 does not document more,
 * so certdesk applies the X.509 rule (RFC 5280 §7.1), which OpenSSL's chain building also follows:
 *
 * - RDN order is significant. `O=A,OU=B` and `OU=B,O=A` are different names, and a DN registered in
 *   the wrong order is exactly the mismatch the drift check and the diagnosis must name, so no
 *   reordering is ever tried.
 * - The two textual orders are told apart by their form, never by trying both: a DN with line
 *   breaks (Auth0's and Node's form, also written on one line with `\n` as Auth0's docs do) is in
 *   certificate order; a comma-separated DN is RFC 4514, most specific RDN first, so it is reversed.
 *   (`C=US, O=Acme, CN=app` is therefore read as RFC 4514: the name whose first RDN is CN=app.)
 * - Inside one RDN, the attributes of a multi-valued RDN (`OU=a+O=b`) form a set: their order does not count.
 * - Attribute types compare by OID (`CN`, `cn`, `2.5.4.3` and `OID.2.5.4.3` are one type).
 * - Values of the naming attributes X.520 defines with caseIgnoreMatch (DirectoryString,
 *   PrintableString and IA5String ones: CN, O, OU, C, L, ST, serialNumber, DC, UID, emailAddress…)
 *   compare after RFC 4518 preparation: NFKC, case folding, control and zero-width characters
 *   removed, every space character a space, leading and trailing spaces dropped and inner runs
 *   folded to one. Other attributes, and `#hex` values, compare exactly.
 *
 * A DN that does not parse matches only itself, byte for byte. Pass DER (never @peculiar/x509's
 * `toString()`, which prints certificate order with commas and would be read as RFC 4514).
 */
export function sameDn(a: DnInput, b: DnInput): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a.trim() === b.trim()) return true;
  if (typeof a !== 'string' && typeof b !== 'string' && Buffer.from(a).equals(Buffer.from(b))) return true;
  const left = typeof a === 'string' ? parseDn(a) : derNameRdns(a);
  const right = typeof b === 'string' ? parseDn(b) : derNameRdns(b);
  return left !== null && right !== null && key(left) === key(right);
}
