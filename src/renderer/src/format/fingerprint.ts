/** `ab12cd…` → `AB:12:CD:…`, the form browsers and `openssl x509 -fingerprint` print. */
export function colonHex(hex: string): string {
  const clean = hex.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return clean.match(/.{1,2}/g)?.join(':') ?? '';
}

/** Enough of the start and end to tell two fingerprints apart at a glance. */
export function shortFingerprint(hex: string, bytes = 4): string {
  const pairs = colonHex(hex).split(':');
  if (pairs.length <= bytes * 2) return pairs.join(':');
  return `${pairs.slice(0, bytes).join(':')}…${pairs.slice(-bytes).join(':')}`;
}
