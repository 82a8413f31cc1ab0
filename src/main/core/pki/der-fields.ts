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
