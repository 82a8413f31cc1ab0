/** DER element of `tag` around `parts`, with the definite length form X.690 §8.1.3 prescribes. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const lengthOctets: number[] = [];
  if (length < 0x80) lengthOctets.push(length);
  else {
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthOctets.unshift(rest & 0xff);
    lengthOctets.unshift(0x80 | lengthOctets.length);
  }
  const out = new Uint8Array(1 + lengthOctets.length + length);
  out[0] = tag;
  out.set(lengthOctets, 1);
  let at = 1 + lengthOctets.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A certificate Time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, to the
 * second and in UTC, as @peculiar/asn1-x509's Time encodes it.
 */
export function timeDer(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year > 2049 ? tlv(0x18, Buffer.from(`${year}${rest}`, 'latin1')) : tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'));
}
