/** One DER TLV's bounds: where its value starts and where the element ends. */
interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlvAt(der: Uint8Array, at: number, limit: number): Tlv {
  const tag = der[at];
  let len = der[at + 1];
  if (tag === undefined || len === undefined || (tag & 0x1f) === 0x1f) throw new RangeError('not DER');
  let start = at + 2;
  if (len & 0x80) {
    const octets = len & 0x7f;
    if (octets === 0 || octets > 4) throw new RangeError('not DER');
    len = 0;
    for (let k = 0; k < octets; k++) len = len * 256 + (der[start + k] ?? NaN);
    start += octets;
  }
  const end = start + len;
  if (!Number.isFinite(end) || end > limit) throw new RangeError('not DER');
  return { tag, start, end };
}

/**
 * The subject Name's DER inside a certificate's DER, found by walking the TBSCertificate's fields
 * (version, serial, signature, issuer, validity, subject) without decoding the rest; null when the
 * bytes are not a certificate.
 */
export function certificateSubjectDer(der: Uint8Array): Uint8Array | null {
  try {
    const cert = tlvAt(der, 0, der.length);
    const tbs = tlvAt(der, cert.start, cert.end);
    let at = tbs.start;
    let field = tlvAt(der, at, tbs.end);
    if (field.tag === 0xa0) field = tlvAt(der, (at = field.end), tbs.end); // explicit version
    for (let skip = 0; skip < 4; skip++) field = tlvAt(der, (at = field.end), tbs.end); // serial, signature, issuer, validity
    return field.tag === 0x30 ? der.subarray(at, field.end) : null;
  } catch {
    return null;
  }
}

/**
 * The subjectPublicKey BIT STRING's bits inside a SubjectPublicKeyInfo's DER (after the unused-bits
 * octet): what RFC 5280 §4.2.1.2 method 1 hashes into a key identifier. Throws RangeError when the
 * bytes are not a SubjectPublicKeyInfo.
 */
export function spkiPublicKeyBits(spki: Uint8Array): Uint8Array {
  const outer = tlvAt(spki, 0, spki.length);
  if (outer.tag !== 0x30 || outer.end !== spki.length) throw new RangeError('not a SubjectPublicKeyInfo');
  const algorithm = tlvAt(spki, outer.start, outer.end);
  const bits = tlvAt(spki, algorithm.end, outer.end);
  if (algorithm.tag !== 0x30 || bits.tag !== 0x03 || bits.end !== outer.end || bits.end - bits.start < 1 || spki[bits.start] !== 0)
    throw new RangeError('not a SubjectPublicKeyInfo');
  return spki.subarray(bits.start + 1, bits.end);
}

/**
 * The first element inside a DER SEQUENCE, as its bytes stand: a CSR's CertificationRequestInfo or a
 * certificate's TBSCertificate, what the outer signature covers. Throws RangeError on other bytes.
 */
export function signedPartDer(der: Uint8Array): Uint8Array {
  const outer = tlvAt(der, 0, der.length);
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new RangeError('not a signed DER SEQUENCE');
  return der.subarray(outer.start, tlvAt(der, outer.start, outer.end).end);
}

/**
 * A CSR's SubjectPublicKeyInfo element as its bytes stand, found by walking the CertificationRequestInfo
 * (version, subject, subjectPKInfo) without decoding the rest (@peculiar's `publicKey` encodes it again from
 * its parse). Only the lengths on the way are checked to be DER's shortest form, not what is inside the key:
 * the caller decides whether these bytes are a form it knows (csr.ts takes only the one DER form of an
 * uncompressed P-256 or P-384 key). Null for anything else.
 */
export function csrSpkiDer(der: Uint8Array): Uint8Array | null {
  try {
    const request = strictTlvAt(der, 0, der.length);
    if (request.tag !== 0x30 || request.end !== der.length) return null;
    const info = strictTlvAt(der, request.start, request.end);
    const version = strictTlvAt(der, info.start, info.end);
    const subject = strictTlvAt(der, version.end, info.end);
    const spki = strictTlvAt(der, subject.end, info.end);
    if (info.tag !== 0x30 || version.tag !== 0x02 || subject.tag !== 0x30 || spki.tag !== 0x30) return null;
    return der.subarray(subject.end, spki.end);
  } catch {
    return null;
  }
}

/** tlvAt, refusing a length not written in its shortest form (X.690 §10.1). */
function strictTlvAt(der: Uint8Array, at: number, limit: number): Tlv {
  const element = tlvAt(der, at, limit);
  const length = element.end - element.start;
  const octets = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  if (element.start - at !== 2 + octets) throw new RangeError('not DER');
  return element;
}

/**
 * A SubjectPublicKeyInfo's algorithm OID (its content octets) and the tag of its parameters (none
 * when absent): an EC key names its curve by OID (tag 0x06), or spells the curve out (a SEQUENCE).
 * Throws RangeError when the bytes are not a SubjectPublicKeyInfo.
 */
export function spkiAlgorithm(spki: Uint8Array): { oid: Uint8Array; parameterTag: number | undefined } {
  const outer = tlvAt(spki, 0, spki.length);
  const algorithm = tlvAt(spki, outer.start, outer.end);
  const oid = tlvAt(spki, algorithm.start, algorithm.end);
  if (outer.tag !== 0x30 || algorithm.tag !== 0x30 || oid.tag !== 0x06) throw new RangeError('not a SubjectPublicKeyInfo');
  return { oid: spki.subarray(oid.start, oid.end), parameterTag: oid.end < algorithm.end ? spki[oid.end] : undefined };
}

/**
 * Each extension of a certificate, as its Extension DER stands in the certificate: the TBSCertificate's
 * `[3]` field walked without decoding the rest. Empty when it has none; throws RangeError when the
 * bytes are not a certificate.
 */
export function certificateExtensionDers(der: Uint8Array): Uint8Array[] {
  const cert = tlvAt(der, 0, der.length);
  const tbs = tlvAt(der, cert.start, cert.end);
  if (cert.tag !== 0x30 || tbs.tag !== 0x30) throw new RangeError('not a certificate');
  const out: Uint8Array[] = [];
  for (let at = tbs.start; at < tbs.end;) {
    const field = tlvAt(der, at, tbs.end);
    if (field.tag === 0xa3) {
      const list = tlvAt(der, field.start, field.end);
      if (list.tag !== 0x30 || list.end !== field.end) throw new RangeError('not a certificate');
      for (let e = list.start; e < list.end;) {
        const extension = tlvAt(der, e, list.end);
        if (extension.tag !== 0x30) throw new RangeError('not a certificate');
        out.push(der.subarray(e, extension.end));
        e = extension.end;
      }
    }
    at = field.end;
  }
  return out;
}

/** The TBSCertificate fields a leaf's detail and lint read, as their DER stands in the certificate. */
export interface TbsFields {
  issuer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subject: Uint8Array;
  spki: Uint8Array;
}

/**
 * Walks a certificate's TBSCertificate (version, serial, signature, issuer, validity, subject,
 * subjectPublicKeyInfo) without decoding the rest. Throws RangeError when the bytes are not a
 * certificate or a time is not in the one form RFC 5280 §4.1.2.5 allows (seconds, `Z`).
 */
export function certificateTbsFields(der: Uint8Array): TbsFields {
  const cert = tlvAt(der, 0, der.length);
  const tbs = tlvAt(der, cert.start, cert.end);
  if (cert.tag !== 0x30 || tbs.tag !== 0x30) throw new RangeError('not a certificate');
  let field = tlvAt(der, tbs.start, tbs.end);
  if (field.tag === 0xa0) field = tlvAt(der, field.end, tbs.end); // explicit version
  const next = (tag: number) => {
    const at = field.end;
    field = tlvAt(der, at, tbs.end);
    if (field.tag !== tag) throw new RangeError('not a certificate');
    return der.subarray(at, field.end);
  };
  if (field.tag !== 0x02) throw new RangeError('not a certificate'); // serial
  next(0x30); // signature algorithm
  const issuer = next(0x30);
  const validity = next(0x30);
  const subject = next(0x30);
  const spki = next(0x30);
  const notBeforeTlv = tlvAt(validity, 2 + lengthOctets(validity), validity.length);
  const notAfterTlv = tlvAt(validity, notBeforeTlv.end, validity.length);
  if (notAfterTlv.end !== validity.length) throw new RangeError('not a certificate');
  return { issuer, notBefore: timeOf(validity, notBeforeTlv), notAfter: timeOf(validity, notAfterTlv), subject, spki };
}

/** How many octets a long-form length takes after the tag and first length octet (0 in short form). */
function lengthOctets(der: Uint8Array): number {
  const len = der[1] ?? 0;
  return len & 0x80 ? len & 0x7f : 0;
}

/** A UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function timeOf(der: Uint8Array, tlv: Tlv): Date {
  const text = String.fromCharCode(...der.subarray(tlv.start, tlv.end));
  const utc = tlv.tag === 0x17 && /^\d{12}Z$/.test(text);
  if (!utc && !(tlv.tag === 0x18 && /^\d{14}Z$/.test(text))) throw new RangeError('not an RFC 5280 time');
  const digits = utc ? text : text.slice(2);
  const two = (at: number) => Number(digits.slice(at, at + 2));
  const year = utc ? (two(0) < 50 ? 2000 : 1900) + two(0) : Number(text.slice(0, 4));
  if (year < 100) throw new RangeError('not an RFC 5280 time'); // Date.UTC would read it as 19xx
  const at = Date.UTC(year, two(2) - 1, two(4), two(6), two(8), two(10));
  const date = new Date(at);
  if (date.getUTCMonth() !== two(2) - 1 || date.getUTCDate() !== two(4) || two(6) > 23 || two(8) > 59 || two(10) > 59)
    throw new RangeError('not an RFC 5280 time');
  return date;
}

/** An OBJECT IDENTIFIER's content octets in dotted form (X.690 §8.19), each text made once per process. */
const oidTexts = new Map<string, string>();
function oidText(content: Uint8Array): string {
  const key = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
  let text = oidTexts.get(key);
  if (text === undefined) {
    const arcs: number[] = [];
    let value = 0;
    for (let i = 0; i < content.length; i++) {
      const octet = content[i]!;
      if (value === 0 && octet === 0x80) throw new RangeError('not DER'); // a leading 0x80 pads an arc
      value = value * 128 + (octet & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER) throw new RangeError('OID arc too large');
      if (octet & 0x80) {
        if (i === content.length - 1) throw new RangeError('not DER');
        continue;
      }
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
    if (arcs.length === 0) throw new RangeError('not DER');
    text = arcs.join('.');
    if (oidTexts.size < 256) oidTexts.set(key, text);
  }
  return text;
}

/** An Extension (RFC 5280 §4.1) as it stands: its OID, its criticality, and extnValue's content octets. */
export interface ExtensionParts {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** Reads one Extension's DER without decoding its value. Throws RangeError when the bytes are not an Extension. */
export function extensionParts(der: Uint8Array): ExtensionParts {
  const outer = tlvAt(der, 0, der.length);
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new RangeError('not an Extension');
  const id = tlvAt(der, outer.start, outer.end);
  if (id.tag !== 0x06) throw new RangeError('not an Extension');
  let next = tlvAt(der, id.end, outer.end);
  let critical = false;
  if (next.tag === 0x01) {
    if (next.end - next.start !== 1) throw new RangeError('not an Extension');
    critical = der[next.start] !== 0;
    next = tlvAt(der, next.end, outer.end);
  }
  if (next.tag !== 0x04 || next.end !== outer.end) throw new RangeError('not an Extension');
  return { oid: oidText(der.subarray(id.start, id.end)), critical, value: der.subarray(next.start, next.end) };
}

/** A primitive OCTET STRING's content, the whole of `der` (a subjectKeyIdentifier's value); null on other bytes. */
export function octetStringContent(der: Uint8Array): Uint8Array | null {
  try {
    const octets = tlvAt(der, 0, der.length);
    return octets.tag === 0x04 && octets.end === der.length ? der.subarray(octets.start, octets.end) : null;
  } catch {
    return null;
  }
}

/** The GeneralName tags (RFC 5280 §4.2.1.6, IMPLICIT) of the SAN kinds certdesk writes, all IA5String. */
export const GENERAL_NAME_TAGS = { email: 0x81, dns: 0x82, uri: 0x86 } as const;
const IA5_GENERAL_NAMES = new Map(Object.entries(GENERAL_NAME_TAGS).map(([type, tag]) => [tag as number, type as 'email' | 'dns' | 'uri']));

/**
 * A GeneralNames value (a subjectAltName's) whose every name is an rfc822Name, dNSName or URI of
 * ASCII characters, as type and text in certificate order; null for anything else (an IP address,
 * an otherName, a directory name, an octet past ASCII), which the caller then decodes in full.
 */
export function asciiGeneralNames(der: Uint8Array): Array<{ type: 'email' | 'dns' | 'uri'; value: string }> | null {
  try {
    const list = tlvAt(der, 0, der.length);
    if (list.tag !== 0x30 || list.end !== der.length) return null;
    const out: Array<{ type: 'email' | 'dns' | 'uri'; value: string }> = [];
    for (let at = list.start; at < list.end;) {
      const name = tlvAt(der, at, list.end);
      const type = IA5_GENERAL_NAMES.get(name.tag);
      if (!type) return null;
      for (let i = name.start; i < name.end; i++) if (der[i]! >= 0x80) return null;
      out.push({ type, value: Buffer.from(der.buffer, der.byteOffset + name.start, name.end - name.start).toString('latin1') });
      at = name.end;
    }
    return out;
  } catch {
    return null;
  }
}

/** The attributes certdesk's subjects are made of, by their OID's content octets, as OpenSSL names them. */
const PLAIN_ATTRIBUTES: Record<string, string> = { '550406': 'C', '55040a': 'O', '55040b': 'OU', '550403': 'CN' };
/** Characters OpenSSL prints as they are in an RFC 2253 value: no escaping, whatever their place (spaces only inside). */
const PLAIN_VALUE = /^[A-Za-z0-9._@:/()-](?:[A-Za-z0-9 ._@:/()-]*[A-Za-z0-9._@:/()-])?$/;

/**
 * A Name's multi-line print as Node (OpenSSL) gives `X509Certificate.subject`, for a Name whose every
 * RDN is one C, O, OU or CN, a UTF8String or PrintableString of plain characters (see PLAIN_VALUE):
 * OpenSSL prints those as they are. Null for any other Name, which only OpenSSL prints.
 */
export function plainNameLines(der: Uint8Array): string | null {
  try {
    const name = tlvAt(der, 0, der.length);
    if (name.tag !== 0x30 || name.end !== der.length || name.start === name.end) return null;
    const lines: string[] = [];
    for (let at = name.start; at < name.end;) {
      const rdn = tlvAt(der, at, name.end);
      const ava = tlvAt(der, rdn.start, rdn.end);
      if (rdn.tag !== 0x31 || ava.tag !== 0x30 || ava.end !== rdn.end) return null;
      const type = tlvAt(der, ava.start, ava.end);
      const value = tlvAt(der, type.end, ava.end);
      if (type.tag !== 0x06 || value.end !== ava.end || (value.tag !== 0x0c && value.tag !== 0x13)) return null;
      const short = PLAIN_ATTRIBUTES[Buffer.from(der.subarray(type.start, type.end)).toString('hex')];
      const text = Buffer.from(der.buffer, der.byteOffset + value.start, value.end - value.start).toString('latin1');
      if (!short || !PLAIN_VALUE.test(text)) return null;
      lines.push(`${short}=${text}`);
      at = rdn.end;
    }
    return lines.join('\n');
  } catch {
    return null;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * asn1js stops at 10,000 nodes (about 4 per attribute), and a Name it cannot read gets another kind of
 * key. Stored subject keys must never change, so the walker leaves any Name near that size to asn1js.
 */
const MAX_WALKED_ATTRIBUTES = 1_000;

/**
 * A Name's RDNs in certificate order, each attribute as its type's OID and its text, when every value
 * is a UTF8String of valid UTF-8 (no byte-order mark), or a PrintableString or IA5String of ASCII: the
 * strings certdesk and most CAs write, read here as asn1js reads them. Null for any other Name (another
 * string type, a value that is not a string) or one of over MAX_WALKED_ATTRIBUTES attributes, which the
 * caller then decodes with asn1js.
 */
export function nameStrings(der: Uint8Array): Array<Array<{ oid: string; text: string }>> | null {
  try {
    const name = tlvAt(der, 0, der.length);
    if (name.tag !== 0x30 || name.end !== der.length) return null;
    const rdns: Array<Array<{ oid: string; text: string }>> = [];
    let attributes = 0;
    for (let at = name.start; at < name.end;) {
      const rdn = tlvAt(der, at, name.end);
      if (rdn.tag !== 0x31 || rdn.start === rdn.end) return null;
      const avas: Array<{ oid: string; text: string }> = [];
      for (let a = rdn.start; a < rdn.end;) {
        if (++attributes > MAX_WALKED_ATTRIBUTES) return null;
        const ava = tlvAt(der, a, rdn.end);
        if (ava.tag !== 0x30) return null;
        const type = tlvAt(der, ava.start, ava.end);
        const value = tlvAt(der, type.end, ava.end);
        if (type.tag !== 0x06 || value.end !== ava.end) return null;
        const bytes = der.subarray(value.start, value.end);
        let text: string;
        if (value.tag === 0x0c) {
          if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return null;
          text = strictUtf8.decode(bytes);
        } else if (value.tag === 0x13 || value.tag === 0x16) {
          for (const octet of bytes) if (octet >= 0x80) return null;
          text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
        } else return null;
        avas.push({ oid: oidText(der.subarray(type.start, type.end)), text });
        a = ava.end;
      }
      rdns.push(avas);
      at = rdn.end;
    }
    return rdns;
  } catch {
    return null;
  }
}
